import { revalidateTag } from "next/cache";
import { CacheUnavailableError, type KeyValueCache } from "../cache/port";

/** The Next.js cache tag of everything rendered about one teacher (the studio page). */
export const teacherTag = (teacherId: string) => `teacher:${teacherId}`;

/**
 * Redis keys of a teacher's cached reads embed this counter (versioned keys): bumping it
 * makes every old entry unreachable at once, without listing or deleting keys.
 */
export const teacherVersionKey = (teacherId: string) => `teacher:${teacherId}:version`;

/**
 * Call after a committed write that changes what students see of a teacher. `page: false`
 * for changes the static page does not show (free slots live in the client widget).
 * If the cache is down, cached reads stay stale until their short TTL ends.
 */
export async function markTeacherChanged(
  cache: KeyValueCache,
  teacherId: string,
  options: { page?: boolean } = {},
): Promise<void> {
  try {
    await cache.incr(teacherVersionKey(teacherId));
  } catch (error) {
    if (!(error instanceof CacheUnavailableError)) throw error;
  }
  if (options.page !== false) revalidateTeacherPage(teacherId);
}

/**
 * Expires the studio page now, so the next request renders it fresh (blocking), not after the
 * hourly revalidation. Behind a CDN, also purge `/teachers/<id>` there (see README).
 */
function revalidateTeacherPage(teacherId: string) {
  try {
    revalidateTag(teacherTag(teacherId), { expire: 0 });
  } catch (error) {
    // Outside a Next.js request (scripts, tests) there is no page cache to expire.
    if (!String(error).includes("static generation store")) throw error;
  }
}
