/**
 * General: refresh interval, tray title format, launch at login, import / export of the CLI
 * config file, and the config and log folders.
 */
import { useId, useState } from 'react';
import type { SettingsChange, SettingsView, TrayTitleFormat } from '../../../../preload/api';
import { TRAY_TITLE_FORMATS } from '../../../../preload/api';
import type { SettingsTransport } from '../../spendApi';

/** Props of {@link GeneralSection}. */
export interface GeneralSectionProps {
  readonly transport: SettingsTransport;
  readonly view: SettingsView;
  readonly apply: (change: SettingsChange) => SettingsChange;
  readonly run: <T>(call: () => Promise<T>) => Promise<T | undefined>;
}

/** How each tray title format looks, with an example. */
export const TRAY_FORMAT_TEXT: Readonly<Record<TrayTitleFormat, string>> = {
  'spend-pace': 'Spend · pace ($1,248 · $12.40/h)',
  spend: 'Spend ($1,248)',
  pace: 'Pace ($12.40/h)',
  projected: 'Projected (~$2,419)',
  'budget-percent': 'Budget used (62%)',
  'icon-only': 'Icon only',
};

const INTERVALS: ReadonlyArray<[number, string]> = [
  [60, 'Every minute'],
  [120, 'Every 2 minutes'],
  [300, 'Every 5 minutes'],
  [600, 'Every 10 minutes'],
  [900, 'Every 15 minutes'],
  [1800, 'Every 30 minutes'],
  [3600, 'Every hour'],
];

