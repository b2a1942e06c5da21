import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { connectPostgres, type DatabaseHandle } from "../db/client";
import { lessons, orders, users } from "../db/schema";
import { DEMO_ACCOUNTS } from "../db/seed/demoData";
import { DEMO_TEACHER_ID, signIn } from "./support";

// The playwright.config.ts browser zone: what the timetable shows times in.
const ZONE = "Europe/Paris";

let handle: DatabaseHandle;
test.beforeAll(() => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run e2e through scripts/e2e.sh");
  handle = connectPostgres(url, 2);
});
test.afterAll(async () => {
  await handle?.close();
});

/** The demo student's booked lessons with the demo teacher still to come, soonest first. */
async function upcomingDemoLessons() {
  return handle.db
    .select({
      id: lessons.id,
      startsAt: lessons.startsAt,
      teacherName: orders.teacherName,
      studentName: users.name,
    })
    .from(lessons)
    .innerJoin(orders, eq(orders.id, lessons.orderId))
    .innerJoin(users, eq(users.id, lessons.studentId))
    .where(
      and(
        eq(users.email, DEMO_ACCOUNTS.student),
        eq(lessons.teacherId, DEMO_TEACHER_ID),
        eq(lessons.status, "booked"),
        gt(lessons.startsAt, sql`now()`),
      ),
    )
    .orderBy(asc(lessons.startsAt));
}

const localDate = (at: Date) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, dateStyle: "short" }).format(at);
const localTime = (at: Date) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit" }).format(
    at,
  );

const lessonIn = (scope: Locator | Page, start: Date) =>
  scope.locator(`[data-testid="timetable-lesson"][data-lesson-start="${start.toISOString()}"]`);

/** Opens a timetable from the header link; rows render once the page has hydrated. */
async function openTimetable(page: Page, path: string) {
  await page
    .getByRole("navigation", { name: "Account" })
    .getByRole("link", { name: "Timetable" })
    .click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await expect(page.getByTestId("timetable")).toBeVisible();
}

async function signedInPage(browser: Browser, who: "student" | "teacher") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, who);
  return { context, page };
}

test("the student sees the seeded upcoming lessons in the list and the week view", async ({
  page,
}) => {
  const upcoming = await upcomingDemoLessons();
  expect(upcoming.length).toBeGreaterThanOrEqual(2);
  await signIn(page, "student");
  await openTimetable(page, "/me/timetable");

  const list = page.getByTestId("timetable-upcoming");
  for (const l of upcoming) {
    const row = lessonIn(list, l.startsAt);
    await expect(row).toBeVisible();
    await expect(row).toContainText(l.teacherName);
    await expect(row).toContainText(`${localTime(l.startsAt)}–`);
    await expect(row).toContainText("60 min");
    await expect(row).toContainText("Booked");
    await expect(row.getByRole("button", { name: "Reschedule" })).toBeVisible();
    await expect(row.getByRole("button", { name: "Cancel", exact: true })).toBeVisible();
  }

  await page.getByRole("radio", { name: "Week" }).check();
  const week = page.getByTestId("timetable-week");
  await expect(week).toBeVisible();
  const first = upcoming[0]!;
  // The seeded lessons are at least two days out: page forward to the first one's week.
  for (let i = 0; i < 3 && (await lessonIn(week, first.startsAt).count()) === 0; i++) {
    await page.getByRole("button", { name: "Next week →" }).click();
    await expect(page.getByRole("button", { name: "This week" })).toBeEnabled();
  }
  const box = week
    .locator(`section[data-date="${localDate(first.startsAt)}"]`)
    .locator(`[data-lesson-start="${first.startsAt.toISOString()}"]`);
  await expect(box).toBeVisible();
  await expect(box).toContainText(localTime(first.startsAt));
  await expect(box).toContainText(first.teacherName);
  await box.getByRole("button").click();
  const selected = page.getByTestId("timetable-selected");
  await expect(selected).toContainText(first.teacherName);
  await expect(selected.getByRole("button", { name: "Reschedule" })).toBeVisible();

  // Back to the present from a later week.
  await page.getByRole("button", { name: "Next week →" }).click();
  await page.getByRole("button", { name: "This week" }).click();
  await expect(page.getByRole("button", { name: "This week" })).toBeDisabled();
});

