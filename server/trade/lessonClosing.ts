import type { Database, Transaction } from "../../db/client";
import { DomainError } from "../domainError";
import { settleConsumedLesson } from "../settlement/settleLesson";
import { cancellationReturnsHours, hasEnded } from "./bookingRules";
import { lockLessonWithOrder } from "./lessonBooking";
import { type LessonRow, releaseLessonSlots, updateLesson } from "./lessonRecords";
import { consumeOrderTime, type OrderRow, updateOrder } from "./orderRecords";
import { actsOn, lessonOf, partyOf, type TradeActor } from "./tradeAccess";
import { tradeSettings } from "./tradeSettings";
import { tradeTransaction } from "./tradeTransaction";

export interface CancelOutcome {
  lesson: LessonRow;
  order: OrderRow;
  hoursReturned: boolean;
}

/**
 * Cancels a booked lesson before it starts and frees its slots. A student cancelling at
 * least the window (24 h by default) ahead gets the hours back, later forfeits them (and the
 * teacher is paid for them); a teacher or admin cancelling always returns them and must say
 * why (shown to the student).
 */
export async function cancelLesson(
  db: Database,
  actor: TradeActor,
  input: { lessonId: string; reason?: string },
  now = new Date(),
): Promise<CancelOutcome> {
  const settings = tradeSettings();
  const reason = input.reason?.trim() ?? "";
  if (actor.role !== "student" && reason.length < 3) {
    throw new DomainError("invalid", "Tell the student why the lesson is cancelled", "reason");
  }
  return tradeTransaction(db, async (tx) => {
    const { order, lesson } = await lockLessonWithOrder(tx, input.lessonId);
    lessonOf(lesson, partyOf(actor));
    if (lesson.status !== "booked") {
      throw new DomainError(
        "conflict",
        `This lesson is ${lesson.status.replace("_", "-")}`,
        "lessonId",
      );
    }
    if (lesson.startsAt.getTime() <= now.getTime()) {
      throw new DomainError("conflict", "This lesson has already started", "lessonId");
    }
    const returned = cancellationReturnsHours(
      actor.role,
      lesson.startsAt,
      now,
      settings.studentCancelWindowHours,
    );
    const cancelled = await updateLesson(tx, lesson, "cancel", {
      cancelledBy: actor.role,
      cancelledAt: now,
      cancelReason: reason || null,
      hoursReturned: returned,
    });
    await releaseLessonSlots(tx, lesson);
    const after = returned
      ? await updateOrder(tx, order, { booked: -lesson.slots })
      : await consumeOrderTime(tx, order, lesson.slots, now);
    // Forfeited hours pay the teacher like a lesson taken.
    if (!returned) await settleConsumedLesson(tx, { lesson, orderBefore: order, now });
    return { lesson: cancelled, order: after, hoursReturned: returned };
  });
}

/**
 * Closes a lesson that has ended, as the teacher's settlement voucher: `completed`, or
 * `no_show` when the student did not come (the hours are used, and the teacher paid, either
 * way: server/settlement/settleLesson.ts). The sweep job
 * closes lessons nobody marked, as completed by the system, after the dispute window.
 */
export async function closeLesson(
  db: Database,
  actor: TradeActor | { role: "system" },
  input: { lessonId: string; outcome: "completed" | "no_show" },
  now = new Date(),
): Promise<LessonRow> {
  return tradeTransaction(db, (tx) => closeLessonIn(tx, actor, input, now));
}

async function closeLessonIn(
  tx: Transaction,
  actor: TradeActor | { role: "system" },
  input: { lessonId: string; outcome: "completed" | "no_show" },
  now: Date,
): Promise<LessonRow> {
  const { order, lesson } = await lockLessonWithOrder(tx, input.lessonId);
  if (actor.role === "student" || (actor.role === "teacher" && !actsOn(actor, lesson))) {
    throw new DomainError("not_found", "No such lesson", "lessonId");
  }
  if (lesson.status !== "booked") {
    throw new DomainError(
      "conflict",
      `This lesson is ${lesson.status.replace("_", "-")}`,
      "lessonId",
    );
  }
  if (!hasEnded(lesson.startsAt, lesson.slots, now)) {
    throw new DomainError("conflict", "A lesson can be marked once it has ended", "lessonId");
  }
  const closed = await updateLesson(
    tx,
    lesson,
    input.outcome === "completed" ? "complete" : "markNoShow",
    { completedBy: actor.role, completedAt: now },
  );
  await consumeOrderTime(tx, order, lesson.slots, now);
  await settleConsumedLesson(tx, { lesson, orderBefore: order, now });
  return closed;
}
