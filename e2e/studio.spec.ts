import { expect, test } from "@playwright/test";
import { DEMO_TEACHER_ID, signIn } from "./support";

test("a signed-in student opens a teacher studio and sees live prices and free slots", async ({
  page,
}) => {
  await signIn(page, "student");
  await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
  await expect(page.getByRole("heading", { level: 1, name: "Tessa Teacher" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Courses" })).toBeVisible();

  const card = page.getByTestId("live-card");
  await expect(card.getByTestId("price-card").locator("li").first()).toContainText("/h");
  const slots = card.getByTestId("free-slots").locator(".slot-chip");
  await expect(slots.first()).toBeVisible();
  expect(await slots.count()).toBeGreaterThan(0);
  // Shown in the browser's zone (the test runs as Europe/Paris).
  await expect(card.getByLabel("Time zone")).toHaveValue("Europe/Paris");
});

test("a student may not call a teacher procedure", async ({ page }) => {
  await signIn(page, "student");
  const res = await page.request.get("/api/trpc/teachers.me");
  expect(res.status()).toBe(403);
  const anonymous = await page.context().browser()!.newContext();
  try {
    const res401 = await anonymous.request.get(
      `${test.info().project.use.baseURL}/api/trpc/teachers.me`,
    );
    expect(res401.status()).toBe(401);
  } finally {
    await anonymous.close();
  }
});

test("studio pages are static and CDN-cacheable", async ({ request }) => {
  const url = `/teachers/${DEMO_TEACHER_ID}`;
  const first = await request.get(url);
  expect(first.status()).toBe(200);
  const second = await request.get(url);
  expect(second.headers()["cache-control"]).toContain("s-maxage");
  expect(second.headers()["x-nextjs-cache"]).toBe("HIT");
});

test("unknown or malformed teacher ids show the not-found page", async ({ page }) => {
  for (const id of ["123", "abc"]) {
    const res = await page.goto(`/teachers/${id}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});

test("a malformed tRPC input answers 400 naming the field", async ({ request }) => {
  const input = encodeURIComponent(JSON.stringify({ json: { id: "abc" } }));
  const res = await request.get(`/api/trpc/teachers.byId?input=${input}`);
  expect(res.status()).toBe(400);
  const body = await res.json();
  expect(body.error.json.data.fieldErrors).toEqual({ id: ["Expected a teacher id (digits)"] });
});
