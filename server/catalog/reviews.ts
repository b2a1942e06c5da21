import { and, desc, eq, lt, lte, or, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { reviews, teachers, users } from "../../db/schema";
import { DomainError } from "../domainError";
import { isSnowflakeId } from "../ids/snowflake";
import { reviewerDisplayName } from "./rating";

export const REVIEWS_PAGE_SIZE = 10;
export const REVIEWS_PAGE_MAX = 50;

/**
 * Where a page of reviews ends: the last review's `created_at` and id (keyset pagination,
 * newest first). The time is kept to the microsecond as Postgres stores it: a JS Date would
 * round it to the millisecond and skip or repeat reviews written in the same millisecond.
 */
export interface ReviewCursor {
  /** "2026-03-01T12:34:56.123456Z" */
  createdAt: string;
  id: string;
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Opaque to clients: base64url of "<time>|<id>". */
export function encodeReviewCursor(cursor: ReviewCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, "utf8").toString("base64url");
}

/** The cursor a previous page handed out, or a 400 naming `cursor`. */
export function decodeReviewCursor(value: string): ReviewCursor {
  const invalid = () =>
    new DomainError("invalid", "Expected a cursor from a previous page of reviews", "cursor");
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) throw invalid();
  const [createdAt, id, ...rest] = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || !createdAt || !id || !CURSOR_TIME.test(createdAt) || !isSnowflakeId(id)) {
    throw invalid();
  }
  // A well-formed but impossible time (month 13) would make Postgres fail with a 500.
  const millis = `${createdAt.slice(0, 23)}Z`;
  const parsed = new Date(millis);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString() !== millis) throw invalid();
  return { createdAt, id };
}

export interface ReviewPageQuery {
  teacherId: string;
  cursor?: string;
  limit?: number;
}

/**
 * One page of an approved teacher's reviews, newest first (`created_at`, then id, both
 * descending), and the cursor of the next page (null on the last one). Served by the index
 * on (teacher_id, created_at). Reviews of teachers who are not approved are not public: their
 * list is empty.
 */
export async function listReviews(db: Executor, query: ReviewPageQuery) {
  const limit = Math.min(Math.max(1, query.limit ?? REVIEWS_PAGE_SIZE), REVIEWS_PAGE_MAX);
  const after = query.cursor === undefined ? undefined : decodeReviewCursor(query.cursor);
  const at = after && sql`${after.createdAt}::timestamptz`;
  const rows = await db
    .select({
      id: reviews.id,
      rating: reviews.rating,
      body: reviews.body,
      createdAt: reviews.createdAt,
      position: sql<string>`to_char(${reviews.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      reviewerName: users.name,
    })
    .from(reviews)
    .innerJoin(teachers, and(eq(teachers.id, reviews.teacherId), eq(teachers.status, "approved")))
    .innerJoin(users, eq(users.id, reviews.studentId))
    .where(
      and(
        eq(reviews.teacherId, query.teacherId),
        after && at
          ? and(
              // The `<=` bound lets the index range scan start at the cursor.
              lte(reviews.createdAt, at),
              or(lt(reviews.createdAt, at), lt(reviews.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ reviewerName, position: _position, ...r }) => ({
      ...r,
      reviewer: reviewerDisplayName(reviewerName),
    })),
    nextCursor:
      rows.length > limit && last
        ? encodeReviewCursor({ createdAt: last.position, id: last.id })
        : null,
  };
}

export type ReviewPage = Awaited<ReturnType<typeof listReviews>>;
