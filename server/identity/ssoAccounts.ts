import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { accounts, users } from "../../db/schema";
import { DomainError } from "../domainError";
import {
  decideSsoSignIn,
  type SignInMethods,
  SSO_PROVIDER,
  type SsoFacts,
  type SsoIdentity,
  type SsoRefusal,
  unlinkRefusal,
} from "./ssoLinking";

export type SsoAdmission = { ok: true; userId: string } | { ok: false; reason: SsoRefusal };

/** Another request linked the identity or took the email between our read and our write. */
class Raced extends Error {}

/**
 * Decides and applies who a single sign-on identity signs in as (server/identity/ssoLinking.ts
 * has the rules): links it to the signed-in viewer or to the account owning its verified email,
 * or creates a student account for it, in one transaction. Auth.js then finds the linked
 * account and signs in as its user. Only the provider and subject are stored: the app has no
 * use for the provider's tokens, so it keeps none.
 */
export async function admitSsoSignIn(
  db: Database,
  input: { provider: string; identity: SsoIdentity; viewerId: string | null },
): Promise<SsoAdmission> {
  // A race (two tabs finishing the same sign-in) is decided again on fresh facts; the loser of
  // the second read finds the winner's link and simply signs in.
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => admitOnce(tx, input));
    } catch (error) {
      if (!(error instanceof Raced) || attempt >= 3) throw error;
    }
  }
}

async function admitOnce(
  tx: Executor,
  input: { provider: string; identity: SsoIdentity; viewerId: string | null },
): Promise<SsoAdmission> {
  const facts = await readFacts(tx, input);
  const decision = decideSsoSignIn(facts);
  switch (decision.kind) {
    case "refuse":
      return { ok: false, reason: decision.reason };
    case "sign_in":
      return { ok: true, userId: decision.userId };
    case "link": {
      await linkIdentity(tx, decision.userId, input.provider, input.identity.subject);
      if (decision.markEmailVerified) {
        await tx
          .update(users)
          .set({ emailVerified: new Date() })
          .where(and(eq(users.id, decision.userId), isNull(users.emailVerified)));
      }
      return { ok: true, userId: decision.userId };
    }
    case "create": {
      const [created] = await tx
        .insert(users)
        .values({
          name: decision.name,
          email: decision.email,
          emailVerified: new Date(),
          role: "student",
        })
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      if (!created) throw new Raced();
      await linkIdentity(tx, created.id, input.provider, input.identity.subject);
      return { ok: true, userId: created.id };
    }
  }
}

async function readFacts(
  tx: Executor,
  input: { provider: string; identity: SsoIdentity; viewerId: string | null },
): Promise<SsoFacts> {
  const { provider, identity, viewerId } = input;
  const [linked] = await tx
    .select({ userId: accounts.userId })
    .from(accounts)
    .where(and(eq(accounts.provider, provider), eq(accounts.providerAccountId, identity.subject)))
    .limit(1);

  let viewer: SsoFacts["viewer"] = null;
  if (viewerId) {
    const [row] = await tx
      .select({
        id: users.id,
        email: users.email,
        emailVerified: users.emailVerified,
        linkedHere: sql<boolean>`exists (select 1 from ${accounts} where ${accounts.userId} = ${users.id} and ${accounts.provider} = ${provider})`,
      })
      .from(users)
      .where(eq(users.id, viewerId))
      .limit(1);
    // A session whose account is gone counts as signed out (Auth.js does the same).
    if (row) {
      viewer = {
        id: row.id,
        email: row.email,
        emailVerified: row.emailVerified !== null,
        hasThisProvider: row.linkedHere,
      };
    }
  }

  let emailOwner: SsoFacts["emailOwner"] = null;
  if (identity.email) {
    const [row] = await tx
      .select({ id: users.id, emailVerified: users.emailVerified })
      .from(users)
      .where(eq(users.email, identity.email))
      .limit(1);
    if (row) emailOwner = { id: row.id, emailVerified: row.emailVerified !== null };
  }

  return { identity, linkedUserId: linked?.userId ?? null, viewer, emailOwner };
}

async function linkIdentity(tx: Executor, userId: string, provider: string, subject: string) {
  const [row] = await tx
    .insert(accounts)
    .values({ userId, type: "oidc", provider, providerAccountId: subject })
    .onConflictDoNothing()
    .returning({ userId: accounts.userId });
  if (!row) throw new Raced();
}

/** Reads what the identity provider said (userinfo claims) into our shape. */
export function ssoIdentityFrom(profile: Record<string, unknown>): SsoIdentity | null {
  const subject = typeof profile.sub === "string" && profile.sub ? profile.sub : null;
  if (!subject) return null;
  const email =
    typeof profile.email === "string" && profile.email.includes("@")
      ? profile.email.trim().toLowerCase()
      : null;
  const name = typeof profile.name === "string" && profile.name.trim() ? profile.name.trim() : null;
  // Some providers send the string "true"; anything else, or nothing, is unverified.
  const verified = profile.email_verified === true || profile.email_verified === "true";
  return { subject, email, emailVerified: verified, name: name?.slice(0, 80) ?? null };
}

/** What /me/account shows about the signed-in account. */
export async function accountOverview(db: Executor, userId: string) {
  const [user] = await db
    .select({ name: users.name, email: users.email, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw new DomainError("not_found", "This account no longer exists.");
  return { ...user, methods: await signInMethodsOf(db, userId) };
}

/** The ways `userId` can sign in (read inside the caller's transaction when it will act on it). */
export async function signInMethodsOf(db: Executor, userId: string): Promise<SignInMethods> {
  const [user] = await db
    .select({ passwordHash: users.passwordHash, phoneVerified: users.phoneVerified })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) throw new DomainError("not_found", "This account no longer exists.");
  // Every linked identity (accounts row) is a way in: the app links only sign-in providers.
  const linked = await db
    .select({ provider: accounts.provider })
    .from(accounts)
    .where(eq(accounts.userId, userId));
  return {
    hasPassword: user.passwordHash !== null,
    hasVerifiedPhone: user.phoneVerified !== null,
    ssoProviders: [...new Set(linked.map((a) => a.provider))],
  };
}

/**
 * Removes the account's link to `provider`, unless that would leave it no way to sign in.
 * The user row is locked first, so two removals of different methods (this and, say, a
 * password removal doing the same) cannot both pass the check on the same stale facts.
 */
export async function unlinkSso(db: Database, userId: string, provider = SSO_PROVIDER) {
  await db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    const refusal = unlinkRefusal(await signInMethodsOf(tx, userId), provider);
    if (refusal) throw new DomainError("conflict", refusal, "provider");
    await tx
      .delete(accounts)
      .where(and(eq(accounts.userId, userId), eq(accounts.provider, provider)));
  });
}
