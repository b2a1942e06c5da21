"use client";

import { useEffect, useState } from "react";

/**
 * The viewer's IANA zone as a hidden `tz` form field, so a time-of-day window ("18:00–21:00")
 * is read in the zone of whoever submits the search. Without JavaScript it stays as the URL
 * had it (or UTC).
 */
export function SearchTimeZoneField({ initial }: { initial?: string }) {
  const [zone, setZone] = useState(initial ?? "UTC");
  useEffect(() => {
    const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (resolved) setZone(resolved);
  }, []);
  return (
    <>
      <input type="hidden" name="tz" value={zone} readOnly />
      <span className="muted small" data-testid="search-zone">
        Times in {zone.replaceAll("_", " ")}
      </span>
    </>
  );
}
