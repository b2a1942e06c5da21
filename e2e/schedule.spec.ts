import { expect, type Locator, type Page, test } from "@playwright/test";
import { Temporal } from "temporal-polyfill";
import { DEMO_TEACHER_ID, signIn, signOut } from "./support";

// The demo teacher's seeded week has no Mondays and no Sundays. Her zone is read from the page
// ("Times in …"): every date and time below is computed in it.
/** The browser's zone (playwright.config.ts), in which the student sees slots. */
const STUDENT_ZONE = "Europe/Paris";

const todayIn = (zone: string) => Temporal.Now.plainDateISO(zone);
const mondayOf = (d: Temporal.PlainDate) => d.subtract({ days: d.dayOfWeek - 1 });

/** ISO UTC instant (as `Date.toISOString`) of a wall-clock time on a date in a zone. */
function instant(date: Temporal.PlainDate, time: string, zone: string): string {
  const zoned = date.toZonedDateTime({ timeZone: zone, plainTime: Temporal.PlainTime.from(time) });
  return new Date(zoned.epochMilliseconds).toISOString();
}

function wallClock(iso: string, zone: string): string {
  const z = Temporal.Instant.from(iso).toZonedDateTimeISO(zone);
  return `${String(z.hour).padStart(2, "0")}:${String(z.minute).padStart(2, "0")}`;
}

async function openSchedule(page: Page) {
  await page.getByRole("link", { name: "Dashboard" }).click();
  await page.getByRole("link", { name: "Manage your schedule" }).click();
  await expect(page).toHaveURL(/\/dashboard\/schedule$/);
  await expect(page.getByTestId("schedule-zone")).toHaveText(/^[A-Za-z_]+\/[A-Za-z_/-]+$/);
  const zone = (await page.getByTestId("schedule-zone").textContent()) ?? "";
  return { grid: page.getByTestId("schedule-grid"), zone };
}

/** Pages the grid from this week to the week (Monday first) that contains `date`. */
async function showWeekOf(page: Page, grid: Locator, zone: string, date: Temporal.PlainDate) {
  const thisMonday = mondayOf(todayIn(zone));
  const weeks = thisMonday.until(mondayOf(date)).days / 7;
  await expect(grid.locator(`th[data-date="${thisMonday}"]`)).toBeVisible();
  for (let i = 0; i < weeks; i++) {
    await page.getByRole("button", { name: "Next week" }).click();
  }
  await expect(grid.locator(`th[data-date="${date}"]`)).toBeVisible();
}

test("a teacher publishes next Monday evening on the grid and a student can book it", async ({
  page,
}) => {
  await signIn(page, "teacher");
  const { grid, zone } = await openSchedule(page);
  const today = todayIn(zone);
  const nextMonday = today.add({ days: 8 - today.dayOfWeek });
  const times = ["19:00", "19:30", "20:00", "20:30"];
  const slots = times.map((t) => instant(nextMonday, t, zone));
  await showWeekOf(page, grid, zone, nextMonday);
  const cell = (iso: string) => grid.locator(`[data-slot="${iso}"]`);

  await expect(page.getByRole("radio", { name: "Publish", exact: true })).toBeChecked();
  for (const iso of slots) await expect(cell(iso)).toHaveAttribute("data-state", "0");

  // Drag down the Monday column from 19:00 to 20:30.
  await cell(slots[0]!).hover();
  await page.mouse.down();
  await cell(slots[3]!).hover();
  await page.mouse.up();
  for (const [i, iso] of slots.entries()) {
    await expect(cell(iso)).toHaveAttribute("data-state", "1");
    await expect(cell(iso)).toHaveAccessibleName(new RegExp(` ${times[i]}, free$`));
  }
  await expect(page.getByTestId("schedule-status")).toContainText("4 half hours opened");
  const nine = instant(nextMonday, "21:00", zone);
  const nineThirty = instant(nextMonday, "21:30", zone);
  await expect(cell(nine)).toHaveAttribute("data-state", "0");

  // Keyboard: Shift+Down selects 21:00–21:30, Enter locks them; then unlock them again.
  await page.getByRole("radio", { name: "Lock", exact: true }).check();
  await cell(nine).focus();
  await page.keyboard.press("Shift+ArrowDown");
  await expect(cell(nineThirty)).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(cell(nine)).toHaveAttribute("data-state", "3");
  await expect(cell(nineThirty)).toHaveAttribute("data-state", "3");
  await page.getByRole("radio", { name: "Unlock", exact: true }).check();
  await cell(nineThirty).focus();
  await page.keyboard.press("Shift+ArrowUp");
  await page.keyboard.press(" ");
  await expect(cell(nine)).toHaveAttribute("data-state", "0");
  await expect(cell(nineThirty)).toHaveAttribute("data-state", "0");
  await expect(page.getByTestId("schedule-status")).toContainText("Saved");

  // Saved on the server, not only in the page.
  await page.reload();
  await showWeekOf(page, grid, zone, nextMonday);
  for (const iso of slots) await expect(cell(iso)).toHaveAttribute("data-state", "1");
  await expect(cell(nine)).toHaveAttribute("data-state", "0");

  await signOut(page);

  await signIn(page, "student");
  await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
  const free = page.getByTestId("live-card").getByTestId("free-slots");
  await expect(free.locator(`[data-slot="${slots[0]}"]`)).toHaveCount(1);
  const dayStart = Date.parse(instant(nextMonday, "00:00", zone));
  const dayEnd = Date.parse(instant(nextMonday.add({ days: 1 }), "00:00", zone));
  const shown = await free
    .locator("[data-slot]")
    .evaluateAll((els) => els.map((el) => el.getAttribute("data-slot") ?? ""));
  const thatMonday = [...new Set(shown)].filter((iso) => {
    const t = Date.parse(iso);
    return t >= dayStart && t < dayEnd;
  });
  expect(thatMonday.sort()).toEqual(slots);
  // Shown in the student's zone (e.g. 19:00 in Asia/Kolkata is 14:30 in Paris in winter).
  for (const iso of slots) {
    await expect(free.locator(`[data-slot="${iso}"]`)).toContainText(wallClock(iso, STUDENT_ZONE));
  }
});

