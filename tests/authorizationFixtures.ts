import { randomUUID } from "node:crypto";
import { deflateSync } from "node:zlib";
import { getDb } from "../db/client";
import type { AppSession } from "../server/identity/session";
import { transitionSlots } from "../server/inventory/transitionSlots";
import { requestRefund } from "../server/payment/requestRefund";
import { startPayment } from "../server/payment/startPayment";
import { bookLesson } from "../server/trade/lessonBooking";
import { newOrderId, placeOrder } from "../server/trade/placeOrder";
import { createTeacher, createUser, sessionOf } from "./fixtures";
import { insertCouponBatch, insertPromotion } from "./marketingFixtures";
import { createApplicant } from "./onboardingFixtures";
import { fundWallet, heldLesson } from "./paymentFixtures";
import { paidPackage } from "./refundFixtures";
import { createSellingTeacher, publish, slotFromNow } from "./tradeFixtures";

export const ROLES = [
  "anonymous",
  "student",
  "otherStudent",
  "teacher",
  "otherTeacher",
  "admin",
] as const;
export type MatrixRole = (typeof ROLES)[number];

const HOUR_MS = 3_600_000;

/**
 * Everything the authorisation matrix calls against: a teacher who owns a course, a calendar
 * with published time, a coupon batch and a promotion; a student who owns a paid package with
 * a booked lesson, an unpaid "book now" order and the payment; another student and another
 * teacher (with their own course) who own none of that; an admin; a pending refund; a
 * third user's teacher application waiting for review and a suspended teacher.
 */
export async function authorizationWorld() {
  const db = getDb();
  const seller = await createSellingTeacher({ minNoticeMinutes: 0 });
  const start = slotFromNow(48);
  await publish(seller.teacher.id, { start, slots: 16 });
  // Two published half hours locked, seven hours in (for unlocking).
  const locked = { start: new Date(start.getTime() + 7 * HOUR_MS), slots: 2 };
  await db.transaction((tx) => transitionSlots(tx, seller.teacher.id, locked, "lock"));
  const otherSeller = await createSellingTeacher();

  // The student's paid package (from the wallet) with one lesson booked from it.
  const paid = await paidPackage("wallet", { seller });
  const student = paid.student;
  const lesson = await bookLesson(db, student.id, { orderId: paid.order.id, start, slots: 2 });
  // The same student's unpaid "book now" order an hour later.
  const unpaid = await heldLesson(seller, new Date(start.getTime() + HOUR_MS), student);
  // And a second paid package of theirs with nothing booked (refundable as it stands).
  const untouched = await placeOrder(db, student.id, {
    orderId: newOrderId(),
    teacherId: seller.teacher.id,
    courseId: seller.courseId,
    purchase: { kind: "package", hours: 1 },
  });
  await fundWallet(student.id, untouched.order.payableAmount);
  await startPayment(db, student.id, {
    idempotencyKey: randomUUID(),
    orderIds: [untouched.order.id],
    method: "wallet",
    appUrl: "",
  });

  // A refund request waiting for an administrator (someone else's package of the same
  // teacher): asked a month after paying, so the cooling-off rule does not approve it at once.
  const refunded = await paidPackage("wallet", { seller, hours: 1 });
  const refund = await requestRefund(
    db,
    { role: "student", userId: refunded.student.id },
    { orderId: refunded.order.id, reason: "Changed plans" },
    new Date(Date.now() + 30 * 24 * HOUR_MS),
  );

  const admin = await createUser("admin", "Ada Admin");
  const otherStudent = await createUser("student", "Olly Other");

  const platformBatch = await insertCouponBatch({ createdBy: admin.id, public: true });
  const teacherBatch = await insertCouponBatch({
    createdBy: seller.user.id,
    funder: "teacher",
    teacherId: seller.teacher.id,
    scopeKind: "teachers",
    scopeIds: [seller.teacher.id],
  });
  const promotion = await insertPromotion({
    createdBy: seller.user.id,
    funder: "teacher",
    teacherId: seller.teacher.id,
    scopeKind: "courses",
    scopeIds: [seller.courseId],
  });

  // Teacher onboarding: someone else's application waiting for review, and a suspended
  // teacher (to reinstate). The certificate goes to PRIVATE_UPLOADS_DIR.
  const { application } = await createApplicant("Ann Applicant");
  const { teacher: suspendedTeacher } = await createTeacher({
    status: "suspended",
    displayName: "Sus Pended",
    courses: [],
  });

  const sessions: Record<MatrixRole, AppSession | null> = {
    anonymous: null,
    student: sessionOf(student),
    otherStudent: sessionOf(otherStudent),
    teacher: sessionOf(seller.user),
    otherTeacher: sessionOf(otherSeller.user),
    admin: sessionOf(admin),
  };

  return {
    sessions,
    seller,
    otherSeller,
    start,
    student,
    paidOrder: paid.order,
    paymentId: paid.paymentId,
    lesson,
    unpaidOrder: unpaid.order,
    packageOrder: untouched.order,
    refundId: refund.id,
    admin,
    otherStudent,
    platformBatch,
    teacherBatch,
    promotion,
    application,
    suspendedTeacher,
  };
}

export type AuthorizationWorld = Awaited<ReturnType<typeof authorizationWorld>>;

/** A real 2x2 RGB PNG (signature, IHDR, zlib-compressed IDAT and IEND, with CRCs). */
export function tinyPng(): Uint8Array<ArrayBuffer> {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.from([0, 15, 118, 110, 245, 158, 11, 0, 30, 41, 59, 255, 255, 255]);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", header),
      chunk("IDAT", deflateSync(rows)),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}
