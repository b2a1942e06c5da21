import { describe, expect, it } from "vitest";
import { percentToBps } from "../../server/settlement/commissionRates";
import { majorUnits, payoutRunCsv } from "../../server/settlement/payoutRuns";
import {
  payoutCutoff,
  recentWeeks,
  WEEK_MS,
  weeklyTotals,
  weekStartUtc,
} from "../../server/settlement/payoutWeek";
import { settlementLines } from "../../server/settlement/settleLesson";

const at = (iso: string) => new Date(iso);

describe("weeks start on Monday 00:00 UTC", () => {
  it.each([
    ["2026-11-23T00:00:00Z", "2026-11-23T00:00:00Z"], // Monday midnight is its own week
    ["2026-11-23T06:30:00Z", "2026-11-23T00:00:00Z"],
    ["2026-11-22T23:59:59.999Z", "2026-11-16T00:00:00Z"], // Sunday night: the week before
    ["2026-11-19T12:00:00Z", "2026-11-16T00:00:00Z"],
    ["2027-01-01T10:00:00Z", "2026-12-28T00:00:00Z"], // across a year end
    ["2028-02-29T10:00:00Z", "2028-02-28T00:00:00Z"], // leap day
  ])("%s → %s", (instant, monday) => {
    expect(weekStartUtc(at(instant)).toISOString()).toBe(at(monday).toISOString());
    expect(payoutCutoff(at(instant)).toISOString()).toBe(at(monday).toISOString());
  });

  it("recentWeeks lists the last n week starts, oldest first, the current week last", () => {
    const weeks = recentWeeks(at("2026-11-25T08:00:00Z"), 12);
    expect(weeks).toHaveLength(12);
    expect(weeks.at(-1)!.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(weeks[0]!.toISOString()).toBe("2026-09-07T00:00:00.000Z");
    for (let i = 1; i < weeks.length; i++) {
      expect(weeks[i]!.getTime() - weeks[i - 1]!.getTime()).toBe(WEEK_MS);
    }
  });
});

describe("weeklyTotals", () => {
  const weeks = recentWeeks(at("2026-11-25T08:00:00Z"), 3); // Nov 9, Nov 16, Nov 23
  it("buckets amounts by week, zero for empty weeks, ignoring amounts outside", () => {
    expect(
      weeklyTotals(
        [
          { at: at("2026-11-16T00:00:00Z"), amount: 100 },
          { at: at("2026-11-22T23:59:59Z"), amount: 50 },
          { at: at("2026-11-23T00:00:00Z"), amount: 7 },
          { at: at("2026-11-08T23:59:59Z"), amount: 1_000 }, // before the first week
          { at: at("2026-11-30T00:00:00Z"), amount: 1_000 }, // after the last
        ],
        weeks,
      ).map((w) => [w.weekStart.toISOString().slice(0, 10), w.total]),
    ).toEqual([
      ["2026-11-09", 0],
      ["2026-11-16", 150],
      ["2026-11-23", 7],
    ]);
  });
});

describe("settlementLines", () => {
  const accounts = { prepaid: "1", payable: "2", revenue: "3" };
  it("moves the value out of prepaid lessons into the payable and revenue", () => {
    expect(settlementLines(accounts, "USD", { gross: 3000, commission: 600, net: 2400 })).toEqual([
      { accountId: "1", currency: "USD", amount: -3000 },
      { accountId: "2", currency: "USD", amount: 2400 },
      { accountId: "3", currency: "USD", amount: 600 },
    ]);
  });
  it("leaves out zero lines, and has none for a lesson worth nothing", () => {
    expect(
      settlementLines(accounts, "USD", { gross: 10, commission: 0, net: 10 }).map(
        (l) => l.accountId,
      ),
    ).toEqual(["1", "2"]);
    expect(
      settlementLines(accounts, "USD", { gross: 10, commission: 10, net: 0 }).map(
        (l) => l.accountId,
      ),
    ).toEqual(["1", "3"]);
    expect(settlementLines(accounts, "USD", { gross: 0, commission: 0, net: 0 })).toEqual([]);
  });
});

describe("commission percent", () => {
  it.each([
    [0, 0],
    [20, 2000],
    [17.5, 1750],
    [12.25, 1225],
    [17.55, 1755],
    [100, 10_000],
  ])("%s%% is %s basis points", (percent, bps) => {
    expect(percentToBps(percent)).toBe(bps);
  });
  it.each([-1, 100.01, 12.345, Number.NaN])("refuses %s", (percent) => {
    expect(() => percentToBps(percent)).toThrow(RangeError);
  });
});

describe("payout CSV", () => {
  it("writes major units and quotes names as RFC 4180 wants", () => {
    expect(majorUnits(123456)).toBe("1234.56");
    expect(majorUnits(5)).toBe("0.05");
    expect(majorUnits(0)).toBe("0.00");
    const csv = payoutRunCsv([
      {
        teacherId: "42",
        teacherName: 'Tessa "T", tutor',
        currency: "USD",
        amount: 240050,
        lessons: 3,
        periodEnd: at("2026-11-23T00:00:00Z"),
      },
    ]);
    expect(csv).toBe(
      "teacher_id,teacher_name,currency,amount,lessons,period_start,period_end\n" +
        '42,"Tessa ""T"", tutor",USD,2400.50,3,2026-11-16,2026-11-22\n',
    );
  });
});
