import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { couponBatches, coupons } from "../../db/schema";
import { createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import { DomainError } from "../../server/domainError";
import type { AppSession } from "../../server/identity/session";
import { claimCoupon } from "../../server/marketing/claimCoupon";
import {
  type BatchActor,
  type BatchDraftInput,
  createBatch,
  setBatchStatus,
  updateBatch,
} from "../../server/marketing/couponBatches";
import { counterKey } from "../../server/marketing/couponCounter";
import { grantCoupons } from "../../server/marketing/couponGrants";
import { attachPhoneCoupons } from "../../server/marketing/phoneCoupons";
import { createUser, sessionOf } from "../fixtures";
import { insertCoupon, insertCouponBatch } from "../marketingFixtures";
import { createPaidPackage, createSellingTeacher } from "../tradeFixtures";

const DAY = 86_400_000;
const key = () => `key-${randomUUID()}`;

async function admin(): Promise<BatchActor> {
  const user = await createUser("admin", "Ada Admin");
  return { role: "admin", userId: user.id };
}

const draft = (over: Partial<BatchDraftInput> = {}): BatchDraftInput => ({
  title: "Five off",
  kind: "amount_off",
  amountOff: 500,
  percentBps: null,
  cap: null,
  scopeKind: "all",
  validFrom: null,
  validUntil: null,
  validDaysAfterClaim: 30,
  claimUntil: null,
  budgetCount: 10,
  budgetAmount: null,
  perUserLimit: 1,
  exclusive: false,
  public: true,
  ...over,
});

/** Rejects with a DomainError about `field` whose message matches `message`. */
async function rejects(promise: Promise<unknown>, field: string, message: RegExp | string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).field).toBe(field);
  expect((error as DomainError).message).toMatch(message);
}

async function batchRow(id: string) {
  const [row] = await getDb().select().from(couponBatches).where(eq(couponBatches.id, id));
  return row!;
}

const claim = (studentId: string, input: Parameters<typeof claimCoupon>[2]) =>
  claimCoupon(getDb(), studentId, input);

describe("creating batches", () => {
  it("an admin's batch is platform-funded with the scope asked for", async () => {
    const batch = await createBatch(
      getDb(),
      await admin(),
      draft({ scopeKind: "subjects", scopeIds: ["mathematics"], claimCode: "spring-26" }),
    );
    expect(batch).toMatchObject({
      funder: "platform",
      teacherId: null,
      scopeKind: "subjects",
      scopeIds: ["mathematics"],
      claimCode: "SPRING-26",
      status: "active",
    });
  });

  it("a teacher's batch is teacher-funded and limited to their own teaching", async () => {
    const mine = await createSellingTeacher();
    const other = await createSellingTeacher();
    const actor: BatchActor = { role: "teacher", userId: mine.user.id, teacherId: mine.teacher.id };
    const all = await createBatch(getDb(), actor, draft());
    expect(all).toMatchObject({
      funder: "teacher",
      teacherId: mine.teacher.id,
      scopeKind: "teachers",
      scopeIds: [mine.teacher.id],
    });
    const course = await createBatch(
      getDb(),
      actor,
      draft({ scopeKind: "courses", scopeIds: [mine.courseId] }),
    );
    expect(course.scopeIds).toEqual([mine.courseId]);
    await rejects(
      createBatch(getDb(), actor, draft({ scopeKind: "courses", scopeIds: [other.courseId] })),
      "scopeIds",
      /own courses/,
    );
  });

  it("validation names the field; claim codes are unique whatever the case", async () => {
    const actor = await admin();
    await rejects(
      createBatch(
        getDb(),
        actor,
        draft({ kind: "percent_off", amountOff: null, percentBps: 1000, budgetAmount: 5000 }),
      ),
      "cap",
      /money budget/,
    );
    await rejects(
      createBatch(
        getDb(),
        actor,
        draft({ kind: "free_trial", amountOff: null, budgetCount: null }),
      ),
      "budgetCount",
      /free trial/,
    );
    const code = `C${randomUUID().slice(0, 8)}`;
    await createBatch(getDb(), actor, draft({ claimCode: code.toLowerCase() }));
    await rejects(
      createBatch(getDb(), actor, draft({ claimCode: code.toUpperCase() })),
      "claimCode",
      /already uses/,
    );
  });
});

