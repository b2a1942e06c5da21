import type { Metadata } from "next";
import { MyCoupons } from "../../_components/MyCoupons";
import { StudentAreaGate } from "../../_components/StudentAreaGate";

export const metadata: Metadata = { title: "Your coupons" };

/** The student's coupons by state, and a form to claim one by its code. */
export default function MyCouponsPage() {
  return (
    <div className="page">
      <h1>Your coupons</h1>
      <StudentAreaGate
        path="/me/coupons"
        purpose="see your coupons"
        forbidden="Coupons are for students: they take money off lessons."
      >
        <MyCoupons />
      </StudentAreaGate>
    </div>
  );
}
