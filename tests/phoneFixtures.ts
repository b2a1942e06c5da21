import { randomInt, randomUUID } from "node:crypto";
import { connectRedis } from "../server/cache";
import { type RateLimiter, redisRateLimiter } from "../server/security/rateLimits";
import type { SmsSender } from "../server/sms";
import { CLOSED_URL, REDIS_URL } from "./cache/support";

/** A number no other test uses (+1 555 01xx xxxx is reserved for fiction). */
export const freshPhone = () => `+1555${String(randomInt(0, 10_000_000)).padStart(7, "0")}`;

/** An SMS sender that keeps what it was asked to send, so tests read the code like a person. */
export function recordingSender(onSend?: (to: string, text: string) => Promise<void>) {
  const sent: { to: string; text: string }[] = [];
  const sender: SmsSender = {
    kind: "development",
    async send(to, text) {
      await onSend?.(to, text);
      sent.push({ to, text });
    },
  };
  /** The code in the latest message to `to`. */
  const codeFor = (to: string): string => {
    const message = sent.findLast((m) => m.to === to);
    const code = message && /\b(\d{6})\b/.exec(message.text)?.[1];
    if (!code) throw new Error(`no code was sent to ${to}`);
    return code;
  };
  return { sender, sent, codeFor };
}

/**
 * A Redis-backed limiter with keys of its own, so each test starts with empty windows; or,
 * with `down`, one whose Redis does not answer (nothing listens on the port).
 */
export function testLimiter(options: { down?: boolean } = {}) {
  const connection = connectRedis({
    REDIS_URL: options.down ? CLOSED_URL : REDIS_URL,
    CACHE_TIMEOUT_MS: 250,
  })!;
  const limiter: RateLimiter = redisRateLimiter(
    connection.redis,
    `test:phone:${process.pid}:${randomUUID()}`,
  );
  return { limiter, close: connection.close };
}

/** A code guaranteed to differ from `code`. */
export const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
