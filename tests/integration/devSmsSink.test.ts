import { afterAll, describe, expect, it } from "vitest";
import { type ClosableCache, createCache } from "../../server/cache";
import { MemoryCache } from "../../server/cache/memoryCache";
import { devSmsNamespace, devSmsSender, recentDevSms } from "../../server/sms/devSmsSink";
import { CLOSED_URL, REDIS_URL } from "../cache/support";
import { freshPhone } from "../phoneFixtures";

const redis: ClosableCache = createCache({ REDIS_URL, CACHE_TIMEOUT_MS: 250 });
const down: ClosableCache = createCache({ REDIS_URL: CLOSED_URL, CACHE_TIMEOUT_MS: 250 });
afterAll(async () => {
  await redis.close();
  await down.close();
});

/** A deployment of its own per test file run. */
const NS = devSmsNamespace(`${process.env.DATABASE_URL}#${process.pid}`);

describe.each([
  ["Redis (shared by every app process)", () => redis],
  ["the in-process cache (the embedded demo)", () => new MemoryCache()],
])("the development SMS sink on %s", (_name, cacheOf) => {
  it("logs each message and lists the latest, newest first", async () => {
    const cache = cacheOf();
    const lines: string[] = [];
    const sender = devSmsSender(cache, NS, (line) => lines.push(line));
    const phone = freshPhone();
    await sender.send(phone, "first 111111");
    await sender.send(freshPhone(), "to someone else");
    await sender.send(phone, "second 222222");
    expect(lines[0]).toBe(`[sms:dev] to ${phone}: first 111111`);
    const mine = await recentDevSms(cache, NS, { to: phone });
    expect(mine.map((m) => m.text)).toEqual(["second 222222", "first 111111"]);
    expect(mine[0]!.to).toBe(phone);
    expect(new Date(mine[0]!.sentAt).getTime()).not.toBeNaN();
    expect((await recentDevSms(cache, NS)).map((m) => m.text)).toEqual([
      "second 222222",
      "to someone else",
      "first 111111",
    ]);
  });

  it("keeps every one of many messages sent at once", async () => {
    const cache = cacheOf();
    const sender = devSmsSender(cache, NS, () => {});
    const phone = freshPhone();
    await Promise.all(Array.from({ length: 20 }, (_, i) => sender.send(phone, `message ${i}`)));
    const texts = (await recentDevSms(cache, NS, { to: phone })).map((m) => m.text);
    expect(texts.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `message ${i}`).sort());
  });
});

describe("the development SMS sink without its cache", () => {
  it("still logs the message, and says it was not kept", async () => {
    const lines: string[] = [];
    await devSmsSender(down, NS, (line) => lines.push(line)).send("+15550100000", "code 333333");
    expect(lines[0]).toContain("code 333333");
    expect(lines[1]).toMatch(/not kept for \/dev\/sms/);
    expect(await recentDevSms(down, NS)).toEqual([]);
  });
});
