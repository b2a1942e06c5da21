import { expect, test } from "@playwright/test";
import { signIn } from "./support";

/** A real 1×1 PNG: the server reads the type from these bytes. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

test("a new user applies to teach, the admin approves, the teacher appears in search", async ({
  browser,
  page,
}) => {
  const name = `Olive Onboard ${Date.now().toString(36)}`;

  // A visitor reads /teach, creates an account from there and comes back to apply.
  await page.goto("/teach");
  await expect(page.getByRole("heading", { level: 1, name: "Teach on Halfhour" })).toBeVisible();
  await page.getByTestId("teach-sign-in").getByRole("link", { name: "create an account" }).click();
  await expect(page).toHaveURL(/\/sign-up\?callbackUrl=%2Fteach$/);
  await expect(page.getByRole("button", { name: "Create account" })).toBeEnabled();
  await page.getByLabel("Name").fill(name);
  await page
    .getByLabel("Email")
    .fill(`onboard-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`);
  await page.getByLabel("Password").fill("a much longer password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/teach$/);
  await expect(page.getByTestId("signed-in-as")).toContainText("student");

  const form = page.getByTestId("teach-form");
  await expect(form.getByLabel("Display name")).toHaveValue(name);
  // Sent without a certificate first: the error names the field.
  await form.getByLabel("Headline").fill("Watercolour and drawing for beginners");
  await form.getByLabel(/Drawing & Painting/).check();
  await form
    .getByLabel("Teaching experience")
    .fill("Ten years of evening classes in watercolour, and online lessons since 2021.");
  await form.getByLabel("Hours you plan to teach").fill("Mon–Fri 18:00–21:00");
  await form.getByRole("button", { name: "Send application" }).click();
  await expect(form.getByText("Attach your teaching certificate")).toBeVisible();

  await form.getByLabel("Teaching certificate").setInputFiles({
    name: "certificate.png",
    mimeType: "image/png",
    buffer: PNG,
  });
  await form.getByRole("button", { name: "Send application" }).click();
  const status = page.getByTestId("teach-status");
  await expect(status).toHaveAttribute("data-status", "submitted");
  await expect(status).toContainText("waiting for review");
  const certificateHref = await status.getByTestId("certificate-link").getAttribute("href");
  // The applicant may open their certificate; a visitor may not.
  const own = await page.request.get(certificateHref!);
  expect(own.status()).toBe(200);
  expect(own.headers()["content-type"]).toBe("image/png");
  expect(own.headers()["cache-control"]).toBe("private, no-store");
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(certificateHref!)).status()).toBe(401);
  await anonymous.close();

  // The admin, in a browser of their own, approves it.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "admin");
  await admin.goto("/admin/refunds");
  await admin
    .getByRole("navigation", { name: "Administration" })
    .getByRole("link", { name: "Teachers" })
    .click();
  await expect(admin).toHaveURL(/\/admin\/teachers$/);
  // The demo seed's applicant waits here too.
  await expect(
    admin.getByRole("article", { name: "Application from Alex Applicant" }),
  ).toBeVisible();
  const card = admin.getByRole("article", { name: `Application from ${name}` });
  await expect(card).toContainText("Watercolour and drawing for beginners");
  await expect(card).toContainText("Drawing & Painting");
  expect((await admin.request.get(certificateHref!)).status()).toBe(200);
  await card.getByRole("button", { name: "Approve" }).click();
  await expect(card).toBeHidden(); // it leaves the "waiting" list
  await admin.getByLabel("Show applications").selectOption("approved");
  await expect(
    admin.getByRole("article", { name: `Application from ${name}` }).locator(".badge"),
  ).toHaveText("approved");
  await adminContext.close();

  // The applicant sees the decision; their session picks up the new role at once.
  await page.reload();
  await expect(status).toHaveAttribute("data-status", "approved");
  await expect(page.getByTestId("signed-in-as")).toContainText("teacher");
  await status.getByRole("link", { name: "Go to your dashboard" }).click();
  const dashboard = page.getByTestId("teacher-dashboard");
  await expect(dashboard).toContainText(name);
  await expect(dashboard.locator(".badge")).toHaveText("approved");

  // And students find them by name.
  await page.goto(`/search?q=${encodeURIComponent(name)}`);
  const results = page.getByRole("main").getByTestId("search-results").locator("li");
  await expect(results.first()).toContainText(name);
  await results.first().getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
});
