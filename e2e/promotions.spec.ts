import { expect, test } from "@playwright/test";
import { DEMO_TEACHER_ID, signIn, signOut } from "./support";

test("an admin creates a promotion for Tessa on /admin/promotions; her studio widget shows the discounted price and the promotion", async ({
  page,
}) => {
  const title = `Autumn sale ${Date.now()}`;
  await signIn(page, "admin");
  await page.goto("/admin/promotions");
  await expect(page.getByRole("navigation", { name: "Administration" })).toContainText(
    "Promotions",
  );
  const form = page.getByTestId("promotion-form");
  await form.getByLabel("Title", { exact: true }).fill(title);
  await form.getByLabel("Kind").selectOption("percent_off");
  await form.getByLabel("Percent off", { exact: true }).fill("20");
  await form.getByLabel("Applies to").selectOption("teachers");
  await form.getByLabel("Ids or slugs (comma-separated)").fill(DEMO_TEACHER_ID);
  await form.getByLabel("Stock: number of orders (blank: unlimited)").fill("50");
  await form.getByRole("button", { name: "Create promotion" }).click();
  await expect(form.getByTestId("promotion-created")).toContainText(title);
  const row = page.getByTestId("promotion-row").filter({ hasText: title });
  await expect(row).toContainText("20% off");
  await expect(row).toContainText("0 / 50");

  // A bad entry is refused with the field named, and nothing is created.
  await form.getByLabel("Title", { exact: true }).fill("x");
  await form.getByRole("button", { name: "Create promotion" }).click();
  await expect(form.getByRole("alert")).toContainText("title");

  await signOut(page);
  await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
  const card = page.getByTestId("live-card");
  const total = card.getByTestId("purchase-total");
  await expect(total.getByTestId("list-price")).toBeVisible();
  const list = Number((await total.getByTestId("list-price").innerText()).replace(/[^\d.]/g, ""));
  const payable = Number((await total.locator("strong").innerText()).replace(/[^\d.]/g, ""));
  expect(Math.abs(payable - list * 0.8)).toBeLessThan(0.011);
  await expect(card.getByTestId("course-promotions")).toContainText(`${title} — 20% off`);
  await expect(card.getByTestId("discount-lines")).toContainText(title);
});
