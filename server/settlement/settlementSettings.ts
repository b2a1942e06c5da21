/**
 * The platform's default commission on lessons, in basis points (HALFHOUR_COMMISSION_PERCENT,
 * default 20%; decimals allowed, e.g. 17.5). A teacher's own rate (teachers.commission_bps,
 * set by an admin) overrides it.
 */
export function defaultCommissionBps(): number {
  const raw = process.env.HALFHOUR_COMMISSION_PERCENT;
  if (raw === undefined || raw === "") return 2_000;
  const percent = Number(raw);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new Error(`HALFHOUR_COMMISSION_PERCENT must be a number from 0 to 100, got "${raw}"`);
  }
  return Math.round(percent * 100);
}

/** The rate for one teacher: their override, or the platform default. */
export const commissionBpsFor = (teacher: { commissionBps: number | null }) =>
  teacher.commissionBps ?? defaultCommissionBps();
