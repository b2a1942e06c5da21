import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connectPostgres, type DatabaseHandle, getDb, queryRows } from "../../db/client";
import { couponBatches, users } from "../../db/schema";
import { type ClosableCache, createCache, getCache, type KeyValueCache } from "../../server/cache";
import { DomainError } from "../../server/domainError";
import { claimCoupon } from "../../server/marketing/claimCoupon";
import {
  type BatchActor,
  type BatchDraftInput,
  createBatch,
} from "../../server/marketing/couponBatches";
import { grantCoupons } from "../../server/marketing/couponGrants";
import { CLOSED_URL } from "../cache/support";
import { createUser } from "../fixtures";

/**
 * Claims racing on real Postgres and Redis, through four "app instances": four pools of 8
 * connections (32 in all; the notes' ceiling is 40). Within an instance, claims of a batch
 * share group transactions (claimGroups); across instances the groups race for the batch
 * row's lock, the way several servers would.
 */
const INSTANCES = 4;
const POOL_PER_INSTANCE = 8;
let instances: DatabaseHandle[];
let actor: BatchActor;
beforeAll(async () => {
  instances = Array.from({ length: INSTANCES }, () =>
    connectPostgres(process.env.DATABASE_URL!, POOL_PER_INSTANCE),
  );
  actor = { role: "admin", userId: (await createUser("admin", "Ada Admin")).id };
});
afterAll(() => Promise.all(instances.map((i) => i.close())));
const instanceDb = (i: number) => instances[i % INSTANCES]!.db;

const draft = (over: Partial<BatchDraftInput> = {}): BatchDraftInput => ({
  title: "Race",
  kind: "amount_off",
  amountOff: 500,
  percentBps: null,
  cap: null,
  scopeKind: "all",
  validFrom: null,
  validUntil: null,
  validDaysAfterClaim: 30,
  claimUntil: null,
  budgetCount: null,
  budgetAmount: null,
  perUserLimit: 5,
  exclusive: false,
  public: true,
  ...over,
});

async function students(n: number): Promise<string[]> {
  const rows = await getDb()
    .insert(users)
    .values(
      Array.from({ length: n }, (_, i) => ({
        name: `Racer ${i}`,
        email: `${randomUUID()}@race.test`,
        role: "student" as const,
      })),
    )
    .returning({ id: users.id });
  return rows.map((r) => r.id);
}

/** Every claim's outcome: the coupon id, or the refusal's message. */
async function claimAll(
  batchId: string,
  claimers: string[],
  cache: KeyValueCache,
  keyOf: (i: number) => string = () => randomUUID(),
) {
  const results = await Promise.allSettled(
    claimers.map((studentId, i) =>
      claimCoupon(instanceDb(i), studentId, { batchId, requestKey: keyOf(i) }, new Date(), cache),
    ),
  );
  const issued = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.coupon.id] : []));
  const refusals = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  return { issued, refusals };
}

async function figures(batchId: string) {
  const [row] = await queryRows<{
    issued_count: number;
    issued_amount: number;
    coupons: number;
    budget_count: number | null;
    budget_amount: number | null;
  }>(
    getDb(),
    sql`SELECT b.issued_count, b.issued_amount, b.budget_count, b.budget_amount,
          (SELECT count(*)::int FROM coupons c WHERE c.batch_id = b.id) AS coupons
        FROM coupon_batches b WHERE b.id = ${batchId}`,
  );
  return row!;
}

/** Each refusal is the sold-out answer, a domain error about the batch. */
function expectAllSoldOut(refusals: unknown[]) {
  for (const r of refusals) {
    expect(r).toBeInstanceOf(DomainError);
    expect((r as DomainError).message).toBe("This coupon is sold out");
  }
}

const claimersOf = (ids: string[], each: number) =>
  ids.flatMap((id) => Array(each).fill(id) as string[]);

