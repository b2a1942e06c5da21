import { expect, test } from "@playwright/test";

/** Every page is served under the production security headers (next.config.ts). */
test("pages carry the security headers: CSP without eval, no framing, a referrer policy", async ({
  request,
}) => {
  for (const path of ["/", "/search", "/sign-in", "/api/health"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBeLessThan(400);
    const headers = res.headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).not.toContain("unsafe-eval");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-frame-options"], path).toBe("DENY");
  }
});
