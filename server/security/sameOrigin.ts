import { publicAppUrl } from "../config/env";

/**
 * Cross-site request forgery guard for our own state-changing endpoints (tRPC mutations,
 * uploads, the sandbox's payment form). Auth.js guards its own routes with a double-submit
 * token; payment webhooks are authenticated by their signature instead.
 *
 * Browsers label every request with Sec-Fetch-Site, and send Origin on every cross-origin
 * POST; a page on another site cannot remove either. A request with neither comes from a
 * program, which has no victim's cookies to ride on, so it is not a forgery.
 */
export function isCrossSiteRequest(headers: Headers, appOrigin: string): boolean {
  const site = headers.get("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = headers.get("origin");
  if (!origin) return false;
  return origin !== appOrigin;
}

/** Our public origin: AUTH_URL when configured, else the origin this request came to. */
export function appOriginOf(request: Request): string {
  const configured = publicAppUrl();
  return new URL(configured ?? request.url).origin;
}

/** The answer to a refused cross-site request: 403, saying why. */
export function crossSiteRefusal(): Response {
  return new Response(
    "Cross-site request refused: this action must come from Halfhour's own pages.\n",
    {
      status: 403,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    },
  );
}
