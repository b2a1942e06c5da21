import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import { getCache } from "../../server/cache";
import { checkHealth, healthHttpStatus } from "../../server/health/checkHealth";

// Nothing listens on port 1: every query fails to connect, as when Postgres is down.
process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/halfhour";

describe("with Postgres down", () => {
  it("answers 503 with a clear message, not 500", async () => {
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ id: "123" })));
    const res = await handleTrpcRequest(
      new Request(`http://localhost/api/trpc/teachers.byId?input=${input}`),
      async () => null,
    );
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { json: { message: string } } };
    expect(body.error.json.message).toMatch(/temporarily unavailable/);
  });

  it("reports down (not ready: HTTP 503) on the health check while the cache is still up", async () => {
    const health = await checkHealth(getDb(), getCache());
    expect(health).toEqual({ status: "down", database: "down", cache: "redis:up" });
    expect(healthHttpStatus(health)).toBe(503);
  });
});
