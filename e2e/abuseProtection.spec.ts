import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";

test("ten wrong passwords for one account, then sign-in is refused with 429 and Retry-After", async ({
  page,
}) => {
  const email = `nobody-${Date.now()}@example.com`;
  await page.goto("/sign-in");
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(`wrong password ${i}`);
    const answer = page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials"));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const response = await answer;
    statuses.push(response.status());
    if (i < 10) {
      await expect(page.locator("form [role=alert]")).toContainText("do not match an account");
    } else {
      expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
    }
  }
  expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
  expect(statuses[10]).toBe(429);
  await expect(page.locator("form [role=alert]")).toContainText("Too many sign-in attempts");
});

test("a mutation posted from another site is refused", async ({ request, baseURL }) => {
  const forged = await request.post("/api/trpc/coupons.claim", {
    headers: { origin: "https://evil.example", "content-type": "application/json" },
    data: { json: { claimCode: "AAAA-AAAA-AAAAA", requestKey: "forged-request-1" } },
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain("Cross-site request refused");
  // The same call from our own origin gets as far as the sign-in check.
  const own = await request.post("/api/trpc/coupons.claim", {
    headers: { origin: new URL(baseURL!).origin, "content-type": "application/json" },
    data: { json: { claimCode: "AAAA-AAAA-AAAAA", requestKey: "own-request-1" } },
  });
  expect(own.status()).toBe(401);
});

test("the production server refuses to start without AUTH_SECRET, naming it", async () => {
  test.setTimeout(90_000);
  const { AUTH_SECRET: _secret, ...rest } = process.env;
  const env: NodeJS.ProcessEnv = { ...rest, NODE_ENV: "production" };
  const port = Number(process.env.E2E_PORT ?? 3100) + 50;
  const server = spawn("npx", ["next", "start", "-p", String(port)], { env });
  let output = "";
  server.stdout.on("data", (d) => (output += d));
  server.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => server.on("exit", resolve));
  // Start-up runs on boot; a request makes sure it has run even if it is lazy.
  const poke = setInterval(
    () => fetch(`http://localhost:${port}/api/health`).catch(() => {}),
    1000,
  );
  try {
    const code = await Promise.race([
      exited,
      new Promise<"running">((resolve) => setTimeout(() => resolve("running"), 60_000)),
    ]);
    expect(code).toBe(1);
    expect(output).toContain("Halfhour refuses to start in production");
    expect(output).toContain("AUTH_SECRET");
  } finally {
    clearInterval(poke);
    server.kill();
  }
});
