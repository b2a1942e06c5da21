import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { promotionsFor, usableCoupons } from "../../server/marketing/offerCandidates";
import { createUser } from "../fixtures";
import { insertCoupon, insertCouponBatch, insertPromotion } from "../marketingFixtures";
import { createSellingTeacher } from "../tradeFixtures";

const db = getDb();
const DAY = 86_400_000;

describe("promotions through the inverted index", () => {
  it("finds a course's promotions by course, teacher, subject and all; the rest stay out", async () => {
    const seller = await createSellingTeacher();
    const other = await createSellingTeacher();
    const target = {
      courseId: seller.courseId,
      teacherId: seller.teacher.id,
      subjectIds: ["mathematics"],
      currency: "USD",
    };
    const byCourse = await insertPromotion({ scopeKind: "courses", scopeIds: [seller.courseId] });
    const byTeacher = await insertPromotion({
      scopeKind: "teachers",
      scopeIds: [seller.teacher.id],
    });
    const bySubject = await insertPromotion({ scopeKind: "subjects", scopeIds: ["mathematics"] });
    const everywhere = await insertPromotion({ scopeKind: "all" });
    // Not for this course: another teacher, another subject, over, not started, paused,
    // another currency, out of stock.
    await insertPromotion({ scopeKind: "teachers", scopeIds: [other.teacher.id] });
    await insertPromotion({ scopeKind: "subjects", scopeIds: ["physics"] });
    const now = Date.now();
    await insertPromotion({ startsAt: new Date(now - 9 * DAY), endsAt: new Date(now - DAY) });
    await insertPromotion({ startsAt: new Date(now + DAY), endsAt: new Date(now + 9 * DAY) });
    await insertPromotion({ status: "paused" });
    await insertPromotion({ currency: "EUR" });
    await insertPromotion({ stockTotal: 2, stockUsed: 2 });

    const found = await promotionsFor(db, target, new Date());
    expect(found.map((p) => p.id).sort()).toEqual(
      [byCourse.id, byTeacher.id, bySubject.id, everywhere.id].sort(),
    );
  });

  it("drops a promotion the moment it ends, without any job", async () => {
    const seller = await createSellingTeacher();
    const target = {
      courseId: seller.courseId,
      teacherId: seller.teacher.id,
      subjectIds: [],
      // Its own currency: the platform-wide promotions of the test above stay out.
      currency: "JPY",
    };
    const endsAt = new Date(Date.now() + 60_000);
    const short = await insertPromotion({
      scopeKind: "courses",
      scopeIds: [seller.courseId],
      currency: "JPY",
      endsAt,
    });
    expect((await promotionsFor(db, target, new Date())).map((p) => p.id)).toEqual([short.id]);
    expect(await promotionsFor(db, target, endsAt)).toEqual([]);
  });
});

describe("usable coupons", () => {
  it("are the student's available, valid coupons of active batches in the currency", async () => {
    const student = await createUser("student");
    const batch = await insertCouponBatch();
    const good = await insertCoupon(batch, student.id);
    await insertCoupon(batch, student.id, {
      claimKey: "expired",
      validUntil: new Date(Date.now() - 1),
      validFrom: new Date(Date.now() - DAY),
    });
    await insertCoupon(batch, (await createUser("student")).id);
    const paused = await insertCouponBatch({ status: "paused" });
    await insertCoupon(paused, student.id);
    const euro = await insertCouponBatch({ currency: "EUR" });
    await insertCoupon(euro, student.id);
    const found = await usableCoupons(db, student.id, "USD", new Date());
    expect(found.map((c) => c.coupon.id)).toEqual([good.id]);
    expect(found[0]!.batch.id).toBe(batch.id);
  });
});
