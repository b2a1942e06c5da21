import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "../db/client";

/**
 * An independent check of the trade guarantees, straight in SQL over the tables (never
 * through the services it checks), for tests and benchmarks to run after a race:
 *
 * (a) no two live (held or booked) lessons of one teacher overlap, nor of one student;
 * (b) the teacher-day bits agree with the live lessons: every half hour a live lesson covers
 *     is reserved (`10`), and every reserved half hour is covered by exactly one live or taken
 *     (completed, no-show) lesson (in this app only lessons reserve slots);
 * (c) every order's counters add up: slots_booked = slots of its live lessons, slots_used =
 *     slots of its completed and no-show lessons plus lessons cancelled without returning
 *     the hours; booked + used ≤ bought; none negative.
 *
 * Half hours are worked out from epoch seconds (a UTC day is 48 of them, slot i of a day is
 * characters 2i+1..2i+2 of `slots::text`), so a lesson over midnight UTC is checked against
 * both of its days. `teacherIds` narrows (b) and the overlap check to some teachers.
 */
export interface TradeViolation {
  invariant:
    | "teacher_overlap"
    | "student_overlap"
    | "slot_not_reserved"
    | "reserved_slot"
    | "order_hours";
  detail: string;
}

const LIVE = sql`('held', 'booked')`;

