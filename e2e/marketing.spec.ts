import { expect, test } from "@playwright/test";
import { createCampaign } from "./couponDatabase";
import { setUpPackagePromotion } from "./offersDatabase";
import { signUpStudent } from "./support";

const unique = () => Math.random().toString(36).slice(2, 8).toUpperCase();

/**
 * Issue 7's whole path in one student's browser: a coupon claimed from a campaign page is
 * offered at checkout on a package that also has a promotion, the wallet pays, the coupon
 * shows as used; claiming again beyond the per-student limit is refused.
 */
test("claim on a campaign page, use it at checkout with a promotion, pay from the wallet", async ({
  page,
}) => {
  const name = `Mia Marketing ${unique()}`;
  const title = `Spring welcome ${unique()}`;
  await signUpStudent(page, name);
  const batchId = await createCampaign({ title });
  const offer = await setUpPackagePromotion(name);

  await page.goto(`/campaigns/${batchId}`);
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await page.getByTestId("claim-button").click();
  await expect(page.getByTestId("claim-success")).toContainText("Claimed!");
  const code = (await page.getByTestId("claimed-code").textContent())!.trim();

  await page.goto(
    `/checkout?teacher=${offer.teacherId}&course=${offer.courseId}&package=${offer.hours}`,
  );
  const summary = page.getByTestId("checkout-summary");
  await expect(summary.getByTestId("checkout-discount-promotion")).toContainText(
    "Ten hours, ten percent off",
  );
  await expect(summary.getByTestId("checkout-discount-coupon")).toContainText(title);
  await expect(
    page.getByTestId("checkout-coupons").getByTestId(`coupon-${code}`).getByRole("radio"),
  ).toBeChecked();
  await page.getByRole("button", { name: "Confirm order" }).click();
  await expect(page).toHaveURL(/\/me\/orders\/\d+$/);
  await expect(page.getByTestId("order-discount-coupon")).toBeVisible();
  await page.getByTestId("pay-wallet").click();
  await expect(page.getByTestId("order-status")).toHaveText("paid");

  await page.goto("/me/coupons");
  const used = page.getByTestId("coupons-used").getByTestId("coupon");
  await expect(used).toHaveCount(1);
  await expect(used.first()).toHaveAttribute("data-code", code);
  await expect(used.first()).toHaveAttribute("data-status", "used");
  await expect(page.getByTestId("coupons-available").getByTestId("coupon")).toHaveCount(0);

  await page.goto(`/campaigns/${batchId}`);
  await page.getByTestId("claim-button").click();
  await expect(page.getByTestId("claim-error")).toHaveText("You already have this coupon");
});
