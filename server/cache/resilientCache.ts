import {
  CacheUnavailableError,
  CacheUsageError,
  type IncrOptions,
  type KeyValueCache,
  type SetOptions,
} from "./port";

export interface ResilienceOptions {
  /** Per-call budget; a slow cache must not slow the request down. */
  timeoutMs: number;
  /** At most one warning per this many ms, so an outage does not flood the logs. */
  warnEveryMs?: number;
  warn?: (message: string) => void;
}

/**
 * A cache is an optimisation, so its failures must never fail a request. Every call gets a
 * timeout; failures become the neutral answer of a miss: get -> null, set -> false, del -> 0,
 * ping -> false. `incr` has no neutral answer (0 would silently disable a rate limit, a huge
 * number would lock everyone out), so it rejects with CacheUnavailableError and the caller picks
 * fail-open or fail-closed explicitly. CacheUsageError (a caller bug) is rethrown as is.
 * A timeout abandons the call without cancelling it, so a write reported as `false` may still
 * land: treat `false` as "not known to be written".
 */
export function resilientCache(inner: KeyValueCache, options: ResilienceOptions): KeyValueCache {
  const warnEveryMs = options.warnEveryMs ?? 30_000;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  let lastWarnAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;

  function report(op: string, error: unknown): void {
    const now = Date.now();
    if (now - lastWarnAt < warnEveryMs) {
      suppressed++;
      return;
    }
    const more = suppressed > 0 ? ` (+${suppressed} more since the last warning)` : "";
    warn(`[cache:${inner.kind}] ${op} failed, degrading: ${errorText(error)}${more}`);
    lastWarnAt = now;
    suppressed = 0;
  }

  async function guard<R>(op: string, call: () => Promise<R>, fallback: R): Promise<R> {
    try {
      return await withTimeout(call, options.timeoutMs);
    } catch (error) {
      if (error instanceof CacheUsageError) throw error;
      report(op, error);
      return fallback;
    }
  }

  return {
    kind: inner.kind,
    get: <T>(key: string) => guard<T | null>("get", () => inner.get<T>(key), null),
    set: <T>(key: string, value: T, opts?: SetOptions) =>
      guard("set", () => inner.set(key, value, opts), false),
    del: (...keys: string[]) => guard("del", () => inner.del(...keys), 0),
    ping: () => guard("ping", () => inner.ping(), false),
    async incr(key: string, opts?: IncrOptions) {
      try {
        return await withTimeout(() => inner.incr(key, opts), options.timeoutMs);
      } catch (error) {
        if (error instanceof CacheUsageError) throw error;
        report("incr", error);
        throw new CacheUnavailableError(`cache incr failed: ${errorText(error)}`, { cause: error });
      }
    },
  };
}

class CacheTimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = "CacheTimeoutError";
  }
}

function withTimeout<R>(call: () => Promise<R>, ms: number): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CacheTimeoutError(ms)), ms);
    // `call` may throw synchronously (e.g. a bad ttl): turn that into a rejection too.
    Promise.resolve()
      .then(call)
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
