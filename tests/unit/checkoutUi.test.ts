import { describe, expect, it } from "vitest";
import { checkoutProblem } from "../../app/_components/checkoutErrors";
import { formatCountdown, formatHours } from "../../app/_components/orderWords";
import { purchaseChoices, validChoice } from "../../app/_components/PurchasePicker";

describe("checkoutProblem", () => {
  it("a lost race on the lesson time is 'taken'", () => {
    expect(
      checkoutProblem({
        message: "That time was just taken. Please pick another.",
        httpStatus: 409,
        fieldErrors: { start: ["That time was just taken. Please pick another."] },
      }),
    ).toEqual({ kind: "taken", message: "That time was just taken. Please pick another." });
  });

  it("an unusable order id asks to start again; a lapsed session to sign in", () => {
    expect(
      checkoutProblem({ message: "expired", httpStatus: 400, fieldErrors: { orderId: ["x"] } })
        .kind,
    ).toBe("restart");
    expect(checkoutProblem({ message: "Sign in to continue.", httpStatus: 401 }).kind).toBe(
      "signIn",
    );
  });

  it("a refused detail sits beside its summary row", () => {
    expect(
      checkoutProblem({
        message: "This teacher needs at least 2 hours notice; pick a later time",
        httpStatus: 400,
        fieldErrors: { "lesson.start": ["This teacher needs at least 2 hours notice"] },
      }),
    ).toEqual({
      kind: "row",
      row: "lesson",
      message: "This teacher needs at least 2 hours notice",
    });
    expect(
      checkoutProblem({ message: "m", httpStatus: 400, fieldErrors: { "purchase.hours": ["p"] } }),
    ).toEqual({ kind: "row", row: "purchase", message: "p" });
  });

  it("anything else is shown by its message", () => {
    expect(checkoutProblem({ message: "Something went wrong", httpStatus: 500 })).toEqual({
      kind: "other",
      message: "Something went wrong",
    });
  });
});

describe("order words", () => {
  it("hours from half hours, halves included", () => {
    expect(formatHours(0)).toBe("0 h");
    expect(formatHours(3)).toBe("1.5 h");
    expect(formatHours(200)).toBe("100 h");
  });

  it("countdowns round up to the second and never go negative", () => {
    expect(formatCountdown(14 * 60_000 + 31_200)).toBe("14:32");
    expect(formatCountdown(5_000)).toBe("00:05");
    expect(formatCountdown(3_725_000)).toBe("1:02:05");
    expect(formatCountdown(-10)).toBe("00:00");
  });
});

describe("purchase choices", () => {
  const priced = (hours: number[]) => ({ packages: hours.map((h) => ({ hours: h, amount: h })) });

  it("single lesson first when sold, then the packages", () => {
    expect(purchaseChoices(priced([1, 10, 20]))).toEqual([
      { kind: "lesson" },
      { kind: "package", hours: 10 },
      { kind: "package", hours: 20 },
    ]);
    expect(purchaseChoices(priced([10]))).toEqual([{ kind: "package", hours: 10 }]);
  });

  it("a choice another course does not offer falls back to the first", () => {
    expect(validChoice(priced([1, 20]), { kind: "package", hours: 10 })).toEqual({
      kind: "lesson",
    });
    expect(validChoice(priced([10, 20]), { kind: "package", hours: 20 })).toEqual({
      kind: "package",
      hours: 20,
    });
  });
});
