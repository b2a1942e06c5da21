import { expect, test } from "@playwright/test";
import { DEMO_TEACHER_ID } from "./support";

/** tRPC GETs that include the free-slot query (the widget batches it with the price card). */
const freeSlotsCall = (url: URL) =>
  url.pathname.startsWith("/api/trpc/") && url.pathname.includes("availability.free");
const anyApiCall = (url: URL) => url.pathname.startsWith("/api/trpc/");

test("the slot widget says live availability is unavailable, then recovers by itself", async ({
  page,
}) => {
  await page.route(freeSlotsCall, (route) =>
    route.fulfill({
      status: 503,
      contentType: "text/plain",
      body: "Service Unavailable",
    }),
  );
  await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
  // The static page itself is served as usual.
  await expect(page.getByRole("heading", { level: 1, name: "Tessa Teacher" })).toBeVisible();

  const card = page.getByTestId("live-card");
  const unavailable = card.getByTestId("free-slots-unavailable");
  await expect(unavailable).toContainText("Live availability is temporarily unavailable");
  await expect(unavailable.getByRole("button", { name: "Retry" })).toBeVisible();
  await expect(card.getByTestId("free-slots")).toHaveCount(0);

  // The API is back: the widget retries on its own (no click) and shows the slots.
  await page.unroute(freeSlotsCall);
  await expect(card.getByTestId("free-slots").locator(".slot-chip[data-slot]").first()).toBeVisible(
    { timeout: 20_000 },
  );
  await expect(unavailable).toHaveCount(0);
  await expect(card.getByTestId("price-card").locator("li").first()).toContainText("/h");
});

test("with the API unreachable both widgets say so, and Retry brings them back", async ({
  page,
}) => {
  await page.route(anyApiCall, (route) => route.abort("failed"));
  await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
  const card = page.getByTestId("live-card");
  await expect(card.getByTestId("prices-unavailable")).toContainText(
    "Live prices are temporarily unavailable",
  );
  const slotsUnavailable = card.getByTestId("free-slots-unavailable");
  await expect(slotsUnavailable).toContainText("Live availability is temporarily unavailable");

  await page.unroute(anyApiCall);
  await slotsUnavailable.getByRole("button", { name: "Retry" }).click();
  await expect(
    card.getByTestId("free-slots").locator(".slot-chip[data-slot]").first(),
  ).toBeVisible();
  await expect(card.getByTestId("price-card").locator("li").first()).toContainText("/h", {
    timeout: 20_000,
  });
});

test("the health check reports ok with Postgres and Redis up", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  expect(await res.json()).toEqual({ status: "ok", database: "up", cache: "redis:up" });
});

test("the widget's API answers are CDN-cacheable for a short time", async ({ request }) => {
  const input = encodeURIComponent(
    JSON.stringify({
      0: { json: { id: DEMO_TEACHER_ID } },
      1: { json: { teacherId: DEMO_TEACHER_ID, days: 14 } },
    }),
  );
  const res = await request.get(
    `/api/trpc/teachers.priceCard,availability.free?batch=1&input=${input}`,
  );
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toBe(
    "public, max-age=10, s-maxage=15, stale-while-revalidate=30",
  );
});
