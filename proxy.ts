import { NextResponse } from "next/server";

/**
 * The benchmark's per-request rendering of the studio page exists only when the benchmark
 * asks for it (HALFHOUR_BENCH_ROUTES=1); everywhere else /bench/* is a plain 404. Checked here
 * because the page itself streams behind a loading boundary and cannot change its status.
 */
export function proxy() {
  if (process.env.HALFHOUR_BENCH_ROUTES === "1") return NextResponse.next();
  return new NextResponse("Not found", { status: 404, headers: { "content-type": "text/plain" } });
}

export const config = { matcher: "/bench/:path*" };
