import type { Metadata } from "next";
import Link from "next/link";
import { CouponBatchManager } from "../../_components/CouponBatchManager";

export const metadata: Metadata = { title: "Your coupons" };

/** A teacher's own coupon batches, funded by them, for their courses. */
export default function TeacherCouponsPage() {
  return (
    <div className="page">
      <p className="small">
        <Link href="/dashboard">← Dashboard</Link>
      </p>
      <h1>Your coupons</h1>
      <CouponBatchManager audience="teacher" />
    </div>
  );
}
