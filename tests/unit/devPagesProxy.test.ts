import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

/** The proxy as a server with these settings would run it (settings are read once per load). */
async function statusOf(path: string, vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
  const { proxy } = await import("../../proxy");
  const response = proxy(new NextRequest(`http://localhost${path}`));
  // NextResponse.next() lets the request through to the page.
  return response.headers.get("x-middleware-next") === "1" ? "page" : response.status;
}

const PRODUCTION = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/halfhour",
  AUTH_SECRET: "a-production-secret-of-some-length",
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("the development pages", () => {
  it("are a plain 404 on a production server", async () => {
    expect(await statusOf("/dev/sms", { ...PRODUCTION, HALFHOUR_DEV_SINKS: "0" })).toBe(404);
    expect(await statusOf("/dev", { ...PRODUCTION, HALFHOUR_DEV_SINKS: "0" })).toBe(404);
  });

  it("are served where the dev sinks are on: e2e runs, the embedded demo, next dev", async () => {
    expect(await statusOf("/dev/sms", { ...PRODUCTION, HALFHOUR_DEV_SINKS: "1" })).toBe("page");
    expect(
      await statusOf("/dev/sms", {
        ...PRODUCTION,
        DATABASE_URL: undefined,
        HALFHOUR_DEV_SINKS: "0",
      }),
    ).toBe("page");
    expect(await statusOf("/dev/sms", { ...PRODUCTION, NODE_ENV: "development" })).toBe("page");
  });

  it("leave the benchmark route's rule as it was", async () => {
    expect(await statusOf("/bench/teachers/1", { HALFHOUR_BENCH_ROUTES: undefined })).toBe(404);
    expect(await statusOf("/bench/teachers/1", { HALFHOUR_BENCH_ROUTES: "1" })).toBe("page");
  });
});
