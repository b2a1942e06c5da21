import { eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { users } from "../../db/schema";

/**
 * Ends every session of the account, on every device, within a minute: each session token
 * carries the generation it was issued under and is refused at its next re-check once the
 * account's generation has moved on (server/auth/sessionToken.ts). Run it inside the
 * transaction that changes the credential (password reset) so both happen or neither.
 */
export async function revokeSessions(db: Executor, userId: string): Promise<void> {
  await db.update(users).set(revokingSessions).where(eq(users.id, userId));
}

/**
 * The same, as part of an update that changes the credential in the same statement (a
 * password reset or change): `.set({ passwordHash, ...revokingSessions })`.
 */
export const revokingSessions = { sessionGeneration: sql`${users.sessionGeneration} + 1` };
