import { asc, eq } from "drizzle-orm";
import { connectPostgres } from "../db/client";
import { gatewayCallbacks, paymentApplications, paymentItems, payments } from "../db/schema";

/** What the database holds about an order's payments, for the payment e2e spec. */
export async function paymentRecordsOf(orderId: string) {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("the payment e2e helpers need DATABASE_URL (run through scripts/e2e.sh)");
  const handle = connectPostgres(url, 1);
  try {
    const db = handle.db;
    const rows = await db
      .select({ id: payments.id, status: payments.status, failureReason: payments.failureReason })
      .from(payments)
      .innerJoin(paymentItems, eq(paymentItems.paymentId, payments.id))
      .where(eq(paymentItems.orderId, orderId))
      .orderBy(asc(payments.createdAt));
    return await Promise.all(
      rows.map(async (payment) => ({
        ...payment,
        applications: await db
          .select({ transactionId: paymentApplications.transactionId })
          .from(paymentApplications)
          .where(eq(paymentApplications.paymentId, payment.id)),
        callbacks: await db
          .select({ outcome: gatewayCallbacks.outcome })
          .from(gatewayCallbacks)
          .where(eq(gatewayCallbacks.paymentId, payment.id)),
      })),
    );
  } finally {
    await handle.close();
  }
}
