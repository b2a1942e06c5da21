import { createHash } from "node:crypto";
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
 * overwrite each other. Keys are namespaced by the deployment's database, so test runs and
 * servers sharing one Redis each see only their own messages.
 */
export interface DevSms {
  seq: number;
  to: string;
  text: string;
  sentAt: string;
}

const KEEP_SECONDS = 3600;
/** The page shows at most this many. */
export const DEV_SMS_SHOWN = 50;

/** The sink's key prefix for the deployment on `databaseUrl` (hashed: URLs hold passwords). */
export function devSmsNamespace(databaseUrl: string | undefined): string {
  const id = createHash("sha256")
    .update(databaseUrl ?? "embedded")
    .digest("hex")
    .slice(0, 16);
  return `devsms:${id}`;
}

const seqKey = (namespace: string) => `${namespace}:seq`;
const messageKey = (namespace: string, seq: number) => `${namespace}:msg:${seq}`;

export function devSmsSender(
  cache: KeyValueCache,
  namespace: string,
  log: (line: string) => void = console.info,
) {
  return {
    kind: "development",
    async send(to: string, text: string) {
      log(`[sms:dev] to ${to}: ${text}`);
      try {
        const seq = await cache.incr(seqKey(namespace));
        const message: DevSms = { seq, to, text, sentAt: new Date().toISOString() };
        await cache.set(messageKey(namespace, seq), message, { ttlSeconds: KEEP_SECONDS });
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
  namespace: string,
  options: { to?: string | null; limit?: number } = {},
): Promise<DevSms[]> {
  const limit = options.limit ?? DEV_SMS_SHOWN;
  const last = (await cache.get<number>(seqKey(namespace))) ?? 0;
  const seqs = Array.from({ length: Math.min(last, limit) }, (_, i) => last - i);
  const found = await Promise.all(seqs.map((seq) => cache.get<DevSms>(messageKey(namespace, seq))));
  return found.filter((m): m is DevSms => m !== null && (!options.to || m.to === options.to));
}
