import type { Metadata } from "next";
import { StudentOrders } from "../../_components/StudentOrders";

export const metadata: Metadata = { title: "Your orders" };

export default function OrdersPage() {
  return (
    <div className="page">
      <h1>Your orders</h1>
      <p className="muted">Lessons and packages of hours you bought, and the hours left on each.</p>
      <StudentOrders />
    </div>
  );
}
