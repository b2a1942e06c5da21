import { errors, type Requester, type UpstashRequest, type UpstashResponse } from "@upstash/redis";
import { Redis as IORedis, ReplyError } from "ioredis";

/**
 * Speaks the Upstash REST protocol to a self-hosted Redis over TCP, so one `@upstash/redis`
 * command API serves both deployments. What the SDK sends (see its pipeline.ts / command.ts):
 *  - single command: path undefined, body ["set", "k", "v", ...] -> { result } or { error }
 *  - path ["pipeline"] / ["multi-exec"]: body is a list of commands -> [{ result } | { error }]
 * Base64 response decoding lives in the SDK's HttpClient, not in Redis/Command, so a custom
 * requester returns plain strings. A result of `undefined` makes the SDK throw; nil is `null`.
 */
export interface RedisTcpOptions {
  /** Bounds the TCP connect + handshake. */
  connectTimeoutMs?: number;
  /** Rejects a command Redis has not answered in time, so a hung socket cannot pile up work. */
  commandTimeoutMs?: number;
}

type Arg = string | number;
type Reply = [error: Error | null, result: unknown];

export class RedisTcpRequester implements Requester {
  readonly client: IORedis;
  private connecting: Promise<void> | undefined;
  private closed = false;
  /** connect() rejects with a bare "Connection is closed."; the socket error says why. */
  private lastError: Error | undefined;

  constructor(url: string, options: RedisTcpOptions = {}) {
    this.client = new IORedis(url, {
      // Never connect at import/build time; connect on first use (see ready()).
      lazyConnect: true,
      // Fail commands at once while disconnected instead of queueing them until Redis returns.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs ?? 1_000,
      commandTimeout: options.commandTimeoutMs ?? 1_000,
      // Keep reconnecting in the background, quickly, so the cache heals after an outage.
      retryStrategy: (times) => Math.min(times * 200, 2_000),
      // RESP2 replies have the same shapes as Upstash REST's JSON.
      protocol: 2,
    });
    // Without a listener ioredis prints every reconnect failure; the resilient layer logs instead.
    this.client.on("error", (error: Error) => {
      this.lastError = error;
    });
  }

  async request<TResult = unknown>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
    await this.ready();
    const route = req.path?.filter((p) => p !== "").join("/") ?? "";
    if (route === "") return this.single(req.body) as Promise<UpstashResponse<TResult>>;
    if (route === "pipeline" || route === "multi-exec") {
      const replies = await this.batch(req.body, route === "multi-exec");
      // The Requester type only models single responses; batches are arrays of them.
      return replies as UpstashResponse<TResult>;
    }
    throw new errors.UpstashError(`Unsupported request path over TCP: /${route}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.client.status === "ready") {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }

  /** With the offline queue off, commands sent before the first connect would fail: await it. */
  private async ready(): Promise<void> {
    if (this.closed) throw new Error("Redis requester is closed");
    const status = this.client.status;
    if (!this.connecting && (status === "wait" || status === "end")) {
      this.lastError = undefined;
      this.connecting = this.client
        .connect()
        .catch((error: unknown) => {
          throw this.lastError ?? error;
        })
        .finally(() => {
          this.connecting = undefined;
        });
    }
    if (this.connecting) await this.connecting;
  }

  private async single(body: unknown): Promise<UpstashResponse<unknown>> {
    const [name, ...args] = toCommand(body);
    try {
      return { result: await this.client.call(name, ...args) };
    } catch (error) {
      // Redis refusing a command is an answer (Upstash REST returns it as { error });
      // anything else is transport trouble and propagates like a failed fetch would.
      if (error instanceof ReplyError) return { error: (error as Error).message };
      throw error;
    }
  }

  private async batch(body: unknown, atomic: boolean): Promise<UpstashResponse<unknown>[]> {
    if (!Array.isArray(body)) throw new errors.UpstashError("Batch body must be a list");
    // `.call` instead of the commands-array constructor: ioredis looks those up by method name.
    const chain = atomic ? this.client.multi() : this.client.pipeline();
    for (const command of body) {
      const [name, ...args] = toCommand(command);
      chain.call(name, ...args);
    }
    let replies: Reply[] | null;
    try {
      replies = await chain.exec();
    } catch (error) {
      // EXECABORT (a command refused while queueing): Upstash REST fails the whole request.
      if (error instanceof ReplyError) throw new errors.UpstashError((error as Error).message);
      throw error;
    }
    if (!replies) throw new errors.UpstashError("Transaction aborted");
    // ioredis reports a dead connection per command instead of rejecting exec().
    const transportError = replies.find(([e]) => e && !(e instanceof ReplyError))?.[0];
    if (transportError) throw transportError;
    return replies.map(([error, result]) => (error ? { error: error.message } : { result }));
  }
}

function toCommand(body: unknown): [string, ...Arg[]] {
  if (!Array.isArray(body) || typeof body[0] !== "string") {
    throw new errors.UpstashError(`Malformed command: ${JSON.stringify(body)}`);
  }
  const [name, ...args] = body as [string, ...unknown[]];
  // The SDK passes numbers and booleans through unserialised; Redis wants strings for the rest.
  return [
    name,
    ...args.map((a) => (typeof a === "string" || typeof a === "number" ? a : String(a))),
  ];
}
