import { CacheUnavailableError, type KeyValueCache } from "../cache/port";

/**
 * Slows password guessing: after MAX_FAILURES wrong passwords for one email within the window,
 * sign-in for that email is refused until the window ends. Counted in the cache; when the
 * cache is down the throttle fails open (sign-in keeps working, argon2 still costs each guess).
 */
export const MAX_FAILURES = 10;
export const WINDOW_SECONDS = 15 * 60;

const key = (email: string) => `signin:failures:${email}`;

export async function isSignInThrottled(cache: KeyValueCache, email: string): Promise<boolean> {
  const failures = await cache.get<number>(key(email));
  return (failures ?? 0) >= MAX_FAILURES;
}

export async function recordSignInFailure(cache: KeyValueCache, email: string): Promise<void> {
  try {
    await cache.incr(key(email), { ttlSeconds: WINDOW_SECONDS });
  } catch (error) {
    if (!(error instanceof CacheUnavailableError)) throw error;
  }
}

export async function clearSignInFailures(cache: KeyValueCache, email: string): Promise<void> {
  await cache.del(key(email));
}
