import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { courses, promotions, promotionUses } from "../../db/schema";
import { fieldErrorsOf } from "../../server/api/errors";
import { createCaller } from "../../server/api/root";
import { type ClosableCache, createCache, getCache } from "../../server/cache";
import type { AppSession } from "../../server/identity/session";
import { cachedPromotionsFor } from "../../server/marketing/cachedPromotions";
import { promotionsFor } from "../../server/marketing/offerCandidates";
import {
  changePromotionStatus,
  createPromotion,
  editPromotion,
  listPromotions,
  promotionAuthor,
  targetsOf,
} from "../../server/marketing/promotionEditing";
import {
  type CreatePromotionInput,
  createPromotionInput,
  type EditPromotionInput,
} from "../../server/marketing/promotionRules";
import { CLOSED_URL } from "../cache/support";
import { createUser, sessionOf } from "../fixtures";
import { insertCoupon, insertCouponBatch } from "../marketingFixtures";
import { createPaidPackage, createSellingTeacher } from "../tradeFixtures";

const DAY = 86_400_000;
const opened: ClosableCache[] = [];
afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
});

const callerFor = (session: AppSession | null, cache = getCache()) =>
  createCaller({ db: getDb(), cache, session, requestId: "test" });

async function failure(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, fields: Object.keys(fieldErrorsOf(error.cause) ?? {}) };
  }
  return { code: "ok", fields: [] as string[] };
}

async function admin() {
  const user = await createUser("admin", "Ada Admin");
  return { user, author: await promotionAuthor(getDb(), { role: "admin", userId: user.id }) };
}

const input = (values: Partial<Record<keyof CreatePromotionInput, unknown>>) =>
  createPromotionInput.parse({
    title: "Spring sale",
    kind: "percent_off",
    percentBps: 1000,
    scope: { kind: "all" },
    startsAt: new Date(Date.now() - DAY),
    endsAt: new Date(Date.now() + 10 * DAY),
    ...values,
  });

const editOf = (row: typeof promotions.$inferSelect, changes: Partial<EditPromotionInput>) => ({
  title: row.title,
  description: row.description,
  scope:
    row.scopeKind === "all"
      ? ({ kind: "all" } as const)
      : { kind: row.scopeKind, ids: row.scopeIds },
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  stockTotal: row.stockTotal,
  priority: row.priority,
  ...changes,
});

async function targetOf(courseId: string) {
  const [course] = await getDb().select().from(courses).where(eq(courses.id, courseId));
  return {
    courseId,
    teacherId: course!.teacherId,
    subjectIds: [course!.subjectSlug],
    currency: "USD",
  };
}