/** The general preferences and the config file tools. */
export function GeneralSection({ transport, view, apply, run }: GeneralSectionProps) {
  const id = useId();
  const { preferences } = view;
  const [importFile, setImportFile] = useState(view.paths.cliConfigFile);
  const [exportFile, setExportFile] = useState(view.paths.exportFile);
  const [importState, setImportState] = useState<{ busy: boolean; text: string | null; error: boolean; consent: string | null }>({ busy: false, text: null, error: false, consent: null });
  const [exportState, setExportState] = useState<{ text: string | null; error: boolean; exists: boolean }>({ text: null, error: false, exists: false });
  const [error, setError] = useState<string | null>(null);

  const save = async (call: () => Promise<SettingsChange>) => {
    const change = await run(call);
    if (!change) return;
    apply(change);
    setError(change.ok ? null : change.message);
  };

  const doImport = async (allowObfuscatedKeys: boolean) => {
    setImportState({ busy: true, text: null, error: false, consent: null });
    const change = await run(() => transport.importConfig(importFile.trim(), allowObfuscatedKeys));
    if (!change) return setImportState({ busy: false, text: null, error: false, consent: null });
    apply(change);
    if (change.ok) setImportState({ busy: false, text: change.message ?? 'Imported.', error: false, consent: null });
    else if (change.reason === 'consent_required') setImportState({ busy: false, text: null, error: false, consent: change.message });
    else {
      const details = change.problems.map((p) => (p.field.startsWith('(') ? p.message : `${p.field}: ${p.message}`));
      setImportState({ busy: false, text: change.reason === 'invalid' && details.length > 0 ? `${importFile}: ${details.join('; ')}` : change.message, error: true, consent: null });
    }
  };

  const doExport = async (overwrite: boolean) => {
    const result = await run(() => transport.exportConfig(exportFile.trim(), overwrite));
    if (!result) return;
    if (result.ok) setExportState({ text: `Exported to ${result.file}, without keys.`, error: false, exists: false });
    else setExportState({ text: result.message, error: true, exists: result.reason === 'exists' });
  };

  return (
    <div className="settings-section" data-testid="general-section">
      <label className="field">
        <span className="field__label">Refresh</span>
        <select
          className="input"
          value={preferences.refreshIntervalSeconds}
          onChange={(event) => void save(() => transport.savePreferences({ refreshIntervalSeconds: Number(event.target.value) }))}
          aria-describedby={`${id}-refresh-help`}
        >
          {INTERVALS.some(([seconds]) => seconds === preferences.refreshIntervalSeconds) ? null : (
            <option value={preferences.refreshIntervalSeconds}>Every {preferences.refreshIntervalSeconds} seconds</option>
          )}
          {INTERVALS.map(([seconds, label]) => (
            <option key={seconds} value={seconds}>
              {label}
            </option>
          ))}
        </select>
        <span className="field__help" id={`${id}-refresh-help`}>
          Never faster than a provider allows; every minute while this window is open or near a threshold, slower on battery.
        </span>
      </label>
      <fieldset className="settings-group">
        <legend className="settings-group__title">Menu bar shows</legend>
        {TRAY_TITLE_FORMATS.map((format) => (
          <label key={format} className="radio">
            <input
              type="radio"
              name={`${id}-tray`}
              checked={preferences.trayTitleFormat === format}
              onChange={() => void save(() => transport.savePreferences({ trayTitleFormat: format }))}
            />
            {TRAY_FORMAT_TEXT[format]}
          </label>
        ))}
      </fieldset>
      <label className="switch">
        <input type="checkbox" role="switch" checked={preferences.launchAtLogin} onChange={(event) => void save(() => transport.savePreferences({ launchAtLogin: event.target.checked }))} />
        <span className="switch__text">
          <span className="switch__label">Launch at login</span>
        </span>
      </label>
      <fieldset className="settings-group">
        <legend className="settings-group__title">Config file</legend>
        <p className="field__help">
          {view.importedFrom
            ? `Imported from ${view.importedFrom.file}. Burnrate keeps its own copy: edits to that file count only after Import again.`
            : 'Import a burnrate config file: its workspaces replace these, and inline keys move into the keychain.'}
        </p>
        {view.importedFrom?.changedSince ? (
          <p className="settings-note settings-note--warn" role="note" data-testid="import-changed">
            {view.importedFrom.file} has changed since it was imported. Import it again to use the changes.
          </p>
        ) : null}
        <label className="field">
          <span className="field__label">File to import</span>
          <input className="input" spellCheck={false} value={importFile} onChange={(event) => setImportFile(event.target.value)} />
        </label>
        <div className="settings-actions settings-actions--start">
          <button type="button" className="button" onClick={() => void doImport(false)} disabled={importState.busy || !importFile.trim()}>
            {view.importedFrom ? 'Import again' : 'Import'}
          </button>
        </div>
        {importState.consent ? (
          <div className="consent" role="alertdialog" aria-labelledby={`${id}-consent`} aria-describedby={`${id}-consent-text`} data-testid="import-consent">
            <h4 className="consent__title" id={`${id}-consent`}>
              No keychain on this system
            </h4>
            <p className="consent__text" id={`${id}-consent-text`}>
              {importState.consent}
            </p>
            <div className="settings-actions">
              <button type="button" className="button" onClick={() => setImportState({ busy: false, text: null, error: false, consent: null })} autoFocus>
                Don&apos;t import
              </button>
              <button type="button" className="button button--danger" onClick={() => void doImport(true)}>
                Import and store obfuscated
              </button>
            </div>
          </div>
        ) : null}
        {importState.text ? (
          <p className={`settings-note ${importState.error ? 'settings-note--error' : 'settings-note--ok'}`} role={importState.error ? 'alert' : 'status'} data-testid="import-result">
            {importState.text}
          </p>
        ) : null}
        <label className="field">
          <span className="field__label">Export to</span>
          <input className="input" spellCheck={false} value={exportFile} onChange={(event) => setExportFile(event.target.value)} />
        </label>
        <div className="settings-actions settings-actions--start">
          <button type="button" className="button" onClick={() => void doExport(exportState.exists)}>
            {exportState.exists ? 'Replace' : 'Export without keys'}
          </button>
        </div>
        {exportState.text ? (
          <p className={`settings-note ${exportState.error ? 'settings-note--error' : 'settings-note--ok'}`} role={exportState.error ? 'alert' : 'status'} data-testid="export-result">
            {exportState.text}
          </p>
        ) : null}
      </fieldset>
      <div className="settings-actions settings-actions--start">
        <button type="button" className="button" onClick={() => void run(() => transport.openFolder('config'))}>
          Open config folder
        </button>
        <button type="button" className="button" onClick={() => void run(() => transport.openFolder('logs'))}>
          Open log folder
        </button>
      </div>
      {error ? (
        <p className="settings-note settings-note--error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
