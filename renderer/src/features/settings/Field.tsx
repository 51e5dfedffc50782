/**
 * One labelled form control with its help and error text, wired for screen readers
 * (`aria-describedby`, `aria-invalid`).
 */
import { useId, type ReactNode } from 'react';

/** Props of {@link Field}. */
export interface FieldProps {
  readonly label: string;
  readonly help?: string | undefined;
  readonly error?: string | undefined;
  /** Renders the control with the ids it must carry. */
  readonly children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** Label, control, help and error. */
export function Field({ label, help, error, children }: FieldProps) {
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, helpId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
      {help ? (
        <p className="field__help" id={helpId}>
          {help}
        </p>
      ) : null}
    </div>
  );
}

/** The message for a form field among the problems main returned. */
export function problemFor(problems: ReadonlyArray<{ readonly field: string; readonly message: string }>, field: string): string | undefined {
  const matching = problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`));
  return matching.length > 0 ? matching.map((p) => p.message).join(' ') : undefined;
}
