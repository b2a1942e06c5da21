import { expect, test } from "@playwright/test";
import { createCampaign } from "./couponDatabase";
import { signUpStudent } from "./support";

const unique = () => Math.random().toString(36).slice(2, 8).toUpperCase();

test("a new student claims a coupon from a campaign page, sees it, and cannot claim beyond the limit", async ({
  page,
}) => {
  const title = `Welcome ${unique()}`;
  const batchId = await createCampaign({ title });

  // A visitor sees the offer and is asked to sign in.
  await page.goto(`/campaigns/${batchId}`);
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByTestId("campaign-discount")).toContainText("off");
  await expect(page.getByTestId("sign-in-notice")).toBeVisible();

  await signUpStudent(page, `Coupon Student ${unique()}`);
  await page.goto(`/campaigns/${batchId}`);
  await expect(page.getByTestId("campaign-left")).toHaveText("10 left.");
  await page.getByTestId("claim-button").click();
  await expect(page.getByTestId("claim-success")).toContainText("Claimed!");
  const code = (await page.getByTestId("claimed-code").textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}$/);

  await page.getByRole("link", { name: "Coupons", exact: true }).click();
  await expect(page).toHaveURL(/\/me\/coupons$/);
  const mine = page.getByTestId("coupons-available").getByTestId("coupon");
  await expect(mine).toHaveCount(1);
  await expect(mine.first()).toHaveAttribute("data-code", code);
  await expect(mine.first()).toHaveAttribute("data-status", "available");
  await expect(mine.first()).toContainText(title);

  // A second claim (a new attempt, so a new request key) is beyond the one-per-student limit.
  await page.goto(`/campaigns/${batchId}`);
  await expect(page.getByTestId("campaign-left")).toHaveText("9 left.");
  await page.getByTestId("claim-button").click();
  await expect(page.getByTestId("claim-error")).toHaveText("You already have this coupon");

  // Claiming by code from /me/coupons.
  const claimCode = `E2E-${unique()}`;
  const coded = `Code ${unique()}`;
  await createCampaign({ title: coded, claimCode });
  await page.goto("/me/coupons");
  await page
    .getByTestId("claim-by-code")
    .getByLabel("Have a coupon code?")
    .fill(claimCode.toLowerCase());
  await page.getByTestId("claim-by-code").getByRole("button", { name: "Claim" }).click();
  await expect(page.getByTestId("coupons-available").getByTestId("coupon")).toHaveCount(2);
  await expect(page.getByTestId("coupons-available")).toContainText(coded);
});
