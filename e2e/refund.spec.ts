import { expect, test } from "@playwright/test";
import { paidPackageFor } from "./refundDatabase";
import { DEMO_TEACHER_ID, signIn, signOut, signUpStudent } from "./support";

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

test("the teacher refunds a student's unused hours at once; the back office lists it", async ({
  page,
}) => {
  const name = `Tara Taught ${Date.now()}`;
  await signUpStudent(page, name);
  const orderId = await paidPackageFor(name, DEMO_TEACHER_ID);
  await signOut(page);

  await signIn(page, "teacher");
  await page.goto(`/dashboard/orders/${orderId}`);
  const section = page.getByTestId("teacher-order-refund");
  await section.getByTestId("refund-unused-hours").click();
  await section.getByLabel("Reason, shown to the student").fill("I am moving abroad");
  await section.getByTestId("confirm-teacher-refund").click();
  await expect(section.getByTestId("refund-status")).toHaveAttribute("data-status", "succeeded");
  await expect(section.getByTestId("refund-unused-hours")).toHaveCount(0);
  await signOut(page);

  await signIn(page, "admin");
  await page.goto("/admin/refunds");
  await expect(page.getByRole("heading", { name: "Waiting for a decision" })).toBeVisible();
  await expect(
    page.getByTestId("refunds-recent").locator("tr").filter({ hasText: name }),
  ).toContainText("refunded");
});
