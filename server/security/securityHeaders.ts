/**
 * The security headers of every response (issue 8, item 7), pure so they are unit-tested and
 * read by next.config.ts. The Content Security Policy allows only our own origin: scripts,
 * styles, images (plus data: and blob: for generated avatars and upload previews), fetches
 * and form posts; no plugins; no framing by anyone (frame-ancestors 'none', and
 * X-Frame-Options for old browsers). Inline scripts stay allowed because the App Router
 * inlines its flight data and the studio pages are static (a per-request nonce would make
 * them dynamic); `eval` is allowed only in development, where React's tooling needs it.
 *
 * Single sign-on needs no exception: form-action stays 'self'. Chromium applies form-action
 * to the redirects after a form post too (checked: a post to our origin answered by a 302 to
 * another origin is blocked), so a plain form posting to /api/auth/signin/oidc would never
 * reach the identity provider. SsoButton instead asks Auth.js for the provider's URL with a
 * same-origin fetch (connect-src 'self') and navigates there, which CSP does not restrict;
 * e2e/sso.spec.ts runs that flow under this policy.
 */
export function contentSecurityPolicy(options: { development: boolean }): string {
  const script = ["'self'", "'unsafe-inline'", ...(options.development ? ["'unsafe-eval'"] : [])];
  const connect = ["'self'", ...(options.development ? ["ws:"] : [])];
  return [
    "default-src 'self'",
    `script-src ${script.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(" ")}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(options: { development: boolean }) {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(options) },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  ];
}
