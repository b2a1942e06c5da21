import { expect, type Page, test } from "@playwright/test";
import { paymentRecordsOf } from "./paymentDatabase";
import { DEMO_TEACHER_ID, signUpStudent } from "./support";

/**
 * Checks out a single 30-minute lesson with the demo teacher at the `nth` free start of the
 * second day with openings, and returns the new order's id (the order page is open).
 */
async function orderHalfHour(page: Page, nth: number): Promise<{ orderId: string; start: string }> {
  await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
  const card = page.getByTestId("live-card");
  await expect(card.getByLabel("Time zone")).toHaveValue("Europe/Paris");
  await expect(card.getByTestId("purchase-picker")).toBeVisible();
  await card.getByRole("radio", { name: /^30 min/ }).check();
  const chip = card
    .getByTestId("free-slots")
    .locator("fieldset.slot-day")
    .nth(1)
    .locator(".slot-chip[data-slot]")
    .nth(nth);
  const start = (await chip.getAttribute("data-slot")) ?? "";
  await chip.click();
  await expect(chip).toHaveAttribute("aria-pressed", "true");
  await expect(card.getByTestId("selection")).toContainText("(30 min)");
  await card.getByRole("radio", { name: /Single lesson/ }).check();
  await card.getByRole("link", { name: "Continue to checkout" }).click();
  await expect(page).toHaveURL(/\/checkout\?.*&order=\d+/);
  await page.getByRole("button", { name: "Confirm order" }).click();
  await expect(page).toHaveURL(/\/me\/orders\/\d+$/);
  await expect(page.getByTestId("order-status")).toHaveText("awaiting payment");
  return { orderId: page.url().split("/").pop()!, start };
}

/** Clicks Pay on the order page and lands on the sandbox gateway's hosted page. */
async function openSandbox(page: Page, orderId: string) {
  const pay = page.getByTestId("pay-order");
  await expect(pay).toHaveText(/^Pay US\$\d+\.\d\d by card$/);
  const amount = (await pay.innerText()).replace(/^Pay | by card$/g, "");
  await pay.click();
  await expect(page).toHaveURL(/\/sandbox\/pay\/\d+$/);
  const sandbox = page.getByTestId("sandbox-payment").filter({ visible: true });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Sandbox payment — no real money",
  );
  await expect(sandbox.getByTestId("sandbox-amount").filter({ visible: true })).toContainText(
    amount.replace("US", ""),
  );
  await expect(sandbox).toContainText(`order ${orderId}`);
  await expect(sandbox.getByTestId("sandbox-status")).toHaveText("pending");
  return sandbox;
}

test.describe
  .serial("paying an order through the sandbox gateway", () => {
    test("Pay: the order is paid and its lesson booked; the doubled callback applies once", async ({
      page,
    }) => {
      // Another student than the demo one, whose seeded lessons other specs count.
      await signUpStudent(page, "Paula Payer");
      const { orderId, start } = await orderHalfHour(page, 0);
      const sandbox = await openSandbox(page, orderId);

      await sandbox.getByRole("button", { name: "Pay", exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`/me/orders/${orderId}$`));
      await expect(page.getByTestId("order-status")).toHaveText("paid");
      await expect(page.getByTestId("hold-countdown")).toHaveCount(0);
      await expect(page.getByTestId("pay-order")).toHaveCount(0);
      await expect(
        page.locator(`[data-testid="order-lesson"][data-lesson-start="${start}"]`),
      ).toHaveAttribute("data-status", "booked");

      const records = await paymentRecordsOf(orderId);
      expect(records).toHaveLength(1);
      const payment = records[0]!;
      expect(payment.status).toBe("succeeded");
      expect(payment.applications).toHaveLength(1);
      expect(payment.callbacks.map((c) => c.outcome).sort()).toEqual(["applied", "duplicate"]);
    });

    test("Decline: the order still awaits payment and the payment failed", async ({ page }) => {
      await signUpStudent(page, "Dana Decliner");
      const { orderId } = await orderHalfHour(page, 2);
      const sandbox = await openSandbox(page, orderId);

      await sandbox.getByRole("button", { name: "Decline" }).click();
      await expect(page).toHaveURL(new RegExp(`/me/orders/${orderId}$`));
      await expect(page.getByTestId("order-status")).toHaveText("awaiting payment");
      await expect(page.getByTestId("pay-order")).toBeVisible();

      const records = await paymentRecordsOf(orderId);
      expect(records).toHaveLength(1);
      const payment = records[0]!;
      expect(payment.status).toBe("failed");
      expect(payment.failureReason).toBe("declined by the payer");
      expect(payment.applications).toHaveLength(0);
    });
  });
