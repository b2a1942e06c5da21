import type { Metadata } from "next";
import { AdminRefunds } from "../../_components/AdminRefunds";

export const metadata: Metadata = { title: "Refunds" };

/** The back office's refund desk; the data loads in the browser with the admin's session. */
export default function AdminRefundsPage() {
  return (
    <>
      <h1>Refunds</h1>
      <AdminRefunds />
    </>
  );
}
