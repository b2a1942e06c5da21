import { expect, type Page, test } from "@playwright/test";
import { createCampaign } from "./couponDatabase";
import { grantCouponToPhone } from "./phoneDatabase";

/** A number no other run uses (+1 555 01xx xxxx is reserved for fiction). */
const freshPhone = () => `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, "0")}`;

/**
 * The code in the newest message to `phone` that is not one of `seen`, read from the
 * development SMS sink the way a developer would: the /dev/sms page, newest first. Only
 * visible rows count: right after load, the streamed page may still hold a hidden copy of
 * its content (the root loading boundary), and an old copy must not pass for a new message.
 */
async function codeFromDevSink(page: Page, phone: string, seen: string[] = []): Promise<string> {
  const messages = page.getByTestId("dev-sms-text").filter({ visible: true });
  let code: string | undefined;
  await expect
    .poll(
      async () => {
        await page.goto(`/dev/sms?to=${encodeURIComponent(phone)}`);
        if ((await messages.count()) === 0) return false;
        code = /\b(\d{6})\b/.exec((await messages.first().textContent()) ?? "")?.[1];
        return code !== undefined && !seen.includes(code);
      },
      { message: `a new code for ${phone} on /dev/sms` },
    )
    .toBe(true);
  return code!;
}

async function sendCode(page: Page, phone: string) {
  const section = page.getByTestId("phone-sign-in");
  await section.getByLabel("Phone number").fill(phone);
  await section.getByRole("button", { name: "Send code" }).click();
  await expect(page.getByTestId("phone-code-sent")).toContainText(phone);
}

async function enterCode(page: Page, code: string) {
  const section = page.getByTestId("phone-sign-in");
  await section.getByLabel("6-digit code").fill(code);
  await section.getByRole("button", { name: "Verify code" }).click();
}

test("sign in with a phone code read from the dev sink: a new number gets a new account, with the coupon granted to it", async ({
  page,
  context,
}) => {
  const phone = freshPhone();
  const title = `Phone gift ${Math.random().toString(36).slice(2, 8)}`;
  await grantCouponToPhone(await createCampaign({ title }), phone);

  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/me/coupons")}`);
  // Typed the way people type numbers: spaces are fine, the country code is required.
  await page
    .getByTestId("phone-sign-in")
    .getByLabel("Phone number")
    .fill(`${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5)}`);
  await page.getByTestId("phone-sign-in").getByRole("button", { name: "Send code" }).click();
  await expect(page.getByTestId("phone-code-sent")).toContainText(phone);

  const sink = await context.newPage();
  const code = await codeFromDevSink(sink, phone);
  await expect(sink.getByTestId("dev-sms-text").filter({ visible: true }).first()).toContainText(
    "sign-in code",
  );

  await enterCode(page, code);
  await expect(page).toHaveURL(/\/me\/coupons$/);
  await expect(page.getByTestId("signed-in-as")).toContainText(`Student •••${phone.slice(-4)}`);
  await expect(page.getByTestId("signed-in-as")).toContainText("student");
  // The coupon granted to the number became the new account's.
  await expect(page.getByTestId("coupons-available")).toContainText(title);

  // The account page shows the verified number.
  await page.goto("/me/account");
  await expect(page.getByTestId("account-phone-current")).toContainText(phone);
  // No password to change: the page says how this account signs in instead.
  await expect(page.locator("main").getByTestId("account-password")).toContainText(
    "This account has no password: it signs in with a code by text.",
  );
});

test("five wrong codes lock the code; the right one then fails too, and a new code signs in", async ({
  page,
  context,
}) => {
  const phone = freshPhone();
  await page.goto("/sign-in");
  await sendCode(page, phone);
  const sink = await context.newPage();
  const code = await codeFromDevSink(sink, phone);
  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");

  const error = page.getByTestId("phone-error");
  for (const left of ["4 attempts left", "3 attempts left", "2 attempts left", "1 attempt left"]) {
    await enterCode(page, wrong);
    await expect(error).toHaveText(`That code is wrong. ${left}.`);
  }
  await enterCode(page, wrong);
  await expect(error).toContainText("that was the last attempt: this code is locked");

  // Locked means locked: the right code is refused now, and nobody is signed in.
  await enterCode(page, code);
  await expect(error).toHaveText("Too many wrong codes: this code is locked. Send a new code.");
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);

  // A new code (the second of the three a number may get in ten minutes) works.
  await page.getByTestId("phone-sign-in").getByRole("button", { name: "Send a new code" }).click();
  const fresh = await codeFromDevSink(sink, phone, [code]);
  await enterCode(page, fresh);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("signed-in-as")).toContainText(`Student •••${phone.slice(-4)}`);
});
