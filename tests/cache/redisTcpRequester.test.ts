import { errors, Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisTcpRequester } from "../../server/cache/redisTcpRequester";
import { rawRedisFromRequester } from "../../server/cache/upstashCache";
import { deleteByPrefix, REDIS_URL, rawClient, uniquePrefix } from "./support";

describe("RedisTcpRequester (Upstash protocol over ioredis)", () => {
  const prefix = uniquePrefix("requester");
  const inspector = rawClient();
  let requester: RedisTcpRequester;
  let redis: Redis;

  beforeAll(() => {
    requester = new RedisTcpRequester(REDIS_URL);
    redis = rawRedisFromRequester(requester);
  });
  afterAll(async () => {
    await deleteByPrefix(inspector, prefix);
    await requester.close();
    await inspector.quit();
  });

  it("runs a single command from a bare body", async () => {
    const k = `${prefix}single`;
    expect(await requester.request({ body: ["set", k, 12] })).toStrictEqual({ result: "OK" });
    expect(await requester.request({ body: ["get", k] })).toStrictEqual({ result: "12" });
    expect(await requester.request({ path: [], body: ["incrby", k, 3] })).toStrictEqual({
      result: 15,
    });
  });

  it("returns null, not undefined, for nil (the SDK throws on undefined)", async () => {
    expect(await requester.request({ body: ["get", `${prefix}nothing`] })).toStrictEqual({
      result: null,
    });
    expect(await redis.get(`${prefix}nothing`)).toBeNull();
  });

  it("turns a Redis error into { error } and the SDK into UpstashError", async () => {
    const k = `${prefix}not-a-number`;
    await redis.set(k, "abc");
    const reply = await requester.request({ body: ["incr", k] });
    expect(reply.error).toMatch(/not an integer/);
    expect(reply).not.toHaveProperty("result");
    await expect(redis.incr(k)).rejects.toBeInstanceOf(errors.UpstashError);
  });

  it("returns replies verbatim once auto deserialisation is off", async () => {
    const k = `${prefix}verbatim`;
    await redis.set(k, "123");
    expect(await redis.get(k)).toBe("123");
    // The SDK's default would have turned the string into a number: why rawRedisFromRequester.
    const defaultRedis = new Redis(requester);
    expect(await defaultRedis.get(k)).toBe(123);
  });

  it("runs pipelines, keeping per-command errors", async () => {
    const k = `${prefix}pipe`;
    const results = await redis
      .pipeline()
      .set(k, "v")
      .get(k)
      .incr(k)
      .ping()
      .exec({ keepErrors: true });
    expect(results.map((r) => r.result)).toStrictEqual(["OK", "v", undefined, "PONG"]);
    expect(results[2]?.error).toMatch(/not an integer/);
    await expect(redis.pipeline().get(k).incr(k).exec()).rejects.toBeInstanceOf(
      errors.UpstashError,
    );
  });

  it("runs multi-exec transactions", async () => {
    const k = `${prefix}multi`;
    const results = await redis.multi().set(k, "1", { nx: true }).incrby(k, 4).get(k).exec();
    expect(results).toStrictEqual(["OK", 5, "5"]);
  });

  it("fails a whole transaction that Redis aborts, leaving nothing applied", async () => {
    const k = `${prefix}aborted`;
    const request = requester.request({
      path: ["multi-exec"],
      body: [
        ["set", k, "1"],
        ["no-such-command", k],
      ],
    });
    await expect(request).rejects.toBeInstanceOf(errors.UpstashError);
    expect(await inspector.exists(k)).toBe(0);
  });

  it("refuses request paths it does not implement", async () => {
    await expect(requester.request({ path: ["subscribe", "x"], body: [] })).rejects.toThrow(
      /Unsupported/,
    );
  });

  it("rejects fast, without hanging, when Redis is unreachable", async () => {
    const down = new RedisTcpRequester("redis://127.0.0.1:6390", { connectTimeoutMs: 200 });
    try {
      await expect(down.request({ body: ["ping"] })).rejects.toThrow();
      // Once the first connect has failed, later commands fail at once instead of queueing.
      await expect(down.request({ body: ["ping"] })).rejects.toThrow();
      await expect(
        down.request({ path: ["pipeline"], body: [["ping"], ["ping"]] }),
      ).rejects.toThrow();
    } finally {
      await down.close();
    }
  });
});
