"use client";

import { useId } from "react";
import { formatMinutes } from "./orderWords";

/**
 * "Lesson length": 30 to 120 minutes as a segmented radio group. `openings` (once known) says
 * how many starts each length has; a length with none is greyed and says so to screen readers.
 */
export function LessonLengthPicker(props: {
  lengths: readonly number[];
  value: number;
  onChange: (slots: number) => void;
  openings?: (slots: number) => number | undefined;
}) {
  const name = useId();
  return (
    <fieldset className="lesson-length" data-testid="lesson-length">
      <legend className="lesson-length-legend">Lesson length</legend>
      <div
        className="segmented"
        style={{ gridTemplateColumns: `repeat(${props.lengths.length}, 1fr)` }}
      >
        {props.lengths.map((n) => {
          const none = props.openings?.(n) === 0;
          return (
            <label key={n} className="segment" data-empty={none ? "" : undefined}>
              <input
                type="radio"
                name={name}
                value={n * 30}
                checked={props.value === n}
                onChange={() => props.onChange(n)}
              />
              <span>
                {formatMinutes(n)}
                {none && <span className="sr-only"> (no openings)</span>}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