export async function checkTradeInvariants(
  db: Executor,
  options: { teacherIds?: readonly string[] } = {},
): Promise<TradeViolation[]> {
  const teacherFilter = (column: ReturnType<typeof sql.raw>) =>
    options.teacherIds
      ? sql`AND ${column} = ANY(${`{${options.teacherIds.join(",")}}`}::bigint[])`
      : sql``;
  const violations: TradeViolation[] = [];

  // (a) Overlapping live lessons, per teacher and per student.
  for (const party of ["teacher", "student"] as const) {
    const column = sql.raw(`${party}_id`);
    const rows = await queryRows<{
      a: string;
      b: string;
      who: string;
      a_range: string;
      b_range: string;
    }>(
      db,
      sql`
        SELECT a.id::text AS a, b.id::text AS b, a.${column}::text AS who,
               tstzrange(a.starts_at, a.ends_at)::text AS a_range,
               tstzrange(b.starts_at, b.ends_at)::text AS b_range
        FROM lessons a
        JOIN lessons b
          ON b.${column} = a.${column} AND b.id > a.id
         AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
        WHERE a.status IN ${LIVE} AND b.status IN ${LIVE}
          ${teacherFilter(sql.raw("a.teacher_id"))}
        ORDER BY 1, 2`,
    );
    for (const r of rows) {
      violations.push({
        invariant: party === "teacher" ? "teacher_overlap" : "student_overlap",
        detail: `${party} ${r.who}: live lessons ${r.a} ${r.a_range} and ${r.b} ${r.b_range} overlap`,
      });
    }
  }

  // (b1) Every half hour of a live lesson is reserved on its teacher-day.
  const unreserved = await queryRows<{
    lesson: string;
    teacher: string;
    slot: string;
    state: string | null;
  }>(
    db,
    sql`
      WITH lesson_slots AS (
        SELECT l.id, l.teacher_id, h AS half_hour
        FROM lessons l,
             generate_series(extract(epoch FROM l.starts_at)::bigint / 1800,
                             extract(epoch FROM l.ends_at)::bigint / 1800 - 1) AS h
        WHERE l.status IN ${LIVE} ${teacherFilter(sql.raw("l.teacher_id"))}
      )
      SELECT ls.id::text AS lesson, ls.teacher_id::text AS teacher,
             to_timestamp(ls.half_hour * 1800)::text AS slot,
             substring(td.slots::text FROM (2 * (ls.half_hour % 48) + 1)::int FOR 2) AS state
      FROM lesson_slots ls
      LEFT JOIN teacher_days td
        ON td.teacher_id = ls.teacher_id AND td.day = date '1970-01-01' + (ls.half_hour / 48)::int
      WHERE td.slots IS NULL
         OR substring(td.slots::text FROM (2 * (ls.half_hour % 48) + 1)::int FOR 2) <> '10'
      ORDER BY 1, 3`,
  );
  for (const r of unreserved) {
    violations.push({
      invariant: "slot_not_reserved",
      detail: `lesson ${r.lesson} (teacher ${r.teacher}) covers ${r.slot}, whose state is ${r.state ?? "missing (no teacher-day row)"}, not 10`,
    });
  }

  // (b2) Every reserved half hour belongs to exactly one live or taken lesson.
  const reserved = await queryRows<{ teacher: string; slot: string; lessons: number }>(
    db,
    sql`
      WITH reserved AS (
        SELECT td.teacher_id, (td.day - date '1970-01-01')::bigint * 48 + i AS half_hour
        FROM teacher_days td, generate_series(0, 47) AS i
        WHERE substring(td.slots::text FROM 2 * i + 1 FOR 2) = '10'
          ${teacherFilter(sql.raw("td.teacher_id"))}
      )
      SELECT r.teacher_id::text AS teacher, to_timestamp(r.half_hour * 1800)::text AS slot,
             count(l.id)::int AS lessons
      FROM reserved r
      LEFT JOIN lessons l
        -- Completed and no-show lessons keep their (past) time reserved: sold and used.
        ON l.teacher_id = r.teacher_id AND l.status IN ('held', 'booked', 'completed', 'no_show')
       AND l.starts_at <= to_timestamp(r.half_hour * 1800)
       AND l.ends_at > to_timestamp(r.half_hour * 1800)
      GROUP BY r.teacher_id, r.half_hour
      HAVING count(l.id) <> 1
      ORDER BY 1, 2`,
  );
  for (const r of reserved) {
    violations.push({
      invariant: "reserved_slot",
      detail: `teacher ${r.teacher}: ${r.slot} is reserved but covered by ${r.lessons} live or taken lessons`,
    });
  }

  // (c) Hours per order.
  const orders = await queryRows<{
    id: string;
    bought: number;
    booked: number;
    used: number;
    live: number;
    consumed: number;
  }>(
    db,
    sql`
      SELECT o.id::text AS id, o.slots_bought::int AS bought, o.slots_booked::int AS booked,
             o.slots_used::int AS used, coalesce(x.live, 0)::int AS live,
             coalesce(x.consumed, 0)::int AS consumed
      FROM orders o
      LEFT JOIN (
        SELECT order_id,
               sum(slots) FILTER (WHERE status IN ${LIVE}) AS live,
               sum(slots) FILTER (
                 WHERE status IN ('completed', 'no_show')
                    OR (status = 'cancelled' AND hours_returned IS FALSE)
               ) AS consumed
        FROM lessons GROUP BY order_id
      ) x ON x.order_id = o.id
      WHERE o.slots_booked <> coalesce(x.live, 0)
         OR o.slots_used <> coalesce(x.consumed, 0)
         OR o.slots_booked < 0 OR o.slots_used < 0
         OR o.slots_booked + o.slots_used > o.slots_bought
      ORDER BY 1`,
  );
  for (const o of orders) {
    violations.push({
      invariant: "order_hours",
      detail:
        `order ${o.id}: bought ${o.bought}, booked ${o.booked} (live lessons ${o.live}), ` +
        `used ${o.used} (consumed by lessons ${o.consumed})`,
    });
  }
  return violations;
}

/** Throws, listing every violation (the first 50), when any invariant does not hold. */
export async function assertTradeInvariants(
  db: Executor,
  options: { teacherIds?: readonly string[] } = {},
): Promise<void> {
  const violations = await checkTradeInvariants(db, options);
  if (violations.length === 0) return;
  const lines = violations.slice(0, 50).map((v) => `  ${v.invariant}: ${v.detail}`);
  if (violations.length > 50) lines.push(`  … and ${violations.length - 50} more`);
  throw new Error(`trade invariants violated (${violations.length}):\n${lines.join("\n")}`);
}
