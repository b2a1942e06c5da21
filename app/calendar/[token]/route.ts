import { getDb } from "@/db/client";
import { isDatabaseUnavailable } from "@/server/api/errors";
import { lessonsForFeed } from "@/server/trade/calendarFeed";
import { lessonCalendar } from "@/server/trade/lessonCalendar";

// Every request reads the feed as it stands: never prerendered, never kept by Next's caches.
export const dynamic = "force-dynamic";

const TIMETABLE_PATH = { student: "/me/timetable", teacher: "/dashboard/timetable" } as const;

function notFound() {
  return new Response("Not found", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/**
 * A personal iCalendar feed at /calendar/<token>.ics, for calendar apps to subscribe to. The
 * token is the whole credential; an unknown, rotated or revoked one is a plain 404.
 */
export async function GET(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token: segment } = await params;
  const token = segment.endsWith(".ics") ? segment.slice(0, -".ics".length) : segment;
  let feed: Awaited<ReturnType<typeof lessonsForFeed>>;
  try {
    feed = await lessonsForFeed(getDb(), token, new Date());
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    // Calendar apps retry later; a 503 keeps what they already show.
    return new Response("The calendar is temporarily unavailable", {
      status: 503,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "cache-control": "no-store",
        "retry-after": "300",
      },
    });
  }
  if (!feed) return notFound();
  const body = lessonCalendar({
    ownerName: feed.ownerName,
    lessons: feed.lessons,
    appUrl: `${new URL(req.url).origin}${TIMETABLE_PATH[feed.viewer]}`,
  });
  return new Response(body, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      // Calendar apps poll; a few minutes of private caching is plenty, and shared caches
      // must never keep a personal feed.
      "cache-control": "private, max-age=300",
      "content-disposition": 'inline; filename="halfhour.ics"',
      "x-robots-tag": "noindex",
      "referrer-policy": "no-referrer",
    },
  });
}
