/**
 * Double-entry postings, pure (no I/O). Sign convention, the same for every account: a line's
 * amount flows INTO its account when positive and out of it when negative, in integer minor
 * units. A balance is the sum of the account's entries. Liabilities and revenue read positive:
 *
 * - `student_wallet`: prepaid money a student can spend (never negative).
 * - `prepaid_lessons`: what students paid for hours not yet taken (platform-wide).
 * - `teacher_payable`: what the platform owes a teacher for completed lessons.
 * - `refunds_payable`: refunds approved and not yet sent back through the gateway.
 * - `platform_revenue`: commission earned.
 * - `gateway_clearing`: the outside world — money in through a gateway is taken from it
 *   (negative), money out (gateway refunds, payouts) goes back to it.
 *
 * Examples: a top-up is clearing −1000, wallet +1000; paying an order from the wallet is
 * wallet −3000, prepaid_lessons +3000; a completed lesson is prepaid_lessons −3000, teacher
 * payable +2400, revenue +600.
 */
export const LEDGER_ACCOUNT_KINDS = [
  "student_wallet",
  "teacher_payable",
  "prepaid_lessons",
  "platform_revenue",
  "gateway_clearing",
  "refunds_payable",
] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

/** Accounts with no owner: one per currency for the whole platform. */
export const PLATFORM_ACCOUNT_KINDS = [
  "prepaid_lessons",
  "platform_revenue",
  "gateway_clearing",
  "refunds_payable",
] as const satisfies readonly LedgerAccountKind[];
export type PlatformAccountKind = (typeof PLATFORM_ACCOUNT_KINDS)[number];

export const LEDGER_REFERENCE_KINDS = [
  "payment",
  "refund",
  "settlement",
  "payout",
  "top_up",
  "adjustment",
] as const;
export type LedgerReferenceKind = (typeof LEDGER_REFERENCE_KINDS)[number];

/** One movement of a posting: `amount` minor units into (+) or out of (−) the account. */
export interface LedgerLine {
  accountId: string;
  currency: string;
  amount: number;
}

/** What a posting is about; (kind, id, purpose) identifies it, so it is recorded once. */
export interface LedgerReference {
  kind: LedgerReferenceKind;
  id: string;
  purpose: string;
}

export interface LedgerPosting {
  reference: LedgerReference;
  memo: string | null;
  lines: LedgerLine[];
}

/** The net change a posting makes to one account. */
export interface AccountDelta {
  accountId: string;
  currency: string;
  delta: number;
}

const CURRENCY = /^[A-Z]{3}$/;
const MAX_TEXT = 200;

/**
 * Checks a posting and returns it normalized (memo trimmed, lines copied). Throws RangeError
 * on anything a correct caller never sends: fewer than two lines, a zero, fractional or
 * unsafe amount, a bad currency, an account in two currencies, a total other than zero per
 * currency, or a reference without an id or purpose.
 */
export function buildPosting(input: {
  reference: LedgerReference;
  memo?: string | null;
  lines: readonly LedgerLine[];
}): LedgerPosting {
  const { reference } = input;
  if (!(LEDGER_REFERENCE_KINDS as readonly string[]).includes(reference.kind)) {
    throw new RangeError(`unknown ledger reference kind: ${reference.kind}`);
  }
  for (const [name, value] of [
    ["reference id", reference.id],
    ["purpose", reference.purpose],
  ] as const) {
    if (typeof value !== "string" || value.trim() === "" || value.length > MAX_TEXT) {
      throw new RangeError(`a posting needs a ${name} of 1–${MAX_TEXT} characters`);
    }
  }
  if (input.lines.length < 2) throw new RangeError("a posting needs at least two lines");
  const currencyOf = new Map<string, string>();
  const totals = new Map<string, number>();
  for (const line of input.lines) {
    if (!Number.isSafeInteger(line.amount)) {
      throw new RangeError(`ledger amounts are integer minor units, not ${line.amount}`);
    }
    if (line.amount === 0) throw new RangeError("a posting line cannot be zero");
    if (!CURRENCY.test(line.currency)) throw new RangeError(`bad currency: ${line.currency}`);
    if (!line.accountId) throw new RangeError("a posting line needs an account");
    const known = currencyOf.get(line.accountId);
    if (known !== undefined && known !== line.currency) {
      throw new RangeError(`account ${line.accountId} appears in ${known} and ${line.currency}`);
    }
    currencyOf.set(line.accountId, line.currency);
    const total = (totals.get(line.currency) ?? 0) + line.amount;
    if (!Number.isSafeInteger(total)) throw new RangeError("posting total out of range");
    totals.set(line.currency, total);
  }
  for (const [currency, total] of totals) {
    if (total !== 0) {
      throw new RangeError(`a posting must sum to zero; ${currency} lines sum to ${total}`);
    }
  }
  const memo = input.memo?.trim() || null;
  return {
    reference: { ...reference },
    memo,
    lines: input.lines.map((l) => ({ ...l })),
  };
}

/** Net change per account, in ascending account id order (the order accounts are locked in). */
export function accountDeltas(lines: readonly LedgerLine[]): AccountDelta[] {
  const byAccount = new Map<string, AccountDelta>();
  for (const line of lines) {
    const current = byAccount.get(line.accountId);
    if (current) current.delta += line.amount;
    else byAccount.set(line.accountId, { ...line, delta: line.amount });
  }
  return [...byAccount.values()]
    .map(({ accountId, currency, delta }) => ({ accountId, currency, delta }))
    .sort((a, b) => compareIds(a.accountId, b.accountId));
}

/** Orders decimal id strings numerically (snowflakes exceed Number.MAX_SAFE_INTEGER). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether two postings of one reference move the same money: the lines may come in any
 * order. Reposting a reference with different lines is a bug in the caller.
 */
export function sameLines(a: readonly LedgerLine[], b: readonly LedgerLine[]): boolean {
  const key = (lines: readonly LedgerLine[]) =>
    lines
      .map((l) => `${l.accountId}:${l.currency}:${l.amount}`)
      .sort()
      .join(",");
  return a.length === b.length && key(a) === key(b);
}