describe("promotion editing keeps the inverted index consistent", () => {
  it("create writes one row per scope id with the window; edit rewrites them; retire removes them", async () => {
    const db = getDb();
    const cache = getCache();
    const { author } = await admin();
    const seller = await createSellingTeacher();
    const created = await createPromotion(
      db,
      cache,
      author,
      input({ scope: { kind: "subjects", ids: ["mathematics", "physics", "mathematics"] } }),
    );
    expect(created.funder).toBe("platform");
    expect(
      (await targetsOf(db, created.id)).map((t) => [t.targetKind, t.targetId, t.endsAt]),
    ).toEqual([
      ["subjects", "mathematics", created.endsAt],
      ["subjects", "physics", created.endsAt],
    ]);

    const later = new Date(created.endsAt.getTime() + 5 * DAY);
    const edited = await editPromotion(
      db,
      cache,
      author,
      created.id,
      editOf(created, {
        scope: { kind: "courses", ids: [seller.courseId] },
        endsAt: later,
      }),
    );
    expect(edited.version).toBe(2);
    const rows = await targetsOf(db, created.id);
    expect(rows.map((t) => [t.targetKind, t.targetId, t.startsAt, t.endsAt])).toEqual([
      ["courses", seller.courseId, created.startsAt, later],
    ]);

    await changePromotionStatus(db, cache, author, created.id, "pause");
    expect(await targetsOf(db, created.id)).toHaveLength(1);
    const retired = await changePromotionStatus(db, cache, author, created.id, "retire");
    expect(retired.status).toBe("retired");
    expect(await targetsOf(db, created.id)).toEqual([]);
    await expect(
      editPromotion(db, cache, author, created.id, editOf(retired, { title: "Again" })),
    ).rejects.toMatchObject({ kind: "conflict" });
  });

  it("edits stay within the rules, with the field named; nothing is written when refused", async () => {
    const db = getDb();
    const cache = getCache();
    const { author } = await admin();
    const row = await createPromotion(db, cache, author, input({ stockTotal: 10 }));
    const refused = [
      [{ endsAt: new Date(row.endsAt.getTime() - DAY) }, "endsAt"],
      [{ startsAt: new Date(row.startsAt.getTime() + 1000) }, "startsAt"],
      [{ stockTotal: 5 }, "stockTotal"],
    ] as const;
    for (const [changes, field] of refused) {
      await expect(
        editPromotion(db, cache, author, row.id, editOf(row, changes)),
      ).rejects.toMatchObject({ kind: "invalid", field });
    }
    const [after] = await db.select().from(promotions).where(eq(promotions.id, row.id));
    expect(after).toEqual(row);
    expect((await targetsOf(db, row.id)).map((t) => t.endsAt)).toEqual([row.endsAt]);
  });

  it("teachers fund their own promotions, scoped to themselves or their own courses", async () => {
    const db = getDb();
    const cache = getCache();
    const seller = await createSellingTeacher();
    const other = await createSellingTeacher();
    const author = await promotionAuthor(db, {
      role: "teacher",
      userId: seller.user.id,
      teacherId: seller.teacher.id,
    });
    const own = await createPromotion(
      db,
      cache,
      author,
      input({ scope: { kind: "courses", ids: [seller.courseId] } }),
    );
    expect(own).toMatchObject({ funder: "teacher", teacherId: seller.teacher.id });
    for (const scope of [
      { kind: "all" },
      { kind: "subjects", ids: ["mathematics"] },
      { kind: "courses", ids: [other.courseId] },
      { kind: "teachers", ids: [other.teacher.id] },
    ]) {
      await expect(createPromotion(db, cache, author, input({ scope }))).rejects.toMatchObject({
        kind: "forbidden",
        field: "scope",
      });
    }
    // Another teacher cannot touch it.
    const stranger = await promotionAuthor(db, {
      role: "teacher",
      userId: other.user.id,
      teacherId: other.teacher.id,
    });
    await expect(changePromotionStatus(db, cache, stranger, own.id, "pause")).rejects.toMatchObject(
      { kind: "not_found" },
    );
    expect((await listPromotions(db, { teacherId: seller.teacher.id })).map((p) => p.id)).toEqual([
      own.id,
    ]);
  });
});

