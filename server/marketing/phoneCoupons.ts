import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { couponBatches, coupons } from "../../db/schema";
import type { CouponRow } from "./offerCandidates";

/**
 * Coupons granted to a phone number with no account wait as `pending` with that number
 * (issue 7). When an account verifies the number, the identity service calls this inside its
 * verification transaction: every pending coupon of the number moves to the account —
 * available, or void when its batch was retired meanwhile (a pending coupon has no owner, so
 * retiring could not void it then). The number stays on the coupon as a record of the grant.
 * `phone` must be the verified E.164 number (identity/phoneNumber.normalizePhone).
 */
export async function attachPhoneCoupons(
  tx: Transaction,
  userId: string,
  phone: string,
): Promise<CouponRow[]> {
  const retired = tx
    .select({ id: couponBatches.id })
    .from(couponBatches)
    .where(eq(couponBatches.status, "retired"));
  return tx
    .update(coupons)
    .set({
      ownerUserId: userId,
      status: sql`CASE WHEN ${inArray(coupons.batchId, retired)} THEN 'void'::coupon_status ELSE 'available'::coupon_status END`,
      version: sql`${coupons.version} + 1`,
    })
    .where(
      and(
        eq(coupons.ownerPhone, phone),
        isNull(coupons.ownerUserId),
        eq(coupons.status, "pending"),
      ),
    )
    .returning();
}
