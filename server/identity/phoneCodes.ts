import { and, desc, eq, gt, isNull, type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { findPostgresError } from "../../db/postgresError";
import { phoneCodes } from "../../db/schema";
import { derivedSecret } from "../auth/secret";
import { DomainError } from "../domainError";
import { enforceRateLimit, type RateLimiter } from "../security/rateLimits";
import { getSmsSender, SmsNotSent, type SmsSender } from "../sms";
import {
  linkPhoneToAccount,
  phoneTaken,
  signInAccountForPhone,
  type VerifiedPhone,
} from "./phoneAccounts";
import {
  hashPhoneCode,
  isPhoneCodeShape,
  judgePhoneCode,
  newPhoneCode,
  type PhoneCodePurpose,
  phoneCodeExpiry,
  phoneCodeMatches,
  phoneCodeText,
} from "./phoneCodeRules";
import { type PhoneCodeRefusal, phoneCodeRefusalMessage } from "./phoneCodeWords";
import { normalizePhone } from "./phoneNumber";

/** A refused code: a 400 naming the field `code`, with what happened to the code. */
export class PhoneCodeRefused extends DomainError {
  constructor(readonly refusal: PhoneCodeRefusal) {
    super("invalid", phoneCodeRefusalMessage(refusal), "code");
    this.name = "PhoneCodeRefused";
  }
}

/** The key codes are hashed under: derived from the auth secret (as coupon codes' key is). */
function phoneCodeKey(): string {
  const key = derivedSecret("halfhour phone codes");
  if (!key) throw new Error("Set AUTH_SECRET to send phone codes");
  return key;
}

/** The typed number in E.164, or a 400 naming the field. */
export function requirePhone(typed: string): string {
  const phone = normalizePhone(typed);
  if (!phone) {
    throw new DomainError(
      "invalid",
      "Enter the number in international form, with the country code: like +44 7700 900123",
      "phone",
    );
  }
  return phone;
}

/** The codes of one number for one purpose (and, for `link`, one account). */
function codesOf(phone: string, purpose: PhoneCodePurpose, userId: string | null): SQL {
  return and(
    eq(phoneCodes.phone, phone),
    eq(phoneCodes.purpose, purpose),
    purpose === "link" ? eq(phoneCodes.userId, userId!) : isNull(phoneCodes.userId),
  )!;
}

function requireLinkUser(purpose: PhoneCodePurpose, userId: string | undefined): string | null {
  if (purpose === "sign_in") return null;
  if (!userId) throw new DomainError("unauthenticated", "Sign in to add a phone number.");
  return userId;
}

export interface PhoneCodeRequest {
  phone: string;
  purpose: PhoneCodePurpose;
  /** For `link`: the signed-in account adding the number. */
  userId?: string;
  /** The caller's network address, for the per-address limit. */
  address: string;
}

/**
 * Sends a one-time code to a number. Limits come first and fail closed (an outage of the
 * limiter must not mean free SMS): per address, then per number, so an address already
 * refused does not use up the victim number's allowance. The new code supersedes the
 * number's live codes for the same purpose (they expire now; `consumedAt` keeps meaning
 * "this code was used"), and the message goes out only after the row is committed, so a
 * code that arrives can always be verified. The answer is the same whether or not the number
 * has an account.
 */
export async function requestPhoneCode(
  db: Database,
  limiter: RateLimiter,
  input: PhoneCodeRequest,
  sender: SmsSender | null = getSmsSender(),
  now = new Date(),
): Promise<{ phone: string; expiresAt: Date }> {
  const phone = requirePhone(input.phone);
  const userId = requireLinkUser(input.purpose, input.userId);
  if (!sender) {
    throw new DomainError(
      "unavailable",
      "This server cannot send text messages at the moment. Sign in another way.",
      "phone",
    );
  }
  await enforceRateLimit(limiter, "codeSendAddress", input.address);
  await enforceRateLimit(limiter, "codeSendPhone", phone);

  const code = newPhoneCode();
  const expiresAt = phoneCodeExpiry(now);
  await db.transaction(async (tx) => {
    await tx
      .update(phoneCodes)
      .set({ expiresAt: now })
      .where(
        and(
          codesOf(phone, input.purpose, userId),
          isNull(phoneCodes.consumedAt),
          gt(phoneCodes.expiresAt, now),
        ),
      );
    await tx.insert(phoneCodes).values({
      phone,
      purpose: input.purpose,
      userId,
      codeHash: hashPhoneCode(phoneCodeKey(), phone, code),
      expiresAt,
    });
  });

  try {
    await sender.send(phone, phoneCodeText(input.purpose, code));
  } catch (error) {
    if (error instanceof SmsNotSent && error.recipientRejected) {
      throw new DomainError(
        "invalid",
        "This number cannot receive text messages. Check it, or use another number.",
        "phone",
      );
    }
    console.error(`[sms] code to ${phone} not sent:`, error);
    throw new DomainError(
      "unavailable",
      "The text message could not be sent. Please try again in a moment.",
      "phone",
    );
  }
  return { phone, expiresAt };
}

export interface PhoneCodeAttempt {
  phone: string;
  code: string;
  purpose: PhoneCodePurpose;
  /** For `link`: the signed-in account the code was sent for. */
  userId?: string;
}

type Decision = { verified: VerifiedPhone } | { refused: PhoneCodeRefusal } | { taken: true };

/**
 * Checks a code against the number's latest code, in one transaction with that code's row
 * locked (FOR UPDATE), so parallel attempts are judged one after another: ten wrong guesses
 * at once spend at most five attempts, two right ones sign in once. A refusal is returned out
 * of the transaction, not thrown in it, because a wrong code's spent attempt must commit; the
 * error is raised after. A right code is consumed, and the account work (sign-in or link,
 * coupons waiting for the number) happens in the same transaction.
 */
export async function verifyPhoneCode(
  db: Database,
  input: PhoneCodeAttempt,
  now = new Date(),
): Promise<VerifiedPhone> {
  const phone = requirePhone(input.phone);
  const userId = requireLinkUser(input.purpose, input.userId);
  const code = input.code.trim();
  if (!isPhoneCodeShape(code)) {
    throw new DomainError("invalid", "Enter the 6-digit code from the text message.", "code");
  }
  const key = phoneCodeKey();

  let decision: Decision;
  try {
    decision = await db.transaction(async (tx): Promise<Decision> => {
      const [latest] = await tx
        .select({
          id: phoneCodes.id,
          codeHash: phoneCodes.codeHash,
          attempts: phoneCodes.attempts,
          expiresAt: phoneCodes.expiresAt,
          consumedAt: phoneCodes.consumedAt,
        })
        .from(phoneCodes)
        .where(codesOf(phone, input.purpose, userId))
        .orderBy(desc(phoneCodes.id))
        .limit(1)
        .for("update");
      const verdict = judgePhoneCode(
        latest ?? null,
        () => phoneCodeMatches(key, phone, code, latest!.codeHash),
        now,
      );
      if (verdict.kind === "refused") {
        if (verdict.countAttempt) {
          await tx
            .update(phoneCodes)
            .set({ attempts: sql`${phoneCodes.attempts} + 1` })
            .where(eq(phoneCodes.id, latest!.id));
        }
        return { refused: verdict.refusal };
      }
      await tx.update(phoneCodes).set({ consumedAt: now }).where(eq(phoneCodes.id, latest!.id));
      if (input.purpose === "sign_in") {
        return { verified: await signInAccountForPhone(tx, phone, now) };
      }
      const linked = await linkPhoneToAccount(tx, userId!, phone, now);
      // The code did its job (the number is theirs), so it stays used.
      return linked ? { verified: linked } : { taken: true };
    });
  } catch (error) {
    // Another account took the number in a parallel transaction: the unique index decided.
    if (findPostgresError(error, UNIQUE_VIOLATION)?.constraint === "users_phone_unique") {
      throw phoneTaken();
    }
    throw error;
  }
  if ("refused" in decision) throw new PhoneCodeRefused(decision.refused);
  if ("taken" in decision) throw phoneTaken();
  return decision.verified;
}

const UNIQUE_VIOLATION = new Set(["23505"]);
