import { expect, test } from "@playwright/test";
import { DEMO_TEACHER_ID, signIn } from "./support";

test("the demo teacher sees their dashboard and reaches their studio", async ({ page }) => {
  await signIn(page, "teacher");
  await page.getByRole("link", { name: "Dashboard" }).click();
  const dashboard = page.getByTestId("teacher-dashboard");
  await expect(dashboard).toContainText("Approved");
  await dashboard.getByRole("link", { name: /public studio/ }).click();
  await expect(page).toHaveURL(new RegExp(`/teachers/${DEMO_TEACHER_ID}$`));
});

test("a student is told the dashboard is for teachers", async ({ page }) => {
  await signIn(page, "student");
  await page.goto("/dashboard");
  await expect(page.locator("main").getByRole("alert")).toContainText("for teachers");
});
