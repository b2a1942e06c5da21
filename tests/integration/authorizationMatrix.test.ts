import { randomInt, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AnyProcedure } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { appRouter, createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import { getEditableProfile } from "../../server/catalog/teacherProfile";
import type { AppSession } from "../../server/identity/session";
import { newOrderId } from "../../server/trade/placeOrder";
import {
  type AuthorizationWorld,
  authorizationWorld,
  type MatrixRole,
  ROLES,
  tinyPng,
} from "../authorizationFixtures";
import { applicationFormData, usePrivateUploadsDir } from "../onboardingFixtures";
import { slotFromNow } from "../tradeFixtures";

/**
 * Issue 8, item 6: every tRPC procedure × every role, allowed or denied as this table says.
 * "deny" is UNAUTHORIZED for anonymous and FORBIDDEN or NOT_FOUND for a signed-in user (an
 * ownership failure answers not found, so ids are not revealed); "allow" is anything else —
 * success, or a domain error (CONFLICT, BAD_REQUEST) raised after the gate let the call in.
 */
type Outcome = "allow" | "deny";
type Row = Record<MatrixRole, Outcome>;

const A = "allow" as const;
const D = "deny" as const;
/** Roles in ROLES order: anonymous, student, otherStudent, teacher, otherTeacher, admin. */
const row = (...outcomes: Outcome[]): Row =>
  Object.fromEntries(ROLES.map((role, i) => [role, outcomes[i]!])) as Row;

const PUBLIC = row(A, A, A, A, A, A);
const SIGNED_IN = row(D, A, A, A, A, A);
const ANY_STUDENT = row(D, A, A, D, D, D);
const OWNING_STUDENT = row(D, A, D, D, D, D);
const ANY_TEACHER = row(D, D, D, A, A, D);
const OWNING_TEACHER = row(D, D, D, A, D, D);
const ADMIN = row(D, D, D, D, D, A);
/** Teachers their own, admins any (calendars, coupon batches, promotions). */
const MANAGERS = row(D, D, D, A, A, A);
const OWNING_TEACHER_OR_ADMIN = row(D, D, D, A, D, A);

const matrix: Record<string, Row> = {
  "account.signUp": PUBLIC,
  "account.me": SIGNED_IN,
  "account.overview": SIGNED_IN,
  // Allowed for everyone signed in; without a linked identity it answers CONFLICT after the gate.
  "account.unlinkSso": SIGNED_IN,
  "account.signOutEverywhere": SIGNED_IN,
  "account.emailStatus": SIGNED_IN,
  "account.resendVerification": SIGNED_IN,
  "account.requestPasswordReset": PUBLIC,
  "account.resetPassword": PUBLIC,
  "account.changePassword": SIGNED_IN,

  "availability.free": PUBLIC,
  "availability.week": OWNING_TEACHER_OR_ADMIN,

  "calendarFeed.get": SIGNED_IN,
  "calendarFeed.rotate": SIGNED_IN,
  "calendarFeed.revoke": SIGNED_IN,

  "coupons.claim": ANY_STUDENT,
  "coupons.mine": ANY_STUDENT,
  "coupons.campaign": PUBLIC,
  "coupons.batches": MANAGERS,
  "coupons.createBatch": MANAGERS,
  "coupons.updateBatch": OWNING_TEACHER_OR_ADMIN,
  "coupons.setBatchStatus": OWNING_TEACHER_OR_ADMIN,
  "coupons.grant": OWNING_TEACHER_OR_ADMIN,

  "courses.mine": ANY_TEACHER,
  "courses.versions": OWNING_TEACHER,
  "courses.create": ANY_TEACHER,
  "courses.update": OWNING_TEACHER,
  "courses.retire": OWNING_TEACHER,
  "courses.reactivate": OWNING_TEACHER,

  "lessons.book": OWNING_STUDENT,
  "lessons.reschedule": OWNING_STUDENT,
  "lessons.cancel": row(D, A, D, A, D, A),
  "lessons.close": OWNING_TEACHER,
  "lessons.review": OWNING_STUDENT,
  "lessons.timetable": row(D, A, A, A, A, D),

  "marketing.price": PUBLIC,

  "payments.start": OWNING_STUDENT,
  "payments.byId": OWNING_STUDENT,

  "phone.requestCode": PUBLIC,
  "phone.mine": SIGNED_IN,
  "phone.requestLinkCode": SIGNED_IN,
  "phone.link": SIGNED_IN,
  "phone.unlink": SIGNED_IN,

  "profile.get": ANY_TEACHER,
  "profile.update": ANY_TEACHER,
  "profile.uploadPhoto": ANY_TEACHER,

  "promotions.list": MANAGERS,
  "promotions.create": OWNING_TEACHER_OR_ADMIN,
  "promotions.edit": OWNING_TEACHER_OR_ADMIN,
  "promotions.setStatus": OWNING_TEACHER_OR_ADMIN,

  "reconciliation.run": ADMIN,
  "reconciliation.recent": ADMIN,

  "refunds.request": OWNING_STUDENT,
  "refunds.forOrder": row(D, A, D, A, D, A),
  "refunds.refundOrder": OWNING_TEACHER,
  "refunds.pending": ADMIN,
  "refunds.approve": ADMIN,
  "refunds.decline": ADMIN,

  "reviews.list": PUBLIC,

  "schedule.publish": OWNING_TEACHER_OR_ADMIN,
  "schedule.unpublish": OWNING_TEACHER_OR_ADMIN,
  "schedule.lock": OWNING_TEACHER_OR_ADMIN,
  "schedule.unlock": OWNING_TEACHER_OR_ADMIN,
  "schedule.applyPattern": OWNING_TEACHER_OR_ADMIN,

  "search.teachers": PUBLIC,
  "search.languages": PUBLIC,

  "settlement.earnings": ANY_TEACHER,
  "settlement.payoutRuns": ADMIN,
  "settlement.runPayouts": ADMIN,
  "settlement.commissions": ADMIN,
  "settlement.setCommission": ADMIN,

  "teachers.list": PUBLIC,
  "teachers.subjects": PUBLIC,
  "teachers.byId": PUBLIC,
  "teachers.priceCard": PUBLIC,
  "teachers.me": ANY_TEACHER,

  "teaching.submit": ANY_STUDENT,
  "teaching.mine": SIGNED_IN,

  "teacherAdmin.applications": ADMIN,
  "teacherAdmin.approve": ADMIN,
  "teacherAdmin.reject": ADMIN,
  "teacherAdmin.teachers": ADMIN,
  "teacherAdmin.suspend": ADMIN,
  "teacherAdmin.reinstate": ADMIN,

  "trade.newOrderId": ANY_STUDENT,
  "trade.quote": ANY_STUDENT,
  "trade.placeOrder": ANY_STUDENT,
  "trade.cancelOrder": OWNING_STUDENT,
  "trade.order": OWNING_STUDENT,
  "trade.myOrders": ANY_STUDENT,
  "trade.teacherOrder": OWNING_TEACHER,
  "trade.teacherOrders": ANY_TEACHER,

  "wallet.summary": ANY_STUDENT,
  "wallet.statement": ANY_STUDENT,
  "wallet.topUp": ANY_STUDENT,
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const at = (w: AuthorizationWorld, hours: number) => new Date(w.start.getTime() + hours * HOUR_MS);
const dateOf = (d: Date) => d.toISOString().slice(0, 10);
const purchase = { kind: "package", hours: 10 } as const;
const matrixPhone = () => `+1555${randomInt(1_000_000, 10_000_000)}`;

/**
 * A valid input per procedure, aimed at the OWNER's resources (the teacher's course, calendar,
 * batch and promotion; the student's orders, lesson and payment), so an "allow" is really let
 * in and a "deny" of the other student or teacher is an ownership refusal, not a bad input.
 * The role is passed for inputs that must differ per call (keys, emails, order ids).
 */
const inputs: Record<
  string,
  (w: AuthorizationWorld, role: MatrixRole) => unknown | Promise<unknown>
> = {
  "account.signUp": () => ({
    name: "New Person",
    email: `${randomUUID()}@test.halfhour.dev`,
    password: "correct horse battery staple",
  }),
  "account.requestPasswordReset": (w) => ({ email: w.student.email! }),
  // A well-formed token nobody was sent: let in, then refused as not valid (BAD_REQUEST).
  "account.resetPassword": () => ({ token: "A".repeat(43), password: "a new long password" }),
  // Fixture accounts have no password: let in, then refused on the current password.
  "account.changePassword": () => ({
    currentPassword: "not the password",
    newPassword: "a new long password",
  }),

  "availability.free": (w) => ({ teacherId: w.seller.teacher.id }),
  "availability.week": (w) => ({ teacherId: w.seller.teacher.id, weekStart: dateOf(w.start) }),

  "coupons.claim": (w) => ({ batchId: w.platformBatch.id, requestKey: randomUUID() }),
  "coupons.campaign": (w) => ({ batchId: w.platformBatch.id }),
  "coupons.createBatch": () => ({
    title: "Matrix batch",
    kind: "amount_off",
    amountOff: 100,
    validDaysAfterClaim: 30,
  }),
  "coupons.updateBatch": (w) => ({ batchId: w.teacherBatch.id, title: "Renamed batch" }),
  "coupons.setBatchStatus": (w) => ({ batchId: w.teacherBatch.id, status: "paused" }),
  "coupons.grant": (w) => ({
    batchId: w.teacherBatch.id,
    recipients: [w.student.email!],
    grantKey: randomUUID(),
  }),

  "courses.versions": (w) => ({ courseId: w.seller.courseId }),
  "courses.create": () => ({
    title: "Matrix course",
    description: "",
    level: "all",
    pricePerHour: 2500,
    packageHours: [1, 10],
    subject: "mathematics",
  }),
  "courses.update": (w) => ({
    courseId: w.seller.courseId,
    version: 1,
    title: "Conversation plus",
    description: "",
    level: "all",
    pricePerHour: 3000,
    packageHours: [1, 10, 20],
  }),
  "courses.retire": (w) => ({ courseId: w.seller.courseId }),
  "courses.reactivate": (w) => ({ courseId: w.seller.courseId }),

  "lessons.book": (w) => ({ orderId: w.paidOrder.id, start: at(w, 3), slots: 2 }),
  "lessons.reschedule": (w) => ({ lessonId: w.lesson.id, start: at(w, 4) }),
  "lessons.cancel": (w) => ({ lessonId: w.lesson.id, reason: "Something came up" }),
  "lessons.close": (w) => ({ lessonId: w.lesson.id, outcome: "completed" }),
  "lessons.review": (w) => ({ lessonId: w.lesson.id, rating: 5, body: "Great" }),
  "lessons.timetable": (w) => ({ from: at(w, -24), to: at(w, 24) }),

  "marketing.price": (w) => ({ courseId: w.seller.courseId, purchase }),

  "payments.start": (w) => ({
    idempotencyKey: randomUUID(),
    orderIds: [w.unpaidOrder.id],
    method: "gateway",
  }),
  "payments.byId": (w) => ({ paymentId: w.paymentId }),

  // A number of its own per call, so the per-number send limit never refuses one.
  "phone.requestCode": () => ({ phone: matrixPhone() }),
  "phone.requestLinkCode": () => ({ phone: matrixPhone() }),
  // No code was sent to it: the gate lets the caller in, the service refuses the code.
  "phone.link": () => ({ phone: matrixPhone(), code: "123456" }),

  "profile.update": async (w, role) => {
    const teacherId = (role === "otherTeacher" ? w.otherSeller : w.seller).teacher.id;
    const p = await getEditableProfile(getDb(), teacherId);
    return {
      displayName: p.displayName,
      headline: p.headline ?? "",
      bio: p.bio ?? "",
      subjects: p.subjects,
      languages: p.languages.length ? p.languages : ["English"],
      timeZone: p.timeZone,
    };
  },
  "profile.uploadPhoto": () => {
    const form = new FormData();
    form.set("photo", new File([tinyPng()], "photo.png", { type: "image/png" }));
    return form;
  },

  "promotions.create": (w) => ({
    title: "Matrix promotion",
    kind: "percent_off",
    percentBps: 1000,
    scope: { kind: "courses", ids: [w.seller.courseId] },
    startsAt: new Date(),
    endsAt: new Date(Date.now() + 7 * DAY_MS),
  }),
  // Each teacher names their own course, so the other teacher meets the ownership check on
  // the promotion itself, not the scope rule.
  "promotions.edit": (w, role) => ({
    promotionId: w.promotion.id,
    changes: {
      title: "Renamed promotion",
      description: "",
      scope: {
        kind: "courses",
        ids: [(role === "otherTeacher" ? w.otherSeller : w.seller).courseId],
      },
      startsAt: w.promotion.startsAt,
      endsAt: w.promotion.endsAt,
      stockTotal: null,
      priority: 0,
    },
  }),
  "promotions.setStatus": (w) => ({ promotionId: w.promotion.id, action: "pause" }),

  "refunds.request": (w) => ({ orderId: w.packageOrder.id, reason: "Moving away" }),
  "refunds.forOrder": (w) => ({ orderId: w.paidOrder.id }),
  "refunds.refundOrder": (w) => ({ orderId: w.packageOrder.id, reason: "Teacher leaving" }),
  "refunds.approve": (w) => ({ refundId: w.refundId }),
  "refunds.decline": (w) => ({ refundId: w.refundId, reason: "Hours were used" }),

  "reviews.list": (w) => ({ teacherId: w.seller.teacher.id }),

  "schedule.publish": (w) => ({ teacherId: w.seller.teacher.id, start: at(w, 24), slots: 2 }),
  "schedule.unpublish": (w) => ({ teacherId: w.seller.teacher.id, start: at(w, 6), slots: 2 }),
  "schedule.lock": (w) => ({ teacherId: w.seller.teacher.id, start: at(w, 6), slots: 2 }),
  "schedule.unlock": (w) => ({ teacherId: w.seller.teacher.id, start: at(w, 7), slots: 2 }),
  "schedule.applyPattern": (w) => ({
    teacherId: w.seller.teacher.id,
    windows: [{ weekday: 1, start: "09:00", end: "12:00" }],
    from: dateOf(slotFromNow(24 * 10)),
    to: dateOf(slotFromNow(24 * 17)),
    dryRun: true,
  }),

  "search.teachers": () => ({}),

  "settlement.setCommission": (w) => ({ teacherId: w.seller.teacher.id, percent: 20 }),

  "teachers.list": () => ({}),
  "teachers.byId": (w) => ({ id: w.seller.teacher.id }),
  "teachers.priceCard": (w) => ({ id: w.seller.teacher.id }),

  "teaching.submit": () => applicationFormData(),

  "teacherAdmin.applications": () => ({ status: "submitted" }),
  "teacherAdmin.approve": (w) => ({ applicationId: w.application.id }),
  "teacherAdmin.reject": (w) => ({ applicationId: w.application.id, reason: "No certificate" }),
  "teacherAdmin.teachers": () => ({}),
  "teacherAdmin.suspend": (w) => ({ teacherId: w.seller.teacher.id, reason: "Complaints" }),
  "teacherAdmin.reinstate": (w) => ({ teacherId: w.suspendedTeacher.id }),

  "trade.quote": (w) => ({ teacherId: w.seller.teacher.id, courseId: w.seller.courseId, purchase }),
  "trade.placeOrder": (w) => ({
    orderId: newOrderId(),
    teacherId: w.seller.teacher.id,
    courseId: w.seller.courseId,
    purchase,
  }),
  "trade.cancelOrder": (w) => ({ orderId: w.unpaidOrder.id }),
  "trade.order": (w) => ({ orderId: w.paidOrder.id }),
  "trade.teacherOrder": (w) => ({ orderId: w.paidOrder.id }),

  "wallet.statement": () => ({}),
  "wallet.topUp": () => ({ idempotencyKey: randomUUID(), amount: 2000, currency: "USD" }),
};

/** The flat path → procedure record tRPC v11 keeps on every router. */
const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
const paths = Object.keys(procedures).sort();

const DENIED = new Set(["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"]);

async function call(
  session: AppSession | null,
  path: string,
  input: unknown,
): Promise<{ code: string; message: string }> {
  const caller = createCaller({ db: getDb(), cache: getCache(), session, requestId: "matrix" });
  const [namespace, name] = path.split(".") as [string, string];
  const fn = (
    caller as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>
  )[namespace]![name]!;
  try {
    await fn(input);
    return { code: "OK", message: "" };
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
}

function expectOutcome(
  role: MatrixRole,
  expected: Outcome,
  got: { code: string; message: string },
) {
  const seen = `${got.code}${got.message ? ` (${got.message})` : ""}`;
  if (expected === "allow") {
    expect(DENIED.has(got.code), `expected the gate to let ${role} in, got ${seen}`).toBe(false);
  } else if (role === "anonymous") {
    expect(got.code, `expected anonymous to be asked to sign in, got ${seen}`).toBe("UNAUTHORIZED");
  } else {
    expect(["FORBIDDEN", "NOT_FOUND"], `expected ${role} to be refused, got ${seen}`).toContain(
      got.code,
    );
  }
}

describe("authorisation matrix", () => {
  it("has exactly one row per procedure of the app router", () => {
    const listed = new Set(Object.keys(matrix));
    const missing = paths.filter((p) => !listed.has(p));
    const removed = [...listed].filter((p) => !(p in procedures));
    expect(missing, `procedures with no row in the matrix: ${missing.join(", ")}`).toEqual([]);
    expect(
      removed,
      `matrix rows for procedures that no longer exist: ${removed.join(", ")}`,
    ).toEqual([]);
    const strayInputs = Object.keys(inputs).filter((p) => !(p in procedures));
    expect(strayInputs, `inputs for unknown procedures: ${strayInputs.join(", ")}`).toEqual([]);
  });

  // Queries and refusals change nothing: they share one world. A mutation a role is allowed
  // to make gets a world of its own, so it cannot change what the next role sees.
  let shared: AuthorizationWorld;
  let uploadsDir: string;
  let privateUploads: Awaited<ReturnType<typeof usePrivateUploadsDir>>;
  beforeAll(async () => {
    uploadsDir = await mkdtemp(path.join(tmpdir(), "halfhour-matrix-uploads-"));
    process.env.UPLOADS_DIR = uploadsDir;
    privateUploads = await usePrivateUploadsDir();
    shared = await authorizationWorld();
  });
  afterAll(async () => {
    delete process.env.UPLOADS_DIR;
    await rm(uploadsDir, { recursive: true, force: true });
    await privateUploads.restore();
  });

  const cases = paths
    .filter((path) => matrix[path])
    .flatMap((path) =>
      ROLES.map((role) => ({ path, role, expected: matrix[path]![role] as Outcome })),
    );

  // Lists answer "allow" to everyone of the role; what they must not do is show someone else's.
  it("lists show the owner their rows and the other student or teacher none of them", async () => {
    const w = shared;
    const text = (value: unknown) =>
      JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    const listed = async (role: MatrixRole, path: string, input?: unknown) => {
      const caller = createCaller({
        db: getDb(),
        cache: getCache(),
        session: w.sessions[role],
        requestId: "matrix",
      });
      const [namespace, name] = path.split(".") as [string, string];
      const fn = (
        caller as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>
      )[namespace]![name]!;
      return text(await fn(input));
    };
    const window = { from: at(w, -24), to: at(w, 24) };
    const checks: [string, unknown, string, MatrixRole, MatrixRole][] = [
      ["trade.myOrders", undefined, w.paidOrder.id, "student", "otherStudent"],
      ["lessons.timetable", window, w.lesson.id, "student", "otherStudent"],
      ["lessons.timetable", window, w.lesson.id, "teacher", "otherTeacher"],
      ["trade.teacherOrders", undefined, w.paidOrder.id, "teacher", "otherTeacher"],
      ["courses.mine", undefined, w.seller.courseId, "teacher", "otherTeacher"],
      ["coupons.batches", undefined, w.teacherBatch.id, "teacher", "otherTeacher"],
      ["promotions.list", undefined, w.promotion.id, "teacher", "otherTeacher"],
    ];
    for (const [path, input, id, owner, other] of checks) {
      expect(await listed(owner, path, input), `${path} for ${owner}`).toContain(id);
      expect(await listed(other, path, input), `${path} for ${other}`).not.toContain(id);
    }
  });

  it.each(cases)("$path × $role → $expected", async ({ path, role, expected }) => {
    const mutates = procedures[path]!._def.type !== "query";
    const world = mutates && expected === "allow" ? await authorizationWorld() : shared;
    const input = await inputs[path]?.(world, role);
    expectOutcome(role, expected, await call(world.sessions[role], path, input));
  });
});
