import { Ratelimit } from "@upstash/ratelimit";
import { connectRedis } from "../cache";
import { MemoryCache } from "../cache/memoryCache";
import { env } from "../config/env";
import { DomainError } from "../domainError";

/**
 * What is limited, how much, and what happens when the limiter's store (Redis) cannot answer.
 * Sign-in and code sends fail closed: an attacker who can knock Redis over must not get
 * unlimited password guesses or free SMS. Everything else fails open: browsing and buying keep
 * working through a Redis outage, and Postgres still guards every invariant.
 */
export const RATE_LIMITS = {
  /** Sign-in attempts (any method) from one address. Generous: offices and schools share one. */
  signInAddress: { limit: 100, windowSeconds: 15 * 60, whenStoreDown: "closed" },
  /** Failed sign-ins of one account (email or phone number). */
  signInAccount: { limit: 10, windowSeconds: 15 * 60, whenStoreDown: "closed" },
  /** SMS codes to one number. */
  codeSendPhone: { limit: 3, windowSeconds: 10 * 60, whenStoreDown: "closed" },
  /** SMS codes requested from one address. */
  codeSendAddress: { limit: 20, windowSeconds: 60 * 60, whenStoreDown: "closed" },
  /** Verification and password-reset mails to one address. */
  accountMail: { limit: 5, windowSeconds: 60 * 60, whenStoreDown: "closed" },
  /** Password-reset mails requested from one address (whatever addresses they name). */
  accountMailAddress: { limit: 20, windowSeconds: 60 * 60, whenStoreDown: "closed" },
  /** Orders placed by one user. */
  orderCreate: { limit: 30, windowSeconds: 10 * 60, whenStoreDown: "open" },
  /** Coupon claims by one user. */
  couponClaim: { limit: 30, windowSeconds: 60, whenStoreDown: "open" },
  /** Public search queries from one address. */
  browse: { limit: 600, windowSeconds: 60, whenStoreDown: "open" },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof RATE_LIMITS;

export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
  whenStoreDown: "open" | "closed";
}

export type RateLimitDecision =
  | { allowed: true; remaining: number }
  | { allowed: false; retryAfterSeconds: number; reason: "limited" | "store_down" };

/** Refused by a rate limit: HTTP 429 (or 503 when a fail-closed limit cannot be checked). */
export class RateLimited extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly storeDown = false,
  ) {
    super(storeDown ? "unavailable" : "rate_limited", message);
    this.name = "RateLimited";
  }
}

/** A store for counting: Redis through @upstash/ratelimit, or a process-local fallback. */
export interface RateLimiter {
  /** Counts one hit of `identifier` against `name` and says whether it may pass. */
  hit(name: RateLimitName, identifier: string): Promise<RateLimitDecision>;
  /** Says whether a hit would pass now, without counting one. */
  peek(name: RateLimitName, identifier: string): Promise<RateLimitDecision>;
  /** Forgets `identifier`'s hits (e.g. an account's failures after a good sign-in). */
  reset(name: RateLimitName, identifier: string): Promise<void>;
}

/** A limiter call slower than this counts as the store being down. */
const STORE_TIMEOUT_MS = 1_000;

const secondsUntil = (resetMs: number) => Math.max(1, Math.ceil((resetMs - Date.now()) / 1000));

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("rate limiter timed out")), STORE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** What a limit says when its store failed: fail-open passes, fail-closed refuses briefly. */
function storeDownDecision(name: RateLimitName): RateLimitDecision {
  return RATE_LIMITS[name].whenStoreDown === "open"
    ? { allowed: true, remaining: 0 }
    : { allowed: false, retryAfterSeconds: 30, reason: "store_down" };
}

/**
 * Sliding windows in Redis (one Lua script per hit, so concurrent hits are counted exactly).
 * The library's own timeout fails open; ours is applied around it so each limit chooses.
 */
export function redisRateLimiter(
  redis: ConstructorParameters<typeof Ratelimit>[0]["redis"],
  prefix: string,
): RateLimiter {
  const limiters = new Map<RateLimitName, Ratelimit>();
  const limiterFor = (name: RateLimitName) => {
    let limiter = limiters.get(name);
    if (!limiter) {
      const rule = RATE_LIMITS[name];
      limiter = new Ratelimit({
        redis,
        limiter: Ratelimit.slidingWindow(rule.limit, `${rule.windowSeconds} s`),
        prefix: `${prefix}:${name}`,
        timeout: 0,
        analytics: false,
        // A process-local memory of blocked ids would outlive a reset; keep Redis the truth.
        ephemeralCache: false,
      });
      limiters.set(name, limiter);
    }
    return limiter;
  };
  let lastWarning = 0;
  const guarded = async (name: RateLimitName, run: () => Promise<RateLimitDecision>) => {
    try {
      return await withTimeout(run());
    } catch (error) {
      // An outage fails every call: say so once a minute, not once a request.
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        console.warn(`[rate-limit] store unavailable (${(error as Error).message})`);
      }
      return storeDownDecision(name);
    }
  };
  return {
    hit: (name, identifier) =>
      guarded(name, async () => {
        const result = await limiterFor(name).limit(identifier);
        return result.success
          ? { allowed: true, remaining: result.remaining }
          : { allowed: false, retryAfterSeconds: secondsUntil(result.reset), reason: "limited" };
      }),
    peek: (name, identifier) =>
      guarded(name, async () => {
        const { remaining, reset } = await limiterFor(name).getRemaining(identifier);
        return remaining > 0
          ? { allowed: true, remaining }
          : { allowed: false, retryAfterSeconds: secondsUntil(reset), reason: "limited" };
      }),
    reset: async (name, identifier) => {
      try {
        await withTimeout(limiterFor(name).resetUsedTokens(identifier));
      } catch {
        // Forgetting is best effort: the window ends on its own.
      }
    },
  };
}

