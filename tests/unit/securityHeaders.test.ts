import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "../../server/security/securityHeaders";

const directives = (policy: string) =>
  Object.fromEntries(
    policy.split("; ").map((d) => {
      const [name, ...values] = d.split(" ");
      return [name!, values];
    }),
  );

describe("security headers", () => {
  it("production: our origin only, no eval, no framing", () => {
    const csp = directives(contentSecurityPolicy({ development: false }));
    expect(csp["default-src"]).toEqual(["'self'"]);
    expect(csp["script-src"]).not.toContain("'unsafe-eval'");
    expect(csp["script-src"]).toContain("'self'");
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    // Also with single sign-on: the button navigates to the provider, it posts no form there.
    expect(csp["form-action"]).toEqual(["'self'"]);
    expect(csp["connect-src"]).toEqual(["'self'"]);
  });

  it("development adds only what React's tooling needs", () => {
    const dev = directives(contentSecurityPolicy({ development: true }));
    expect(dev["script-src"]).toContain("'unsafe-eval'");
    expect(dev["connect-src"]).toContain("ws:");
  });

  it("come with a referrer policy, nosniff and frame denial", () => {
    const headers = Object.fromEntries(
      securityHeaders({ development: false }).map((h) => [h.key, h.value]),
    );
    expect(headers).toMatchObject({
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
    });
  });
});
