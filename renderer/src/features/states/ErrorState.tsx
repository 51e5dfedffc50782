import type { TransportError } from '../../spendApi';
import { CloseIcon, DisconnectedIcon } from '../common/Icons';
import './states.css';

/** Props of {@link ErrorState}. */
export interface ErrorStateProps {
  readonly error: TransportError;
  readonly onRetry: () => void;
}

/** No data: the transport failed before the first snapshot. */
export function ErrorState({ error, onRetry }: ErrorStateProps) {
  return (
    <div className="state state--error" role="alert" data-testid="error-state">
      <span className="state__icon state__icon--danger">
        <DisconnectedIcon size={28} />
      </span>
      <h2 className="state__title">Can't load spend</h2>
      <p className="state__text" data-testid="error-message">
        {error.message}
      </p>
      <button type="button" className="button button--primary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

/** Props of {@link ActionErrorBar}. */
export interface ActionErrorBarProps {
  readonly error: TransportError;
  readonly onRetry: () => void;
  readonly onDismiss: () => void;
}

/** A failure after data was shown: the numbers stay, this says they may be out of date. */
export function ActionErrorBar({ error, onRetry, onDismiss }: ActionErrorBarProps) {
  return (
    <div className="action-error" role="alert" data-testid="action-error">
      <span className="action-error__text">
        <strong>Couldn't update.</strong> {error.message}
      </span>
      <button type="button" className="button button--small" onClick={onRetry}>
        Retry
      </button>
      <button type="button" className="icon-button icon-button--small" onClick={onDismiss} aria-label="Dismiss">
        <CloseIcon size={12} />
      </button>
    </div>
  );
}
