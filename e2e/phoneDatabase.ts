import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { connectPostgres } from "../db/client";
import { users } from "../db/schema";
import { DEMO_ACCOUNTS } from "../db/seed/demoData";
import { createCache } from "../server/cache";
import { env } from "../server/config/env";
import { grantCoupons } from "../server/marketing/couponGrants";

/**
 * The demo admin grants a coupon of `batchId` to a phone number through the marketing
 * service, on the e2e database: with no account holding the number, it waits as pending.
 */
export async function grantCouponToPhone(batchId: string, phone: string): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("the phone e2e helpers need DATABASE_URL (run through scripts/e2e.sh)");
  const handle = connectPostgres(url, 2);
  const cache = createCache(env());
  try {
    const [admin] = await handle.db
      .select()
      .from(users)
      .where(eq(users.email, DEMO_ACCOUNTS.admin));
    if (!admin) throw new Error("the demo admin is missing: was the e2e database seeded?");
    await grantCoupons(
      handle.db,
      { role: "admin", userId: admin.id },
      { batchId, recipients: [phone], grantKey: randomUUID() },
      new Date(),
      cache,
    );
  } finally {
    await cache.close();
    await handle.close();
  }
}
