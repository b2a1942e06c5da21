import { and, eq, isNull, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { coupons } from "../../db/schema";
import type { CouponRow } from "./offerCandidates";

/**
 * Coupons granted to a phone number with no account wait as `pending` with that number
 * (issue 7). When an account verifies the number, the identity service calls this inside its
 * verification transaction: every pending coupon of the number moves to the account
 * (pending → available). The number stays on the coupon as a record of how it was granted.
 * `phone` must be the verified E.164 number (couponBatchRules.normalizePhone).
 */
export async function attachPhoneCoupons(
  tx: Transaction,
  userId: string,
  phone: string,
): Promise<CouponRow[]> {
  return tx
    .update(coupons)
    .set({ ownerUserId: userId, status: "available", version: sql`${coupons.version} + 1` })
    .where(
      and(
        eq(coupons.ownerPhone, phone),
        isNull(coupons.ownerUserId),
        eq(coupons.status, "pending"),
      ),
    )
    .returning();
}