describe("editing, pausing, retiring", () => {
  it("budgets move but never below what was issued; a teacher edits only their own", async () => {
    const actor = await admin();
    const batch = await createBatch(getDb(), actor, draft({ budgetCount: 3, perUserLimit: 1 }));
    const a = await createUser();
    const b = await createUser();
    await claim(a.id, { batchId: batch.id, requestKey: key() });
    await claim(b.id, { batchId: batch.id, requestKey: key() });
    await rejects(
      updateBatch(getDb(), actor, batch.id, { budgetCount: 1 }),
      "budgetCount",
      /2 coupons/,
    );
    const raised = await updateBatch(getDb(), actor, batch.id, {
      budgetCount: 5,
      title: "Five off, more",
      perUserLimit: 2,
    });
    expect(raised).toMatchObject({
      budgetCount: 5,
      title: "Five off, more",
      perUserLimit: 2,
      version: 2,
    });
    await rejects(
      updateBatch(getDb(), actor, batch.id, { perUserLimit: 1 }),
      "perUserLimit",
      /raised/,
    );

    const teacher = await createSellingTeacher();
    await rejects(
      updateBatch(
        getDb(),
        { role: "teacher", userId: teacher.user.id, teacherId: teacher.teacher.id },
        batch.id,
        { title: "Mine now" },
      ),
      "batchId",
      /No such/,
    );
  });

  it("a paused batch takes no claims until resumed; retiring voids unused coupons", async () => {
    const actor = await admin();
    const batch = await createBatch(getDb(), actor, draft());
    const student = await createUser();
    await setBatchStatus(getDb(), actor, batch.id, "paused");
    await rejects(claim(student.id, { batchId: batch.id, requestKey: key() }), "batchId", /paused/);
    await setBatchStatus(getDb(), actor, batch.id, "active");
    const { coupon } = await claim(student.id, { batchId: batch.id, requestKey: key() });
    await grantCoupons(getDb(), actor, {
      batchId: batch.id,
      recipients: ["+447700900001"],
      grantKey: key(),
    });
    const { voided } = await setBatchStatus(getDb(), actor, batch.id, "retired");
    expect(voided).toBe(1);
    const [after] = await getDb().select().from(coupons).where(eq(coupons.id, coupon.id));
    expect(after!.status).toBe("void");
    // The phone's coupon has no owner to void it for; it arrives void when attached.
    const attached = await getDb().transaction((tx) =>
      attachPhoneCoupons(tx, student.id, "+447700900001"),
    );
    expect(attached.map((c) => c.status)).toEqual(["void"]);
    await rejects(setBatchStatus(getDb(), actor, batch.id, "active"), "status", /retired/);
    await rejects(claim(student.id, { batchId: batch.id, requestKey: key() }), "batchId", /ended/);
  });
});

