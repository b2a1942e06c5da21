import { expect, type Page, test } from "@playwright/test";
import { signOut } from "./support";

const PASSWORD = "the first long password";
const NEW_PASSWORD = "the second long password";

/** A new account through /sign-up; returns its (unique) email address. */
async function signUp(page: Page, name: string): Promise<string> {
  const email = `mail-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  await page.goto("/sign-up");
  await expect(page.locator("main").getByRole("button", { name: "Create account" })).toBeEnabled();
  await page.locator("main").getByLabel("Name").fill(name);
  await page.locator("main").getByLabel("Email").fill(email);
  await page.locator("main").getByLabel("Password").fill(PASSWORD);
  await page.locator("main").getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(name);
  return email;
}

/** The latest mail to `email` in the development mailbox with `subject`. */
async function openMail(page: Page, email: string, subject: string) {
  await page.goto("/dev/mail");
  const mail = page.locator(`[data-testid="dev-mail"][data-to="${email}"]`).filter({
    hasText: subject,
  });
  await expect(mail.first()).toBeVisible();
  return mail.first();
}

test("a new account verifies its email address from the mailed link", async ({ page }) => {
  const email = await signUp(page, "Vera Verify");
  await page.goto("/me/account");
  const section = page.locator("main").getByTestId("account-email");
  await expect(section.getByTestId("email-unverified")).toContainText("not verified yet");
  await expect(section.getByRole("button", { name: "Resend verification email" })).toBeVisible();

  const mail = await openMail(page, email, "Confirm your email address");
  await mail.getByRole("link", { name: /\/verify-email\?token=/ }).click();
  await expect(page).toHaveURL(/\/verify-email\?token=/);
  // Within main (as below): while a page streams in after a full load, Next.js briefly holds a
  // hidden copy of it at the end of the body.
  const outcome = page.locator("main").getByTestId("verify-email-outcome");
  await expect(outcome).toHaveAttribute("data-outcome", "verified");
  await expect(outcome).toContainText("Your email address is verified");

  await page.getByRole("link", { name: "Go to your account" }).click();
  await expect(section.getByTestId("email-verified")).toContainText(email);
  await expect(section.getByTestId("email-verified")).toContainText("Verified");

  // The same link again: used, and it says the address is verified.
  await page.goBack();
  await page.reload();
  await expect(outcome).toHaveAttribute("data-outcome", "already_verified");
});

test("forgot password: the mailed link sets a new password, which then signs in", async ({
  page,
}) => {
  const email = await signUp(page, "Pat Forgetful");
  await signOut(page);

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.locator("main").getByLabel("Email").fill(email);
  await page.locator("main").getByRole("button", { name: "Send me a link" }).click();
  await expect(page.locator("main").getByTestId("reset-requested")).toContainText(
    "If an account exists for that address, we sent it a link",
  );

  // An address with no account gets the very same answer.
  await page.goto("/forgot-password");
  await page.locator("main").getByLabel("Email").fill(`nobody-${Date.now()}@example.com`);
  await page.locator("main").getByRole("button", { name: "Send me a link" }).click();
  await expect(page.locator("main").getByTestId("reset-requested")).toContainText(
    "If an account exists for that address, we sent it a link",
  );

  const mail = await openMail(page, email, "Reset your Halfhour password");
  const link = mail.getByRole("link", { name: /\/reset-password\?token=/ });
  const resetUrl = (await link.getAttribute("href"))!;
  await link.click();
  await expect(page).toHaveURL(/\/reset-password\?token=/);
  const main = page.locator("main");
  await main.locator('input[name="password"]').fill(NEW_PASSWORD);
  await main.locator('input[name="repeat"]').fill(NEW_PASSWORD);
  await main.getByRole("button", { name: "Set new password" }).click();
  await expect(main.getByTestId("password-reset-done")).toContainText("Your password was changed");

  // The link works once.
  await page.goto(resetUrl);
  await expect(page.locator("main").getByTestId("reset-link-problem")).toContainText(
    "already used",
  );

  // The old password no longer signs in; the new one does.
  await page.goto("/sign-in");
  await page.locator("main").getByLabel("Email").fill(email);
  await page.locator("main").getByLabel("Password").fill(PASSWORD);
  await page.locator("main").getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("main").getByRole("alert")).toContainText("do not match");
  await page.locator("main").getByLabel("Password").fill(NEW_PASSWORD);
  await page.locator("main").getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("Pat Forgetful");

  // Opening the reset mail proved the mailbox: the address is verified too.
  await page.goto("/me/account");
  await expect(page.locator("main").getByTestId("email-verified")).toContainText(email);
});

test("changing the password on /me/account keeps this session and needs the current one", async ({
  page,
}) => {
  const email = await signUp(page, "Cleo Change");
  await page.goto("/me/account");
  const section = page.locator("main").getByTestId("account-password");
  await section.getByLabel("Current password").fill("not my password");
  await section.locator('input[name="newPassword"]').fill(NEW_PASSWORD);
  await section.getByRole("button", { name: "Change password" }).click();
  await expect(section.locator("#currentPassword-error")).toHaveText(
    "That is not your current password",
  );

  await section.getByLabel("Current password").fill(PASSWORD);
  await section.locator('input[name="newPassword"]').fill(NEW_PASSWORD);
  await section.getByRole("button", { name: "Change password" }).click();
  await expect(section.getByTestId("password-changed")).toHaveText(
    "Your password was changed. Other devices are signed out.",
  );
  // This browser signed in again with the new password (a session of the new generation).
  await page.reload();
  await expect(page.getByTestId("signed-in-as")).toContainText("Cleo Change");

  await signOut(page);
  await page.goto("/sign-in");
  await page.locator("main").getByLabel("Email").fill(email);
  await page.locator("main").getByLabel("Password").fill(NEW_PASSWORD);
  await page.locator("main").getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("Cleo Change");
});

test("the development mailbox is served while dev sinks are on", async ({ page }) => {
  const response = await page.goto("/dev/mail");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Development mailbox" })).toBeVisible();
});
