import { describe, expect, it } from "vitest";
import { afterSignInPath, safeCallbackUrl, signInHref } from "../../app/_components/callbackUrl";

describe("safeCallbackUrl", () => {
  it("keeps same-site paths with their query and hash", () => {
    expect(safeCallbackUrl("/checkout?teacher=1&package=10")).toBe(
      "/checkout?teacher=1&package=10",
    );
    expect(safeCallbackUrl("/me/orders#top")).toBe("/me/orders#top");
  });

  it("sends anything that could leave the site to /", () => {
    for (const url of [
      null,
      undefined,
      "",
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/.//evil.example",
      "/a/..//evil.example",
      "javascript:alert(1)",
    ]) {
      expect(safeCallbackUrl(url)).toBe("/");
    }
  });

  it("signInHref encodes the way back", () => {
    expect(signInHref("/checkout?teacher=1&package=10")).toBe(
      "/sign-in?callbackUrl=%2Fcheckout%3Fteacher%3D1%26package%3D10",
    );
  });
});

describe("afterSignInPath", () => {
  const cart = "/checkout?teacher=1&course=2&package=10";
  it("follows the callback URL when there is one, else the guest cart, else home", () => {
    expect(afterSignInPath("/me/orders", cart)).toBe("/me/orders");
    expect(afterSignInPath(null, cart)).toBe(cart);
    expect(afterSignInPath("", cart)).toBe(cart);
    expect(afterSignInPath(null, null)).toBe("/");
  });

  it("never leaves the site, whichever it follows", () => {
    expect(afterSignInPath("//evil.example", cart)).toBe("/");
    expect(afterSignInPath(null, "//evil.example")).toBe("/");
  });
});
