import { expect, type Page, test } from "@playwright/test";
import { DEMO_ACCOUNTS } from "../db/seed/demoData";
import { IDP_PASSWORD, IDP_USERS } from "../scripts/idpUsers";
import { signIn, signOut } from "./support";

/**
 * Single sign-on through the local OpenID Connect provider (scripts/idp.ts, started by
 * scripts/e2e.sh as "Halfhour ID"), in the browser under the production security headers:
 * discovery, the authorisation redirect, the provider's login page, the callback with PKCE,
 * state and nonce, and the linking rules of server/identity/ssoLinking.ts.
 */

const idpUser = (email: string) => IDP_USERS.find((u) => u.email === email)!;

/** On the provider's own page (another origin): sign in as one of its people. */
async function signInAtIdp(page: Page, email: string) {
  await expect(page.getByRole("heading", { name: /Local IdP: sign in/ })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(process.env.OIDC_ISSUER);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(IDP_PASSWORD);
  await page.getByRole("button", { name: "Sign in and continue" }).click();
}

async function startSso(page: Page) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with Halfhour ID" }).click();
}

async function openAccount(page: Page) {
  await page
    .getByRole("navigation", { name: "Account" })
    .getByRole("link", { name: "Account" })
    .click();
  await expect(page).toHaveURL(/\/me\/account/);
}

test("a new person signs in with single sign-on: a student account, email verified", async ({
  page,
}) => {
  const person = idpUser("sso-student@halfhour.dev");
  await startSso(page);
  await signInAtIdp(page, person.email);

  await expect(page.getByTestId("signed-in-as")).toContainText(person.name);
  await expect(page.getByTestId("signed-in-as")).toContainText("student");

  await openAccount(page);
  const email = page.locator("main").getByTestId("account-email");
  await expect(email).toContainText(person.email);
  await expect(email.getByTestId("email-verified")).toBeVisible();
  await expect(page.getByTestId("password-status")).toHaveText("Not set");
  await expect(page.getByTestId("sso-status")).toHaveText("Linked");
  // Its only way in: unlinking is refused, saying why.
  await page.getByRole("button", { name: "Unlink single sign-on" }).click();
  await expect(page.locator("main").getByRole("alert")).toContainText("only way into this account");
  await expect(page.getByTestId("sso-status")).toHaveText("Linked");
});

test("the demo student links single sign-on from the account page, uses it, and unlinks it", async ({
  page,
}) => {
  await signIn(page, "student");
  await openAccount(page);
  await expect(page.getByTestId("password-status")).toHaveText("Set");
  await expect(page.getByTestId("sso-status")).toHaveText("Not linked");

  await page.getByRole("button", { name: "Link single sign-on" }).click();
  await signInAtIdp(page, DEMO_ACCOUNTS.student);
  await expect(page).toHaveURL(/\/me\/account\?linked=sso$/);
  await expect(page.getByTestId("sso-status")).toHaveText("Linked");
  await expect(page.getByRole("status").filter({ hasText: "is linked" })).toBeVisible();

  // Signed out, the identity now signs in as the demo student (the account's own name).
  await signOut(page);
  await startSso(page);
  await signInAtIdp(page, DEMO_ACCOUNTS.student);
  await expect(page.getByTestId("signed-in-as")).toContainText("Sam Student");

  await openAccount(page);
  await page.getByRole("button", { name: "Unlink single sign-on" }).click();
  await expect(page.getByTestId("sso-status")).toHaveText("Not linked");
  await expect(page.getByRole("button", { name: "Link single sign-on" })).toBeEnabled();
});

test("an unverified email is refused when signed out; signed in, its owner may link it", async ({
  page,
}) => {
  const claimant = idpUser(DEMO_ACCOUNTS.teacher);
  expect(claimant.email_verified).toBe(false);
  await startSso(page);
  await signInAtIdp(page, claimant.email);

  await expect(page).toHaveURL(/\/sign-in\?error=sso_email_unverified_existing$/);
  await expect(page.getByTestId("sign-in-error")).toContainText("has not verified the address");
  await expect(page.locator("header").getByRole("link", { name: "Sign in" })).toBeVisible();

  // Signed in with the password, the teacher has proved who they are here: linking that same
  // identity from the account page is theirs to do, verified address or not.
  await signIn(page, "teacher");
  await openAccount(page);
  await page.getByRole("button", { name: "Link single sign-on" }).click();
  await signInAtIdp(page, claimant.email);
  await expect(page).toHaveURL(/\/me\/account\?linked=sso$/);
  await expect(page.getByTestId("sso-status")).toHaveText("Linked");

  // Once linked, the identity signs in as the teacher.
  await signOut(page);
  await startSso(page);
  await signInAtIdp(page, claimant.email);
  await expect(page.getByTestId("signed-in-as")).toContainText("teacher");
  await openAccount(page);
  await page.getByRole("button", { name: "Unlink single sign-on" }).click();
  await expect(page.getByTestId("sso-status")).toHaveText("Not linked");
});

test("cancelling at the provider comes back to the sign-in page, signed out", async ({ page }) => {
  await startSso(page);
  await expect(page.getByRole("heading", { name: /Local IdP: sign in/ })).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();

  await expect(page).toHaveURL(/\/sign-in\?error=/);
  await expect(page.getByTestId("sign-in-error")).toContainText("cancelled or refused");
  await expect(page.locator("header").getByRole("link", { name: "Sign in" })).toBeVisible();
});
