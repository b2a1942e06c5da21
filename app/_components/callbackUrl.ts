/** Any origin works as the base: only whether the URL stays on it matters. */
const BASE = "http://same-origin.invalid";

/**
 * Where to go after signing in (or up): a same-origin path, else "/". Parsed the way the
 * browser will parse it, so "//evil.example", "/\evil.example", "/.//evil.example" or a path
 * with a tab in it (all of which a browser may read as another host) never leave the site.
 */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value?.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return "/";
  }
  // "/.//evil.example" normalises to the protocol-relative "//evil.example": refuse it too.
  if (url.origin !== BASE || url.pathname.startsWith("//")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, coming back to `path` (a same-origin path with its query) afterwards. */
export function signInHref(path: string): string {
  return `/sign-in?callbackUrl=${encodeURIComponent(safeCallbackUrl(path))}`;
}

/** The sign-up page, coming back to `path` afterwards. */
export function signUpHref(path: string): string {
  return `/sign-up?callbackUrl=${encodeURIComponent(safeCallbackUrl(path))}`;
}

/**
 * Where signing in (or up) leads: the page that sent the visitor there (`callbackUrl`), else the
 * checkout kept in their guest cart (when the callback URL was lost on the way: an SSO round
 * trip, a new tab, the header's sign-in link), else home.
 */
export function afterSignInPath(
  callbackUrl: string | null | undefined,
  cartHref: string | null | undefined,
): string {
  if (callbackUrl) return safeCallbackUrl(callbackUrl);
  return cartHref ? safeCallbackUrl(cartHref) : "/";
}
