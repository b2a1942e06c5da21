import superjson, { type SuperJSONResult } from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as healthRoute } from "../../app/api/health/route";
import { connectPostgres, type DatabaseHandle, databaseHandle } from "../../db/client";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import { type ClosableCache, closeCache, createCache } from "../../server/cache";
import type { AppSession } from "../../server/identity/session";
import { CLOSED_URL } from "../cache/support";
import { createTeacher, sessionOf } from "../fixtures";

/** Nothing listens on port 1: every query fails to connect, as when Postgres is down. */
const POSTGRES_DOWN_URL = "postgres://postgres@127.0.0.1:1/halfhour";
const HALF_HOUR = 30 * 60_000;

// The process-wide database and cache live on globalThis (db/client.ts, server/cache/index.ts):
// swapping them makes the real HTTP handler and health route talk to an unreachable service.
const globals = globalThis as unknown as {
  halfhourDatabase?: DatabaseHandle;
  __halfhourCache?: ClosableCache;
};

function futureSlot(): Date {
  return new Date(Math.ceil((Date.now() + 3_600_000) / HALF_HOUR) * HALF_HOUR);
}

/** The real tRPC HTTP handler: queries GET (batched), mutations POST. */
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
    error?: { json: { message: string } };
  }[];
  return {
    status: res.status,
    cacheControl: res.headers.get("cache-control"),
    results: body.map((b) => (b.result ? superjson.deserialize(b.result.data) : undefined)),
    errors: body.map((b) => b.error?.json.message),
  };
}

async function health() {
  const res = await healthRoute();
  return { status: res.status, body: await res.json() };
}

describe("with Redis down", () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

  beforeAll(async () => {
    await closeCache();
    globals.__halfhourCache = createCache({ REDIS_URL: CLOSED_URL, CACHE_TIMEOUT_MS: 250 });
  });

  afterAll(async () => {
    await closeCache(); // the next getCache() builds the real one again
    warn.mockRestore();
  });

  it("answers the studio reads from Postgres with 200, every time", async () => {
    const { teacher } = await createTeacher({
      minNoticeMinutes: 0,
      displayName: "Ada Lovelace",
      courses: [{ title: "Engines", pricePerHour: 5000, packageHours: [1, 5] }],
    });
    for (let i = 0; i < 3; i++) {
      const res = await trpc("query", [
        ["teachers.byId", { id: teacher.id }],
        ["teachers.priceCard", { id: teacher.id }],
        ["availability.free", { teacherId: teacher.id }],
      ]);
      expect(res.status).toBe(200);
      const [studio, prices, free] = res.results as [
        { displayName: string },
        { pricePerHour: number }[],
        { slots: Date[] },
      ];
      expect(studio.displayName).toBe("Ada Lovelace");
      expect(prices.map((p) => p.pricePerHour)).toEqual([5000]);
      expect(free.slots).toEqual([]);
      expect(res.cacheControl).toBe("public, max-age=10, s-maxage=15, stale-while-revalidate=30");
    }
    // The outage is logged, but not once per call.
    expect(warn.mock.calls.filter(([m]) => String(m).includes("[cache:redis]"))).toHaveLength(1);
  });

  it("still takes writes, and the next read shows them", async () => {
    const { user, teacher } = await createTeacher({ minNoticeMinutes: 0 });
    const start = futureSlot();
    const write = await trpc(
      "mutation",
      [["schedule.publish", { start, slots: 1 }]],
      sessionOf(user),
    );
    expect(write.status).toBe(200);
    const read = await trpc("query", [["availability.free", { teacherId: teacher.id }]]);
    expect((read.results[0] as { slots: Date[] }).slots).toEqual([start]);
  });

  it("reports degraded health, still ready (200)", async () => {
    expect(await health()).toEqual({
      status: 200,
      body: { status: "degraded", database: "up", cache: "redis:down" },
    });
  });
});

describe("with Postgres down", () => {
  let real: DatabaseHandle;
  let down: DatabaseHandle;
  let teacherId: string;
  let session: AppSession;

  beforeAll(async () => {
    const { user, teacher } = await createTeacher({
      minNoticeMinutes: 0,
      courses: [{ title: "Logic", pricePerHour: 2500, packageHours: [1] }],
    });
    teacherId = teacher.id;
    session = sessionOf(user);
    // Warm the price card while Postgres is up.
    expect((await trpc("query", [["teachers.priceCard", { id: teacherId }]])).status).toBe(200);
    real = databaseHandle();
    down = connectPostgres(POSTGRES_DOWN_URL, 1);
    globals.halfhourDatabase = down;
  });

  afterAll(async () => {
    globals.halfhourDatabase = real;
    await down.close();
  });

  it("answers a write with 503 and a clear message", async () => {
    const signUp = await trpc("mutation", [
      [
        "account.signUp",
        { name: "New Person", email: "new@example.com", password: "correct horse battery" },
      ],
    ]);
    expect(signUp.status).toBe(503);
    expect(signUp.errors[0]).toMatch(/temporarily unavailable; nothing was changed/);
    const publish = await trpc(
      "mutation",
      [["schedule.publish", { start: futureSlot(), slots: 1 }]],
      session,
    );
    expect(publish.status).toBe(503);
  });

  it("answers an uncached read with 503, not cacheable", async () => {
    const res = await trpc("query", [["teachers.byId", { id: teacherId }]]);
    expect(res.status).toBe(503);
    expect(res.errors[0]).toMatch(/temporarily unavailable/);
    expect(res.cacheControl).toBe("private, no-store");
  });

  it("still serves a read Redis holds", async () => {
    const res = await trpc("query", [["teachers.priceCard", { id: teacherId }]]);
    expect(res.status).toBe(200);
    expect((res.results[0] as { pricePerHour: number }[])[0]?.pricePerHour).toBe(2500);
  });

  it("reports down health with 503", async () => {
    expect(await health()).toEqual({
      status: 503,
      body: { status: "down", database: "down", cache: "redis:up" },
    });
  });
});
