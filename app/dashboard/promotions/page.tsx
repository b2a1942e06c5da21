import type { Metadata } from "next";
import Link from "next/link";
import { PromotionManager } from "../../_components/PromotionManager";

export const metadata: Metadata = { title: "Your promotions" };

/** A teacher's own promotions, paid for by the teacher, on their own courses. */
export default function TeacherPromotionsPage() {
  return (
    <div className="page">
      <p className="small">
        <Link href="/dashboard">← Dashboard</Link>
      </p>
      <h1>Your promotions</h1>
      <p className="muted">
        Discounts you fund on your own courses. Students see them on your studio page and get them
        at checkout.
      </p>
      <PromotionManager audience="teacher" />
    </div>
  );
}