describe("claiming", () => {
  it("issues a coupon with a readable code and the batch's validity, counted once per key", async () => {
    const batch = await createBatch(getDb(), await admin(), draft({ budgetCount: 2 }));
    const [a, b, c] = [await createUser(), await createUser(), await createUser()];
    const k = key();
    const first = await claim(a.id, { batchId: batch.id, requestKey: k });
    const again = await claim(a.id, { batchId: batch.id, requestKey: k });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.coupon.id).toBe(first.coupon.id);
    expect(first.coupon.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}$/);
    expect(first.coupon.validUntil.getTime() - first.coupon.validFrom.getTime()).toBe(30 * DAY);
    expect((await batchRow(batch.id)).issuedCount).toBe(1);
    // The retry gave its Redis unit back: the second student still gets the last coupon.
    await claim(b.id, { batchId: batch.id, requestKey: key() });
    await rejects(claim(c.id, { batchId: batch.id, requestKey: key() }), "batchId", /sold out/);
    // A retry after sell-out still reaches its coupon.
    expect((await claim(a.id, { batchId: batch.id, requestKey: k })).coupon.id).toBe(
      first.coupon.id,
    );
    expect((await batchRow(batch.id)).issuedCount).toBe(2);
  });

  it("the per-student limit: one, or at most N", async () => {
    const actor = await admin();
    const one = await createBatch(getDb(), actor, draft());
    const three = await createBatch(getDb(), actor, draft({ perUserLimit: 3 }));
    const student = await createUser();
    await claim(student.id, { batchId: one.id, requestKey: key() });
    await rejects(
      claim(student.id, { batchId: one.id, requestKey: key() }),
      "batchId",
      "You already have this coupon",
    );
    for (let i = 0; i < 3; i++) await claim(student.id, { batchId: three.id, requestKey: key() });
    await rejects(
      claim(student.id, { batchId: three.id, requestKey: key() }),
      "batchId",
      /at most 3 per student/,
    );
    expect((await batchRow(one.id)).issuedCount).toBe(1);
    expect((await batchRow(three.id)).issuedCount).toBe(3);
  });

  it("by claim code (any case), private batches only by code, closed claims refused", async () => {
    const actor = await admin();
    const code = `P${randomUUID().slice(0, 8)}`.toUpperCase();
    const hidden = await createBatch(getDb(), actor, draft({ public: false, claimCode: code }));
    const student = await createUser();
    await rejects(
      claim(student.id, { batchId: hidden.id, requestKey: key() }),
      "batchId",
      /No such/,
    );
    const byCode = await claim(student.id, { claimCode: code.toLowerCase(), requestKey: key() });
    expect(byCode.batch.id).toBe(hidden.id);
    await rejects(
      claim(student.id, { claimCode: "NOPE-NOPE", requestKey: key() }),
      "claimCode",
      /No coupon/,
    );

    const closed = await insertCouponBatch({ claimUntil: new Date(Date.now() - 1000) });
    await rejects(
      claim(student.id, { batchId: closed.id, requestKey: key() }),
      "batchId",
      /closed/,
    );
  });

  it("a money budget holds each coupon's largest discount", async () => {
    const batch = await createBatch(
      getDb(),
      await admin(),
      draft({
        kind: "percent_off",
        amountOff: null,
        percentBps: 2000,
        cap: 1500,
        budgetCount: null,
        budgetAmount: 4000,
      }),
    );
    const students = [await createUser(), await createUser(), await createUser()];
    await claim(students[0]!.id, { batchId: batch.id, requestKey: key() });
    await claim(students[1]!.id, { batchId: batch.id, requestKey: key() });
    await rejects(
      claim(students[2]!.id, { batchId: batch.id, requestKey: key() }),
      "batchId",
      /sold out/,
    );
    expect(await batchRow(batch.id)).toMatchObject({ issuedCount: 2, issuedAmount: 3000 });
  });

  it("Redis answers sold out without Postgres; a budget edit reseeds the counter", async () => {
    const actor = await admin();
    const batch = await createBatch(getDb(), actor, draft({ budgetCount: 1 }));
    const [a, b] = [await createUser(), await createUser()];
    await claim(a.id, { batchId: batch.id, requestKey: key() });
    // Raise the budget behind the service's back: the counter still says none are left.
    await getDb()
      .update(couponBatches)
      .set({ budgetCount: sql`${couponBatches.budgetCount} + 1` })
      .where(eq(couponBatches.id, batch.id));
    await rejects(claim(b.id, { batchId: batch.id, requestKey: key() }), "batchId", /sold out/);
    expect(await getCache().get<number>(counterKey(batch.id))).not.toBeNull();
    // Through the service, the counter is dropped and reseeded from Postgres.
    await updateBatch(getDb(), actor, batch.id, { budgetCount: 3 });
    await claim(b.id, { batchId: batch.id, requestKey: key() });
    expect((await batchRow(batch.id)).issuedCount).toBe(2);
  });
});

describe("the Redis counter", () => {
  const left = async (batchId: string) =>
    ((await getCache().get<number>(counterKey(batchId))) ?? Number.NaN) - 1e12;

  it("is seeded from Postgres, reseeds after expiry, and takes back refused claims' units", async () => {
    const batch = await createBatch(getDb(), await admin(), draft({ budgetCount: 5 }));
    const [a, b] = [await createUser(), await createUser()];
    await claim(a.id, { batchId: batch.id, requestKey: key() });
    expect(await left(batch.id)).toBe(4);
    // A refusal (the limit) gives its unit back.
    await rejects(claim(a.id, { batchId: batch.id, requestKey: key() }), "batchId", /already/);
    expect(await left(batch.id)).toBe(4);
    // Expired: the next decrement lands on a missing key, which is read as "not seeded".
    await getCache().del(counterKey(batch.id));
    await claim(b.id, { batchId: batch.id, requestKey: key() });
    expect(await left(batch.id)).toBe(3);
    expect((await batchRow(batch.id)).issuedCount).toBe(2);
  });
});

