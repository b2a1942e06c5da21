import { and, eq, sql } from "drizzle-orm";
import type { Transaction } from "../../db/client";
import { lessons } from "../../db/schema";
import { DomainError } from "../domainError";
import { transitionSlots } from "../inventory/transitionSlots";
import { type LessonEvent, nextLessonStatus } from "./lessonStateMachine";

export type LessonRow = typeof lessons.$inferSelect;

type LessonChanges = Partial<
  Pick<
    LessonRow,
    | "startsAt"
    | "endsAt"
    | "hoursReturned"
    | "cancelledBy"
    | "cancelReason"
    | "cancelledAt"
    | "completedBy"
    | "completedAt"
  >
>;

const EVENT_WORDS: Record<LessonEvent, string> = {
  confirm: "confirmed",
  expire: "expired",
  cancel: "cancelled",
  reschedule: "rescheduled",
  complete: "completed",
  markNoShow: "marked as a no-show",
};

export async function lockLesson(tx: Transaction, lessonId: string): Promise<LessonRow | null> {
  const [row] = await tx.select().from(lessons).where(eq(lessons.id, lessonId)).for("update");
  return row ?? null;
}

/** Every lesson change: through the lesson state machine and a version compare-and-set. */
export async function updateLesson(
  tx: Transaction,
  lesson: LessonRow,
  event: LessonEvent,
  set: LessonChanges = {},
): Promise<LessonRow> {
  const status = nextLessonStatus(lesson.status, event);
  if (!status) {
    throw new DomainError(
      "conflict",
      `This lesson is ${lesson.status.replace("_", "-")}; it cannot be ${EVENT_WORDS[event]}`,
      "lessonId",
    );
  }
  const [row] = await tx
    .update(lessons)
    .set({
      ...set,
      status,
      rescheduleCount: event === "reschedule" ? sql`${lessons.rescheduleCount} + 1` : undefined,
      version: sql`${lessons.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(lessons.id, lesson.id), eq(lessons.version, lesson.version)))
    .returning();
  if (!row) {
    throw new DomainError(
      "conflict",
      "This lesson changed in the meantime; nothing was saved. Reload and try again.",
      "lessonId",
    );
  }
  return row;
}

/** Returns a lesson's slots to the teacher's published time. */
export async function releaseLessonSlots(
  tx: Transaction,
  lesson: { teacherId: string; startsAt: Date; slots: number },
): Promise<void> {
  await transitionSlots(
    tx,
    lesson.teacherId,
    { start: lesson.startsAt, slots: lesson.slots },
    "release",
  );
}
