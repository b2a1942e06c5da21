import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { connectPostgres } from "../db/client";
import { courses, courseVersions, users } from "../db/schema";
import { isCurrentVersion } from "../server/catalog/currentVersion";
import { platformAccount, walletAccount } from "../server/ledger/ledgerAccounts";
import { postTransaction } from "../server/ledger/postTransaction";
import { startPayment } from "../server/payment/startPayment";
import { newOrderId, placeOrder } from "../server/trade/placeOrder";

/**
 * Gives the signed-up student `name` a paid, untouched package of the teacher's first active
 * course, through the services: the wallet is topped up (clearing −x, wallet +x, as a top-up
 * posts), the package ordered and paid from the wallet. Returns the order id.
 */
export async function paidPackageFor(name: string, teacherId: string): Promise<string> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("the refund e2e helpers need DATABASE_URL (run through scripts/e2e.sh)");
  const handle = connectPostgres(url, 2);
  try {
    const db = handle.db;
    const [student] = await db.select().from(users).where(eq(users.name, name)).limit(2);
    if (!student) throw new Error(`no user named ${name}`);
    const [course] = await db
      .select({ id: courses.id, packageHours: courseVersions.packageHours })
      .from(courses)
      .innerJoin(courseVersions, isCurrentVersion)
      .where(and(eq(courses.teacherId, teacherId), eq(courses.status, "active")))
      .orderBy(asc(courses.id))
      .limit(1);
    if (!course) throw new Error(`teacher ${teacherId} sells no course`);
    const placed = await placeOrder(db, student.id, {
      orderId: newOrderId(),
      teacherId,
      courseId: course.id,
      purchase: { kind: "package", hours: Math.max(...course.packageHours) },
    });
    const { payableAmount: amount, currency } = placed.order;
    await db.transaction(async (tx) => {
      const clearing = await platformAccount(tx, "gateway_clearing", currency);
      const wallet = await walletAccount(tx, student.id, currency);
      await postTransaction(tx, {
        reference: { kind: "top_up", id: randomUUID(), purpose: "capture" },
        memo: "e2e top-up",
        lines: [
          { accountId: clearing.id, currency, amount: -amount },
          { accountId: wallet.id, currency, amount },
        ],
      });
    });
    const paid = await startPayment(db, student.id, {
      idempotencyKey: randomUUID(),
      orderIds: [placed.order.id],
      method: "wallet",
      appUrl: "",
    });
    if (paid.status !== "succeeded") throw new Error(`payment is ${paid.status}`);
    return placed.order.id;
  } finally {
    await handle.close();
  }
}
