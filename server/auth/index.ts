import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { eq } from "drizzle-orm";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "../../db/client";
import { accounts, sessions, users, verificationTokens } from "../../db/schema";
import { getCache } from "../cache";
import { signInInput } from "../identity/credentials";
import { verifyAccountPassword } from "../identity/password";
import { findUserForSignIn } from "../identity/registerUser";
import { type AppSession, isRole, type Role } from "../identity/session";
import {
  clearSignInFailures,
  isSignInThrottled,
  recordSignInFailure,
} from "../identity/signInThrottle";
import { authSecret } from "./secret";

declare module "next-auth" {
  interface User {
    role?: Role;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    /** When the role was last read from the database (epoch ms). */
    roleCheckedAt?: number;
  }
}

/** How long a role in a session cookie is trusted before it is re-read (approval, suspension). */
const ROLE_RECHECK_MS = 60_000;

class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}

class TooManyAttempts extends CredentialsSignin {
  code = "too_many_attempts";
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
          const { email, password } = parsed.data;
          const cache = getCache();
          if (await isSignInThrottled(cache, email)) throw new TooManyAttempts();
          const user = await findUserForSignIn(getDb(), email);
          if (!user || !(await verifyAccountPassword(user.passwordHash, password))) {
            await recordSignInFailure(cache, email);
            throw new InvalidCredentials();
          }
          await clearSignInFailures(cache, email);
          return { id: user.id, name: user.name, email: user.email, role: user.role };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user, trigger }) {
        if (user?.id) {
          token.uid = user.id;
          token.role = user.role ?? "student";
          token.roleCheckedAt = Date.now();
          return token;
        }
        // `update()` from the client (e.g. /teach once an application is approved) re-reads the
        // role at once; the data it sends is ignored, so a client can never set its own role.
        const stale = Date.now() - (token.roleCheckedAt ?? 0) > ROLE_RECHECK_MS;
        if (token.uid && (stale || trigger === "update")) {
          const [row] = await getDb()
            .select({ role: users.role })
            .from(users)
            .where(eq(users.id, token.uid))
            .limit(1);
          if (!row) return null; // the account is gone: end the session
          token.role = row.role;
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
