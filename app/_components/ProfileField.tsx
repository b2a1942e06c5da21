import type { ReactNode } from "react";

/**
 * Server field errors grouped by the input they belong to: "languages.0" and "languages" both
 * land on `languages`, "packageHours.1" on `packageHours`.
 */
export function groupFieldErrors(errors: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string[]> = {};
  for (const [path, messages] of Object.entries(errors)) {
    const field = path.split(".")[0] ?? path;
    out[field] = [...new Set([...(out[field] ?? []), ...messages])];
  }
  return Object.fromEntries(
    Object.entries(out).map(([field, messages]) => [field, messages.join(" ")]),
  );
}

export interface ControlProps {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string | undefined;
}

/** A label, its control, an optional hint and the server's message about it. */
export function ProfileField(props: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="pf-field">
      <label htmlFor={props.id} className="pf-label">
        {props.label}
      </label>
      {props.children({
        id: props.id,
        "aria-invalid": !!props.error,
        "aria-describedby": describedBy,
      })}
      {props.hint && (
        <span className="pf-hint" id={hintId}>
          {props.hint}
        </span>
      )}
      {props.error && (
        <span className="pf-error" id={errorId}>
          {props.error}
        </span>
      )}
    </div>
  );
}

/** A group of checkboxes (languages, subjects, packages) with one legend and one error. */
export function ProfileCheckGroup<T extends string | number>(props: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: readonly { value: T; label: ReactNode }[];
  selected: readonly T[];
  max?: number;
  onChange: (next: T[]) => void;
}) {
  const full = props.max !== undefined && props.selected.length >= props.max;
  const errorId = props.error ? `${props.id}-error` : undefined;
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  return (
    <fieldset
      className="pf-checks"
      aria-invalid={!!props.error}
      aria-describedby={[errorId, hintId].filter(Boolean).join(" ") || undefined}
    >
      <legend className="pf-label">{props.legend}</legend>
      <div className="pf-check-grid">
        {props.options.map((option) => {
          const checked = props.selected.includes(option.value);
          return (
            <label
              key={String(option.value)}
              className="pf-check"
              data-checked={checked || undefined}
            >
              <input
                type="checkbox"
                checked={checked}
                disabled={!checked && full}
                onChange={(e) =>
                  props.onChange(
                    e.target.checked
                      ? [...props.selected, option.value]
                      : props.selected.filter((v) => v !== option.value),
                  )
                }
              />
              <span>{option.label}</span>
            </label>
          );
        })}
      </div>
      {props.hint && (
        <span className="pf-hint" id={hintId}>
          {props.hint}
        </span>
      )}
      {props.error && (
        <span className="pf-error" id={errorId}>
          {props.error}
        </span>
      )}
    </fieldset>
  );
}
