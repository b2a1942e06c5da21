import type { Metadata } from "next";
import { ReconciliationReport } from "../../_components/ReconciliationReport";

export const metadata: Metadata = { title: "Reconciliation" };

export default function ReconciliationPage() {
  return (
    <>
      <h1>Reconciliation</h1>
      <p className="muted">
        Every record of money checked against the others: account balances against the ledger,
        payments against the gateways' callbacks, paid orders against payments, teacher settlements
        against the lessons taken, payouts and refunds. The same job runs as{" "}
        <code>npm run reconcile</code>. Expected: no mismatches.
      </p>
      <ReconciliationReport />
    </>
  );
}
