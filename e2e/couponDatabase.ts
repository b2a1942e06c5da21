import { eq } from "drizzle-orm";
import { connectPostgres } from "../db/client";
import { users } from "../db/schema";
import { DEMO_ACCOUNTS } from "../db/seed/demoData";
import { createBatch } from "../server/marketing/couponBatches";

/**
 * A platform coupon batch created by the demo admin through the marketing service, on the e2e
 * database: 5.00 off, 30 days after claim, one per student, a budget of 10 unless told.
 * Returns the batch id (its campaign page is /campaigns/<id>).
 */
export async function createCampaign(options: {
  title: string;
  claimCode?: string;
  perUserLimit?: number;
  budgetCount?: number;
}): Promise<string> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("the coupon e2e helpers need DATABASE_URL (run through scripts/e2e.sh)");
  const handle = connectPostgres(url, 2);
  try {
    const db = handle.db;
    const [admin] = await db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS.admin));
    if (!admin) throw new Error("the demo admin is missing: was the e2e database seeded?");
    const batch = await createBatch(
      db,
      { role: "admin", userId: admin.id },
      {
        title: options.title,
        description: "A welcome gift for new students.",
        kind: "amount_off",
        amountOff: 500,
        percentBps: null,
        cap: null,
        scopeKind: "all",
        validFrom: null,
        validUntil: null,
        validDaysAfterClaim: 30,
        claimUntil: null,
        budgetCount: options.budgetCount ?? 10,
        budgetAmount: null,
        perUserLimit: options.perUserLimit ?? 1,
        exclusive: false,
        public: true,
        claimCode: options.claimCode ?? null,
      },
    );
    return batch.id;
  } finally {
    await handle.close();
  }
}
