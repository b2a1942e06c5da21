import { type SQL, sql } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { type Executor, queryRows } from "../../db/client";
import { DomainError } from "../domainError";
import { SLOT_MS, SLOTS_PER_DAY, slotOf } from "../inventory/slotBitmap";
import {
  localToday,
  slotsForWeeklyPattern,
  type WeeklyWindow,
} from "../inventory/weeklyAvailability";
import { ratingAverage } from "./rating";

export const SEARCH_PAGE_SIZE = 12;
export const SEARCH_SORTS = ["relevance", "rating", "price", "soonest"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** A validated search (server/api/routers/search.ts checks every field). */
export interface TeacherSearch {
  /** Free text: name, headline, subjects (incl. Chinese names), course titles, bio. */
  q?: string;
  subject?: string;
  /** Minor units per hour, over the current versions of active courses. */
  minPricePerHour?: number;
  maxPricePerHour?: number;
  /** Minimum average rating as shown (rounded to one decimal). */
  minRating?: number;
  language?: string;
  /** Has a free (published) half hour starting within this many days from now. */
  freeWithinDays?: number;
  /** …whose whole half hour lies in this daily window of the viewer's zone ("to" < "from": overnight). */
  timeOfDay?: { from: string; to: string; timeZone: string };
  /** Default: relevance with a text query, rating without. */
  sort?: SearchSort;
  cursor?: string | null;
  pageSize?: number;
}

export interface TeacherSearchHit {
  id: string;
  displayName: string;
  headline: string;
  photoUrl: string | null;
  languages: string[];
  subjects: string[];
  ratingAverage: number | null;
  ratingCount: number;
  /** Lowest current price per hour (within the price filter, when there is one). */
  pricePerHour: number | null;
  /** Start of the earliest free half hour from now (within the availability filter). */
  nextFreeAt: Date | null;
}

export interface TeacherSearchPage {
  items: TeacherSearchHit[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
  /** The sort applied (relevance falls back to rating without a text query). */
  sort: SearchSort;
  total: number;
}

/** A cursor carries the page's last sort key and id: keyset pagination, stable, no offset. */
interface Cursor {
  s: SearchSort;
  k: [number, number];
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decodeCursor(text: string, sort: SearchSort): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    value = null;
  }
  const c = value as Partial<Cursor> | null;
  const ok =
    c !== null &&
    typeof c === "object" &&
    c.s === sort &&
    Array.isArray(c.k) &&
    c.k.length === 2 &&
    c.k.every((n) => typeof n === "number" && Number.isFinite(n)) &&
    typeof c.id === "string" &&
    /^\d{1,19}$/.test(c.id);
  if (!ok) {
    throw new DomainError(
      "invalid",
      "This list has changed or the link is broken; search again",
      "cursor",
    );
  }
  return c as Cursor;
}

/**
 * `<%` (indexed) keeps word similarity ≥ 0.6, which lets "calc" match "calm"; the stricter
 * bound still lets "calc" find "calculus" (0.8) and "pyton" find "python" (0.67).
 */
const WORD_SIMILARITY = 0.65;

/** Sorts past every real key: teachers without a price or free time come last. */
const LAST = 2_147_483_647;
const ZERO_DAY = "0".repeat(SLOTS_PER_DAY * 2);
const EVERY_SLOT = "01".repeat(SLOTS_PER_DAY);

/** A mask selecting the low ("01") bit of the given slots: `free & mask` keeps only them. */
function lowBitMask(indices: Iterable<number>): string {
  const chars = ZERO_DAY.split("");
  for (const i of indices) chars[2 * i + 1] = "1";
  return chars.join("");
}

const slotNumber = (at: number) => Math.ceil(at / SLOT_MS);

/**
 * Per UTC day, the half hours that start at or after `now` and before `now + days`, and (with
 * a window) lie wholly inside the viewer's daily window, by the same rule as a teacher's
 * weekly pattern (server/inventory/weeklyAvailability.ts). Pure.
 */
export function availabilityMasks(
  now: Date,
  days: number,
  window?: { from: string; to: string; timeZone: string },
): { day: string; mask: string }[] {
  const first = slotNumber(now.getTime());
  const end = slotNumber(now.getTime() + days * 86_400_000);
  const byDay = new Map<string, number[]>();
  const add = (day: string, index: number) => {
    const list = byDay.get(day) ?? [];
    list.push(index);
    byDay.set(day, list);
  };
  if (!window) {
    for (let n = first; n < end; n++) {
      const { day, index } = slotOf(new Date(n * SLOT_MS));
      add(day, index);
    }
  } else {
    const pieces: [string, string][] =
      window.from < window.to
        ? [[window.from, window.to]]
        : ([
            [window.from, "24:00"],
            ["00:00", window.to],
          ].filter(([a, b]) => a !== b) as [string, string][]);
    const windows: WeeklyWindow[] = ([1, 2, 3, 4, 5, 6, 7] as const).flatMap((weekday) =>
      pieces.map(([start, end]) => ({ weekday, start, end })),
    );
    const fromLocal = Temporal.PlainDate.from(localToday(window.timeZone, now))
      .subtract({ days: 1 })
      .toString();
    const toLocal = localToday(window.timeZone, new Date(end * SLOT_MS));
    const covered = slotsForWeeklyPattern(windows, window.timeZone, fromLocal, toLocal);
    for (const [day, indices] of [...covered].sort(([a], [b]) => a.localeCompare(b))) {
      const dayStart = Date.parse(`${day}T00:00:00Z`) / SLOT_MS;
      for (const index of indices) {
        const n = dayStart + index;
        if (n >= first && n < end) add(day, index);
      }
    }
  }
  return [...byDay].map(([day, indices]) => ({ day, mask: lowBitMask(indices) }));
}

/** `free bits & mask` of teacher-day `td`: the "01" (published) slots the mask selects. */
const freeIn = (mask: SQL) => sql`(td.slots & ~(td.slots >> 1) & ${mask})`;
const noSlots = sql`${ZERO_DAY}::bit(96)`;
/** Slot number since the epoch (start = n × 30 min) of the first free slot in `freeIn(mask)`. */
const firstSlot = (mask: SQL) =>
  sql`(td.day - DATE '1970-01-01') * 48 + position(B'1' IN ${freeIn(mask)}) / 2 - 1`;

/**
 * The earliest free half hour of teacher `t`: from now on, or within the filter's masks.
 * Reads the teacher's days in order through the primary key and stops at the first hit.
 */
function nextFreeSlot(now: Date, masks: { day: string; mask: string }[] | null): SQL {
  if (masks === null) {
    const { day: today } = slotOf(new Date(slotNumber(now.getTime()) * SLOT_MS));
    const todayMask = lowBitMask(
      Array.from({ length: SLOTS_PER_DAY }, (_, i) => i).filter(
        (i) => Date.parse(`${today}T00:00:00Z`) + i * SLOT_MS >= now.getTime(),
      ),
    );
    const mask = sql`CASE WHEN td.day = ${today}::date THEN ${todayMask}::bit(96) ELSE ${EVERY_SLOT}::bit(96) END`;
    return sql`
      SELECT ${firstSlot(mask)} AS slot
      FROM teacher_days td
      WHERE td.teacher_id = t.id AND td.day >= ${today}::date AND ${freeIn(mask)} <> ${noSlots}
      ORDER BY td.day
      LIMIT 1`;
  }
  if (masks.length === 0) return sql`SELECT NULL::int AS slot`;
  const values = sql.join(
    masks.map((m) => sql`(${m.day}::date, ${m.mask}::bit(96))`),
    sql`, `,
  );
  const mask = sql`m.mask`;
  return sql`
    SELECT ${firstSlot(mask)} AS slot
    FROM teacher_days td
    JOIN (VALUES ${values}) AS m(day, mask) ON m.day = td.day
    WHERE td.teacher_id = t.id AND ${freeIn(mask)} <> ${noSlots}
    ORDER BY td.day
    LIMIT 1`;
}

/** "50%_off" → "%50\%\_off%": a literal substring for ILIKE. */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface Row extends Record<string, unknown> {
  id: string;
  display_name: string;
  headline: string;
  photo_url: string | null;
  languages: string[];
  subjects: string[];
  rating_count: number;
  rating_sum: number;
  price: number | null;
  next_slot: number | null;
  k1: number;
  k2: number;
  total: string | number;
}

/**
 * Approved teachers matching a text query and filters, one keyset page at a time. One SQL
 * query: Postgres full-text search (`simple` configuration) OR trigram similarity of the name
 * (misspellings) OR trigram word similarity / substring match on the lower-cased haystack
 * (partial words, and Chinese, which the parser does not split into words).
 */
export async function searchTeachers(
  db: Executor,
  search: TeacherSearch,
  now: Date = new Date(),
): Promise<TeacherSearchPage> {
  const pageSize = search.pageSize ?? SEARCH_PAGE_SIZE;
  const q = search.q?.trim().replace(/\s+/g, " ") || undefined;
  const sort: SearchSort =
    search.sort === undefined || (search.sort === "relevance" && !q)
      ? q
        ? "relevance"
        : "rating"
      : search.sort;
  const cursor = search.cursor ? decodeCursor(search.cursor, sort) : null;

  const conditions: SQL[] = [sql`t.status = 'approved'`];
  let rank: SQL = sql`0`;
  if (q) {
    const lowered = q.toLowerCase();
    const pattern = containsPattern(lowered);
    conditions.push(sql`(
      s.document @@ websearch_to_tsquery('simple', ${q})
      OR s.name % ${lowered}
      OR (${lowered} <% s.haystack AND word_similarity(${lowered}, s.haystack) > ${WORD_SIMILARITY})
      OR s.haystack ILIKE ${pattern}
    )`);
    rank = sql`(
      ts_rank(s.document, websearch_to_tsquery('simple', ${q}))
      + similarity(s.name, ${lowered})
      + 0.3 * word_similarity(${lowered}, s.haystack)
      + CASE WHEN s.name ILIKE ${pattern} THEN 0.5 WHEN s.haystack ILIKE ${pattern} THEN 0.1 ELSE 0 END
    )`;
  }
  if (search.subject) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM teacher_subjects ts WHERE ts.teacher_id = t.id AND ts.subject_slug = ${search.subject})`,
    );
  }
  if (search.minRating !== undefined) {
    conditions.push(
      sql`t.rating_count > 0 AND round(t.rating_sum::numeric / t.rating_count, 1) >= ${search.minRating}::numeric`,
    );
  }
  if (search.language) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM unnest(t.languages) AS l(name) WHERE lower(l.name) = lower(${search.language}))`,
    );
  }
  const priceRange: SQL[] = [];
  if (search.minPricePerHour !== undefined) {
    priceRange.push(sql` AND cv.price_per_hour >= ${search.minPricePerHour}::int`);
  }
  if (search.maxPricePerHour !== undefined) {
    priceRange.push(sql` AND cv.price_per_hour <= ${search.maxPricePerHour}::int`);
  }
  if (priceRange.length > 0) conditions.push(sql`p.price IS NOT NULL`);

  const freeWithinDays = search.freeWithinDays ?? (search.timeOfDay ? 7 : undefined);
  const masks =
    freeWithinDays === undefined ? null : availabilityMasks(now, freeWithinDays, search.timeOfDay);
  if (masks !== null) conditions.push(sql`nf.slot IS NOT NULL`);

  const bayes = sql`((t.rating_sum + 20)::float8 / (t.rating_count + 5))`;
  const [k1, k2] = {
    relevance: [sql`-(${rank})`, sql`-${bayes}`],
    rating: [sql`-${bayes}`, sql`-t.rating_count`],
    price: [sql`coalesce(p.price, ${LAST})`, sql`-${bayes}`],
    soonest: [sql`coalesce(nf.slot, ${LAST})`, sql`-${bayes}`],
  }[sort];

  const rows = await queryRows<Row>(
    db,
    sql`
    SELECT * FROM (
      SELECT t.id, t.display_name, t.headline, t.photo_url, t.languages, t.rating_count, t.rating_sum,
             (SELECT coalesce(array_agg(ts.subject_slug ORDER BY ts.subject_slug), '{}')
                FROM teacher_subjects ts WHERE ts.teacher_id = t.id) AS subjects,
             p.price, nf.slot AS next_slot,
             (${k1})::float8 AS k1, (${k2})::float8 AS k2,
             count(*) OVER () AS total
      FROM teachers t
      LEFT JOIN teacher_search s ON s.teacher_id = t.id
      LEFT JOIN LATERAL (
        SELECT min(cv.price_per_hour) AS price
        FROM courses c
        JOIN course_versions cv ON cv.course_id = c.id AND cv.version = c.current_version
        WHERE c.teacher_id = t.id AND c.status = 'active'${sql.join(priceRange)}
      ) p ON true
      LEFT JOIN LATERAL (${nextFreeSlot(now, masks)}) nf ON true
      WHERE ${sql.join(conditions, sql` AND `)}
    ) r
    ${
      cursor
        ? sql`WHERE (r.k1, r.k2, r.id) > (${cursor.k[0]}::float8, ${cursor.k[1]}::float8, ${cursor.id}::bigint)`
        : sql``
    }
    ORDER BY r.k1, r.k2, r.id
    LIMIT ${pageSize + 1}`,
  );

  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: String(r.id),
      displayName: r.display_name,
      headline: r.headline,
      photoUrl: r.photo_url,
      languages: r.languages,
      subjects: r.subjects,
      ratingAverage: ratingAverage(Number(r.rating_sum), Number(r.rating_count)),
      ratingCount: Number(r.rating_count),
      pricePerHour: r.price === null ? null : Number(r.price),
      nextFreeAt: r.next_slot === null ? null : new Date(Number(r.next_slot) * SLOT_MS),
    })),
    nextCursor:
      rows.length > pageSize && last
        ? encodeCursor({ s: sort, k: [Number(last.k1), Number(last.k2)], id: String(last.id) })
        : null,
    sort,
    total: rows.length > 0 ? Number(rows[0]!.total) : 0,
  };
}

/** Languages approved teachers teach in, for the search form. */
export async function listTeachingLanguages(db: Executor): Promise<string[]> {
  const rows = await queryRows<{ language: string }>(
    db,
    sql`SELECT DISTINCT l.name AS language
        FROM teachers t, unnest(t.languages) AS l(name)
        WHERE t.status = 'approved'
        ORDER BY 1`,
  );
  return rows.map((r) => r.language);
}
