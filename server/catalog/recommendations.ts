import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "../../db/client";
import { SLOT_MS, SLOTS_PER_DAY } from "../inventory/slotBitmap";
import { ratingAverage } from "./rating";

export const RECOMMENDATIONS_LIMIT = 4;
/** A recommended teacher's lowest price lies within ±40 % of this teacher's lowest price. */
export const PRICE_BAND = 0.4;
/** "Free time soon": a published slot starting within this many days from now. */
export const FREE_WITHIN_DAYS = 7;
/** "Good ratings": Bayesian average (prior: five 4-star reviews) of at least this. */
export const MIN_BAYESIAN_RATING = 3.5;

const DAY_MS = SLOTS_PER_DAY * SLOT_MS;

/**
 * The teacher-days to look at for slots starting in [now, now + days), with a mask per day
 * that keeps the low bit ("01") of exactly the slots inside the window: the first day drops
 * slots that have started, the last day those at or after the horizon, days between keep all.
 * Pure.
 */
export function freeWindowMasks(now: Date, days: number) {
  const horizon = now.getTime() + days * DAY_MS;
  const firstDay = now.toISOString().slice(0, 10);
  const lastDay = new Date(horizon).toISOString().slice(0, 10);
  const maskOf = (day: string) => {
    const dayStart = Date.parse(`${day}T00:00:00Z`);
    let mask = "";
    for (let i = 0; i < SLOTS_PER_DAY; i++) {
      const start = dayStart + i * SLOT_MS;
      mask += start >= now.getTime() && start < horizon ? "01" : "00";
    }
    return mask;
  };
  return {
    firstDay,
    lastDay,
    firstMask: maskOf(firstDay),
    lastMask: maskOf(lastDay),
    fullMask: "01".repeat(SLOTS_PER_DAY),
  };
}

interface Row extends Record<string, unknown> {
  id: string | number | bigint;
  display_name: string;
  headline: string;
  photo_url: string | null;
  rating_count: number;
  rating_sum: number;
  from_price: number | string;
  subjects: string[];
  free_slots: number | string;
  score: number | string;
}

/**
 * "Students also look at": up to `limit` other approved teachers who share at least one of
 * this teacher's subjects, whose lowest current price is within ±40 % of this teacher's (any
 * price when this teacher has none), whose Bayesian rating is at least 3.5 and who have a free
 * (published) half hour starting in the next 7 days. One SQL statement.
 *
 * Ranked by a score, highest first (ties: more reviews, then id):
 *
 *   score = bayesian                        1–5   (ratingSum + 20) / (ratingCount + 5), as the
 *                                                 directory sorts: a prior of five 4★ reviews
 *         + 1.0 × price closeness           0–1   1 at the same price, 0 at the ±40 % edge
 *         + 0.5 × subject overlap           0–0.5 share of this teacher's subjects they teach
 *         + 0.5 × min(free slots, 20) / 20  0–0.5 ten free hours in the week count in full
 *
 * Rating dominates (a 0.5-star difference outweighs half the price band); price closeness
 * separates teachers rated alike; overlap and availability break near-ties.
 */
export async function recommendTeachers(
  db: Executor,
  teacherId: string,
  options: { now?: Date; limit?: number } = {},
) {
  const now = options.now ?? new Date();
  const limit = options.limit ?? RECOMMENDATIONS_LIMIT;
  const w = freeWindowMasks(now, FREE_WITHIN_DAYS);
  // The day's published slots: low bit set, high bit clear (see dayHasFreeSlot in
  // inventory/freeSlots.ts), restricted to the slots inside the window.
  const freeBits = sql`d.slots & ~(d.slots >> 1) & (CASE
      WHEN d.day = ${w.firstDay}::date THEN ${w.firstMask}
      WHEN d.day = ${w.lastDay}::date THEN ${w.lastMask}
      ELSE ${w.fullMask} END)::bit(96)`;
  const rows = await queryRows<Row>(
    db,
    sql`
    WITH me AS (
      SELECT t.id,
             (SELECT min(cv.price_per_hour)
                FROM courses c
                JOIN course_versions cv ON cv.course_id = c.id AND cv.version = c.current_version
               WHERE c.teacher_id = t.id AND c.status = 'active') AS price,
             ARRAY(SELECT ts.subject_slug FROM teacher_subjects ts WHERE ts.teacher_id = t.id)
               AS subjects
        FROM teachers t
       WHERE t.id = ${teacherId}
    ),
    candidate AS (
      SELECT DISTINCT ts.teacher_id AS id
        FROM me
        JOIN teacher_subjects ts ON ts.subject_slug = ANY (me.subjects)
       WHERE ts.teacher_id <> me.id
    ),
    scored AS (
      SELECT t.id, t.display_name, t.headline, t.photo_url, t.rating_count, t.rating_sum,
             price.lowest AS from_price,
             shared.names AS subjects,
             free.slots AS free_slots,
             (t.rating_sum + 20)::float8 / (t.rating_count + 5)
               + CASE WHEN me.price IS NULL THEN 0
                      ELSE 1.0 - abs(price.lowest - me.price)::float8 / (${PRICE_BAND}::float8 * me.price)
                 END
               + 0.5 * shared.n::float8 / greatest(cardinality(me.subjects), 1)
               + 0.5 * least(free.slots, 20)::float8 / 20 AS score
        FROM me
        CROSS JOIN candidate
        JOIN teachers t ON t.id = candidate.id AND t.status = 'approved'
        CROSS JOIN LATERAL (
          SELECT min(cv.price_per_hour) AS lowest
            FROM courses c
            JOIN course_versions cv ON cv.course_id = c.id AND cv.version = c.current_version
           WHERE c.teacher_id = t.id AND c.status = 'active'
        ) price
        CROSS JOIN LATERAL (
          SELECT array_agg(s.name ORDER BY s.sort_order) AS names, count(*) AS n
            FROM teacher_subjects ts
            JOIN subjects s ON s.slug = ts.subject_slug
           WHERE ts.teacher_id = t.id AND ts.subject_slug = ANY (me.subjects)
        ) shared
        CROSS JOIN LATERAL (
          SELECT coalesce(sum(bit_count(${freeBits})), 0)::int AS slots
            FROM teacher_days d
           WHERE d.teacher_id = t.id AND d.day BETWEEN ${w.firstDay}::date AND ${w.lastDay}::date
        ) free
       WHERE price.lowest IS NOT NULL
         AND (me.price IS NULL
              OR price.lowest BETWEEN me.price * ${1 - PRICE_BAND}::float8
                                  AND me.price * ${1 + PRICE_BAND}::float8)
         AND (t.rating_sum + 20)::float8 / (t.rating_count + 5) >= ${MIN_BAYESIAN_RATING}::float8
         AND free.slots > 0
    )
    SELECT * FROM scored
     ORDER BY score DESC, rating_count DESC, id
     LIMIT ${limit}::int`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    displayName: r.display_name,
    headline: r.headline,
    photoUrl: r.photo_url,
    ratingCount: Number(r.rating_count),
    ratingAverage: ratingAverage(Number(r.rating_sum), Number(r.rating_count)),
    fromPricePerHour: Number(r.from_price),
    subjects: r.subjects,
    freeSlots: Number(r.free_slots),
    score: Math.round(Number(r.score) * 1000) / 1000,
  }));
}

export type Recommendation = Awaited<ReturnType<typeof recommendTeachers>>[number];
