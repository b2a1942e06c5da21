import { expect, test } from "@playwright/test";
import { signOut } from "./support";

test("the home page lists teachers, filters by subject and paginates", async ({ page }) => {
  await page.goto("/");
  const list = page.getByTestId("teacher-list");
  await expect(list.locator("li")).toHaveCount(12);

  await page
    .getByRole("navigation", { name: "Subjects" })
    .getByRole("link", { name: "Piano" })
    .click();
  await expect(page).toHaveURL(/subject=piano/);
  const cards = list.locator("li");
  await expect(cards.first()).toBeVisible();
  for (const card of await cards.all()) {
    await expect(card.locator(".tag", { hasText: "Piano" })).toBeVisible();
  }

  await page.goto("/");
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(/Page 2 of \d+/)).toBeVisible();

  await page.goto("/?page=abc");
  await expect(page.locator("main").getByRole("alert")).toContainText("page");
  await expect(list.locator("li").first()).toBeVisible();
});

test("a visitor signs up, is signed in, and can sign out", async ({ page }) => {
  const email = `e2e-${Date.now()}@example.com`;
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Erin Example");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 10 characters")).toBeVisible();

  await page.getByLabel("Password").fill("a much longer password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("Erin Example");

  await signOut(page);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("student@halfhour.dev");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("main").getByRole("alert")).toContainText("do not match");
});
