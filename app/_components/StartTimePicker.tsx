"use client";

import { useMemo, useState } from "react";
import { dayKey, formatDay, formatTime } from "./format";

/** Viewer days with openings shown at once (the rest is counted below the chips). */
const DAY_GROUPS_SHOWN = 7;

/**
 * Bookable start times as chips grouped by the viewer's day, in `zone`. One chip is pressed
 * at a time (`selected`, an ISO instant); pressing it again clears the choice.
 */
export function StartTimePicker(props: {
  starts: readonly Date[];
  zone: string;
  selected: string | null;
  onSelect: (startIso: string | null) => void;
  /** For the count line: "… for a 60-minute lesson in the next 14 days". */
  lengthSlots: number;
  days: number;
}) {
  const { starts, zone, selected } = props;
  const [allDays, setAllDays] = useState(false);
  const byDay = useMemo(() => {
    const groups = new Map<string, Date[]>();
    for (const at of starts) {
      const key = dayKey(at, zone);
      const list = groups.get(key) ?? [];
      list.push(at);
      groups.set(key, list);
    }
    return groups;
  }, [starts, zone]);

  return (
    <>
      {[...byDay.entries()].slice(0, allDays ? undefined : DAY_GROUPS_SHOWN).map(([key, list]) => (
        <fieldset key={key} className="slot-day">
          <legend className="slot-day-label">{formatDay(list[0]!, zone)}</legend>
          <ul className="slot-chips">
            {list.map((at) => {
              const startIso = at.toISOString();
              const isSelected = selected === startIso;
              return (
                <li key={startIso}>
                  <button
                    type="button"
                    className="slot-chip"
                    data-slot={startIso}
                    aria-pressed={isSelected}
                    onClick={() => props.onSelect(isSelected ? null : startIso)}
                  >
                    {formatTime(at, zone)}
                  </button>
                </li>
              );
            })}
          </ul>
        </fieldset>
      ))}
      <p className="muted small">
        {starts.length} {starts.length === 1 ? "start time" : "start times"} for a{" "}
        {props.lengthSlots * 30}-minute lesson in the next {props.days} days.
        {byDay.size > DAY_GROUPS_SHOWN && (
          <>
            {" "}
            <button
              type="button"
              className="link-button"
              aria-expanded={allDays}
              onClick={() => setAllDays(!allDays)}
            >
              {allDays
                ? `Show the first ${DAY_GROUPS_SHOWN} days only`
                : `Show all ${byDay.size} days`}
            </button>
          </>
        )}
      </p>
    </>
  );
}
