import { expect, type Page, test } from "@playwright/test";
import { DEMO_TEACHER_ID } from "./support";

/**
 * Scoped to <main>: while the page streams, React can hold a second copy of the results in a
 * hidden container outside it until it swaps them in.
 */
const main = (page: Page) => page.getByRole("main");
const results = (page: Page) => main(page).getByTestId("search-results").locator("li");
const form = (page: Page) => page.getByRole("form", { name: "Search teachers" });

/**
 * Opens /search and waits for hydration (the client fills the hidden time-zone field): a
 * select changed before hydration is reset to its default by React.
 */
async function openSearch(page: Page, url = "/search") {
  await page.goto(url);
  // The server renders UTC; the browser's zone (Europe/Paris in these tests) means hydrated.
  await expect(page.locator('input[name="tz"]')).toHaveValue("Europe/Paris");
}

test("search by subject finds the demo teacher, every card teaches it", async ({ page }) => {
  await openSearch(page);
  await expect(results(page)).toHaveCount(12);
  await form(page).getByLabel("Subject").selectOption("english");
  await form(page).getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/subject=english/);
  await expect(results(page).first()).toBeVisible();
  for (const card of await results(page).all()) {
    await expect(card.locator(".tag", { hasText: "English" })).toBeVisible();
  }
  await expect(page.getByRole("link", { name: /Tessa Teacher/ })).toHaveAttribute(
    "href",
    `/teachers/${DEMO_TEACHER_ID}`,
  );
});

test("a misspelt name from the home page search box finds the teacher", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("searchbox", { name: "Search teachers" }).fill("Tesa Teachr");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/search\?q=Tesa\+Teachr/);
  await expect(results(page).first()).toContainText("Tessa Teacher");
  await results(page).first().getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/teachers/${DEMO_TEACHER_ID}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Tessa Teacher" })).toBeVisible();
});

test("Chinese subject names match, and the filters and sort survive a reload", async ({ page }) => {
  await openSearch(page);
  const f = form(page);
  await f.getByRole("searchbox", { name: "Search" }).fill("英语");
  await f.getByLabel("Rating").selectOption("4");
  await f.getByLabel("Language").selectOption("English");
  await f.getByLabel("Free in the next 7 days").check();
  await f.getByLabel("From", { exact: true }).selectOption("08:00");
  await f.getByLabel("To", { exact: true }).selectOption("22:00");
  await f.getByLabel("Sort by").selectOption("soonest");
  await expect(page.getByTestId("search-zone")).toContainText("Europe/Paris");
  await f.getByRole("button", { name: "Search" }).click();

  await expect(page).toHaveURL(/sort=soonest/);
  const url = new URL(page.url());
  expect(Object.fromEntries(url.searchParams)).toMatchObject({
    q: "英语",
    minRating: "4",
    language: "English",
    free: "7",
    from: "08:00",
    to: "22:00",
    tz: "Europe/Paris",
    sort: "soonest",
  });
  await expect(results(page).first()).toBeVisible();
  for (const card of await results(page).all()) {
    await expect(card.locator(".tag", { hasText: "English" })).toBeVisible();
    await expect(card.getByText(/Next free:/)).toBeVisible();
  }
  // Read the names once the list has settled: while the navigation streams in, the list can
  // briefly render twice.
  await expect
    .poll(async () => {
      const all = await results(page).locator(".teacher-name").allTextContents();
      return all.length > 0 && new Set(all).size === all.length;
    })
    .toBe(true);
  const names = await results(page).locator(".teacher-name").allTextContents();

  await page.reload();
  await expect(f.getByRole("searchbox", { name: "Search" })).toHaveValue("英语");
  await expect(f.getByLabel("Rating")).toHaveValue("4");
  await expect(f.getByLabel("Language")).toHaveValue("English");
  await expect(f.getByLabel("Free in the next 7 days")).toBeChecked();
  await expect(f.getByLabel("From", { exact: true })).toHaveValue("08:00");
  await expect(f.getByLabel("To", { exact: true })).toHaveValue("22:00");
  await expect(f.getByLabel("Sort by")).toHaveValue("soonest");
  await expect(results(page).locator(".teacher-name")).toHaveText(names);
});

test("load more appends the next page; bad parameters are named; no match is said so", async ({
  page,
}) => {
  await openSearch(page, "/search?sort=price");
  await expect(results(page)).toHaveCount(12);
  const firstPage = await results(page).locator(".teacher-name").allTextContents();
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(results(page)).toHaveCount(24);
  const both = await results(page).locator(".teacher-name").allTextContents();
  expect(both.slice(0, 12)).toEqual(firstPage);

  await page.goto("/search?minRating=9&q=Tessa");
  await expect(page.locator("main").getByRole("alert")).toContainText("minRating");
  await expect(results(page).first()).toContainText("Tessa Teacher");

  await page.goto("/search?q=qqqxyzzyqqq");
  await expect(main(page).getByTestId("search-empty")).toBeVisible();
});
