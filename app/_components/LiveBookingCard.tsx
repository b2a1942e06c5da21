"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useTRPC } from "../_trpc/client";
import { dayKey, formatDay, formatMoney, formatTime } from "./format";

const DAYS_SHOWN = 14;

/**
 * The live part of a static studio page: current prices and the next free slots, fetched
 * after load and shown in the viewer's time zone (changeable).
 */
export function LiveBookingCard(props: { teacherId: string; teacherTimeZone: string }) {
  const trpc = useTRPC();
  const price = useQuery(trpc.teachers.priceCard.queryOptions({ id: props.teacherId }));
  const slots = useQuery(
    trpc.availability.free.queryOptions({ teacherId: props.teacherId, days: DAYS_SHOWN }),
  );
  const [zone, setZone] = useState<string | null>(null);
  useEffect(() => setZone(Intl.DateTimeFormat().resolvedOptions().timeZone), []);
  const zones = useMemo(() => {
    const all = new Set([zone ?? "UTC", props.teacherTimeZone, "UTC"]);
    return [...all];
  }, [zone, props.teacherTimeZone]);

  const byDay = useMemo(() => {
    const groups = new Map<string, Date[]>();
    if (!zone || !slots.data) return groups;
    for (const at of slots.data.slots) {
      const key = dayKey(at, zone);
      const list = groups.get(key) ?? [];
      list.push(at);
      groups.set(key, list);
    }
    return groups;
  }, [slots.data, zone]);

  return (
    <div className="card live-card" data-testid="live-card">
      <h2>Prices</h2>
      {price.isPending ? (
        <div className="skeleton" role="status" aria-busy="true" aria-label="Loading prices" />
      ) : price.isError ? (
        <p className="error" role="alert">
          Prices could not be loaded.{" "}
          <button type="button" className="link-button" onClick={() => price.refetch()}>
            Retry
          </button>
        </p>
      ) : (
        <ul className="price-list" data-testid="price-card">
          {price.data.map((c) => (
            <li key={c.courseId}>
              <div className="row between">
                <span>{c.title}</span>
                <strong>{formatMoney(c.pricePerHour, c.currency)}/h</strong>
              </div>
              <span className="muted small">
                {c.packages
                  .filter((p) => p.hours > 1)
                  .map((p) => `${p.hours} h ${formatMoney(p.amount, c.currency)}`)
                  .join(" · ") || "Single lessons"}
              </span>
            </li>
          ))}
        </ul>
      )}

      <div className="row between">
        <h2>Free times</h2>
        {zone && (
          <label className="small">
            <span className="sr-only">Time zone</span>
            <select value={zone} onChange={(e) => setZone(e.target.value)} aria-label="Time zone">
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {slots.isPending || !zone ? (
        <div
          className="skeleton tall"
          role="status"
          aria-busy="true"
          aria-label="Loading free times"
        />
      ) : slots.isError ? (
        <p className="error" role="alert">
          Free times could not be loaded.{" "}
          <button type="button" className="link-button" onClick={() => slots.refetch()}>
            Retry
          </button>
        </p>
      ) : byDay.size === 0 ? (
        <p className="muted">No free time in the next {DAYS_SHOWN} days.</p>
      ) : (
        <div className="slot-days" data-testid="free-slots">
          {[...byDay.values()].slice(0, 7).map((list) => (
            <div key={list[0]!.toISOString()} className="slot-day">
              <div className="slot-day-label">{formatDay(list[0]!, zone)}</div>
              <ul className="slot-chips">
                {list.map((at) => (
                  <li key={at.toISOString()} className="slot-chip" data-slot={at.toISOString()}>
                    {formatTime(at, zone)}
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <p className="muted small">
            {slots.data.slots.length} half-hour slots free in the next {DAYS_SHOWN} days.
          </p>
        </div>
      )}
    </div>
  );
}
