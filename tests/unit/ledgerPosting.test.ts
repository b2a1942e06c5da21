import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accountDeltas,
  buildPosting,
  compareIds,
  type LedgerLine,
  sameLines,
} from "../../server/ledger/ledgerPosting";

const reference = { kind: "payment" as const, id: "123", purpose: "capture" };
const line = (accountId: string, amount: number, currency = "EUR"): LedgerLine => ({
  accountId,
  currency,
  amount,
});

const accountIdArb = fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String);
const amountArb = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).filter((n) => n !== 0);

/** Random balanced postings: random lines plus one closing line per currency. */
const balancedLinesArb = fc
  .array(
    fc.record({
      accountId: accountIdArb,
      currency: fc.constantFrom("EUR", "USD"),
      amount: amountArb,
    }),
    { minLength: 1, maxLength: 8 },
  )
  .chain((lines) =>
    accountIdArb.map((closing) => {
      const totals = new Map<string, number>();
      for (const l of lines) totals.set(l.currency, (totals.get(l.currency) ?? 0) + l.amount);
      const closers = [...totals]
        .filter(([, total]) => total !== 0)
        .map(([currency, total]) => ({
          accountId: `${closing}${currency === "EUR" ? 1 : 2}`,
          currency,
          amount: -total,
        }));
      return [...lines, ...closers];
    }),
  )
  // Keep postings of at least two lines where each account stays in one currency.
  .filter((lines) => {
    const currencies = new Set(lines.map((l) => `${l.accountId}:${l.currency}`));
    const accounts = new Set(lines.map((l) => l.accountId));
    return lines.length >= 2 && currencies.size === accounts.size;
  });

describe("buildPosting", () => {
  it("accepts a balanced posting and normalizes the memo", () => {
    const posting = buildPosting({
      reference,
      memo: "  Top-up  ",
      lines: [line("1", -1000), line("2", 1000)],
    });
    expect(posting).toEqual({
      reference,
      memo: "Top-up",
      lines: [line("1", -1000), line("2", 1000)],
    });
    expect(
      buildPosting({ reference, memo: "   ", lines: [line("1", -1), line("2", 1)] }).memo,
    ).toBe(null);
  });

  it("accepts balanced postings in several currencies (property)", () => {
    fc.assert(
      fc.property(balancedLinesArb, (lines) => {
        expect(buildPosting({ reference, lines }).lines).toEqual(lines);
      }),
    );
  });

  it("rejects any posting that does not sum to zero in some currency (property)", () => {
    fc.assert(
      fc.property(balancedLinesArb, amountArb, fc.nat(), (lines, skew, pick) => {
        const i = pick % lines.length;
        const changed = lines.map((l, j) => (j === i ? { ...l, amount: l.amount + skew } : l));
        fc.pre(changed[i]!.amount !== 0);
        expect(() => buildPosting({ reference, lines: changed })).toThrow(/sum to zero/);
      }),
    );
  });

  it("rejects fewer than two lines, zero, fractional and unsafe amounts", () => {
    expect(() => buildPosting({ reference, lines: [] })).toThrow(RangeError);
    expect(() => buildPosting({ reference, lines: [line("1", 0)] })).toThrow(/at least two/);
    expect(() => buildPosting({ reference, lines: [line("1", 0), line("2", 0)] })).toThrow(
      /cannot be zero/,
    );
    expect(() => buildPosting({ reference, lines: [line("1", 1.5), line("2", -1.5)] })).toThrow(
      /integer minor units/,
    );
    expect(() =>
      buildPosting({ reference, lines: [line("1", 2 ** 53), line("2", -(2 ** 53))] }),
    ).toThrow(/integer minor units/);
    expect(() => buildPosting({ reference, lines: [line("1", Number.NaN), line("2", 1)] })).toThrow(
      RangeError,
    );
  });

  it("rejects per-currency imbalance even when the grand total is zero", () => {
    expect(() =>
      buildPosting({ reference, lines: [line("1", 100, "EUR"), line("2", -100, "USD")] }),
    ).toThrow(/EUR lines sum to 100/);
  });

  it("rejects bad currencies, an account in two currencies, and missing references", () => {
    expect(() =>
      buildPosting({ reference, lines: [line("1", 1, "eur"), line("2", -1, "eur")] }),
    ).toThrow(/bad currency/);
    expect(() =>
      buildPosting({
        reference,
        lines: [
          line("1", 1, "EUR"),
          line("1", -1, "USD"),
          line("2", -1, "EUR"),
          line("2", 1, "USD"),
        ],
      }),
    ).toThrow(/appears in EUR and USD/);
    expect(() =>
      buildPosting({ reference: { ...reference, id: " " }, lines: [line("1", 1), line("2", -1)] }),
    ).toThrow(/reference id/);
    expect(() =>
      buildPosting({
        reference: { ...reference, purpose: "" },
        lines: [line("1", 1), line("2", -1)],
      }),
    ).toThrow(/purpose/);
    expect(() =>
      buildPosting({
        reference: { ...reference, kind: "gift" as never },
        lines: [line("1", 1), line("2", -1)],
      }),
    ).toThrow(/reference kind/);
    expect(() => buildPosting({ reference, lines: [line("", 1), line("2", -1)] })).toThrow(
      /needs an account/,
    );
  });
});

describe("accountDeltas", () => {
  it("nets the lines per account, in ascending numeric id order", () => {
    expect(
      accountDeltas([line("900", 5), line("1000", -3), line("900", -2), line("20", 0)]),
    ).toEqual([
      { accountId: "20", currency: "EUR", delta: 0 },
      { accountId: "900", currency: "EUR", delta: 3 },
      { accountId: "1000", currency: "EUR", delta: -3 },
    ]);
  });

  it("keeps the total and sorts like BigInt (property)", () => {
    fc.assert(
      fc.property(balancedLinesArb, (lines) => {
        const deltas = accountDeltas(lines);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        expect(sum(deltas.map((d) => d.delta))).toBe(sum(lines.map((l) => l.amount)));
        expect(new Set(deltas.map((d) => d.accountId)).size).toBe(deltas.length);
        for (let i = 1; i < deltas.length; i++) {
          expect(BigInt(deltas[i - 1]!.accountId) < BigInt(deltas[i]!.accountId)).toBe(true);
        }
      }),
    );
  });
});

describe("compareIds / sameLines", () => {
  it("compares decimal ids as numbers (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        (a, b) => {
          expect(Math.sign(compareIds(String(a), String(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
        },
      ),
    );
  });

  it("matches the same lines in any order, and nothing else", () => {
    const lines = [line("1", -5), line("2", 3), line("3", 2)];
    expect(sameLines(lines, [...lines].reverse())).toBe(true);
    expect(sameLines(lines, [line("1", -5), line("2", 2), line("3", 3)])).toBe(false);
    expect(sameLines(lines, lines.slice(0, 2))).toBe(false);
  });
});