test("a teacher previews and publishes a weekly pattern, with errors beside the fields", async ({
  page,
}) => {
  await signIn(page, "teacher");
  const { grid, zone } = await openSchedule(page);
  const today = todayIn(zone);
  // Tomorrow on: both Sundays lie wholly in the future whatever the time of day.
  const from = today.add({ days: 1 });
  const to = from.add({ days: 13 });
  const firstSunday = from.add({ days: 7 - from.dayOfWeek });
  const sundays = [firstSunday, firstSunday.add({ days: 7 })];
  const form = page.getByRole("region", { name: "Publish a weekly pattern" });
  const window1 = form.getByRole("group", { name: "Window 1" });
  const dates = form.getByRole("group", { name: "Dates" });

  await window1.getByLabel("Day").selectOption("Sunday");
  await window1.getByLabel("From").selectOption("07:00");
  await window1.getByLabel("To").selectOption("06:00");
  await dates.getByLabel("From").fill(today.subtract({ days: 1 }).toString());
  await dates.getByLabel("To").fill(to.toString());
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(window1.getByText("The window ends before it starts")).toBeVisible();
  await expect(window1.getByLabel("To")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("alert")).toContainText("correct the marked fields");

  await window1.getByLabel("From").selectOption("06:00");
  await window1.getByLabel("To").selectOption("07:00");
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(dates.getByText(`Start on or after today (${today}`)).toBeVisible();

  await dates.getByLabel("From").fill(from.toString());
  await form.getByRole("button", { name: "Preview" }).click();
  const result = form.getByTestId("pattern-result");
  await expect(result).toHaveText(
    "This opens 4 new half hours (0 already open, 0 reserved or locked left alone).",
  );

  await form.getByRole("button", { name: "Publish pattern" }).click();
  await expect(result).toHaveText(
    "Published: opened 4 new half hours (0 already open, 0 reserved or locked left alone).",
  );

  // The grid shows them, on both Sundays.
  await showWeekOf(page, grid, zone, sundays[0]!);
  for (const sunday of sundays) {
    if (sunday !== sundays[0]) await page.getByRole("button", { name: "Next week" }).click();
    for (const t of ["06:00", "06:30"]) {
      const slot = grid.locator(`[data-slot="${instant(sunday, t, zone)}"]`);
      await expect(slot).toHaveAttribute("data-state", "1");
    }
    const seven = grid.locator(`[data-slot="${instant(sunday, "07:00", zone)}"]`);
    await expect(seven).toHaveAttribute("data-state", "0");
  }

  // The same pattern again opens nothing new.
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(result).toHaveText(
    "This opens 0 new half hours (4 already open, 0 reserved or locked left alone).",
  );
});

test("a change made from a stale grid is refused, rolled back and explained", async ({
  page,
  context,
}) => {
  await signIn(page, "teacher");
  const { grid, zone } = await openSchedule(page);
  const today = todayIn(zone);
  // Next week's Wednesday, 22:00: not in the demo teacher's seeded week; left as found.
  const wednesday = today.add({ days: 8 - today.dayOfWeek + 2 });
  const iso = instant(wednesday, "22:00", zone);
  await showWeekOf(page, grid, zone, wednesday);
  await expect(grid.locator(`[data-slot="${iso}"]`)).toHaveAttribute("data-state", "0");

  // A second tab loads the same week, then the first one locks the half hour.
  const other = await context.newPage();
  await other.goto("/dashboard/schedule");
  const otherGrid = other.getByTestId("schedule-grid");
  await showWeekOf(other, otherGrid, zone, wednesday);
  await expect(otherGrid.locator(`[data-slot="${iso}"]`)).toHaveAttribute("data-state", "0");
  await page.getByRole("radio", { name: "Lock", exact: true }).check();
  await grid.locator(`[data-slot="${iso}"]`).click();
  await expect(page.getByTestId("schedule-status")).toContainText("locked");
  await expect(page.getByTestId("schedule-status")).toContainText("Saved");

  // The stale tab still shows it unpublished; publishing it fails as a whole.
  await otherGrid.locator(`[data-slot="${iso}"]`).click();
  await expect(other.locator("main").getByRole("alert")).toContainText(
    "Your calendar changed in the meantime",
  );
  await expect(otherGrid.locator(`[data-slot="${iso}"]`)).toHaveAttribute("data-state", "3");
  await other.close();

  await page.getByRole("radio", { name: "Unlock", exact: true }).check();
  await grid.locator(`[data-slot="${iso}"]`).click();
  await expect(grid.locator(`[data-slot="${iso}"]`)).toHaveAttribute("data-state", "0");
  await expect(page.getByTestId("schedule-status")).toContainText("Saved");
});

test("the schedule asks a visitor to sign in and tells a student it is for teachers", async ({
  page,
}) => {
  await page.goto("/dashboard/schedule");
  await expect(page.locator("main").getByRole("link", { name: "Sign in" })).toHaveAttribute(
    "href",
    "/sign-in?callbackUrl=%2Fdashboard%2Fschedule",
  );
  await signIn(page, "student");
  await page.goto("/dashboard/schedule");
  await expect(page.locator("main").getByRole("alert")).toContainText("for teachers");
});
