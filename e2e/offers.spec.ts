import { expect, test } from "@playwright/test";
import { couponState, setUpOffers } from "./offersDatabase";
import { signUpStudent } from "./support";

/** "US$270.00" / "€1,234.50" → minor units. */
const minorOf = (text: string) => Math.round(Number(text.replace(/[^\d.]/g, "")) * 100);

test("checkout shows the promotion and the best coupon, the wallet pays, the coupon is used", async ({
  page,
}) => {
  const name = `Olive Offers ${Date.now()}`;
  await signUpStudent(page, name);
  const offer = await setUpOffers(name);
  const promotionOff = Math.floor(offer.listAmount / 10);
  const payable = offer.listAmount - promotionOff - 500;

  await page.goto(
    `/checkout?teacher=${offer.teacherId}&course=${offer.courseId}&package=${offer.hours}`,
  );
  await expect(page).toHaveURL(/\/checkout\?.*&order=\d+/);
  const summary = page.getByTestId("checkout-summary");
  await expect(summary.getByTestId("checkout-list")).toBeVisible();
  expect(minorOf(await summary.getByTestId("checkout-list").innerText())).toBe(offer.listAmount);
  await expect(summary.getByTestId("checkout-discount-promotion")).toContainText(
    "Ten hours, ten percent off",
  );
  await expect(summary.getByTestId("checkout-discount-coupon")).toContainText("Welcome five off");
  expect(minorOf(await summary.getByTestId("checkout-total").innerText())).toBe(payable);
  // The best coupon is preselected; choosing none shows the price without it.
  const coupons = page.getByTestId("checkout-coupons");
  await expect(coupons.getByTestId(`coupon-${offer.couponCode}`).getByRole("radio")).toBeChecked();
  await coupons.getByTestId("coupon-none").getByRole("radio").check();
  await expect(summary.getByTestId("checkout-discount-coupon")).toHaveCount(0);
  expect(minorOf(await summary.getByTestId("checkout-total").innerText())).toBe(payable + 500);
  await coupons.getByTestId(`coupon-${offer.couponCode}`).getByRole("radio").check();
  await expect(summary.getByTestId("checkout-discount-coupon")).toBeVisible();

  await page.getByRole("button", { name: "Confirm order" }).click();
  await expect(page).toHaveURL(/\/me\/orders\/\d+$/);
  const orderId = page.url().split("/").pop()!;
  await expect(page.getByTestId("order-status")).toHaveText("awaiting payment");
  await expect(page.getByTestId("order-discount-coupon")).toBeVisible();
  await expect(page.getByTestId("order-discount-promotion")).toBeVisible();
  expect(minorOf(await page.getByTestId("order-payable").innerText())).toBe(payable);
  expect(await couponState(offer.couponId)).toEqual({ status: "locked", orderId });

  await page.getByTestId("pay-wallet").click();
  await expect(page.getByTestId("order-status")).toHaveText("paid");
  expect(await couponState(offer.couponId)).toEqual({ status: "used", orderId });
});
