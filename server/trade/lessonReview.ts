import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { orders, reviews, teachers } from "../../db/schema";
import { DomainError } from "../domainError";
import { lockLesson } from "./lessonRecords";
import { lessonOf } from "./tradeAccess";

export const REVIEW_BODY_MAX = 2000;

/**
 * A student's review of a lesson they took: one per completed lesson, 1–5 stars. The
 * teacher's rating aggregate moves in the same transaction; the caller revalidates the
 * studio page (catalog/teacherChanged) after commit.
 */
export async function reviewLesson(
  db: Database,
  studentId: string,
  input: { lessonId: string; rating: number; body: string },
): Promise<{ reviewId: string; teacherId: string }> {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) {
    throw new DomainError("invalid", "Rate from 1 to 5 stars", "rating");
  }
  const body = input.body.trim();
  if (body.length > REVIEW_BODY_MAX) {
    throw new DomainError("invalid", `Keep the review under ${REVIEW_BODY_MAX} characters`, "body");
  }
  return db.transaction(async (tx) => {
    // The lock serialises two submissions of the same review (double click, two tabs).
    const lesson = lessonOf(await lockLesson(tx, input.lessonId), { studentId });
    if (lesson.status !== "completed") {
      throw new DomainError(
        "conflict",
        "Lessons can be reviewed once they are completed",
        "lessonId",
      );
    }
    const [existing] = await tx
      .select({ id: reviews.id })
      .from(reviews)
      .where(eq(reviews.lessonId, lesson.id))
      .limit(1);
    if (existing) throw new DomainError("conflict", "You already reviewed this lesson", "lessonId");
    const [order] = await tx
      .select({ courseId: orders.courseId })
      .from(orders)
      .where(eq(orders.id, lesson.orderId))
      .limit(1);
    const [review] = await tx
      .insert(reviews)
      .values({
        teacherId: lesson.teacherId,
        studentId,
        courseId: order?.courseId ?? null,
        lessonId: lesson.id,
        rating: input.rating,
        body,
      })
      .returning({ id: reviews.id });
    await tx
      .update(teachers)
      .set({
        ratingCount: sql`${teachers.ratingCount} + 1`,
        ratingSum: sql`${teachers.ratingSum} + ${input.rating}`,
      })
      .where(and(eq(teachers.id, lesson.teacherId)));
    return { reviewId: review!.id, teacherId: lesson.teacherId };
  });
}
