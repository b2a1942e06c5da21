import { expect, test } from "@playwright/test";
import { DEMO_TEACHER_ID } from "./support";

test("the studio shows teachers students also look at, linking to their studios", async ({
  page,
}) => {
  await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
  await expect(page.getByRole("heading", { name: "Students also look at" })).toBeVisible();
  const cards = page.getByTestId("recommendations").locator("li");
  const count = await cards.count();
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(4);
  const hrefs = await page
    .getByTestId("recommendations")
    .getByRole("link")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  expect(hrefs).toHaveLength(count);
  for (const href of hrefs) {
    expect(href).toMatch(/^\/teachers\/\d+$/);
    expect(href).not.toBe(`/teachers/${DEMO_TEACHER_ID}`);
  }
  await expect(cards.first()).toContainText("/h");

  const name = (await cards.first().locator(".rec-name").textContent())!;
  await cards.first().getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`${hrefs[0]}$`));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
});

test("Show more reviews loads the older reviews", async ({ page }) => {
  await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
  // The demo teacher has 12 reviews: 10 in the static page, 2 more on demand.
  await expect(page.getByTestId("reviews").locator("li")).toHaveCount(10);
  const more = page.getByRole("button", { name: /Show more reviews/ });
  await expect(more).toContainText("2 more");
  await more.click();
  await expect(page.getByTestId("more-reviews").locator("li")).toHaveCount(2);
  await expect(more).toBeHidden();
  await expect(page.getByText("That is every review.")).toBeVisible();

  const dates = await page
    .locator("[data-testid=reviews] time, [data-testid=more-reviews] time")
    .evaluateAll((times) => times.map((t) => t.getAttribute("datetime")!));
  expect(dates).toHaveLength(12);
  expect([...dates].sort().reverse()).toEqual(dates);
});

test("the benchmark-only route is not there without HALFHOUR_BENCH_ROUTES", async ({ request }) => {
  // proxy.ts answers 404 before the page renders, so the studio is never served from it.
  const res = await request.get(`/bench/teachers/${DEMO_TEACHER_ID}`);
  expect(res.status()).toBe(404);
  expect(await res.text()).not.toContain("Tessa Teacher");
});
