import type { Metadata } from "next";
import { AdminPayouts } from "../../_components/AdminPayouts";

export const metadata: Metadata = { title: "Payouts" };

export default function AdminPayoutsPage() {
  return (
    <>
      <h1>Payouts</h1>
      <AdminPayouts />
    </>
  );
}
