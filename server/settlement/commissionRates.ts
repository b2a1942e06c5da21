import { asc, eq, isNotNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { teachers } from "../../db/schema";
import { DomainError } from "../domainError";
import { defaultCommissionBps } from "./settlementSettings";

/** A percentage with at most two decimals (17.5, 12.25) as basis points. */
export function percentToBps(percent: number): number {
  const bps = Math.round(percent * 100);
  if (
    !Number.isFinite(percent) ||
    percent < 0 ||
    percent > 100 ||
    Math.abs(percent * 100 - bps) > 1e-6
  ) {
    throw new RangeError(`bad commission percent ${percent}`);
  }
  return bps;
}

/**
 * Sets one teacher's own commission (an admin's decision), or clears it back to the platform
 * default with null. It applies to lessons settled from now on; earlier settlements keep
 * the rate they were settled at.
 */
export async function setTeacherCommission(
  db: Database,
  teacherId: string,
  percent: number | null,
): Promise<{ teacherId: string; commissionBps: number | null }> {
  const commissionBps = percent === null ? null : percentToBps(percent);
  const [row] = await db
    .update(teachers)
    .set({ commissionBps })
    .where(eq(teachers.id, teacherId))
    .returning({ teacherId: teachers.id, commissionBps: teachers.commissionBps });
  if (!row) throw new DomainError("not_found", "No such teacher", "teacherId");
  return row;
}

/** The default rate and the teachers with their own, by name, for the admin page. */
export async function commissionRates(db: Database) {
  const overrides = await db
    .select({
      teacherId: teachers.id,
      displayName: teachers.displayName,
      commissionBps: teachers.commissionBps,
    })
    .from(teachers)
    .where(isNotNull(teachers.commissionBps))
    .orderBy(asc(teachers.displayName), asc(teachers.id));
  return {
    defaultPercent: defaultCommissionBps() / 100,
    overrides: overrides.map((o) => ({
      teacherId: o.teacherId,
      displayName: o.displayName,
      percent: (o.commissionBps ?? 0) / 100,
    })),
  };
}