describe("promotionsFor through the index", () => {
  it("finds promotions by course, teacher, subject and all; drops ended ones without any job", async () => {
    const db = getDb();
    const cache = getCache();
    const { author } = await admin();
    const seller = await createSellingTeacher({ subjects: ["physics"] });
    const target = await targetOf(seller.courseId);
    const make = (title: string, scope: unknown, endsInDays = 10) =>
      createPromotion(
        db,
        cache,
        author,
        input({ title, scope, endsAt: new Date(Date.now() + endsInDays * DAY) }),
      );
    const byCourse = await make("By course", { kind: "courses", ids: [seller.courseId] });
    const byTeacher = await make("By teacher", { kind: "teachers", ids: [seller.teacher.id] }, 2);
    const bySubject = await make("By subject", { kind: "subjects", ids: ["physics"] });
    const other = await make("Other subject", { kind: "subjects", ids: ["chemistry"] });
    const found = (await promotionsFor(db, target, new Date())).map((p) => p.id);
    expect(found).toEqual(expect.arrayContaining([byCourse.id, byTeacher.id, bySubject.id]));
    expect(found).not.toContain(other.id);
    // Platform-wide promotions made by other tests of this file also apply: scope "all".
    const all = await make("Everything", { kind: "all" });
    expect((await promotionsFor(db, target, new Date())).map((p) => p.id)).toContain(all.id);

    // Three days on, the 2-day promotion has ended: gone, with nothing run in between.
    const later = new Date(Date.now() + 3 * DAY);
    const laterIds = (await promotionsFor(db, target, later)).map((p) => p.id);
    expect(laterIds).not.toContain(byTeacher.id);
    expect(laterIds).toContain(byCourse.id);
    // Before it starts, a future promotion is not found either.
    const future = await createPromotion(
      db,
      cache,
      author,
      input({
        scope: { kind: "courses", ids: [seller.courseId] },
        startsAt: new Date(Date.now() + DAY),
      }),
    );
    expect((await promotionsFor(db, target, new Date())).map((p) => p.id)).not.toContain(future.id);
    expect((await promotionsFor(db, target, later)).map((p) => p.id)).toContain(future.id);
  });
});

describe("cached promotions", () => {
  it("an edit, pause or resume shows on the next read; entries never outlive a promotion's end", async () => {
    const db = getDb();
    const cache = getCache();
    const { author } = await admin();
    const seller = await createSellingTeacher();
    const target = await targetOf(seller.courseId);
    const row = await createPromotion(
      db,
      cache,
      author,
      input({ title: "Cached", scope: { kind: "courses", ids: [seller.courseId] } }),
    );
    const titles = async (now = new Date()) =>
      (await cachedPromotionsFor(db, cache, target, now))
        .filter((p) => p.id === row.id)
        .map((p) => p.title);
    expect(await titles()).toEqual(["Cached"]);
    expect(await titles()).toEqual(["Cached"]); // from the cache now

    await editPromotion(db, cache, author, row.id, editOf(row, { title: "Renamed" }));
    expect(await titles()).toEqual(["Renamed"]);
    await changePromotionStatus(db, cache, author, row.id, "pause");
    expect(await titles()).toEqual([]);
    await changePromotionStatus(db, cache, author, row.id, "resume");
    expect(await titles()).toEqual(["Renamed"]);
    // The cached entry read at an instant past the end: the promotion is not returned.
    expect(await titles(new Date(row.endsAt.getTime() + 1))).toEqual([]);
  });

  it("Redis down: reads come from Postgres and writes still succeed", async () => {
    const db = getDb();
    const down = createCache({ REDIS_URL: CLOSED_URL, CACHE_TIMEOUT_MS: 100 });
    opened.push(down);
    const { author } = await admin();
    const seller = await createSellingTeacher();
    const target = await targetOf(seller.courseId);
    const row = await createPromotion(
      db,
      down,
      author,
      input({ title: "Offline", scope: { kind: "courses", ids: [seller.courseId] } }),
    );
    const read = async () =>
      (await cachedPromotionsFor(db, down, target, new Date())).map((p) => p.title);
    expect(await read()).toContain("Offline");
    await editPromotion(db, down, author, row.id, editOf(row, { title: "Still offline" }));
    expect(await read()).toContain("Still offline");
    expect(await read()).not.toContain("Offline");
    const price = await callerFor(null, down).marketing.price({
      courseId: seller.courseId,
      purchase: { kind: "package", hours: 10 },
    });
    expect(price.promotions.map((p) => p.title)).toContain("Still offline");
  });
});

