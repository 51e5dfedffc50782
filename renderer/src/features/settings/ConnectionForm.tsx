/**
 * Adds or edits one connection. The provider picker and the form are generated from the
 * provider's settings fields (sent by main from the adapter registry); main validates with the
 * adapter's own schema and answers problems per field. The key is write-only: the field starts
 * empty, shows the stored key only masked, and an empty field keeps the stored key.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { ConnectionInput, ConnectionTestResult, ConnectionView, FieldProblem, ProviderView, SettingFieldView, SettingsChange, SettingsView } from '../../../../preload/api';
import type { SettingsTransport } from '../../spendApi';
import { Field, problemFor } from './Field';

/** Props of {@link ConnectionForm}. */
export interface ConnectionFormProps {
  readonly transport: SettingsTransport;
  readonly view: SettingsView;
  /** The workspace to add to; null = none exists yet: "My workspace" is created on save. */
  readonly workspaceId: string | null;
  /** The connection being edited; undefined = a new one. */
  readonly existing?: ConnectionView;
  readonly onSaved: (change: Extract<SettingsChange, { ok: true }>) => void;
  readonly onCancel: () => void;
  /** Reports a transport failure (main unreachable). */
  readonly onTransportError: (error: unknown) => void;
}

type Values = Record<string, string | string[]>;

/** Form text of a stored setting value. */
function formValue(field: SettingFieldView, value: unknown): string | string[] {
  if (field.kind === 'multi-select') return Array.isArray(value) ? value.map(String) : Array.isArray(field.defaultValue) ? [...field.defaultValue] : [];
  if (Array.isArray(value)) return value.join(', ');
  if (value === undefined || value === null) return '';
  return String(value);
}

function initialValues(provider: ProviderView | undefined, existing: ConnectionView | undefined): Values {
  const values: Values = {};
  for (const field of provider?.fields ?? []) values[field.key] = formValue(field, existing?.settings[field.key]);
  return values;
}

/** Placeholder of an optional field: its default, so an empty field visibly means "the default". */
function placeholderOf(field: SettingFieldView): string | undefined {
  if (field.defaultValue === undefined) return undefined;
  return Array.isArray(field.defaultValue) ? field.defaultValue.join(', ') || undefined : String(field.defaultValue);
}

const MY_WORKSPACE = 'My workspace';