test("the student reviews the completed lesson and the studio page shows the review", async ({
  page,
}) => {
  const text = `Clear, patient and well prepared · e2e ${Date.now().toString(36)}`;
  await signIn(page, "student");
  await openTimetable(page, "/me/timetable");

  const past = page.getByTestId("timetable-past");
  const row = past
    .getByTestId("timetable-lesson")
    .filter({ has: page.getByRole("button", { name: "Review", exact: true }) })
    .first();
  await expect(row).toContainText("Completed");
  const start = await row.getAttribute("data-lesson-start");
  await row.getByRole("button", { name: "Review", exact: true }).click();

  // Submitting without stars is caught beside the stars.
  await row.getByRole("button", { name: "Submit review" }).click();
  await expect(row.getByText("Choose from 1 to 5 stars.")).toBeVisible();
  await row.getByRole("radio", { name: "5 stars" }).check();
  await row.getByLabel("Your review").fill(text);
  await row.getByRole("button", { name: "Submit review" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Thank you!" })).toBeVisible();

  const reviewed = past.locator(`[data-testid="timetable-lesson"][data-lesson-start="${start}"]`);
  await expect(reviewed).toContainText("Completed");
  await expect(reviewed.getByRole("button", { name: "Review", exact: true })).toHaveCount(0);

  // The studio page is static; the review revalidates it on demand.
  await expect(async () => {
    await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
    await expect(page.getByTestId("reviews")).toContainText(text, { timeout: 1_000 });
  }).toPass({ timeout: 15_000, intervals: [250, 500, 1_000] });
});

test("the teacher sees their lessons and cancels one with a reason; the student sees it cancelled by the teacher with the hours back", async ({
  page,
  browser,
}) => {
  const upcoming = await upcomingDemoLessons();
  const target = upcoming.at(-1)!;
  const reason = "Teacher training day";

  await signIn(page, "teacher");
  await openTimetable(page, "/dashboard/timetable");
  const list = page.getByTestId("timetable-upcoming");
  for (const l of upcoming) {
    await expect(lessonIn(list, l.startsAt)).toContainText(l.studentName ?? "");
  }
  await expect(page.getByTestId("timetable-past")).toContainText("Completed");

  const row = lessonIn(list, target.startsAt);
  await expect(row.getByRole("button", { name: "Reschedule" })).toHaveCount(0);
  await row.getByRole("button", { name: "Cancel", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this lesson?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(target.studentName ?? "");
  await dialog.getByRole("button", { name: "Cancel lesson" }).click();
  await expect(dialog.getByText(/Tell the student why/)).toBeVisible();
  await dialog.getByLabel("Reason (shown to the student)").fill(reason);
  await dialog.getByRole("button", { name: "Cancel lesson" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText(`Cancelled by you — ${reason}; 1 hour returned to the package`);
  await expect(row.getByRole("button", { name: "Cancel", exact: true })).toHaveCount(0);

  const student = await signedInPage(browser, "student");
  try {
    await openTimetable(student.page, "/me/timetable");
    const cancelled = lessonIn(student.page.getByTestId("timetable-upcoming"), target.startsAt);
    await expect(cancelled).toContainText(
      `Cancelled by teacher — ${reason}; 1 hour returned to the package`,
    );
    await expect(cancelled.getByRole("button")).toHaveCount(0);
  } finally {
    await student.context.close();
  }
});

test("the student moves a lesson to another free time of the same length", async ({ page }) => {
  const [first] = await upcomingDemoLessons();
  await signIn(page, "student");
  await openTimetable(page, "/me/timetable");
  const list = page.getByTestId("timetable-upcoming");
  const row = lessonIn(list, first!.startsAt);
  await row.getByRole("button", { name: "Reschedule" }).click();
  const picker = row.getByTestId("reschedule-picker");
  const chip = picker.locator("button.slot-chip").first();
  await expect(chip).toBeVisible();
  const to = new Date((await chip.getAttribute("data-slot"))!);
  await chip.click();
  await expect(chip).toHaveAttribute("aria-pressed", "true");
  await picker.getByRole("button", { name: "Move lesson" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Lesson moved to" })).toBeVisible();

  const moved = lessonIn(list, to);
  await expect(moved).toContainText("Booked");
  await expect(moved).toContainText(
    `${localTime(to)}–${localTime(new Date(to.getTime() + 3_600_000))}`,
  );
  await expect(lessonIn(list, first!.startsAt)).toHaveCount(0);
});

test("the teacher reaches their students' orders from the dashboard", async ({ page }) => {
  await signIn(page, "teacher");
  await page.getByRole("link", { name: "Dashboard", exact: true }).click();
  await page.getByRole("link", { name: "Students' orders →" }).click();
  await expect(page).toHaveURL(/\/dashboard\/orders$/);
  // Newest first: the seeded package is the demo student's oldest order.
  const order = page.getByTestId("teacher-order").filter({ hasText: "Sam Student" }).last();
  await expect(order).toContainText("Sam Student");
  await order.getByRole("link", { name: "Sam Student" }).click();
  await expect(page).toHaveURL(/\/dashboard\/orders\/\d+$/);
  const detail = page.getByTestId("teacher-order-detail");
  await expect(detail).toContainText("Hours bought");
  await expect(detail.getByTestId("teacher-order-lessons")).toContainText("Completed");
});

test("a calendar link serves the lessons as iCalendar; resetting it retires the old link", async ({
  page,
}) => {
  await signIn(page, "student");
  await openTimetable(page, "/me/timetable");
  const panel = page.getByTestId("calendar-feed");
  await panel.getByRole("button", { name: "Create calendar link" }).click();
  const field = panel.getByLabel("Your calendar link");
  await expect(field).toHaveValue(/\/calendar\/[A-Za-z0-9_-]{32}\.ics$/);
  const url = await field.inputValue();
  await expect(panel.getByRole("link", { name: "Subscribe in your calendar app" })).toHaveAttribute(
    "href",
    url.replace(/^https?:/, "webcal:"),
  );

  const feed = await page.request.get(url);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
  expect(await feed.text()).toContain("BEGIN:VEVENT");

  await panel.getByRole("button", { name: "Reset link" }).click();
  await expect(field).not.toHaveValue(url);
  const fresh = await field.inputValue();
  expect((await page.request.get(url)).status()).toBe(404);
  expect((await page.request.get(fresh)).status()).toBe(200);

  await panel.getByRole("button", { name: "Turn off" }).click();
  await expect(panel.getByRole("button", { name: "Create calendar link" })).toBeVisible();
  expect((await page.request.get(fresh)).status()).toBe(404);
});

test("the student timetable asks visitors to sign in and tells teachers where theirs is", async ({
  page,
}) => {
  await page.goto("/me/timetable");
  await expect(page.locator("main").getByRole("link", { name: "Sign in" })).toHaveAttribute(
    "href",
    "/sign-in?callbackUrl=%2Fme%2Ftimetable",
  );
  await signIn(page, "teacher");
  await page.goto("/me/timetable");
  await expect(page.locator("main").getByRole("alert")).toContainText("for students");
});
