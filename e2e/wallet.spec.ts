import { expect, type Page, test } from "@playwright/test";
import { DEMO_TEACHER_ID, signIn } from "./support";

/** The seeded course of the demo teacher that sells a 10-hour package (db/seed/demoData.ts). */
const TEN_HOUR_COURSE = "English for Kids";

/** "US$1,234.50" or "$1,234.50" → 123450 (minor units). */
const minorOf = (text: string) => Math.round(Number(text.replace(/[^\d.]/g, "")) * 100);

async function walletBalance(page: Page): Promise<number> {
  const balance = page.getByTestId("wallet-balance").filter({ visible: true }).first();
  await expect(balance).toHaveText(/\$\d/);
  return minorOf(await balance.innerText());
}

test.describe
  .serial("the demo student's wallet", () => {
    test("tops up through the sandbox page, buys a 10-hour package from the wallet and books a lesson", async ({
      page,
    }) => {
      await signIn(page, "student");
      await page
        .getByRole("navigation", { name: "Account" })
        .getByRole("link", { name: "Wallet" })
        .click();
      await expect(page).toHaveURL(/\/me\/wallet$/);
      const before = await walletBalance(page);

      // Top up 600.00 through the sandbox gateway's hosted page.
      const form = page.getByTestId("wallet-top-up");
      await form.getByLabel("Amount").fill("600");
      await form.getByRole("button", { name: "Top up" }).click();
      await expect(page).toHaveURL(/\/sandbox\/pay\/\d+$/);
      const sandbox = page.getByTestId("sandbox-payment").filter({ visible: true });
      await expect(sandbox.getByTestId("sandbox-top-up")).toHaveText("Wallet top-up");
      await expect(sandbox.getByTestId("sandbox-amount")).toContainText("$600.00");
      await expect(sandbox.getByTestId("sandbox-status")).toHaveText("pending");
      await sandbox.getByRole("button", { name: "Pay", exact: true }).click();

      await expect(page).toHaveURL(/\/me\/wallet$/);
      await expect
        .poll(() => walletBalance(page), { message: "the top-up lands in the wallet" })
        .toBe(before + 60_000);
      const newest = page.getByTestId("statement-line").first();
      await expect(newest).toHaveAttribute("data-kind", "top_up");
      await expect(newest).toContainText("Wallet top-up");
      await expect(newest.getByTestId("statement-amount")).toContainText("+");
      await expect(newest.getByTestId("statement-amount")).toContainText("$600.00");
      await expect(page.getByTestId("top-up-pending")).toHaveCount(0);

      // Buy the 10-hour package from the studio page, hours only, then pay from the wallet.
      await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
      const card = page.getByTestId("live-card");
      await expect(card.getByLabel("Time zone")).toHaveValue("Europe/Paris");
      await expect(card.getByTestId("purchase-picker")).toBeVisible();
      const courseSelect = card.getByLabel("Course");
      const option = courseSelect.locator("option", { hasText: TEN_HOUR_COURSE });
      await courseSelect.selectOption((await option.getAttribute("value")) ?? "");
      await card.getByRole("radio", { name: /^10 hours/ }).check();
      await card.getByTestId("buy-hours-only").click();
      await expect(page).toHaveURL(/\/checkout\?.*&order=\d+/);
      expect(new URL(page.url()).searchParams.get("package")).toBe("10");
      await page.getByRole("button", { name: "Confirm order" }).click();
      await expect(page).toHaveURL(/\/me\/orders\/\d+$/);
      const orderId = page.url().split("/").pop()!;
      await expect(page.getByTestId("order-status")).toHaveText("awaiting payment");
      const payable = minorOf(await page.getByTestId("order-payable").innerText());
      expect(payable).toBeLessThanOrEqual(before + 60_000);

      const fromWallet = page.getByTestId("pay-wallet");
      await expect(fromWallet).toHaveText(/^Pay .*\$[\d,]+\.\d\d from wallet$/);
      await expect(page.getByTestId("pay-order")).toHaveText(/by card$/);
      await fromWallet.click();
      // Paid at once: no gateway page.
      await expect(page.getByTestId("order-status")).toHaveText("paid");
      await expect(page).toHaveURL(new RegExp(`/me/orders/${orderId}$`));
      await expect(page.getByTestId("order-hours-left")).toHaveText("10 h");

      // Book a 60-minute lesson from the package.
      const picker = page.getByRole("region", { name: "Book a lesson" });
      await picker.getByRole("radio", { name: /^60 min/ }).check();
      const chip = picker
        .getByTestId("lesson-picker-slots")
        .locator("fieldset.slot-day")
        .nth(3)
        .locator(".slot-chip[data-slot]")
        .last();
      const start = (await chip.getAttribute("data-slot")) ?? "";
      await chip.click();
      await picker.getByRole("button", { name: "Book this lesson" }).click();
      await expect(picker.getByTestId("book-success")).toContainText("Booked:");
      await expect(
        page.locator(
          `[data-testid="order-lesson"][data-lesson-start="${start}"][data-status="booked"]`,
        ),
      ).toHaveCount(1);
      await expect(page.getByTestId("order-hours-left")).toHaveText("9 h");

      // The wallet's statement shows the payment, linked to the order.
      await page.goto("/me/wallet");
      await expect.poll(() => walletBalance(page)).toBe(before + 60_000 - payable);
      const payment = page.getByTestId("statement-line").first();
      await expect(payment).toHaveAttribute("data-kind", "payment");
      await expect(payment).toContainText("Payment for lessons");
      await expect(payment.getByRole("link", { name: `order ${orderId}` })).toBeVisible();
      await expect(page.getByTestId("statement-csv")).toHaveAttribute(
        "href",
        "/me/wallet/statement.csv?currency=USD",
      );
      const csv = await page.request.get("/me/wallet/statement.csv?currency=USD");
      expect(csv.status()).toBe(200);
      expect(csv.headers()["content-disposition"]).toContain("attachment");
      const text = await csv.text();
      expect(text.split("\n")[0]).toBe("date,description,order,note,amount,balance,currency,entry");
      expect(text).toContain(`Payment for lessons,${orderId},,-${(payable / 100).toFixed(2)}`);
      expect(text).toContain("Wallet top-up,,,600.00");
    });
  });
