import { and, eq, ne } from "drizzle-orm";
import type { Database, Transaction } from "../../db/client";
import { accounts, users } from "../../db/schema";
import { DomainError } from "../domainError";
import { attachPhoneCoupons } from "../marketing/phoneCoupons";
import { maskedPhone } from "./phoneNumber";

/** What a verified number gives its caller: the account, as sign-in needs it. */
export interface PhoneAccount {
  id: string;
  name: string | null;
  email: string | null;
  role: "student" | "teacher" | "admin";
  sessionGeneration: number;
}

export interface VerifiedPhone {
  phone: string;
  user: PhoneAccount;
  /** A new account was made for the number (phone sign-in of someone new). */
  created: boolean;
  /** Coupons granted to the number that moved to the account now (marketing issue). */
  couponsAttached: number;
}

const accountColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  sessionGeneration: users.sessionGeneration,
};

/**
 * Phone sign-in, inside the verification transaction: the account that holds the number, or
 * a new student account for it (named after the number's last digits until they rename it).
 * Coupons waiting for the number move to the account in the same transaction.
 */
export async function signInAccountForPhone(
  tx: Transaction,
  phone: string,
  now: Date,
): Promise<VerifiedPhone> {
  let created = false;
  let [user] = await tx.select(accountColumns).from(users).where(eq(users.phone, phone)).limit(1);
  if (!user) {
    [user] = await tx
      .insert(users)
      .values({ name: `Student ${maskedPhone(phone)}`, phone, phoneVerified: now })
      // Another transaction gave the number to an account meanwhile (a link, a parallel
      // sign-in of the same number): that account is the one to sign in.
      .onConflictDoNothing({ target: users.phone })
      .returning(accountColumns);
    if (user) created = true;
    else [user] = await tx.select(accountColumns).from(users).where(eq(users.phone, phone));
  }
  if (!user) throw new Error(`No account holds ${phone} although inserting it conflicted`);
  const attached = await attachPhoneCoupons(tx, user.id, phone);
  return { phone, user, created, couponsAttached: attached.length };
}

/**
 * Adds (or replaces) the verified number of a signed-in account, inside the verification
 * transaction. Null when another account holds the number: the caller commits the spent code
 * and reports the conflict. Two accounts linking one number at once meet the unique index,
 * which the caller turns into the same conflict (phoneTaken).
 */
export async function linkPhoneToAccount(
  tx: Transaction,
  userId: string,
  phone: string,
  now: Date,
): Promise<VerifiedPhone | null> {
  const [holder] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.phone, phone), ne(users.id, userId)))
    .limit(1);
  if (holder) return null;
  const [user] = await tx
    .update(users)
    .set({ phone, phoneVerified: now })
    .where(eq(users.id, userId))
    .returning(accountColumns);
  if (!user) throw new DomainError("not_found", "This account no longer exists.");
  const attached = await attachPhoneCoupons(tx, user.id, phone);
  return { phone, user, created: false, couponsAttached: attached.length };
}

export const phoneTaken = () =>
  new DomainError(
    "conflict",
    "This number belongs to another Halfhour account. Sign in with the number to use that account, or remove the number from it first.",
    "phone",
  );

/** The account's number and whether it may be removed (see unlinkPhone). */
export async function phoneOfAccount(db: Database, userId: string) {
  const [user] = await db
    .select({
      phone: users.phone,
      phoneVerified: users.phoneVerified,
      hasPassword: users.passwordHash,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw new DomainError("not_found", "This account no longer exists.");
  const [linked] = await db
    .select({ provider: accounts.provider })
    .from(accounts)
    .where(eq(accounts.userId, userId))
    .limit(1);
  return {
    phone: user.phone,
    verifiedAt: user.phoneVerified,
    canRemove: user.phone !== null && (user.hasPassword !== null || linked !== undefined),
  };
}

/**
 * Removes the account's number, unless it is the only way to sign in (no password and no
 * single sign-on account): removing it would lock the owner out. The account row is locked so
 * a concurrent password or SSO change is seen.
 */
export async function unlinkPhone(db: Database, userId: string): Promise<{ phone: null }> {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ phone: users.phone, passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!user) throw new DomainError("not_found", "This account no longer exists.");
    if (user.phone === null) return { phone: null };
    const [linked] = await tx
      .select({ provider: accounts.provider })
      .from(accounts)
      .where(eq(accounts.userId, userId))
      .limit(1);
    if (user.passwordHash === null && !linked) {
      throw new DomainError(
        "conflict",
        "Your phone number is how you sign in. Add a password or a single sign-on account before removing it.",
        "phone",
      );
    }
    await tx.update(users).set({ phone: null, phoneVerified: null }).where(eq(users.id, userId));
    return { phone: null };
  });
}