describe("grants", () => {
  it("to accounts by email and to phone numbers, idempotent per grant key", async () => {
    const actor = await admin();
    const batch = await createBatch(getDb(), actor, draft({ budgetCount: 3 }));
    const student = await createUser();
    const grantKey = key();
    const recipients = [student.email!.toUpperCase(), "+44 7700 900123"];
    const first = await grantCoupons(getDb(), actor, { batchId: batch.id, recipients, grantKey });
    expect(first.issued).toBe(2);
    expect(first.coupons.map((c) => [c.recipient, c.coupon.status])).toEqual([
      [student.email, "available"],
      ["+447700900123", "pending"],
    ]);
    expect(first.coupons[0]!.coupon.ownerUserId).toBe(student.id);
    const again = await grantCoupons(getDb(), actor, { batchId: batch.id, recipients, grantKey });
    expect(again.issued).toBe(0);
    expect(again.coupons.map((c) => c.coupon.id)).toEqual(first.coupons.map((c) => c.coupon.id));
    expect((await batchRow(batch.id)).issuedCount).toBe(2);

    // Over budget: all or nothing.
    await rejects(
      grantCoupons(getDb(), actor, {
        batchId: batch.id,
        recipients: ["+447700900201", "+447700900202"],
        grantKey: key(),
      }),
      "recipients",
      /budget does not cover 2/,
    );
    expect((await batchRow(batch.id)).issuedCount).toBe(2);
  });

  it("names the entry that is wrong; a teacher grants only from their own batch", async () => {
    const actor = await admin();
    const batch = await createBatch(getDb(), actor, draft());
    await rejects(
      grantCoupons(getDb(), actor, {
        batchId: batch.id,
        recipients: ["+447700900123", "not a phone"],
        grantKey: key(),
      }),
      "recipients.1",
      /Entry 2/,
    );
    await rejects(
      grantCoupons(getDb(), actor, {
        batchId: batch.id,
        recipients: [`${randomUUID()}@nobody.test`],
        grantKey: key(),
      }),
      "recipients.0",
      /No account/,
    );
    const teacher = await createSellingTeacher();
    await rejects(
      grantCoupons(
        getDb(),
        { role: "teacher", userId: teacher.user.id, teacherId: teacher.teacher.id },
        { batchId: batch.id, recipients: ["+447700900123"], grantKey: key() },
      ),
      "batchId",
      /No such/,
    );
  });

  it("attachPhoneCoupons moves a number's pending coupons to the account that verifies it", async () => {
    const actor = await admin();
    const phone = `+4477009${String(Math.floor(Math.random() * 100_000)).padStart(5, "0")}`;
    const b1 = await createBatch(getDb(), actor, draft());
    const b2 = await createBatch(getDb(), actor, draft());
    for (const b of [b1, b2]) {
      await grantCoupons(getDb(), actor, { batchId: b.id, recipients: [phone], grantKey: key() });
    }
    await grantCoupons(getDb(), actor, {
      batchId: b1.id,
      recipients: ["+15550001111"],
      grantKey: key(),
    });
    const student = await createUser();
    const attached = await getDb().transaction((tx) => attachPhoneCoupons(tx, student.id, phone));
    expect(attached).toHaveLength(2);
    expect(attached.every((c) => c.status === "available" && c.ownerUserId === student.id)).toBe(
      true,
    );
    // Nothing left to attach; the other number's coupon still waits.
    expect(await getDb().transaction((tx) => attachPhoneCoupons(tx, student.id, phone))).toEqual(
      [],
    );
    const mine = await createCaller({
      db: getDb(),
      cache: getCache(),
      session: sessionOf(student),
      requestId: "t",
    }).coupons.mine();
    expect(mine.available).toHaveLength(2);
  });
});

describe("the coupons router", () => {
  const caller = (session: AppSession | null) =>
    createCaller({ db: getDb(), cache: getCache(), session, requestId: "test" });

  it("campaign, claim, mine, and the monitoring figures", async () => {
    const adminUser = await createUser("admin", "Ada Admin");
    const api = caller(sessionOf(adminUser));
    const batch = await api.coupons.createBatch({
      title: "Welcome",
      kind: "amount_off",
      amountOff: 700,
      validDaysAfterClaim: 14,
      budgetCount: 5,
    });
    const campaign = await caller(null).coupons.campaign({ batchId: batch.id });
    expect(campaign).toMatchObject({ title: "Welcome", left: 5, claimable: true });

    const student = await createUser();
    const claimed = await caller(sessionOf(student)).coupons.claim({
      batchId: batch.id,
      requestKey: key(),
    });
    expect(claimed.created).toBe(true);
    const mine = await caller(sessionOf(student)).coupons.mine();
    expect(mine.available.map((c) => c.code)).toEqual([claimed.coupon.code]);
    await expect(
      caller(sessionOf(student)).coupons.claim({ batchId: batch.id, requestKey: key() }),
    ).rejects.toThrow("You already have this coupon");
    await expect(caller(sessionOf(student)).coupons.batches()).rejects.toThrow(
      /administrators and teachers/,
    );

    // A paid order that used a coupon of the batch counts as driven.
    const teacher = await createSellingTeacher();
    const { order } = await createPaidPackage(teacher, 10);
    const batchRowNow = await batchRow(batch.id);
    await insertCoupon(batchRowNow, order.studentId, {
      status: "used",
      orderId: order.id,
      usedAt: new Date(),
      discountAmount: 700,
    });
    const stats = (await api.coupons.batches()).find((b) => b.id === batch.id)!;
    expect(stats).toMatchObject({ issued: 1, left: 4, ordersDriven: 1 });
    expect(stats.revenueDriven).toBe(order.paidAmount);

    const paused = await api.coupons.setBatchStatus({ batchId: batch.id, status: "paused" });
    expect(paused.status).toBe("paused");
    expect((await caller(null).coupons.campaign({ batchId: batch.id })).claimable).toBe(false);
  });
});
