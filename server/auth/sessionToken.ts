import type { JWT } from "@auth/core/jwt";
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { users } from "../../db/schema";
import type { Role } from "../identity/session";

/**
 * How long a role in a session cookie is trusted before the account is re-read: a role change
 * (approval, suspension) and a revocation (password reset, "sign out everywhere") take effect
 * within this time.
 */
export const ACCOUNT_RECHECK_MS = 60_000;

export interface SessionAccount {
  role: Role;
  sessionGeneration: number;
}

export async function readSessionAccount(db: Executor, userId: string) {
  const [row] = await db
    .select({ role: users.role, sessionGeneration: users.sessionGeneration })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row ?? null;
}

interface SignedInUser {
  id?: string;
  name?: string | null;
  email?: string | null;
  image?: string | null;
}

/**
 * The session token after Auth.js's jwt callback; null ends the session.
 *
 * At sign-in a new token is built from nothing that came before it, so a token planted in the
 * browser before sign-in cannot carry over. It records the account's session generation; a
 * later token whose generation is behind the account's (password reset, "sign out
 * everywhere") is refused at its next re-check, as is one whose account is gone.
 */
export async function refreshSessionToken(
  db: Executor,
  token: JWT,
  user: SignedInUser | undefined,
  now = Date.now(),
  /**
   * Re-read now, whatever the age of the last check: Auth.js's `update()` from the client
   * (e.g. /teach once an application is approved). The data `update()` sends is never read,
   * so a client cannot choose its own role.
   */
  recheckNow = false,
): Promise<JWT | null> {
  if (user?.id) {
    const account = await readSessionAccount(db, user.id);
    if (!account) return null;
    return {
      name: user.name,
      email: user.email,
      picture: user.image,
      sub: user.id,
      uid: user.id,
      role: account.role,
      generation: account.sessionGeneration,
      roleCheckedAt: now,
    };
  }
  if (token.uid && (recheckNow || now - (token.roleCheckedAt ?? 0) > ACCOUNT_RECHECK_MS)) {
    const account = await readSessionAccount(db, token.uid);
    if (!account || account.sessionGeneration !== (token.generation ?? 0)) return null;
    return { ...token, role: account.role, roleCheckedAt: now };
  }
  return token;
}
