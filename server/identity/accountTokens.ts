import { and, eq, gt, isNull } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { accountTokens } from "../../db/schema";
import {
  type AccountTokenPurpose,
  hashAccountToken,
  newAccountToken,
  type TokenState,
  tokenExpiresAt,
  tokenState,
} from "./accountTokenRules";

/**
 * Issues a token for `email` of `userId`. Older unused tokens of the same user and purpose
 * expire now, so only the latest link works (a reset link in an old mail cannot be used
 * after a newer one was asked for). Run inside the caller's transaction, with the user's row
 * locked, so two requests at once cannot both leave a live token.
 */
export async function issueAccountToken(
  tx: Executor,
  grant: { userId: string; purpose: AccountTokenPurpose; email: string },
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  await expireAccountTokens(tx, grant.userId, grant.purpose, now);
  const { token, tokenHash } = newAccountToken();
  const expiresAt = tokenExpiresAt(grant.purpose, now);
  await tx.insert(accountTokens).values({
    tokenHash,
    userId: grant.userId,
    purpose: grant.purpose,
    email: grant.email,
    expiresAt,
    createdAt: now,
  });
  return { token, expiresAt };
}

export type UsedToken =
  | { ok: true; userId: string; email: string }
  | {
      ok: false;
      state: Exclude<TokenState, "usable">;
      userId: string | null;
      email: string | null;
    };

/**
 * Uses a token once: one conditional UPDATE marks it used only while it is unused and unexpired,
 * so of two requests racing with the same link exactly one gets it. Run inside the transaction
 * that applies what the token allows, so a failure after this leaves the token unused.
 */
export async function useAccountToken(
  tx: Executor,
  token: string,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<UsedToken> {
  const tokenHash = hashAccountToken(token);
  const [used] = await tx
    .update(accountTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(accountTokens.tokenHash, tokenHash),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
      ),
    )
    .returning({ userId: accountTokens.userId, email: accountTokens.email });
  if (used) return { ok: true, ...used };
  const row = await findToken(tx, tokenHash, purpose);
  const state = tokenState(row, now);
  // The update refused it, so it cannot be usable now (only a clock at the boundary could say so).
  return {
    ok: false,
    state: state === "usable" ? "expired" : state,
    userId: row?.userId ?? null,
    email: row?.email ?? null,
  };
}

/** What a token is worth now, without using it (to decide whether to show a form). */
export async function peekAccountToken(
  db: Executor,
  token: string,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<TokenState> {
  return tokenState(await findToken(db, hashAccountToken(token), purpose), now);
}

/** Expires every unused token of a user and purpose (e.g. the other reset links after a reset). */
export async function expireAccountTokens(
  tx: Executor,
  userId: string,
  purpose: AccountTokenPurpose,
  now: Date,
): Promise<void> {
  await tx
    .update(accountTokens)
    .set({ expiresAt: now })
    .where(
      and(
        eq(accountTokens.userId, userId),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, now),
      ),
    );
}

async function findToken(db: Executor, tokenHash: string, purpose: AccountTokenPurpose) {
  const [row] = await db
    .select({
      userId: accountTokens.userId,
      email: accountTokens.email,
      expiresAt: accountTokens.expiresAt,
      usedAt: accountTokens.usedAt,
    })
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, tokenHash), eq(accountTokens.purpose, purpose)))
    .limit(1);
  return row ?? null;
}
