import { expect, test } from "@playwright/test";
import { DEMO_TEACHER_ID, signIn } from "./support";

test("a teacher edits their headline and the static studio page shows it within seconds", async ({
  page,
}) => {
  const headline = `Patient maths coaching · e2e ${Date.now().toString(36)}`;
  const studioUrl = `/teachers/${DEMO_TEACHER_ID}`;

  // Render the studio first, so a cached copy exists that the edit has to expire.
  const before = await page.request.get(studioUrl);
  expect(before.status()).toBe(200);

  await signIn(page, "teacher");
  await page.goto("/dashboard");
  await page.getByRole("link", { name: "Edit profile →" }).click();
  await expect(page).toHaveURL(/\/dashboard\/profile$/);
  await expect(page.getByRole("heading", { name: "Your profile" })).toBeVisible();

  const field = page.getByLabel("Headline", { exact: true });
  await expect(field).not.toHaveValue("");
  await field.fill(headline);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();

  // On-demand revalidation against `next start`: no waiting for the hourly ISR window.
  await expect
    .poll(
      async () => {
        await page.goto(studioUrl);
        return page.locator("main").getByText(headline, { exact: true }).isVisible();
      },
      { timeout: 10_000, intervals: [250, 500, 1_000] },
    )
    .toBe(true);
});

test("profile fields are validated beside the input, and nothing is saved", async ({ page }) => {
  await signIn(page, "teacher");
  await page.goto("/dashboard/profile");
  const video = page.getByLabel(/Intro video link/);
  await video.fill("javascript:alert(1)");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Use a link that starts with https:// or http://")).toBeVisible();
  await expect(video).toHaveAttribute("aria-invalid", "true");
  await expect(
    page.getByRole("alert").filter({ hasText: "correct the marked fields" }),
  ).toBeVisible();
});
