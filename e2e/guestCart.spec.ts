import { type BrowserContext, expect, type Locator, type Page, test } from "@playwright/test";
import { DEMO_TEACHER_ID, signOut } from "./support";

const PASSWORD = "a long enough password";

/** The cart cookie, once the checkout page has stored it (a server action after hydration). */
async function cartCookie(context: BrowserContext) {
  await expect
    .poll(async () => (await context.cookies()).some((c) => c.name === "halfhour_cart"))
    .toBe(true);
  return (await context.cookies()).find((c) => c.name === "halfhour_cart")!;
}

/** Opens the demo teacher's studio once hydrated (the zone select shows the browser's zone). */
async function openStudio(page: Page): Promise<Locator> {
  await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
  const card = page.getByTestId("live-card");
  await expect(card.getByLabel("Time zone")).toHaveValue("Europe/Paris");
  await expect(card.getByTestId("purchase-picker")).toBeVisible();
  return card;
}

/** Picks a 60-minute single lesson: the latest start offered, away from other specs' picks. */
async function pickLesson(card: Locator): Promise<string> {
  await card.getByRole("radio", { name: /^60 min/ }).check();
  const chip = card
    .getByTestId("free-slots")
    .locator("fieldset.slot-day")
    .last()
    .locator(".slot-chip[data-slot]")
    .last();
  const start = (await chip.getAttribute("data-slot")) ?? "";
  await chip.click();
  await expect(chip).toHaveAttribute("aria-pressed", "true");
  await card.getByRole("radio", { name: /Single lesson/ }).check();
  return start;
}

/** A student account made in a context of its own (so the visitor's context stays signed out). */
async function newStudent(context: BrowserContext, name: string): Promise<string> {
  const email = `cart-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const page = await context.newPage();
  await page.goto("/sign-up");
  await expect(page.locator("main").getByRole("button", { name: "Create account" })).toBeEnabled();
  await page.locator("main").getByLabel("Name").fill(name);
  await page.locator("main").getByLabel("Email").fill(email);
  await page.locator("main").getByLabel("Password").fill(PASSWORD);
  await page.locator("main").getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(name);
  await page.close();
  return email;
}

function expectCheckoutOf(page: Page, start: string) {
  const params = new URL(page.url()).searchParams;
  expect(Object.fromEntries(params)).toMatchObject({
    teacher: DEMO_TEACHER_ID,
    start,
    slots: "2",
    package: "lesson",
  });
}

test("a visitor's checkout survives signing in without the callback URL, until the order is placed", async ({
  page,
  browser,
}) => {
  const accounts = await browser.newContext();
  const email = await newStudent(accounts, "Carl Cart");
  await accounts.close();

  // A visitor picks a lesson and goes to checkout, where they are asked to sign in.
  const card = await openStudio(page);
  const start = await pickLesson(card);
  await card.getByRole("link", { name: "Continue to checkout" }).click();
  await expect(page).toHaveURL(/\/checkout\?/);
  await expect(page.getByTestId("checkout-summary")).toContainText("Tessa Teacher");
  await expect(page.getByTestId("sign-in-notice")).toContainText("Sign in as a student");
  const cookie = await cartCookie(page.context());
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  expect(cookie.expires).toBeGreaterThan(Date.now() / 1000 + 23 * 3600);

  // The home page offers the way back. (Server-rendered parts are looked for within main: a
  // page streamed in after a full load is briefly also held hidden at the end of the body.)
  await page.goto("/");
  const notice = page.locator("main").getByTestId("guest-cart");
  await expect(notice).toContainText("a single 60-minute lesson waiting at checkout");

  // Signing in from the header's link (no callback URL) goes on to the same checkout.
  await page.locator("header").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.locator("main").getByTestId("cart-waiting")).toContainText(
    "waiting at checkout",
  );
  await page.locator("main").getByLabel("Email").fill(email);
  await page.locator("main").getByLabel("Password").fill(PASSWORD);
  await page.locator("main").getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/checkout\?.*&order=\d+/);
  expectCheckoutOf(page, start);
  await expect(page.getByTestId("checkout-summary")).toContainText("Tessa Teacher");

  // Placing the order empties the cart.
  await page.getByRole("button", { name: "Confirm order" }).click();
  await expect(page).toHaveURL(/\/me\/orders\/\d+$/);
  await expect
    .poll(async () => (await page.context().cookies()).some((c) => c.name === "halfhour_cart"))
    .toBe(false);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("main").getByTestId("guest-cart")).toHaveCount(0);
});

test("a new account made from a new tab goes on to the visitor's checkout", async ({ page }) => {
  const card = await openStudio(page);
  const start = await pickLesson(card);
  await card.getByRole("link", { name: "Continue to checkout" }).click();
  await expect(page).toHaveURL(/\/checkout\?/);
  await cartCookie(page.context());

  const tab = await page.context().newPage();
  await tab.goto("/sign-up");
  await expect(tab.locator("main").getByTestId("cart-waiting")).toBeVisible();
  await expect(tab.locator("main").getByRole("button", { name: "Create account" })).toBeEnabled();
  await tab.locator("main").getByLabel("Name").fill("Nina Newtab");
  await tab.locator("main").getByLabel("Email").fill(`cart-tab-${Date.now()}@example.com`);
  await tab.locator("main").getByLabel("Password").fill(PASSWORD);
  await tab.locator("main").getByRole("button", { name: "Create account" }).click();
  await expect(tab).toHaveURL(/\/checkout\?.*&order=\d+/);
  expectCheckoutOf(tab, start);
  await expect(tab.getByRole("button", { name: "Confirm order" })).toBeEnabled();

  // Signed out again and dismissed from the home page: the cart is gone.
  await signOut(tab);
  await tab.goto("/");
  await tab
    .locator("main")
    .getByTestId("guest-cart")
    .getByRole("button", { name: "Dismiss" })
    .click();
  await expect(tab.locator("main").getByTestId("guest-cart")).toHaveCount(0);
  expect((await tab.context().cookies()).some((c) => c.name === "halfhour_cart")).toBe(false);
  await tab.goto("/sign-in");
  await expect(
    tab.locator("main").getByRole("button", { name: "Sign in", exact: true }),
  ).toBeVisible();
  await expect(tab.locator("main").getByTestId("cart-waiting")).toHaveCount(0);
});

test("a tampered cart cookie is ignored", async ({ page, baseURL }) => {
  const card = await openStudio(page);
  await pickLesson(card);
  await card.getByRole("link", { name: "Continue to checkout" }).click();
  const cookie = await cartCookie(page.context());
  const [version, body, mac] = cookie.value.split(".") as [string, string, string];
  const payload = JSON.parse(Buffer.from(body, "base64url").toString());
  payload.params.slots = "4";
  const forged = Buffer.from(JSON.stringify(payload)).toString("base64url");
  await page
    .context()
    .addCookies([{ name: "halfhour_cart", value: `${version}.${forged}.${mac}`, url: baseURL! }]);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator("main").getByTestId("guest-cart")).toHaveCount(0);
  await page.goto("/sign-in");
  await expect(
    page.locator("main").getByRole("button", { name: "Sign in", exact: true }),
  ).toBeVisible();
  await expect(page.locator("main").getByTestId("cart-waiting")).toHaveCount(0);
});
