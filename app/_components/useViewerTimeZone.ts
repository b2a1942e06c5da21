"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const noZoneOnServer = () => null;

/**
 * The viewer's IANA time zone (from the browser, via Intl), or null while rendering on the
 * server and hydrating: times are only ever written in the zone of the person reading them.
 */
export function useViewerTimeZone(): string | null {
  return useSyncExternalStore(never, browserZone, noZoneOnServer);
}

/** "Europe/Paris" → "Europe/Paris", "America/New_York" → "America/New York". */
export const zoneName = (zone: string) => zone.replace(/_/g, " ");
