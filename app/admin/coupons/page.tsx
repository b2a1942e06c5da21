import type { Metadata } from "next";
import { CouponBatchManager } from "../../_components/CouponBatchManager";

export const metadata: Metadata = { title: "Coupons" };

/** Platform coupon batches: create, monitor, pause/resume/retire, grant. */
export default function AdminCouponsPage() {
  return (
    <>
      <h1>Coupons</h1>
      <CouponBatchManager audience="admin" />
    </>
  );
}
