import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { eq } from "drizzle-orm";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "../../db/client";
import { accounts, sessions, users, verificationTokens } from "../../db/schema";
import { signInInput } from "../identity/credentials";
import { verifyAccountPassword } from "../identity/password";
import { findUserForSignIn } from "../identity/registerUser";
import { type AppSession, isRole, type Role } from "../identity/session";
import { recordSignInOutcome } from "../identity/signInLimits";
import { getRateLimiter } from "../security/rateLimits";
import { phoneCredentials } from "./phoneProvider";
import { authSecret } from "./secret";

declare module "next-auth" {
  interface User {
    role?: Role;
    sessionGeneration?: number;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    /** When the role was last read from the database (epoch ms). */
    roleCheckedAt?: number;
    /** users.sessionGeneration when this session was issued; a newer one revokes it. */
    generation?: number;
  }
}

/**
 * How long a role in a session cookie is trusted before the account is re-read: a role change
 * (approval, suspension) and a revocation (password reset, "sign out everywhere") take effect
 * within this time.
 */
const ROLE_RECHECK_MS = 60_000;

class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}

/**
 * Auth.js, configured lazily so nothing touches the database or the secret at build time.
 * Adding an SSO provider is one entry in `providers` (e.g. an OIDC provider from env): the
 * adapter links its accounts to `users` and the callbacks below put the role on the session.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(
  (): NextAuthConfig => ({
    secret: authSecret(),
    trustHost: process.env.AUTH_TRUST_HOST !== "false",
    adapter: DrizzleAdapter(getDb(), {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    // Credentials sign-in requires JWT sessions when an adapter is configured.
    session: { strategy: "jwt" },
    pages: { signIn: "/sign-in" },
    logger: {
      // A wrong password is an expected outcome, not a server error worth a stack trace.
      error(error) {
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        console.error("[auth]", error);
      },
    },
    providers: [
      Credentials({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(raw) {
          const parsed = signInInput.safeParse(raw);
          if (!parsed.success) throw new InvalidCredentials();
          // Limits were checked before this ran (guardSignIn); here the outcome is counted.
          const { email, password } = parsed.data;
          const user = await findUserForSignIn(getDb(), email);
          const ok = !!user && (await verifyAccountPassword(user.passwordHash, password));
          await recordSignInOutcome(getRateLimiter(), { email }, ok);
          if (!user || !ok) throw new InvalidCredentials();
          return {
            id: user.id,
            name: user.name,
            email: user.email,
            role: user.role,
            sessionGeneration: user.sessionGeneration,
          };
        },
      }),
      phoneCredentials(),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user?.id) {
          // A sign-in always starts a new token (no id survives from before it), so a session
          // planted before sign-in cannot be carried into the signed-in one.
          const account = await readSessionAccount(user.id);
          if (!account) return null;
          return {
            name: user.name,
            email: user.email,
            picture: user.image,
            sub: user.id,
            uid: user.id,
            role: account.role,
            generation: account.sessionGeneration,
            roleCheckedAt: Date.now(),
          };
        }
        if (token.uid && Date.now() - (token.roleCheckedAt ?? 0) > ROLE_RECHECK_MS) {
          const account = await readSessionAccount(token.uid);
          // The account is gone, or its sessions were revoked: end this one.
          if (!account || account.sessionGeneration !== (token.generation ?? 0)) return null;
          token.role = account.role;
          token.roleCheckedAt = Date.now();
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid && isRole(token.role)) {
          Object.assign(session.user, { id: token.uid, role: token.role });
        }
        return session;
      },
    },
  }),
);

async function readSessionAccount(userId: string) {
  const [row] = await getDb()
    .select({ role: users.role, sessionGeneration: users.sessionGeneration })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row ?? null;
}

/** The current viewer in our own shape, or null when signed out. */
export async function currentSession(): Promise<AppSession | null> {
  const session = await auth();
  const user = session?.user as
    | { id?: string; role?: unknown; name?: string | null; email?: string | null }
    | undefined;
  if (!user?.id || !isRole(user.role)) return null;
  return {
    user: { id: user.id, role: user.role, name: user.name ?? null, email: user.email ?? null },
  };
}
