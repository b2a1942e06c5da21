import { eq } from "drizzle-orm";
import superjson, { type SuperJSONResult } from "superjson";
import { Temporal } from "temporal-polyfill";
import { afterAll, describe, expect, it, vi } from "vitest";
import { getDb } from "../../db/client";
import { courses, courseVersions, teacherDays } from "../../db/schema";
import { handleTrpcRequest, publicCacheControl } from "../../server/api/httpHandler";
import { type ClosableCache, createCache, getCache } from "../../server/cache";
import { type ReadOutcome, readThrough, readVersion } from "../../server/cache/readThrough";
import { cachedFreeSlots, cachedPriceCard } from "../../server/catalog/cachedReads";
import { markTeacherChanged, teacherVersionKey } from "../../server/catalog/teacherChanged";
import type { AppSession } from "../../server/identity/session";
import {
  CLOSED_URL,
  deleteByPrefix,
  REDIS_URL,
  rawClient,
  sleep,
  uniquePrefix,
} from "../cache/support";
import { createTeacher, sessionOf } from "../fixtures";

const HALF_HOUR = 30 * 60_000;
const DAY_MS = 86_400_000;

const prefix = uniquePrefix("read");
const opened: ClosableCache[] = [];
const teacherIds: string[] = [];

function openCache(url = REDIS_URL): ClosableCache {
  const cache = createCache({ REDIS_URL: url, CACHE_TIMEOUT_MS: 250 });
  opened.push(cache);
  return cache;
}

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  const raw = rawClient();
  try {
    await deleteByPrefix(raw, prefix);
    if (teacherIds.length > 0) await raw.del(...teacherIds.map(teacherVersionKey));
  } finally {
    raw.disconnect();
  }
});

/** A loader that counts its runs and takes `ms` to answer. */
function countingLoader<T>(value: () => T, ms = 0) {
  const loader = async () => {
    loader.runs++;
    if (ms > 0) await sleep(ms);
    return value();
  };
  loader.runs = 0;
  return loader;
}

function recorder() {
  const outcomes: ReadOutcome[] = [];
  return { outcomes, onOutcome: (outcome: ReadOutcome) => outcomes.push(outcome) };
}

async function approvedTeacher(pricePerHour = 3000) {
  const created = await createTeacher({
    minNoticeMinutes: 0,
    courses: [{ title: "Algebra", pricePerHour, packageHours: [1, 10] }],
  });
  teacherIds.push(created.teacher.id);
  return { ...created, session: sessionOf(created.user) };
}

/** The next half hour at least an hour away, so it can be published now. */
function futureSlot(offsetSlots = 0): Date {
  const next = Math.ceil((Date.now() + 3_600_000) / HALF_HOUR) * HALF_HOUR;
  return new Date(next + offsetSlots * HALF_HOUR);
}

/** The real tRPC HTTP handler: queries GET (batched when given several), mutations POST. */
async function trpc(
  kind: "query" | "mutation",
  calls: [path: string, input: unknown][],
  session: AppSession | null = null,
) {
  const url = new URL(`http://localhost/api/trpc/${calls.map(([path]) => path).join(",")}`);
  url.searchParams.set("batch", "1");
  const inputs = Object.fromEntries(calls.map(([, input], i) => [i, superjson.serialize(input)]));
  if (kind === "query") url.searchParams.set("input", JSON.stringify(inputs));
  const res = await handleTrpcRequest(
    new Request(url, {
      method: kind === "query" ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: kind === "query" ? undefined : JSON.stringify(inputs),
    }),
    async () => session,
  );
  const body = (await res.json()) as {
    result?: { data: SuperJSONResult };
    error?: unknown;
  }[];
  return {
    status: res.status,
    cacheControl: res.headers.get("cache-control"),
    requestId: res.headers.get("x-request-id"),
    results: body.map((b) => (b.result ? superjson.deserialize(b.result.data) : undefined)),
  };
}

async function freeSlotsOverHttp(teacherId: string): Promise<string[]> {
  const res = await trpc("query", [["availability.free", { teacherId }]]);
  expect(res.status).toBe(200);
  return (res.results[0] as { slots: Date[] }).slots.map((d) => d.toISOString());
}

