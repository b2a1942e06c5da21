import { createHash } from "node:crypto";
import type { Executor } from "../../db/client";
import type { KeyValueCache } from "../cache/port";
import { type ReadThroughOptions, readThrough } from "../cache/readThrough";
import { env } from "../config/env";
import { listFreeSlotsOfTeacher } from "../inventory/freeSlots";
import { getPriceCard } from "./priceCard";
import { teacherVersionKey } from "./teacherChanged";
import { getTeacherStudio } from "./teacherStudio";

/**
 * The hot public reads behind Redis (cache-aside, see README "Read path and caching"). Every
 * key embeds the teacher's version counter, so `markTeacherChanged` invalidates them all.
 */
export const READ_TTL_SECONDS = { summary: 300, prices: 60, slots: 15 } as const;

/** `availability.free` without `from` and with at most this many days is served from cache. */
export const CACHED_SLOT_DAYS = 14;

const DAY_MS = 86_400_000;

export type TeacherRead = "summary" | "prices" | "slots";

/**
 * `read:<database>:teacher:<id>:<read>`; readThrough appends `:v<version>`. The database part
 * keeps apps on different databases that share one Redis (staging and production, parallel
 * test runs with the same seeded ids) from reading each other's entries.
 */
export const teacherReadKey = (teacherId: string, read: TeacherRead) =>
  `read:${databaseNamespace()}:teacher:${teacherId}:${read}`;

/** Extra readThrough options (e.g. `onOutcome` for a benchmark) for the calls below. */
type Observe = Pick<ReadThroughOptions, "onOutcome">;

/** The studio data (`teachers.byId`). */
export function cachedTeacherStudio(
  db: Executor,
  cache: KeyValueCache,
  teacherId: string,
  observe: Observe = {},
) {
  return readThrough(
    cache,
    teacherReadKey(teacherId, "summary"),
    READ_TTL_SECONDS.summary,
    () => getTeacherStudio(db, teacherId),
    { ...observe, versionKey: teacherVersionKey(teacherId) },
  );
}

/** The live price card (`teachers.priceCard`). */
export function cachedPriceCard(
  db: Executor,
  cache: KeyValueCache,
  teacherId: string,
  observe: Observe = {},
) {
  return readThrough(
    cache,
    teacherReadKey(teacherId, "prices"),
    READ_TTL_SECONDS.prices,
    () => getPriceCard(db, teacherId),
    { ...observe, versionKey: teacherVersionKey(teacherId) },
  );
}

/**
 * Free slots (`availability.free`). The common call (from now, up to 14 days) reads one cached
 * list and filters it for the caller's `now` and `days`, so slots that started since the list
 * was cached are never returned. Anything else goes to Postgres.
 */
export async function cachedFreeSlots(
  db: Executor,
  cache: KeyValueCache,
  teacherId: string,
  options: { now: Date; from?: Date; days: number },
  observe: Observe = {},
): Promise<Date[]> {
  if (options.from !== undefined || options.days > CACHED_SLOT_DAYS) {
    return listFreeSlotsOfTeacher(db, teacherId, options);
  }
  const list = await readThrough(
    cache,
    teacherReadKey(teacherId, "slots"),
    READ_TTL_SECONDS.slots,
    // One day more than shown, so a list cached up to a ttl ago still reaches the caller's
    // horizon (now + 14 days).
    () => listFreeSlotsOfTeacher(db, teacherId, { now: new Date(), days: CACHED_SLOT_DAYS + 1 }),
    { ...observe, versionKey: teacherVersionKey(teacherId) },
  );
  const now = options.now.getTime();
  const horizon = now + options.days * DAY_MS;
  return list.filter((at) => at.getTime() > now && at.getTime() < horizon);
}

let namespace: { url: string; hash: string } | undefined;

/** A short hash of the database this process reads (host, port and name; no credentials). */
export function databaseNamespace(): string {
  const { DATABASE_URL, EMBEDDED_DATA_DIR } = env();
  const identity = DATABASE_URL
    ? (({ hostname, port, pathname }) => `${hostname}:${port}${pathname}`)(new URL(DATABASE_URL))
    : `embedded:${EMBEDDED_DATA_DIR}`;
  if (namespace?.url !== identity) {
    namespace = {
      url: identity,
      hash: createHash("sha256").update(identity).digest("hex").slice(0, 12),
    };
  }
  return namespace.hash;
}
