import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { DEMO_TEACHER_ID, signIn } from "./support";
import { markOrderPaid, shortenHold } from "./tradeDatabase";

/**
 * Opens the demo teacher's studio and waits for hydration: the time-zone select only appears
 * once the browser's zone is known (Europe/Paris in these tests). React resets inputs changed
 * before hydration.
 */
async function openStudio(page: Page): Promise<Locator> {
  await page.goto(`/teachers/${DEMO_TEACHER_ID}`);
  const card = page.getByTestId("live-card");
  await expect(card.getByLabel("Time zone")).toHaveValue("Europe/Paris");
  await expect(card.getByTestId("purchase-picker")).toBeVisible();
  return card;
}

/** Picks a 60-minute lesson at `start` (or at the first start of the second day with openings). */
async function pickHourLesson(card: Locator, start?: string): Promise<string> {
  await card.getByRole("radio", { name: /^60 min/ }).check();
  const free = card.getByTestId("free-slots");
  // The second day with openings: comfortably past the teacher's minimum notice.
  const chip = start
    ? free.locator(`.slot-chip[data-slot="${start}"]`)
    : free.locator("fieldset.slot-day").nth(1).locator(".slot-chip[data-slot]").first();
  const picked = (await chip.getAttribute("data-slot")) ?? "";
  await chip.click();
  await expect(chip).toHaveAttribute("aria-pressed", "true");
  await expect(card.getByTestId("selection")).toContainText("(60 min)");
  return picked;
}

/** A visitor who picked the same time signs up from checkout's sign-in step and lands back on it. */
async function rivalAtCheckout(browser: Browser, start: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const card = await openStudio(page);
  await pickHourLesson(card, start);
  await card.getByRole("radio", { name: /Single lesson/ }).check();
  await expect(card.getByTestId("checkout-note")).toContainText("sign in there to place it");
  await card.getByRole("link", { name: "Continue to checkout" }).click();
  // Visitors see the checkout first, then sign in from it.
  await expect(page).toHaveURL(/\/checkout\?/);
  await page.getByTestId("sign-in-notice").getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fcheckout/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/sign-up\?callbackUrl=%2Fcheckout/);
  await page.getByLabel("Name").fill("Rita Rival");
  await page.getByLabel("Email").fill(`rival-${Date.now()}@example.com`);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/checkout\?.*&order=\d+/);
  expect(new URL(page.url()).searchParams.get("start")).toBe(start);
  await expect(page.getByRole("button", { name: "Confirm order" })).toBeEnabled();
  return { context, page };
}

