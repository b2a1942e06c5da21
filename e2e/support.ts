import { expect, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../db/seed/demoData";
import { seedId } from "../server/ids/snowflake";

/** The demo teacher (always has published availability) has a stable seeded id. */
export const DEMO_TEACHER_ID = seedId(1_000);

/**
 * Forms are looked for within main: the sign-in and sign-up pages render per request, and a
 * page streamed in after a full load is briefly also held, hidden, at the end of the body.
 */
export async function signIn(page: Page, who: keyof typeof DEMO_ACCOUNTS) {
  await page.goto("/sign-in");
  const form = page.locator("main");
  await form.getByLabel("Email", { exact: true }).fill(DEMO_ACCOUNTS[who]);
  await form.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await form.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(who);
}

/**
 * Signs out from /sign-out once the page's own session request has finished: a session
 * response still in flight when the sign-out lands can set the session cookie again.
 */
export async function signOut(page: Page) {
  await page.goto("/sign-out");
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.locator("main").getByRole("button", { name: "Sign out" }).click();
  await expect(page.locator("header").getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** A new student account, signed in: for tests whose orders must not touch the demo student. */
/** The password signUpStudent gives its accounts. */
export const STUDENT_PASSWORD = "a much longer password";

/** Returns the new account's email. */
export async function signUpStudent(page: Page, name: string): Promise<string> {
  const email = `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  await page.goto("/sign-up");
  const form = page.locator("main");
  await expect(form.getByRole("button", { name: "Create account" })).toBeEnabled();
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(STUDENT_PASSWORD);
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(name);
  return email;
}
