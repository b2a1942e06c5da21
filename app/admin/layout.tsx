import Link from "next/link";
import type { ReactNode } from "react";

/** The back office: operations that need an administrator. Each page checks the role. */
export default function AdminLayout(props: { children: ReactNode }) {
  return (
    <div className="page">
      <nav aria-label="Administration" className="subnav">
        <Link href="/admin/refunds">Refunds</Link>
        <Link href="/admin/payouts">Payouts</Link>
        <Link href="/admin/reconciliation">Reconciliation</Link>
        <Link href="/admin/promotions">Promotions</Link>
        <Link href="/admin/coupons">Coupons</Link>
        <Link href="/admin/teachers">Teachers</Link>
      </nav>
      {props.children}
    </div>
  );
}