describe("readThrough", () => {
  it("misses once, then hits, and gives Dates back as Dates", async () => {
    const cache = openCache();
    const at = new Date("2027-03-04T05:06:07.089Z");
    const load = countingLoader(() => ({ at, list: [at], n: 1 }));
    const { outcomes, onOutcome } = recorder();
    const first = await readThrough(cache, `${prefix}dates`, 60, load, { onOutcome });
    const second = await readThrough(cache, `${prefix}dates`, 60, load, { onOutcome });
    expect(load.runs).toBe(1);
    expect(outcomes).toEqual(["loaded", "hit"]);
    expect(second).toEqual(first);
    expect(second.at).toBeInstanceOf(Date);
    expect(second.at.getTime()).toBe(at.getTime());
    expect(second.list[0]).toBeInstanceOf(Date);
  });

  it("embeds the version counter in the key: bumping it makes the old entry unreachable", async () => {
    const cache = openCache();
    const versionKey = `${prefix}version`;
    let value = "before";
    const load = countingLoader(() => value);
    const { outcomes, onOutcome } = recorder();
    const keys: string[] = [];
    const read = () =>
      readThrough(cache, `${prefix}versioned`, 60, load, {
        versionKey,
        onOutcome: (o, key) => {
          onOutcome(o);
          keys.push(key);
        },
      });
    expect(await read()).toBe("before");
    value = "after";
    expect(await read()).toBe("before");
    await cache.incr(versionKey);
    expect(await read()).toBe("after");
    expect(outcomes).toEqual(["loaded", "hit", "loaded"]);
    // A missing counter is version 0.
    expect(keys).toEqual([
      `${prefix}versioned:v0`,
      `${prefix}versioned:v0`,
      `${prefix}versioned:v1`,
    ]);
  });

  it("markTeacherChanged invalidates a teacher's cached price card", async () => {
    const { teacher } = await approvedTeacher(3000);
    const cache = getCache();
    const { outcomes, onOutcome } = recorder();
    const price = async () =>
      (await cachedPriceCard(getDb(), cache, teacher.id, { onOutcome }))[0]!.pricePerHour;
    expect(await price()).toBe(3000);
    const [course] = await getDb().select().from(courses).where(eq(courses.teacherId, teacher.id));
    await getDb()
      .update(courseVersions)
      .set({ pricePerHour: 4200 })
      .where(eq(courseVersions.courseId, course!.id));
    expect(await price()).toBe(3000); // still cached: nobody said it changed
    await markTeacherChanged(cache, teacher.id, { page: false });
    expect(await price()).toBe(4200);
    expect(outcomes).toEqual(["loaded", "hit", "loaded"]);
  });

  it("expires entries after their ttl", async () => {
    const cache = openCache();
    let n = 0;
    const load = countingLoader(() => ++n);
    expect(await readThrough(cache, `${prefix}ttl`, 0.3, load)).toBe(1);
    expect(await readThrough(cache, `${prefix}ttl`, 0.3, load)).toBe(1);
    await sleep(450);
    expect(await readThrough(cache, `${prefix}ttl`, 0.3, load)).toBe(2);
    expect(load.runs).toBe(2);
  });

  it("runs the loader once for 50 concurrent reads of a cold key in one process", async () => {
    const cache = openCache();
    const load = countingLoader(() => ({ at: new Date(0) }), 50);
    const { outcomes, onOutcome } = recorder();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        readThrough(cache, `${prefix}burst`, 60, load, { onOutcome }),
      ),
    );
    expect(load.runs).toBe(1);
    expect(outcomes.filter((o) => o === "loaded")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "joined")).toHaveLength(49);
    for (const r of results) expect(r.at).toEqual(new Date(0));
  });

  it("runs the loader at most twice when two instances burst the same cold key", async () => {
    // Two caches on one Redis behave like two app instances: in each, the burst shares one
    // load (single-flight); between them, the first to `incr` the lock loads and the other
    // polls for its value. A second load is possible only if the winner's load outlives the
    // loser's 300 ms wait (or its lock call timed out), never once per request: hence ≤ 2.
    // With a 100 ms loader it is 1 in practice.
    const a = openCache();
    const b = openCache();
    const load = countingLoader(() => "shared", 100);
    const { outcomes, onOutcome } = recorder();
    const burst = (cache: ClosableCache) =>
      Array.from({ length: 25 }, () =>
        readThrough(cache, `${prefix}two-instances`, 60, load, { onOutcome }),
      );
    const results = await Promise.all([...burst(a), ...burst(b)]);
    expect(results.every((r) => r === "shared")).toBe(true);
    expect(load.runs).toBeGreaterThanOrEqual(1);
    expect(load.runs).toBeLessThanOrEqual(2);
    expect(outcomes.filter((o) => o === "joined")).toHaveLength(48);
  });

  it("does not cache a failed load, and every caller sharing it sees the error", async () => {
    const cache = openCache();
    let fail = true;
    const load = countingLoader(() => {
      if (fail) throw new Error("database says no");
      return "ok";
    }, 20);
    const attempts = await Promise.allSettled(
      Array.from({ length: 5 }, () => readThrough(cache, `${prefix}failing`, 60, load)),
    );
    expect(attempts.every((a) => a.status === "rejected")).toBe(true);
    expect(load.runs).toBe(1);
    fail = false;
    // The failed winner released its lock: the next read loads at once instead of waiting.
    const started = Date.now();
    expect(await readThrough(cache, `${prefix}failing`, 60, load)).toBe("ok");
    expect(Date.now() - started).toBeLessThan(250);
  });

  it("with Redis down, returns the loader's result every time, fast, and warns once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const down = openCache(CLOSED_URL);
      let n = 0;
      const load = countingLoader(() => ({ n: ++n, at: new Date(0) }));
      const { outcomes, onOutcome } = recorder();
      const started = Date.now();
      for (let i = 1; i <= 5; i++) {
        const value = await readThrough(down, `${prefix}down`, 60, load, {
          versionKey: `${prefix}down-version`,
          onOutcome,
        });
        expect(value).toEqual({ n: i, at: new Date(0) });
      }
      const concurrent = await Promise.all(
        Array.from({ length: 20 }, () =>
          readThrough(down, `${prefix}down`, 60, load, { onOutcome }),
        ),
      );
      // No lock wait (300 ms) per read: the failed lock call means "down", and the cache is
      // then skipped for a few seconds.
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(load.runs).toBe(6); // 5 sequential reads, then one load shared by 20 callers
      expect(new Set(concurrent.map((v) => v.n)).size).toBe(1);
      expect(outcomes.filter((o) => o === "bypassed")).toHaveLength(6);
      // The resilient cache logs an outage at most once a minute.
      expect(warn.mock.calls.filter(([m]) => String(m).includes("[cache:redis]"))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("cached free slots", () => {
  it("never returns a slot that started after the list was cached, and honours days", async () => {
    const { teacher, session } = await approvedTeacher();
    const [s1, s2, s3] = [futureSlot(0), futureSlot(1), futureSlot(2)];
    const published = await trpc(
      "mutation",
      [["schedule.publish", { start: s1, slots: 3 }]],
      session,
    );
    expect(published.status).toBe(200);
    const db = getDb();
    const cache = getCache();
    const { outcomes, onOutcome } = recorder();
    const read = (now: Date, days = 14) =>
      cachedFreeSlots(db, cache, teacher.id, { now, days }, { onOutcome });

    expect(await read(new Date())).toEqual([s1, s2, s3]);
    // Gone from Postgres, but not invalidated: the reads below come from the cached list.
    await db.delete(teacherDays).where(eq(teacherDays.teacherId, teacher.id));
    const afterS1Started = new Date(s1.getTime() + 60_000);
    expect(await read(afterS1Started)).toEqual([s2, s3]);
    expect(await read(new Date(s2.getTime()))).toEqual([s3]); // starting now = started
    expect(await read(new Date(s3.getTime() - DAY_MS), 1)).toEqual([s1, s2]); // s3 at horizon
    expect(outcomes).toEqual(["loaded", "hit", "hit", "hit"]);

    // `from` and more than 14 days go to Postgres (where the slots are now gone).
    expect(await cachedFreeSlots(db, cache, teacher.id, { now: new Date(), days: 15 })).toEqual([]);
    expect(
      await cachedFreeSlots(db, cache, teacher.id, { now: new Date(), from: s1, days: 1 }),
    ).toEqual([]);
  });

  it("shows a schedule change on the next availability.free", async () => {
    const { teacher, session } = await approvedTeacher();
    const [s1, s2, s3] = [futureSlot(0), futureSlot(1), futureSlot(2)];
    const change = async (path: string, input: unknown) => {
      const res = await trpc("mutation", [[path, input]], session);
      expect(res.status).toBe(200);
    };
    expect(await freeSlotsOverHttp(teacher.id)).toEqual([]); // cached, empty, for 15 s

    await change("schedule.publish", { start: s1, slots: 3 });
    expect(await freeSlotsOverHttp(teacher.id)).toEqual([s1, s2, s3].map((d) => d.toISOString()));

    await change("schedule.unpublish", { start: s2, slots: 1 });
    expect(await freeSlotsOverHttp(teacher.id)).toEqual([s1, s3].map((d) => d.toISOString()));

    await change("schedule.lock", { start: s3, slots: 1 });
    expect(await freeSlotsOverHttp(teacher.id)).toEqual([s1.toISOString()]);

    await change("schedule.unlock", { start: s3, slots: 1 });
    const today = Temporal.Now.plainDateISO(teacher.timeZone);
    const pattern = {
      from: today.toString(),
      to: today.add({ days: 2 }).toString(),
      additions: [{ start: s2, slots: 2 }],
    };
    const version = () => readVersion(getCache(), teacherVersionKey(teacher.id));
    const before = await version();
    await change("schedule.applyPattern", { ...pattern, dryRun: true });
    expect(await version()).toBe(before); // a preview changes nothing, invalidates nothing
    await change("schedule.applyPattern", pattern);
    expect(await version()).toBe(before + 1);
    expect(await freeSlotsOverHttp(teacher.id)).toEqual([s1, s2, s3].map((d) => d.toISOString()));
  });
});

describe("HTTP cache headers", () => {
  it("makes a GET of public queries public, with the shortest lifetime of the batch", async () => {
    const { teacher } = await approvedTeacher();
    const one = await trpc("query", [["teachers.priceCard", { id: teacher.id }]]);
    expect(one.status).toBe(200);
    expect(one.cacheControl).toBe("public, max-age=30, s-maxage=60, stale-while-revalidate=120");
    expect(one.requestId).toBeTruthy();

    const widget = await trpc("query", [
      ["teachers.priceCard", { id: teacher.id }],
      ["availability.free", { teacherId: teacher.id, days: 14 }],
    ]);
    expect(widget.status).toBe(200);
    expect(widget.cacheControl).toBe("public, max-age=10, s-maxage=15, stale-while-revalidate=30");
    expect(widget.requestId).toBeTruthy();
  });

  it("keeps private, no-store for errors, personal queries and mutations", async () => {
    const { teacher, session } = await approvedTeacher();
    const missing = await trpc("query", [
      ["teachers.priceCard", { id: teacher.id }],
      ["teachers.byId", { id: "123456789" }],
    ]);
    expect(missing.cacheControl).toBe("private, no-store");
    const mixed = await trpc(
      "query",
      [
        ["teachers.priceCard", { id: teacher.id }],
        ["teachers.me", undefined],
      ],
      session,
    );
    expect(mixed.status).toBe(200);
    expect(mixed.cacheControl).toBe("private, no-store");
    const write = await trpc(
      "mutation",
      [["schedule.publish", { start: futureSlot(0), slots: 1 }]],
      session,
    );
    expect(write.status).toBe(200);
    expect(write.cacheControl).toBe("private, no-store");
  });

  it("knows the allowlist", () => {
    expect(publicCacheControl(["teachers.subjects"])).toBe(
      "public, max-age=300, s-maxage=3600, stale-while-revalidate=86400",
    );
    expect(publicCacheControl(["search.teachers", "teachers.list"])).toBe(
      "public, max-age=30, s-maxage=60, stale-while-revalidate=120",
    );
    expect(publicCacheControl([])).toBeNull();
    expect(publicCacheControl(["teachers.me"])).toBeNull();
    expect(publicCacheControl(["constructor"])).toBeNull();
  });
});
