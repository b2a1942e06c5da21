import type { CouponKind, OfferScopeKind } from "./offerRules";

/**
 * The rules of a coupon batch (issue 7), pure: what a new batch must say, which edits are
 * allowed once coupons are out, and what each issued coupon holds against a money budget.
 *
 * - A money budget needs a bounded coupon: amount off, or percent off WITH a cap. Each issued
 *   coupon holds its largest possible discount against the budget, so redemptions can never
 *   add up to more than it. A free trial has no fixed price, so it is budgeted by count only.
 * - Validity is a fixed window (valid_until, optionally valid_from) or days after claim.
 * - Once coupons are issued, only edits that cannot hurt them are allowed: title, description,
 *   claim_until, the budgets (never below what was issued), a higher per-student limit.
 */
export interface BatchDraft {
  title: string;
  description: string;
  kind: CouponKind;
  amountOff: number | null;
  percentBps: number | null;
  cap: number | null;
  currency: string;
  scopeKind: OfferScopeKind;
  scopeIds: string[];
  minOrderAmount: number;
  validFrom: Date | null;
  validUntil: Date | null;
  validDaysAfterClaim: number | null;
  claimUntil: Date | null;
  budgetCount: number | null;
  budgetAmount: number | null;
  perUserLimit: number;
  exclusive: boolean;
  public: boolean;
  claimCode: string | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** The budget-relevant part of a batch row. */
export interface BatchBudget {
  kind: CouponKind;
  amountOff: number | null;
  cap: number | null;
  budgetCount: number | null;
  budgetAmount: number | null;
  issuedCount: number;
  issuedAmount: number;
}

export const MAX_VALID_DAYS = 3660;

/** Claim codes: 4–32 letters, digits or dashes, stored upper case (so unique whatever the case). */
export function normalizeClaimCode(typed: string): string | null {
  const code = typed.trim().toUpperCase();
  return /^[A-Z0-9][A-Z0-9-]{2,30}[A-Z0-9]$/.test(code) ? code : null;
}

/**
 * The largest discount one coupon of the batch can give, minor units; null when unbounded
 * (a percentage without a cap, or a free trial, whose value is the lesson's price).
 */
export function maxDiscountOf(batch: Pick<BatchBudget, "kind" | "amountOff" | "cap">) {
  if (batch.kind === "amount_off") return batch.amountOff;
  if (batch.kind === "percent_off") return batch.cap;
  return null;
}

/** What one issued coupon adds to issued_amount: its largest discount (0 when unbounded, which only batches without a money budget can be). */
export function amountHeldPerCoupon(batch: Pick<BatchBudget, "kind" | "amountOff" | "cap">) {
  return maxDiscountOf(batch) ?? 0;
}

/** How many more coupons the budgets allow; null when the batch has no budget at all. */
export function couponsLeft(batch: BatchBudget): number | null {
  const byCount = batch.budgetCount === null ? null : batch.budgetCount - batch.issuedCount;
  const held = amountHeldPerCoupon(batch);
  const byAmount =
    batch.budgetAmount === null || held === 0
      ? null
      : Math.floor((batch.budgetAmount - batch.issuedAmount) / held);
  if (byCount === null) return byAmount === null ? null : Math.max(0, byAmount);
  if (byAmount === null) return Math.max(0, byCount);
  return Math.max(0, Math.min(byCount, byAmount));
}

const positiveInt = (v: number | null) => v !== null && Number.isInteger(v) && v > 0;

/** Every problem with a new batch, each naming its field; empty when it may be created. */
export function batchDraftProblems(d: BatchDraft, now: Date): FieldProblem[] {
  const out: FieldProblem[] = [];
  const add = (field: string, message: string) => out.push({ field, message });

  if (!d.title.trim()) add("title", "Give the batch a title");
  if (d.title.length > 120) add("title", "Keep the title under 120 characters");
  if (d.description.length > 2000) add("description", "Keep the description under 2000 characters");
  if (!/^[A-Z]{3}$/.test(d.currency)) add("currency", "Expected a currency code such as USD");

  switch (d.kind) {
    case "amount_off":
      if (!positiveInt(d.amountOff))
        add("amountOff", "An amount-off coupon needs a positive amount");
      if (d.percentBps !== null) add("percentBps", "An amount-off coupon has no percentage");
      if (d.cap !== null) add("cap", "Only a percent-off coupon has a cap");
      break;
    case "percent_off":
      if (
        d.percentBps === null ||
        !Number.isInteger(d.percentBps) ||
        d.percentBps < 1 ||
        d.percentBps > 10_000
      )
        add("percentBps", "A percent-off coupon needs a percentage from 0.01% to 100%");
      if (d.amountOff !== null) add("amountOff", "A percent-off coupon has no fixed amount");
      if (d.cap !== null && !positiveInt(d.cap)) add("cap", "The cap must be a positive amount");
      break;
    case "free_trial":
      if (d.amountOff !== null) add("amountOff", "A free trial has no amount");
      if (d.percentBps !== null) add("percentBps", "A free trial has no percentage");
      if (d.cap !== null) add("cap", "A free trial has no cap");
      break;
  }

  if (d.scopeKind === "all" && d.scopeIds.length > 0)
    add("scopeIds", "A batch for everything names no subjects, teachers or courses");
  if (d.scopeKind !== "all" && d.scopeIds.length === 0)
    add("scopeIds", `Name at least one of the ${d.scopeKind} the batch is for`);
  if (d.scopeIds.length > 200) add("scopeIds", "Name at most 200");
  if (!Number.isInteger(d.minOrderAmount) || d.minOrderAmount < 0)
    add("minOrderAmount", "The minimum order must be zero or more");

  const window = d.validUntil !== null;
  const days = d.validDaysAfterClaim !== null;
  if (window === days)
    add("validUntil", "Give either a validity window (valid until) or days after claim, not both");
  if (
    days &&
    (!Number.isInteger(d.validDaysAfterClaim) ||
      d.validDaysAfterClaim! < 1 ||
      d.validDaysAfterClaim! > MAX_VALID_DAYS)
  )
    add("validDaysAfterClaim", `Coupons last from 1 to ${MAX_VALID_DAYS} days after claim`);
  if (!window && d.validFrom !== null) add("validFrom", "A start date goes with a validity window");
  if (window && d.validUntil!.getTime() <= now.getTime())
    add("validUntil", "The validity window must end in the future");
  if (window && d.validFrom && d.validFrom.getTime() >= d.validUntil!.getTime())
    add("validFrom", "The validity window must start before it ends");
  if (d.claimUntil !== null && d.claimUntil.getTime() <= now.getTime())
    add("claimUntil", "Claims must close in the future");

  if (d.budgetCount !== null && !positiveInt(d.budgetCount))
    add("budgetCount", "The coupon budget must be a positive number of coupons");
  if (d.budgetAmount !== null) {
    if (!positiveInt(d.budgetAmount))
      add("budgetAmount", "The money budget must be a positive amount");
    else if (d.kind === "free_trial")
      add("budgetAmount", "A free trial has no fixed value: budget it by number of coupons");
    else if (d.kind === "percent_off" && d.cap === null)
      add("cap", "A money budget needs a percent-off coupon with a cap");
    else {
      const each = maxDiscountOf(d)!;
      if (each > d.budgetAmount) add("budgetAmount", "The money budget does not cover one coupon");
    }
  }
  if (d.kind === "free_trial" && d.budgetCount === null)
    add("budgetCount", "A free trial needs a budget: the number of coupons");
  if (!Number.isInteger(d.perUserLimit) || d.perUserLimit < 1 || d.perUserLimit > 100)
    add("perUserLimit", "Each student may claim from 1 to 100 coupons");
  if (d.claimCode !== null && normalizeClaimCode(d.claimCode) === null)
    add("claimCode", "A claim code is 4–32 letters, digits or dashes");
  return out;
}

/** The edits allowed on a batch whose coupons may already be out. */
export interface BatchEdit {
  title?: string;
  description?: string;
  /** null: claims stay open while the batch is active. */
  claimUntil?: Date | null;
  budgetCount?: number;
  budgetAmount?: number;
  perUserLimit?: number;
}

export interface EditableBatch extends BatchBudget {
  claimUntil: Date | null;
  perUserLimit: number;
  status: "active" | "paused" | "retired";
}

/** Every problem with an edit, each naming its field. */
export function batchEditProblems(
  batch: EditableBatch,
  edit: BatchEdit,
  now: Date,
): FieldProblem[] {
  const out: FieldProblem[] = [];
  const add = (field: string, message: string) => out.push({ field, message });
  if (batch.status === "retired") add("status", "A retired batch cannot be edited");
  if (edit.title !== undefined && !edit.title.trim()) add("title", "Give the batch a title");
  if (edit.title !== undefined && edit.title.length > 120)
    add("title", "Keep the title under 120 characters");
  if (edit.description !== undefined && edit.description.length > 2000)
    add("description", "Keep the description under 2000 characters");
  if (edit.claimUntil && edit.claimUntil.getTime() <= now.getTime())
    add("claimUntil", "Claims must close in the future");
  if (edit.budgetCount !== undefined) {
    if (batch.budgetCount === null)
      add("budgetCount", "This batch has no coupon budget; one cannot be added later");
    else if (!positiveInt(edit.budgetCount))
      add("budgetCount", "The coupon budget must be a positive number of coupons");
    else if (edit.budgetCount < batch.issuedCount)
      add(
        "budgetCount",
        `${batch.issuedCount} coupons are already issued: the budget cannot go below that`,
      );
  }
  if (edit.budgetAmount !== undefined) {
    if (batch.budgetAmount === null)
      add("budgetAmount", "This batch has no money budget; one cannot be added later");
    else if (!positiveInt(edit.budgetAmount))
      add("budgetAmount", "The money budget must be a positive amount");
    else if (edit.budgetAmount < batch.issuedAmount)
      add("budgetAmount", "The money budget cannot go below what the issued coupons hold");
  }
  if (edit.perUserLimit !== undefined) {
    if (!Number.isInteger(edit.perUserLimit) || edit.perUserLimit > 100)
      add("perUserLimit", "Each student may claim at most 100 coupons");
    else if (edit.perUserLimit < batch.perUserLimit)
      add("perUserLimit", "The per-student limit can only be raised");
  }
  return out;
}

/** Pause, resume, retire: which status moves are allowed. Retired is final. */
export function statusMoveAllowed(
  from: "active" | "paused" | "retired",
  to: "active" | "paused" | "retired",
): boolean {
  if (from === "retired") return false;
  return from !== to;
}

/** When a coupon claimed at `claimedAt` is valid, from the batch's window or its days. */
export function couponValidity(
  batch: { validFrom: Date | null; validUntil: Date | null; validDaysAfterClaim: number | null },
  claimedAt: Date,
): { validFrom: Date; validUntil: Date } {
  if (batch.validDaysAfterClaim !== null) {
    return {
      validFrom: claimedAt,
      validUntil: new Date(claimedAt.getTime() + batch.validDaysAfterClaim * 86_400_000),
    };
  }
  return { validFrom: batch.validFrom ?? claimedAt, validUntil: batch.validUntil! };
}
