import { type NextRequest, NextResponse } from "next/server";
import { devSinksEnabled } from "./server/config/deployment";

const notFound = () =>
  new NextResponse("Not found", { status: 404, headers: { "content-type": "text/plain" } });

/**
 * Routes that exist only in some deployments, answered 404 here because the pages themselves
 * stream behind a loading boundary and cannot change their status:
 * - /bench/*: the benchmark's per-request rendering of the studio page, only when the
 *   benchmark asks for it (HALFHOUR_BENCH_ROUTES=1);
 * - /dev/*: the development sinks (texts and mails that were not really sent), only where
 *   devSinksEnabled() — never on a production server.
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (pathname === "/dev" || pathname.startsWith("/dev/")) {
    return devSinksEnabled() ? NextResponse.next() : notFound();
  }
  if (process.env.HALFHOUR_BENCH_ROUTES === "1") return NextResponse.next();
  return notFound();
}

export const config = { matcher: ["/bench/:path*", "/dev/:path*"] };
