import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis as IORedis } from "ioredis";
import { RedisTcpRequester } from "../../server/cache/redisTcpRequester";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** Nothing listens here: stands in for a Redis that is down. */
export const CLOSED_URL = "redis://127.0.0.1:6390";

/** A key namespace unique to this run, so parallel runs and other data are never touched. */
export function uniquePrefix(label: string): string {
  return `test:${process.pid}:${randomUUID().slice(0, 8)}:${label}:`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A plain ioredis client for inspecting (PTTL) and cleaning up behind the adapters. */
export function rawClient(): IORedis {
  return new IORedis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
}

export async function deleteByPrefix(client: IORedis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

/**
 * A minimal Upstash REST endpoint backed by the real Redis, speaking the wire format the SDK's
 * HttpClient expects (bearer token, base64-encoded strings, 400 + { error } for a failed command),
 * so the REST wiring is exercised without an Upstash account.
 */
export async function startFakeUpstashRest(
  token: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const requester = new RedisTcpRequester(REDIS_URL);
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(401, { error: "Unauthorized" });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const base64 = req.headers["upstash-encoding"] === "base64";
    const encode = (reply: { result?: unknown; error?: string }) =>
      base64 && "result" in reply ? { result: encodeStrings(reply.result) } : reply;
    try {
      const path = (req.url ?? "/").split("/").filter(Boolean);
      const reply = await requester.request({
        path,
        body: JSON.parse(Buffer.concat(chunks).toString()),
      });
      if (Array.isArray(reply)) return send(200, reply.map(encode));
      return reply.error ? send(400, reply) : send(200, encode(reply));
    } catch (error) {
      return send(400, { error: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await requester.close();
    },
  };
}

function encodeStrings(value: unknown): unknown {
  if (typeof value === "string") return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(encodeStrings);
  return value;
}