/** The connection form. */
export function ConnectionForm({ transport, view, workspaceId, existing, onSaved, onCancel, onTransportError }: ConnectionFormProps) {
  const formId = useId();
  const [providerId, setProviderId] = useState(existing?.provider ?? '');
  const provider = view.providers.find((p) => p.id === providerId);
  const [name, setName] = useState(existing?.name ?? '');
  const [values, setValues] = useState<Values>(() => initialValues(provider, existing));
  const [keySource, setKeySource] = useState<'keychain' | 'environment'>(existing?.key.source === 'environment' ? 'environment' : 'keychain');
  const [apiKey, setApiKey] = useState('');
  const [apiKeyEnv, setApiKeyEnv] = useState(existing?.key.source === 'environment' ? existing.key.variable : '');
  const [problems, setProblems] = useState<readonly FieldProblem[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'testing' | 'saving' | null>(null);
  const [testResult, setTestResult] = useState<ConnectionTestResult | null>(null);
  const [consent, setConsent] = useState<string | null>(null);
  // The workspace made for a first connection, reused when saving again (after consent, after a fix).
  const createdWorkspaceId = useRef<string | null>(null);

  const chooseProvider = (id: string) => {
    setProviderId(id);
    setValues(initialValues(view.providers.find((p) => p.id === id), undefined));
    setProblems([]);
    setTestResult(null);
    setFormError(null);
  };

  const input = (targetWorkspaceId: string, allowObfuscatedKey: boolean): ConnectionInput => {
    const settings: Record<string, string | string[]> = {};
    for (const field of provider?.fields ?? []) {
      const value = values[field.key];
      if (value === undefined || value === '') continue;
      settings[field.key] = value;
    }
    return {
      workspaceId: targetWorkspaceId,
      id: existing?.id ?? null,
      provider: providerId,
      name: name.trim() ? name.trim() : null,
      settings,
      apiKey: keySource === 'keychain' && apiKey !== '' ? apiKey : null,
      apiKeyEnv: keySource === 'environment' ? apiKeyEnv.trim() : null,
      allowObfuscatedKey,
    };
  };

  const test = async () => {
    setBusy('testing');
    setTestResult(null);
    try {
      const result = await transport.testConnection(input(workspaceId ?? '_new', false));
      setTestResult(result);
      setProblems(result.ok ? [] : result.problems);
    } catch (error) {
      onTransportError(error);
    } finally {
      setBusy(null);
    }
  };

  const save = async (allowObfuscatedKey: boolean) => {
    setBusy('saving');
    setFormError(null);
    setConsent(null);
    try {
      let target = workspaceId ?? createdWorkspaceId.current;
      if (target === null) {
        // First connection ever: make a workspace for it, in the system's time zone.
        const created = await transport.saveWorkspace({ id: null, name: MY_WORKSPACE, timeZone: null, budget: null, period: 'month', forecastAlerts: false });
        if (!created.ok) {
          setFormError(created.message);
          return;
        }
        target = created.settings.workspaces.at(-1)?.id ?? null;
        if (target === null) return;
        createdWorkspaceId.current = target;
      }
      const change = await transport.saveConnection(input(target, allowObfuscatedKey));
      if (change.ok) {
        onSaved(change);
        return;
      }
      if (change.reason === 'consent_required') setConsent(change.message);
      else {
        setProblems(change.problems);
        setFormError(change.problems.length === 0 ? change.message : 'Check the highlighted fields.');
      }
    } catch (error) {
      onTransportError(error);
    } finally {
      setBusy(null);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(false);
  };

  const keyProblem = problemFor(problems, 'apiKey');
  const storedKey = existing?.key.source === 'keychain' ? existing.key.masked : null;
  const obfuscationWarning = view.keyStorage.protection === 'obfuscation-only' && !view.keyStorage.obfuscationAccepted;

  return (
    <form className="settings-form" aria-labelledby={`${formId}-title`} onSubmit={onSubmit} noValidate data-testid="connection-form">
      <h3 className="settings-form__title" id={`${formId}-title`}>
        {existing ? `Edit ${existing.name ?? provider?.displayName ?? existing.provider}` : 'Add a provider'}
      </h3>
      {existing ? null : (
        <fieldset className="provider-picker">
          <legend className="field__label">Provider</legend>
          <div className="provider-picker__options">
            {view.providers.map((p) => (
              <label key={p.id} className={`provider-picker__option${p.id === providerId ? ' is-selected' : ''}`}>
                <input type="radio" name={`${formId}-provider`} value={p.id} checked={p.id === providerId} onChange={() => chooseProvider(p.id)} />
                <span>{p.displayName}</span>
              </label>
            ))}
          </div>
          {problemFor(problems, 'provider') ? <p className="field__error">{problemFor(problems, 'provider')}</p> : null}
        </fieldset>
      )}
      {provider ? (
        <>
          <fieldset className="key-source">
            <legend className="field__label">API key</legend>
            <div className="segmented" role="radiogroup" aria-label="Where the key comes from">
              <label className={keySource === 'keychain' ? 'is-selected' : ''}>
                <input type="radio" name={`${formId}-source`} checked={keySource === 'keychain'} onChange={() => setKeySource('keychain')} />
                Keychain
              </label>
              <label className={keySource === 'environment' ? 'is-selected' : ''}>
                <input type="radio" name={`${formId}-source`} checked={keySource === 'environment'} onChange={() => setKeySource('environment')} />
                Environment variable
              </label>
            </div>
          </fieldset>
          {keySource === 'keychain' ? (
            <Field
              label={`${provider.displayName} API key`}
              help={storedKey ? `Stored: ${storedKey}. Leave empty to keep it.` : 'Stored encrypted in the system keychain; it is never shown again.'}
              error={keyProblem}
            >
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  className="input"
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  value={apiKey}
                  placeholder={storedKey ?? ''}
                  onChange={(event) => setApiKey(event.target.value)}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  data-testid="api-key"
                />
              )}
            </Field>
          ) : (
            <Field label="Variable name" help="Burnrate reads the key from this environment variable when it starts." error={problemFor(problems, 'apiKeyEnv')}>
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  className="input"
                  spellCheck={false}
                  value={apiKeyEnv}
                  placeholder={`${provider.id.toUpperCase()}_API_KEY`}
                  onChange={(event) => setApiKeyEnv(event.target.value)}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                />
              )}
            </Field>
          )}
          {obfuscationWarning && keySource === 'keychain' ? (
            <p className="settings-note settings-note--warn" role="note">
              This system has no keychain: a stored key would only be obfuscated. Burnrate asks before storing one.
            </p>
          ) : null}
          {provider.fields.map((field) => (
            <SettingInput key={field.key} field={field} value={values[field.key] ?? ''} error={problemFor(problems, field.key)} onChange={(value) => setValues((v) => ({ ...v, [field.key]: value }))} />
          ))}
          <Field label="Name (optional)" help={`Shown in the popover; default "${provider.displayName}".`} error={problemFor(problems, 'name')}>
            {({ id, describedBy, invalid }) => (
              <input id={id} className="input" value={name} maxLength={80} onChange={(event) => setName(event.target.value)} aria-describedby={describedBy} aria-invalid={invalid} />
            )}
          </Field>
          <div className="settings-form__status" aria-live="polite" data-testid="connection-test-result">
            {busy === 'testing' ? (
              <span className="settings-progress" role="progressbar" aria-label={`Testing the ${provider.displayName} connection`}>
                Testing the connection…
              </span>
            ) : testResult ? (
              <p className={testResult.ok ? 'settings-note settings-note--ok' : 'settings-note settings-note--error'} role={testResult.ok ? 'status' : 'alert'}>
                {testResult.ok ? testResult.message : `${errorTitle(testResult.kind)}: ${testResult.message}`}
              </p>
            ) : null}
          </div>
          {consent ? (
            <div className="consent" role="alertdialog" aria-labelledby={`${formId}-consent`} aria-describedby={`${formId}-consent-text`} data-testid="consent">
              <h4 className="consent__title" id={`${formId}-consent`}>
                No keychain on this system
              </h4>
              <p className="consent__text" id={`${formId}-consent-text`}>
                {consent}
              </p>
              <div className="settings-actions">
                <button type="button" className="button" onClick={() => setConsent(null)} autoFocus>
                  Don&apos;t store
                </button>
                <button type="button" className="button button--danger" onClick={() => void save(true)}>
                  Store obfuscated
                </button>
              </div>
            </div>
          ) : null}
          {formError ? (
            <p className="settings-note settings-note--error" role="alert">
              {formError}
            </p>
          ) : null}
          <div className="settings-actions">
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
            <button type="button" className="button" onClick={() => void test()} disabled={busy !== null} aria-describedby={`${formId}-test-help`}>
              Test connection
            </button>
            <button type="submit" className="button button--primary" disabled={busy !== null}>
              {busy === 'saving' ? 'Saving…' : 'Save'}
            </button>
          </div>
          <p className="visually-hidden" id={`${formId}-test-help`}>
            Makes one request to {provider.displayName} with these settings; nothing is saved.
          </p>
        </>
      ) : (
        <div className="settings-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}

/** Words for a typed connection error. */
export function errorTitle(kind: string): string {
  switch (kind) {
    case 'auth':
      return 'Key refused';
    case 'rate_limited':
      return 'Rate limited';
    case 'bad_request':
      return 'Request refused';
    case 'server':
      return 'Provider error';
    case 'network':
      return 'Cannot reach the provider';
    case 'bad_response':
      return 'Unexpected answer';
    case 'config':
      return 'Missing setting';
    default:
      return 'Check the settings';
  }
}

/** One generated control, by the field's kind. */
function SettingInput({ field, value, error, onChange }: { field: SettingFieldView; value: string | string[]; error: string | undefined; onChange: (value: string | string[]) => void }) {
  const label = field.required ? field.label : `${field.label} (optional)`;
  if (field.kind === 'multi-select') {
    const selected = Array.isArray(value) ? value : [];
    return (
      <fieldset className={`field${error ? ' field--invalid' : ''}`}>
        <legend className="field__label">{label}</legend>
        <div className="checks">
          {(field.options ?? []).map((option) => (
            <label key={option} className="check">
              <input
                type="checkbox"
                checked={selected.includes(option)}
                onChange={(event) => onChange(event.target.checked ? [...selected, option] : selected.filter((o) => o !== option))}
              />
              {option}
            </label>
          ))}
        </div>
        {error ? <p className="field__error">{error}</p> : null}
        {field.help ? <p className="field__help">{field.help}</p> : null}
      </fieldset>
    );
  }
  const text = Array.isArray(value) ? value.join(', ') : value;
  return (
    <Field label={label} help={field.kind === 'string-list' ? `${field.help ?? ''} Separate values with commas.`.trim() : field.help} error={error}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          className="input"
          inputMode={field.kind === 'number' ? 'decimal' : field.kind === 'integer' ? 'numeric' : undefined}
          type={field.kind === 'url' ? 'url' : 'text'}
          spellCheck={false}
          value={text}
          placeholder={placeholderOf(field)}
          required={field.required}
          onChange={(event) => onChange(event.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          aria-required={field.required}
          data-field={field.key}
        />
      )}
    </Field>
  );
}