describe("coupon claims under concurrency", () => {
  it("2,000 concurrent claims from 400 students on a batch of 500 issue exactly 500", async () => {
    const batch = await createBatch(getDb(), actor, draft({ budgetCount: 500 }));
    const claimers = claimersOf(await students(400), 5);
    const { issued, refusals } = await claimAll(batch.id, claimers, getCache());
    expect(issued).toHaveLength(500);
    expect(new Set(issued).size).toBe(500);
    expect(refusals).toHaveLength(1_500);
    expectAllSoldOut(refusals);
    expect(await figures(batch.id)).toMatchObject({ issued_count: 500, coupons: 500 });
  });

  it("the same claim key retried 20 times at once issues one coupon", async () => {
    const batch = await createBatch(getDb(), actor, draft({ budgetCount: 2 }));
    const [student, other] = await students(2);
    const key = randomUUID();
    const { issued, refusals } = await claimAll(
      batch.id,
      Array(20).fill(student) as string[],
      getCache(),
      () => key,
    );
    expect(refusals).toEqual([]);
    expect(new Set(issued).size).toBe(1);
    expect(await figures(batch.id)).toMatchObject({ issued_count: 1, coupons: 1 });
    // The 19 retries gave their Redis units back: the last coupon is still there to claim.
    const last = await claimAll(batch.id, [other!], getCache());
    expect(last.issued).toHaveLength(1);
  });

  it("with Redis down, claims still issue exactly the budget (Postgres decides)", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const down: ClosableCache = createCache({ REDIS_URL: CLOSED_URL, CACHE_TIMEOUT_MS: 250 });
    try {
      const batch = await createBatch(getDb(), actor, draft({ budgetCount: 500 }));
      const claimers = claimersOf(await students(400), 5);
      const { issued, refusals } = await claimAll(batch.id, claimers, down);
      expect(issued).toHaveLength(500);
      expectAllSoldOut(refusals);
      expect(await figures(batch.id)).toMatchObject({ issued_count: 500, coupons: 500 });
    } finally {
      await down.close();
      warn.mockRestore();
    }
  });

  it("a money budget is never exceeded: each coupon holds its cap", async () => {
    // 20% off, capped at 15.00, from a 1,000.00 budget: 66 coupons hold 990.00.
    const batch = await createBatch(
      getDb(),
      actor,
      draft({
        kind: "percent_off",
        amountOff: null,
        percentBps: 2000,
        cap: 1500,
        budgetAmount: 100_000,
      }),
    );
    const { issued, refusals } = await claimAll(
      batch.id,
      claimersOf(await students(100), 3),
      getCache(),
    );
    expect(issued).toHaveLength(66);
    expectAllSoldOut(refusals);
    const after = await figures(batch.id);
    expect(after).toMatchObject({ issued_count: 66, issued_amount: 99_000, coupons: 66 });
    expect(after.issued_amount).toBeLessThanOrEqual(after.budget_amount!);
  });

  it("grants and claims racing on one batch share its budget exactly", async () => {
    const batch = await createBatch(getDb(), actor, draft({ budgetCount: 100 }));
    const claims = claimAll(batch.id, claimersOf(await students(60), 5), getCache());
    const grants = Promise.allSettled(
      Array.from({ length: 10 }, (_, g) =>
        grantCoupons(
          instanceDb(g),
          actor,
          {
            batchId: batch.id,
            recipients: Array.from(
              { length: 10 },
              (_, i) => `+1555${g}${String(i).padStart(6, "0")}`,
            ),
            grantKey: randomUUID(),
          },
          new Date(),
          getCache(),
        ),
      ),
    );
    const [claimed, granted] = await Promise.all([claims, grants]);
    const grantedCoupons = granted.reduce(
      (n, r) => n + (r.status === "fulfilled" ? r.value.issued : 0),
      0,
    );
    expect(claimed.issued.length + grantedCoupons).toBe(100);
    expect(await figures(batch.id)).toMatchObject({ issued_count: 100, coupons: 100 });
    const [row] = await getDb().select().from(couponBatches).where(eq(couponBatches.id, batch.id));
    expect(row!.issuedAmount).toBe(100 * 500);
  });
});