/**
 * Fixed windows in process memory, for the embedded demo with no Redis: one process, so
 * local counts are the whole truth there. Never used when Redis is configured.
 */
export function memoryRateLimiter(): RateLimiter {
  const counts = new MemoryCache();
  const windowOf = (name: RateLimitName) => {
    const seconds = RATE_LIMITS[name].windowSeconds;
    const index = Math.floor(Date.now() / 1000 / seconds);
    return { index, endsMs: (index + 1) * seconds * 1000, seconds };
  };
  const key = (name: RateLimitName, id: string) => `${name}:${id}:${windowOf(name).index}`;
  const decide = (name: RateLimitName, used: number): RateLimitDecision => {
    const { limit } = RATE_LIMITS[name];
    return used <= limit
      ? { allowed: true, remaining: limit - used }
      : {
          allowed: false,
          retryAfterSeconds: secondsUntil(windowOf(name).endsMs),
          reason: "limited",
        };
  };
  return {
    async hit(name, identifier) {
      const used = await counts.incr(key(name, identifier), {
        ttlSeconds: windowOf(name).seconds,
      });
      return decide(name, used);
    },
    async peek(name, identifier) {
      const used = (await counts.get<number>(key(name, identifier))) ?? 0;
      return decide(name, used + 1);
    },
    async reset(name, identifier) {
      await counts.del(key(name, identifier));
    },
  };
}

// One limiter per process (and per dev reload), on its own Redis connection.
const globalForLimits = globalThis as typeof globalThis & {
  __halfhourRateLimiter?: RateLimiter & { close(): Promise<void> };
};

/**
 * The process-wide limiter. Keys are namespaced by HALFHOUR_RATE_LIMIT_PREFIX so test runs
 * sharing one Redis do not count each other's hits.
 */
export function getRateLimiter(): RateLimiter {
  if (!globalForLimits.__halfhourRateLimiter) {
    const config = env();
    const connection = connectRedis(config);
    const prefix = `ratelimit:${config.HALFHOUR_RATE_LIMIT_PREFIX}`;
    globalForLimits.__halfhourRateLimiter = connection
      ? Object.assign(redisRateLimiter(connection.redis, prefix), { close: connection.close })
      : Object.assign(memoryRateLimiter(), { close: async () => {} });
  }
  return globalForLimits.__halfhourRateLimiter;
}

/** Releases the process-wide limiter's connection (tests, scripts). */
export async function closeRateLimiter(): Promise<void> {
  const limiter = globalForLimits.__halfhourRateLimiter;
  globalForLimits.__halfhourRateLimiter = undefined;
  await limiter?.close();
}

const REFUSALS: Record<RateLimitName, string> = {
  signInAddress: "Too many sign-in attempts from your network.",
  signInAccount: "Too many failed sign-ins for this account.",
  codeSendPhone: "Too many codes sent to this number.",
  codeSendAddress: "Too many codes requested from your network.",
  accountMail: "Too many emails sent to this address.",
  accountMailAddress: "Too many emails requested from your network.",
  orderCreate: "Too many orders in a short time.",
  couponClaim: "Too many coupon claims in a short time.",
  browse: "Too many searches in a short time.",
};

/** The error for a refusal, with a message a person can act on. */
export function refusalOf(name: RateLimitName, decision: RateLimitDecision): RateLimited | null {
  if (decision.allowed) return null;
  if (decision.reason === "store_down") {
    return new RateLimited(
      "This is paused for a moment while a safety check is unavailable. Please try again shortly.",
      decision.retryAfterSeconds,
      true,
    );
  }
  const minutes = Math.ceil(decision.retryAfterSeconds / 60);
  const wait =
    decision.retryAfterSeconds < 60
      ? `${decision.retryAfterSeconds} seconds`
      : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return new RateLimited(`${REFUSALS[name]} Try again in ${wait}.`, decision.retryAfterSeconds);
}

/** Counts a hit and throws RateLimited when it may not pass. */
export async function enforceRateLimit(
  limiter: RateLimiter,
  name: RateLimitName,
  identifier: string,
): Promise<void> {
  const refusal = refusalOf(name, await limiter.hit(name, identifier));
  if (refusal) throw refusal;
}
