import type { KeyValueCache } from "../cache";
import type { SmsSender } from "./smsSender";

/**
 * The development SMS sender: nothing leaves the machine. Each message is written to the
 * server log and kept for an hour in the cache port, where the dev-only page /dev/sms reads
 * the latest ones.
 *
 * Why the cache port: the page must see what any app process sent. With Redis configured (the
 * e2e runs, a staging cluster with HALFHOUR_DEV_SINKS=1) every process shares it; the embedded
 * demo has no Redis, but it is one process, and its in-process cache is the same object for
 * the tRPC route that sends and the page that reads. Process memory of our own would work for
 * one `next start` only, and the database has no table for it (these messages are not data).
 * Each message has its own key under a sequence number from INCR, so concurrent sends never
 * overwrite each other.
 */
export interface DevSms {
  seq: number;
  to: string;
  text: string;
  sentAt: string;
}

const SEQ_KEY = "devsms:seq";
const messageKey = (seq: number) => `devsms:msg:${seq}`;
const KEEP_SECONDS = 3600;
/** The page shows at most this many. */
export const DEV_SMS_SHOWN = 50;

export function devSmsSender(cache: KeyValueCache, log: (line: string) => void = console.info) {
  return {
    kind: "development",
    async send(to: string, text: string) {
      log(`[sms:dev] to ${to}: ${text}`);
      try {
        const seq = await cache.incr(SEQ_KEY);
        const message: DevSms = { seq, to, text, sentAt: new Date().toISOString() };
        await cache.set(messageKey(seq), message, { ttlSeconds: KEEP_SECONDS });
      } catch (error) {
        // The log line above still carries the message; the sink is a convenience.
        log(`[sms:dev] not kept for /dev/sms: ${(error as Error).message}`);
      }
    },
  } satisfies SmsSender;
}

/** The latest development messages, newest first (optionally only those to one number). */
export async function recentDevSms(
  cache: KeyValueCache,
  options: { to?: string | null; limit?: number } = {},
): Promise<DevSms[]> {
  const limit = options.limit ?? DEV_SMS_SHOWN;
  const last = (await cache.get<number>(SEQ_KEY)) ?? 0;
  const seqs = Array.from({ length: Math.min(last, limit) }, (_, i) => last - i);
  const found = await Promise.all(seqs.map((seq) => cache.get<DevSms>(messageKey(seq))));
  return found.filter((m): m is DevSms => m !== null && (!options.to || m.to === options.to));
}
