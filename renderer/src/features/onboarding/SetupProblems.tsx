/**
 * A configuration that cannot be used, shown in the popover in words: each problem with its file
 * and JSON path. Never replaced by demo data behind the person's back.
 */
import { useState } from 'react';
import type { SetupProblem } from '../../../../preload/api';
import { AlertIcon } from '../common/Icons';
import type { SettingsTransport } from '../../spendApi';
import './onboarding.css';

/** The problems, grouped by file. */
export function ProblemList({ problems }: { readonly problems: readonly SetupProblem[] }) {
  const files = [...new Set(problems.map((p) => p.file))];
  return (
    <div className="problems" data-testid="setup-problems">
      {files.map((file) => (
        <div key={file} className="problems__file">
          <code className="problems__path">{file}</code>
          <ul className="problems__list">
            {problems
              .filter((p) => p.file === file)
              .map((p, index) => (
                <li key={index}>
                  {p.path.startsWith('(') ? null : <code>{p.path}</code>}
                  {p.path.startsWith('(') ? '' : ': '}
                  {p.message}
                </li>
              ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

/** Props of {@link SetupProblems}. */
export interface SetupProblemsProps {
  readonly settings: SettingsTransport;
  readonly problems: readonly SetupProblem[];
  readonly onOpenSettings: () => void;
}

/** The "configuration problem" screen: what is wrong and where, and the ways out. */
export function SetupProblems({ settings, problems, onOpenSettings }: SetupProblemsProps) {
  const [error, setError] = useState<string | null>(null);
  // The imported CLI file (not Burnrate's own settings file) can be fixed and imported again.
  const importable = problems.find((p) => p.file.endsWith('.json') && !p.file.startsWith('Burnrate settings') && !/settings\.json$/.test(p.file))?.file;
  const act = async (call: () => Promise<{ ok: boolean; message?: string }>) => {
    try {
      const result = await call();
      setError(result.ok ? null : (result.message ?? 'That did not work.'));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <div className="onboarding onboarding--problem" data-testid="setup-invalid">
      <span className="onboarding__icon onboarding__icon--danger" aria-hidden="true">
        <AlertIcon size={28} />
      </span>
      <h2 className="onboarding__title">The configuration needs fixing</h2>
      <p className="onboarding__text">Burnrate is not showing any numbers until this is fixed. Nothing was changed.</p>
      <ProblemList problems={problems} />
      <div className="onboarding__actions">
        {importable ? (
          <button type="button" className="button button--primary onboarding__button" onClick={() => void act(() => settings.importConfig(importable, false))}>
            Import again
          </button>
        ) : null}
        <button type="button" className="button onboarding__button" onClick={onOpenSettings}>
          Open settings
        </button>
        <button type="button" className="button onboarding__button" onClick={() => void act(() => settings.openFolder('config').then(() => ({ ok: true })))}>
          Open config folder
        </button>
        <button type="button" className="button onboarding__button" onClick={() => void act(() => settings.chooseDemo(true))}>
          Try demo data
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
