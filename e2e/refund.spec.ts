import { expect, test } from "@playwright/test";
import { paidPackageFor } from "./refundDatabase";
import { DEMO_TEACHER_ID, signUpStudent } from "./support";

test("a student refunds an untouched package within the cooling-off period: refunded at once", async ({
  page,
}) => {
  // A new student: the demo student's orders are counted by other specs.
  const name = `Rory Refund ${Date.now()}`;
  await signUpStudent(page, name);
  const orderId = await paidPackageFor(name, DEMO_TEACHER_ID);

  await page.goto(`/me/orders/${orderId}`);
  await expect(page.getByTestId("order-status")).toHaveText("paid");
  const section = page.getByTestId("order-refund");
  const request = section.getByTestId("request-refund");
  await expect(request).toHaveText(/^Request a refund of \d+ unused hours? \(US\$[\d,]+\.\d\d\)$/);
  const amount = /\((.+)\)$/.exec(await request.innerText())![1]!;
  await request.click();
  await expect(section).toContainText("refunded at once");
  await section.getByLabel("Why (optional)").fill("My plans changed");
  await section.getByTestId("confirm-refund").click();

  const status = section.getByTestId("refund-status");
  await expect(status).toHaveAttribute("data-status", "succeeded");
  await expect(status).toContainText(`${amount} to your wallet`);
  await expect(page.getByTestId("order-status")).toHaveText("refunded");
  await expect(section.getByTestId("request-refund")).toHaveCount(0);

  // The order list says so too.
  await page.goto("/me/orders");
  await expect(
    page
      .locator(`[data-testid="order-row"][data-order-id="${orderId}"]`)
      .getByTestId("order-status"),
  ).toHaveText("refunded");
});
