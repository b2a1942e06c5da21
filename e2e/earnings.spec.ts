import { expect, test } from "@playwright/test";
import { formatMoney } from "../app/_components/format";
import { DEMO_ACCOUNTS } from "../db/seed/demoData";
import { bookedPastLesson } from "./settlementDatabase";
import { signIn, signOut, signUpStudent } from "./support";

// playwright.config.ts: the browser's locale, which formats money on the page.
const LOCALE = "en-GB";

test("the teacher marks a finished lesson complete and sees the earning; an admin runs the payouts", async ({
  page,
}) => {
  // A new student, so the demo student's lessons (counted by other specs) stay as seeded.
  const studentName = `Earnings Student ${Date.now().toString(36)}`;
  await signUpStudent(page, studentName);
  await signOut(page);
  const lesson = await bookedPastLesson(studentName, DEMO_ACCOUNTS.teacher);

  await signIn(page, "teacher");
  await page
    .getByRole("navigation", { name: "Account" })
    .getByRole("link", { name: "Timetable" })
    .click();
  await expect(page).toHaveURL(/\/dashboard\/timetable$/);
  const row = page
    .getByTestId("timetable-past")
    .locator(
      `[data-testid="timetable-lesson"][data-lesson-start="${lesson.startsAt.toISOString()}"]`,
    );
  await expect(row).toContainText(studentName);
  await row.getByRole("button", { name: "Mark completed" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Lesson marked completed." }),
  ).toBeVisible();
  await expect(row).toContainText("Completed");
  await expect(row.getByRole("button", { name: "Mark completed" })).toHaveCount(0);

  await page
    .getByRole("navigation", { name: "Account" })
    .getByRole("link", { name: "Earnings" })
    .click();
  await expect(page).toHaveURL(/\/dashboard\/earnings$/);
  await expect(page.getByRole("heading", { name: "Your earnings" })).toBeVisible();
  const earned = page.locator(
    `[data-testid="earnings-settlement"][data-lesson-id="${lesson.lessonId}"]`,
  );
  await expect(earned).toContainText(studentName);
  await expect(earned).toContainText("Completed");
  await expect(earned).toContainText(formatMoney(lesson.gross, lesson.currency, LOCALE));
  await expect(earned).toContainText(
    formatMoney(lesson.gross - lesson.net, lesson.currency, LOCALE),
  );
  await expect(earned).toContainText(formatMoney(lesson.net, lesson.currency, LOCALE));
  await expect(earned).toContainText("Payable");
  const totals = page.getByTestId(`earnings-totals-${lesson.currency}`);
  await expect(totals.getByTestId("earnings-payable")).not.toHaveText(
    formatMoney(0, lesson.currency, LOCALE),
  );
  // The chart reads as one image with its figures, and as a table.
  await expect(
    page.getByRole("img", { name: new RegExp(`^Net earnings per week in ${lesson.currency}`) }),
  ).toBeVisible();
  await page.getByText("Weekly figures as a table").click();
  await expect(
    page.getByRole("table", { name: `Net earnings per week in ${lesson.currency}` }),
  ).toBeVisible();
  await signOut(page);

  // The admin's weekly run: earnings of last week are paid (this lesson's week waits).
  await signIn(page, "admin");
  await page.goto("/admin/payouts");
  await page.getByRole("button", { name: "Run payouts for last week" }).click();
  await expect(page.getByRole("status").filter({ hasText: /payout|Nothing to pay/ })).toBeVisible();
  const runs = page.getByTestId("payout-runs");
  if ((await runs.count()) > 0) {
    const href = await runs.getByRole("link", { name: /^CSV/ }).first().getAttribute("href");
    const csv = await page.request.get(href!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toMatch(
      /^teacher_id,teacher_name,currency,amount,lessons,period_start,period_end\n/,
    );
  }
  // Running it again pays nothing more.
  await page.getByRole("button", { name: "Run payouts for last week" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Nothing to pay/ })).toBeVisible();
});
