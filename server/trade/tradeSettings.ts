/**
 * Platform-wide trade rules, overridable per deployment through the environment. A teacher's
 * own minimum notice lives on their profile (teachers.min_notice_minutes).
 */
export interface TradeSettings {
  /** How long an unpaid order holds its slots. */
  holdMinutes: number;
  /** A student cancelling at least this long before the start gets the hours back. */
  studentCancelWindowHours: number;
  /** A booked lesson not marked by the teacher is completed this long after it ends. */
  autoCompleteHours: number;
  /** How far ahead a lesson may be booked. */
  bookingHorizonDays: number;
}

function fromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function tradeSettings(): TradeSettings {
  return {
    holdMinutes: fromEnv("HALFHOUR_HOLD_MINUTES", 15, 1, 24 * 60),
    studentCancelWindowHours: fromEnv("HALFHOUR_CANCEL_WINDOW_HOURS", 24, 0, 24 * 14),
    autoCompleteHours: fromEnv("HALFHOUR_AUTO_COMPLETE_HOURS", 48, 0, 24 * 30),
    bookingHorizonDays: fromEnv("HALFHOUR_BOOKING_HORIZON_DAYS", 366, 1, 3 * 366),
  };
}