describe("marketing.price over tRPC", () => {
  it("anonymous: list, the best promotion's line, payable, and the promotions running", async () => {
    const db = getDb();
    const cache = getCache();
    const seller = await createSellingTeacher();
    const author = await promotionAuthor(db, {
      role: "teacher",
      userId: seller.user.id,
      teacherId: seller.teacher.id,
    });
    const scope = { kind: "courses", ids: [seller.courseId] };
    const pack = await createPromotion(
      db,
      cache,
      author,
      input({
        title: "Big package",
        kind: "package_discount",
        percentBps: 2000,
        minHours: 10,
        scope,
      }),
    );
    const first = await createPromotion(
      db,
      cache,
      author,
      input({
        title: "Try me",
        kind: "first_lesson_price",
        price: 500,
        percentBps: undefined,
        scope,
      }),
    );
    const anon = callerFor(null);
    const ten = await anon.marketing.price({
      courseId: seller.courseId,
      purchase: { kind: "package", hours: 10 },
    });
    // Platform-wide promotions of other tests in this file may apply too; ours is 20 % off.
    expect(ten.listAmount).toBe(30_000);
    expect(ten.payable).toBeLessThanOrEqual(24_000);
    expect(ten.payable + ten.discountTotal).toBe(30_000);
    expect(ten.promotions.map((p) => p.words)).toEqual(
      expect.arrayContaining([
        "20% off packages of 10 h or more",
        "First lesson $5.00 for new students",
      ]),
    );
    expect(ten.promotions.map((p) => p.id)).toEqual(expect.arrayContaining([pack.id, first.id]));
    expect(ten.suggestedCoupon).toBeNull();

    const lesson = await anon.marketing.price({
      courseId: seller.courseId,
      purchase: { kind: "lesson", slots: 2 },
    });
    expect(lesson).toMatchObject({ listAmount: 3000, payable: 500 });
    expect(lesson.discounts).toEqual([
      { source: "promotion", id: first.id, title: "Try me", amount: 2500 },
    ]);
  });

  it("a student gets their coupon suggested, and no first-lesson price once they have paid the teacher", async () => {
    const db = getDb();
    const cache = getCache();
    const seller = await createSellingTeacher();
    const author = await promotionAuthor(db, {
      role: "teacher",
      userId: seller.user.id,
      teacherId: seller.teacher.id,
    });
    await createPromotion(
      db,
      cache,
      author,
      input({
        title: "Try me",
        kind: "first_lesson_price",
        price: 500,
        percentBps: undefined,
        scope: { kind: "courses", ids: [seller.courseId] },
        exclusive: true,
      }),
    );
    const fresh = await createUser("student", "Nora New");
    const batch = await insertCouponBatch({ title: "Ten off", amountOff: 1000 });
    const coupon = await insertCoupon(batch, fresh.id);
    const asFresh = callerFor(sessionOf(fresh));
    // New student, single lesson: the exclusive first-lesson price (5.00) beats the coupon.
    expect(
      await asFresh.marketing.price({
        courseId: seller.courseId,
        purchase: { kind: "lesson", slots: 2 },
      }),
    ).toMatchObject({ payable: 500, suggestedCoupon: null });
    // A package: the coupon is suggested.
    const pack = await asFresh.marketing.price({
      courseId: seller.courseId,
      purchase: { kind: "package", hours: 20 },
    });
    expect(pack.suggestedCoupon).toEqual({ id: coupon.id, title: "Ten off", amount: 1000 });

    // A student who already paid this teacher is not new: no first-lesson price.
    const { student } = await createPaidPackage(seller);
    const returning = await callerFor(sessionOf(student)).marketing.price({
      courseId: seller.courseId,
      purchase: { kind: "lesson", slots: 2 },
    });
    expect(returning.discounts.find((d) => d.title === "Try me")).toBeUndefined();
  });

  it("a student who used up a promotion's per-user limit is not offered it again", async () => {
    const db = getDb();
    const cache = getCache();
    const seller = await createSellingTeacher();
    const { author } = await admin();
    // Bought before the promotion exists (checkout would otherwise use it up at once).
    const { student, order } = await createPaidPackage(seller);
    const once = await createPromotion(
      db,
      cache,
      author,
      input({
        title: "Once each",
        kind: "amount_off",
        amountOff: 9000,
        percentBps: undefined,
        perUserLimit: 1,
        scope: { kind: "courses", ids: [seller.courseId] },
      }),
    );
    const before = await callerFor(sessionOf(student)).marketing.price({
      courseId: seller.courseId,
      purchase: { kind: "package", hours: 10 },
    });
    expect(before.discounts.map((d) => d.id)).toContain(once.id);
    await db.insert(promotionUses).values({
      promotionId: once.id,
      orderId: order.id,
      studentId: student.id,
      status: "consumed",
      discountAmount: 700,
    });
    const after = await callerFor(sessionOf(student)).marketing.price({
      courseId: seller.courseId,
      purchase: { kind: "package", hours: 10 },
    });
    expect(after.discounts.map((d) => d.id)).not.toContain(once.id);
    // The back office counts the use.
    const listed = (await listPromotions(db)).find((p) => p.id === once.id);
    expect(listed).toMatchObject({
      consumedOrders: 1,
      discountGiven: 700,
      revenueDriven: order.paidAmount,
    });
    expect(order.paidAmount).toBeGreaterThan(0);
  });

  it("rejects bad input naming the field; unknown courses are not found", async () => {
    const seller = await createSellingTeacher({
      courses: [{ title: "Packages only", pricePerHour: 3000, packageHours: [5, 10] }],
    });
    const anon = callerFor(null);
    expect(
      await failure(() =>
        anon.marketing.price({ courseId: "abc", purchase: { kind: "package", hours: 10 } }),
      ),
    ).toEqual({ code: "BAD_REQUEST", fields: ["courseId"] });
    expect(
      await failure(() =>
        anon.marketing.price({ courseId: seller.courseId, purchase: { kind: "lesson", slots: 9 } }),
      ),
    ).toEqual({ code: "BAD_REQUEST", fields: ["purchase.slots"] });
    expect(
      await failure(() =>
        anon.marketing.price({
          courseId: seller.courseId,
          purchase: { kind: "package", hours: 7 },
        }),
      ),
    ).toEqual({ code: "BAD_REQUEST", fields: ["purchase.hours"] });
    expect(
      await failure(() =>
        anon.marketing.price({ courseId: seller.courseId, purchase: { kind: "lesson", slots: 2 } }),
      ),
    ).toEqual({ code: "BAD_REQUEST", fields: ["purchase"] });
    expect(
      await failure(() =>
        anon.marketing.price({ courseId: "123456", purchase: { kind: "package", hours: 10 } }),
      ),
    ).toEqual({ code: "NOT_FOUND", fields: ["courseId"] });
  });

  it("the promotions router: roles, and create errors naming fields", async () => {
    const student = await createUser("student");
    const { user } = await admin();
    expect((await failure(() => callerFor(null).promotions.list())).code).toBe("UNAUTHORIZED");
    expect((await failure(() => callerFor(sessionOf(student)).promotions.list())).code).toBe(
      "FORBIDDEN",
    );
    const asAdmin = callerFor(sessionOf(user));
    const bad = await failure(() =>
      asAdmin.promotions.create({
        title: "x",
        kind: "package_discount",
        scope: { kind: "all" },
        startsAt: new Date(Date.now() + DAY),
        endsAt: new Date(),
      } as never),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.fields).toEqual(
      expect.arrayContaining(["title", "percentBps", "minHours", "endsAt"]),
    );
    const made = await asAdmin.promotions.create({
      title: "Via the API",
      kind: "amount_off",
      amountOff: 200,
      scope: { kind: "all" },
      startsAt: new Date(),
      endsAt: new Date(Date.now() + DAY),
    });
    expect((await asAdmin.promotions.list()).map((p) => p.id)).toContain(made.id);
    await asAdmin.promotions.setStatus({ promotionId: made.id, action: "retire" });
    expect(
      await failure(() => asAdmin.promotions.setStatus({ promotionId: made.id, action: "resume" })),
    ).toEqual({ code: "CONFLICT", fields: ["status"] });
  });
});
