import { eq, sql } from "drizzle-orm";
import { connectPostgres, type Database } from "../db/client";
import { orders } from "../db/schema";
import { markOrderPaid as payFromTopUp } from "../tests/moneyFixtures";

/**
 * Test-only database steps for the trade e2e specs, done through the services on the e2e
 * database. scripts/e2e.sh exports DATABASE_URL (and AUTH_SECRET, which signs sandbox
 * callbacks) to Playwright.
 */
async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("the trade e2e helpers need DATABASE_URL (run through scripts/e2e.sh)");
  const handle = connectPostgres(url, 1);
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/** Pays an order as a student would: a sandbox top-up of its price, then from the wallet. */
export function markOrderPaid(orderId: string): Promise<void> {
  return withDatabase(async (db) => {
    await payFromTopUp(orderId, db);
  });
}

/**
 * Moves an unpaid order's hold expiry to `seconds` from now, so a test can watch it lapse
 * without waiting the configured 15 minutes. A time fixture only: the status is untouched.
 */
export function shortenHold(orderId: string, seconds: number): Promise<void> {
  return withDatabase(async (db) => {
    const updated = await db
      .update(orders)
      .set({ holdExpiresAt: sql`now() + make_interval(secs => ${seconds})` })
      .where(eq(orders.id, orderId))
      .returning({ id: orders.id });
    if (updated.length !== 1) throw new Error(`no order ${orderId}`);
  });
}
