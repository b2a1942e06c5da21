import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { coupons, users } from "../../db/schema";
import { getCache, type KeyValueCache } from "../cache";
import { DomainError } from "../domainError";
import { type BatchActor, lockOwnBatch } from "./couponBatches";
import { normalizePhone } from "./couponBatchRules";
import { forgetCounter } from "./couponCounter";
import { insertCoupons, takeBudget } from "./couponIssue";
import type { CouponRow } from "./offerCandidates";

export const MAX_GRANT_RECIPIENTS = 500;

type Recipient = { entry: string; email: string } | { entry: string; phone: string };

const email = z.email();

/** Each entry is an email or an E.164 phone number; the error names the entry that is neither. */
export function parseRecipients(entries: readonly string[]): Recipient[] {
  if (entries.length === 0) {
    throw new DomainError("invalid", "Name at least one email or phone number", "recipients");
  }
  if (entries.length > MAX_GRANT_RECIPIENTS) {
    throw new DomainError(
      "invalid",
      `Grant to at most ${MAX_GRANT_RECIPIENTS} at once`,
      "recipients",
    );
  }
  const seen = new Set<string>();
  const out: Recipient[] = [];
  entries.forEach((raw, i) => {
    const typed = raw.trim();
    const lower = typed.toLowerCase();
    let recipient: Recipient | null = null;
    if (typed.includes("@")) {
      if (email.safeParse(lower).success) recipient = { entry: lower, email: lower };
    } else {
      const phone = normalizePhone(typed);
      if (phone) recipient = { entry: phone, phone };
    }
    if (!recipient) {
      throw new DomainError(
        "invalid",
        `Entry ${i + 1} ("${typed.slice(0, 60)}") is neither an email address nor a phone number in international form like +447700900123`,
        `recipients.${i}`,
      );
    }
    if (!seen.has(recipient.entry)) {
      seen.add(recipient.entry);
      out.push(recipient);
    }
  });
  return out;
}

export interface GrantResult {
  /** One per distinct recipient, in the order given. */
  coupons: { recipient: string; coupon: CouponRow }[];
  /** How many of them this call issued (the rest were issued by an earlier call with the key). */
  issued: number;
}

/**
 * Grants one coupon of a batch to each recipient (issue 7): an account by email, or a phone
 * number — which, with no account yet, gets a `pending` coupon that waits for the account that
 * verifies it (phoneCoupons.attachPhoneCoupons). An admin grants from any batch, a teacher
 * from their own. All or nothing in one transaction; the budget is taken exactly as for claims
 * (the per-student claim limit does not bind a deliberate grant). `grantKey` makes it
 * idempotent: repeating the call returns the same coupons and issues nothing more.
 */
export async function grantCoupons(
  db: Database,
  actor: BatchActor,
  input: { batchId: string; recipients: readonly string[]; grantKey: string },
  now = new Date(),
  cache: KeyValueCache = getCache(),
): Promise<GrantResult> {
  const grantKey = input.grantKey.trim();
  if (grantKey.length < 8 || grantKey.length > 100) {
    throw new DomainError("invalid", "Expected a grant key of 8 to 100 characters", "grantKey");
  }
  const recipients = parseRecipients(input.recipients);
  const emails = recipients.flatMap((r) => ("email" in r ? [r.email] : []));
  const accounts = emails.length
    ? await db
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(users.email, emails))
    : [];
  const userOf = new Map(accounts.map((a) => [a.email!, a.id]));
  recipients.forEach((r, i) => {
    if ("email" in r && !userOf.has(r.email)) {
      throw new DomainError("invalid", `No account has the email ${r.email}`, `recipients.${i}`);
    }
  });
  const keyOf = (r: Recipient) => `grant:${grantKey}:${r.entry}`;

  const result = await db.transaction(async (tx) => {
    const batch = await lockOwnBatch(tx, actor, input.batchId);
    const existing = await tx
      .select()
      .from(coupons)
      .where(and(eq(coupons.batchId, batch.id), inArray(coupons.claimKey, recipients.map(keyOf))));
    const byKey = new Map(existing.map((c) => [c.claimKey, c]));
    const missing = recipients.filter((r) => !byKey.has(keyOf(r)));
    if (missing.length > 0) {
      if (batch.status !== "active") {
        throw new DomainError(
          "conflict",
          `This batch is ${batch.status}; it grants nothing`,
          "batchId",
        );
      }
      if (batch.validUntil && batch.validUntil.getTime() <= now.getTime()) {
        throw new DomainError("conflict", "This batch's validity has ended", "batchId");
      }
      if (!(await takeBudget(tx, batch, missing.length, now, { ignoreClaimUntil: true }))) {
        throw new DomainError(
          "conflict",
          `The batch's budget does not cover ${missing.length} more coupon${missing.length === 1 ? "" : "s"}`,
          "recipients",
        );
      }
      const created = await insertCoupons(
        tx,
        batch,
        missing.map((r) => ({
          claimKey: keyOf(r),
          ownerUserId: "email" in r ? userOf.get(r.email)! : null,
          ownerPhone: "phone" in r ? r.phone : null,
        })),
        now,
      );
      for (const c of created) byKey.set(c.claimKey, c);
    }
    return {
      coupons: recipients.map((r) => ({ recipient: r.entry, coupon: byKey.get(keyOf(r))! })),
      issued: missing.length,
    };
  });
  if (result.issued > 0) await forgetCounter(cache, input.batchId);
  return result;
}
