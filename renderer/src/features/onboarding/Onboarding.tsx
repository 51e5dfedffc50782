/**
 * First run: nothing is configured. Two ways forward: look around with demo data, or add a
 * provider (picker, key, Save: the numbers follow). Problems found on the way (a config file
 * that asks for consent before its keys are stored) are shown in words with their place.
 */
import { useState } from 'react';
import type { SetupProblem } from '../../../../preload/api';
import { FlameIcon } from '../common/Icons';
import type { SettingsTransport } from '../../spendApi';
import { ProblemList } from './SetupProblems';
import './onboarding.css';

/** Props of {@link Onboarding}. */
export interface OnboardingProps {
  readonly settings: SettingsTransport;
  readonly problems: readonly SetupProblem[];
  readonly onAddProvider: () => void;
  /** Opens General settings (import a config file). */
  readonly onImport: () => void;
}

/** The welcome screen. */
export function Onboarding({ settings, problems, onAddProvider, onImport }: OnboardingProps) {
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const tryDemo = async () => {
    setStarting(true);
    try {
      const change = await settings.chooseDemo(true);
      if (!change.ok) setError(change.message);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setStarting(false);
    }
  };
  return (
    <div className="onboarding" data-testid="onboarding">
      <span className="onboarding__icon" aria-hidden="true">
        <FlameIcon size={28} />
      </span>
      <h2 className="onboarding__title">Welcome to Burnrate</h2>
      <p className="onboarding__text">See what your GPU and inference providers cost right now, how fast it is burning and where the month will land.</p>
      {problems.length > 0 ? <ProblemList problems={problems} /> : null}
      <div className="onboarding__actions">
        <button type="button" className="button button--primary onboarding__button" onClick={onAddProvider}>
          Add a provider
        </button>
        <button type="button" className="button onboarding__button" onClick={() => void tryDemo()} disabled={starting} aria-describedby="onboarding-demo-help">
          {starting ? 'Starting the demo…' : 'Try demo data'}
        </button>
        <p className="onboarding__hint" id="onboarding-demo-help">
          The demo runs built-in fake providers on this computer: nothing leaves it, and the numbers are marked as demo data.
        </p>
      </div>
      <button type="button" className="text-button onboarding__import" onClick={onImport}>
        Import a burnrate config file…
      </button>
      {error ? (
        <p className="settings-note settings-note--error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