test.describe
  .serial("buying a lesson", () => {
    let lessonStart = "";

    test("the demo student checks out a 60-minute lesson, it is paid and booked; a rival who had the same time open is told it was just taken", async ({
      page,
      browser,
    }) => {
      await signIn(page, "student");
      const card = await openStudio(page);
      lessonStart = await pickHourLesson(card);
      await card.getByRole("radio", { name: /Single lesson/ }).check();
      const total = await card.getByTestId("purchase-total").locator("strong").innerText();
      await card.getByRole("link", { name: "Continue to checkout" }).click();

      // Checkout: an order id is issued on open and kept in the URL.
      await expect(page).toHaveURL(/\/checkout\?.*&order=\d+/);
      const checkoutUrl = new URL(page.url());
      expect(Object.fromEntries(checkoutUrl.searchParams)).toMatchObject({
        teacher: DEMO_TEACHER_ID,
        start: lessonStart,
        slots: "2",
        package: "lesson",
      });
      const summary = page.getByTestId("checkout-summary");
      await expect(summary).toContainText("Tessa Teacher");
      await expect(summary.getByTestId("checkout-lesson")).toContainText("(60 min)");
      await expect(summary.getByTestId("checkout-zone")).toHaveText("Your time zone: Europe/Paris");
      await expect(summary.getByTestId("checkout-total")).toContainText(total);

      // A reload keeps the same order id: submitting it again can only return the same order.
      await page.reload();
      expect(new URL(page.url()).searchParams.get("order")).toBe(
        checkoutUrl.searchParams.get("order"),
      );

      // A second student had the same time open and is at checkout too.
      const rival = await rivalAtCheckout(browser, lessonStart);

      // The demo student confirms first: the order waits for payment with its time held.
      await page.getByRole("button", { name: "Confirm order" }).click();
      await expect(page).toHaveURL(/\/me\/orders\/\d+$/);
      const orderId = page.url().split("/").pop()!;
      expect(orderId).toBe(checkoutUrl.searchParams.get("order"));
      await expect(page.getByTestId("order-status")).toHaveText("awaiting payment");
      await expect(page.getByTestId("hold-countdown")).toContainText(
        /Your time is held for (1[0-5]|0\d):\d\d/,
      );
      await expect(page.getByTestId("order-hours")).toContainText("1 h");
      const lesson = page.locator(
        `[data-testid="order-lesson"][data-lesson-start="${lessonStart}"]`,
      );
      await expect(lesson).toHaveAttribute("data-status", "held");

      // The rival confirms second and loses the race, with the way back to pick another time.
      try {
        await rival.page.getByRole("button", { name: "Confirm order" }).click();
        const problem = rival.page.getByTestId("checkout-problem");
        await expect(problem).toContainText("That time was just taken. Please pick another.");
        await expect(
          problem.getByRole("link", { name: "Choose another time with Tessa Teacher" }),
        ).toHaveAttribute("href", `/teachers/${DEMO_TEACHER_ID}`);
        await expect(rival.page).toHaveURL(/\/checkout\?/);
      } finally {
        await rival.context.close();
      }

      // Payment arrives with the next issue; here the test marks the order paid in the database.
      await markOrderPaid(orderId);
      await page.reload();
      await expect(page.getByTestId("order-status")).toHaveText("paid");
      await expect(page.getByTestId("hold-countdown")).toHaveCount(0);
      await expect(lesson).toHaveAttribute("data-status", "booked");
      await expect(lesson).toContainText("60 min");
      await expect(page.getByTestId("order-hours-left")).toHaveText("0 h");

      // The list of orders shows it first, paid.
      await page.goto("/me/orders");
      const row = page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`);
      await expect(row).toContainText("paid");
      await expect(row).toContainText("Tessa Teacher");
      await expect(page.getByTestId("order-row").first()).toHaveAttribute("data-order-id", orderId);
    });

    // Timetable rows carry data-testid="timetable-lesson" and data-lesson-start="<ISO>".
    test("the booked lesson is on the student's timetable and the teacher's", async ({
      page,
      browser,
    }) => {
      expect(lessonStart, "the lesson booked by the previous test").toBeTruthy();

      await signIn(page, "student");
      await page.goto("/me/timetable");
      await expect(
        page
          .locator(`[data-testid="timetable-lesson"][data-lesson-start="${lessonStart}"]`)
          .first(),
      ).toBeVisible();

      const teacherContext = await browser.newContext();
      try {
        const teacherPage = await teacherContext.newPage();
        await signIn(teacherPage, "teacher");
        await teacherPage.goto("/dashboard/timetable");
        await expect(
          teacherPage
            .locator(`[data-testid="timetable-lesson"][data-lesson-start="${lessonStart}"]`)
            .first(),
        ).toBeVisible();
      } finally {
        await teacherContext.close();
      }
    });
  });

test("a student books a 30-minute lesson from their paid package's order page", async ({
  page,
}) => {
  await signIn(page, "student");
  await page.goto("/me/orders");
  // The seeded package (bought a week ago) is the oldest order.
  const row = page.getByTestId("order-row").last();
  await expect(row).toContainText("Tessa Teacher");
  await row.getByRole("link").click();
  await expect(page).toHaveURL(/\/me\/orders\/\d+$/);
  await expect(page.getByTestId("order-status")).toHaveText(/paid|in use/);
  const hoursLeft = page.getByTestId("order-hours-left");
  const before = Number.parseFloat(await hoursLeft.innerText());

  const picker = page.getByRole("region", { name: "Book a lesson" });
  await picker.getByRole("radio", { name: /^30 min/ }).check();
  const chip = picker
    .getByTestId("lesson-picker-slots")
    .locator("fieldset.slot-day")
    .nth(2)
    .locator(".slot-chip[data-slot]")
    .first();
  const start = (await chip.getAttribute("data-slot")) ?? "";
  await chip.click();
  await picker.getByRole("button", { name: "Book this lesson" }).click();
  await expect(picker.getByTestId("book-success")).toContainText("Booked:");
  // The timetable spec may have cancelled a seeded lesson at this very time: look for the booked one.
  await expect(
    page.locator(
      `[data-testid="order-lesson"][data-lesson-start="${start}"][data-status="booked"]`,
    ),
  ).toHaveCount(1);
  await expect(hoursLeft).toHaveText(`${before - 0.5} h`);
  // That half hour is no longer offered.
  await expect(picker.locator(`.slot-chip[data-slot="${start}"]`)).toHaveCount(0);
});

/** Buys the course's first package of hours without a lesson; returns the checkout URL. */
async function checkOutHoursOnly(page: Page) {
  const card = await openStudio(page);
  const packageOption = card.getByRole("radio", { name: /^\d+ hours/ }).first();
  await packageOption.check();
  const hours = (await packageOption.getAttribute("value")) ?? "";
  await card.getByTestId("buy-hours-only").click();

  await expect(page).toHaveURL(/\/checkout\?.*&order=\d+/);
  const checkoutUrl = page.url();
  const url = new URL(checkoutUrl);
  expect(url.searchParams.get("package")).toBe(hours);
  expect(url.searchParams.has("start")).toBe(false);
  await expect(page.getByTestId("checkout-lesson")).toContainText("None booked yet");
  await page.getByRole("button", { name: "Confirm order" }).click();
  await expect(page).toHaveURL(/\/me\/orders\/\d+$/);
  return { hours, checkoutUrl, orderId: page.url().split("/").pop()! };
}

test("a student buys hours without a lesson; resubmitting the checkout returns the same order; cancelling it", async ({
  page,
}) => {
  await signIn(page, "student");
  const { hours, checkoutUrl, orderId } = await checkOutHoursOnly(page);
  await expect(page.getByTestId("order-status")).toHaveText("awaiting payment");
  await expect(page.getByTestId("hold-countdown")).toContainText("This order waits for payment");
  await expect(page.getByTestId("order-hours")).toContainText(`${hours} h`);
  // Unpaid orders cannot book lessons yet.
  await expect(page.getByRole("region", { name: "Book a lesson" })).toHaveCount(0);

  // The same checkout (a second tab, or Back) submits the same id: the same order, not a new one.
  const rows = page.getByTestId("order-row");
  const thisOrder = page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`);
  await page.goto("/me/orders");
  await expect(thisOrder).toHaveCount(1);
  const count = await rows.count();
  await page.goto(checkoutUrl);
  await page.getByRole("button", { name: "Confirm order" }).click();
  await expect(page).toHaveURL(new RegExp(`/me/orders/${orderId}$`));
  await page.goto("/me/orders");
  await expect(thisOrder).toHaveCount(1);
  await expect(rows).toHaveCount(count);

  await page.goto(`/me/orders/${orderId}`);
  await page.getByRole("button", { name: "Cancel order" }).click();
  await page.getByRole("button", { name: "Yes, cancel the order" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("cancelled");
  await expect(page.getByTestId("hold-countdown")).toHaveCount(0);
});

test("the hold countdown runs out and the order reads expired", async ({ page }) => {
  await signIn(page, "student");
  const { orderId } = await checkOutHoursOnly(page);
  await shortenHold(orderId, 8);
  await page.reload();
  await expect(page.getByTestId("hold-countdown")).toContainText(/waits for payment for 00:0\d/);
  await expect(page.getByTestId("order-status")).toHaveText("expired", { timeout: 20_000 });
  await expect(page.getByRole("button", { name: "Cancel order" })).toHaveCount(0);
});

test("checkout is rendered per request and names a bad or missing parameter", async ({ page }) => {
  await signIn(page, "student");
  const res = await page.goto("/checkout?teacher=abc&package=lesson&slots=9");
  expect(res?.headers()["cache-control"]).toContain("no-store");
  const invalid = page.getByTestId("checkout-invalid");
  await expect(invalid).toContainText("This checkout link is not valid");
  for (const param of ["teacher", "course", "slots", "start"]) {
    await expect(invalid.locator(`[data-param="${param}"]`)).toBeVisible();
  }

  // Well-formed, but the teacher does not sell that course.
  await page.goto(`/checkout?teacher=${DEMO_TEACHER_ID}&course=123&package=10`);
  await expect(page.getByTestId("checkout-invalid").locator('[data-param="course"]')).toContainText(
    "does not offer that course",
  );
});

test("only students buy: teachers are told so, visitors are asked to sign in", async ({
  page,
  browser,
}) => {
  await signIn(page, "teacher");
  const card = await openStudio(page);
  await expect(card.getByTestId("checkout-note")).toContainText(
    "Only student accounts can buy lessons",
  );
  await expect(card.getByRole("button", { name: "Continue to checkout" })).toBeDisabled();
  await page.goto("/me/orders");
  await expect(page.locator("main").getByRole("alert")).toContainText("This page is for students");

  const visitor = await browser.newContext();
  try {
    const visitorPage = await visitor.newPage();
    await visitorPage.goto("/me/orders");
    const notice = visitorPage.getByTestId("sign-in-notice");
    await expect(notice).toContainText("Sign in as a student to see your orders");
    await expect(notice.getByRole("link", { name: "Sign in" })).toHaveAttribute(
      "href",
      "/sign-in?callbackUrl=%2Fme%2Forders",
    );
  } finally {
    await visitor.close();
  }
});
