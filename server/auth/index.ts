import { DrizzleAdapter } from "@auth/drizzle-adapter";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import type { OIDCConfig } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "../../db/client";
import { accounts, sessions, users, verificationTokens } from "../../db/schema";
import { type OidcSettings, oidcSettings } from "../config/env";
import { signInInput } from "../identity/credentials";
import { verifyAccountPassword } from "../identity/password";
import { findUserForSignIn } from "../identity/registerUser";
import { type AppSession, isRole, type Role } from "../identity/session";
import { recordSignInOutcome } from "../identity/signInLimits";
import { admitSsoSignIn, ssoIdentityFrom } from "../identity/ssoAccounts";
import { SSO_PROVIDER } from "../identity/ssoLinking";
import { getRateLimiter } from "../security/rateLimits";
import { phoneCredentials } from "./phoneProvider";
import { authSecret } from "./secret";
import { refreshSessionToken } from "./sessionToken";

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
    /** users.sessionGeneration when this session was issued; a newer one revokes it. */
    generation?: number;
  }
}

class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}

/**
 * Any standards-compliant OpenID Connect provider, found through its discovery document
 * (`<issuer>/.well-known/openid-configuration`). Authorisation code flow with PKCE, state and
 * nonce checked on the callback.
 */
function oidcProvider(settings: OidcSettings): OIDCConfig<Record<string, unknown>> {
  return {
    id: SSO_PROVIDER,
    name: settings.name,
    type: "oidc",
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: "openid email profile" } },
    // Read the person from the userinfo endpoint: providers may put only `sub` in the ID token
    // (oidc-provider does), while userinfo always carries the granted claims. The ID token is
    // still required and validated.
    idToken: false,
    // Keep none of the provider's tokens: the app only needs to know who signed in.
    account: () => ({}),
  };
}

/**
 * Auth.js, configured lazily so nothing touches the database or the secret at build time.
 * Single sign-on is offered when OIDC_* is set; who an identity signs in as (link, create or
 * refuse) is decided in the signIn callback by server/identity/ssoAccounts.ts, which writes
 * the link before Auth.js looks for it. The callbacks below put the role on the session.
 */
export const { handlers, auth, signIn, signOut } = NextAuth((): NextAuthConfig => {
  const oidc = oidcSettings();
  return {
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
    // Sign-in errors (a refused or cancelled SSO sign-in) land on the sign-in page, which
    // explains the `error` code.
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: {
      // A wrong password is an expected outcome, not a server error worth a stack trace.
      error(error) {
        const type = (error as { type?: string }).type;
        if (type === "CredentialsSignin") return;
        // The provider answered the callback with an error, usually the person cancelling
        // there: one line, no stack.
        if (type === "OAuthCallbackError") {
          console.warn(`[auth] ${error.message}`);
          return;
        }
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
          // Role and session generation are read by the jwt callback (sessionToken.ts).
          return { id: user.id, name: user.name, email: user.email };
        },
      }),
      ...(oidc ? [oidcProvider(oidc)] : []),
      phoneCredentials(),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== SSO_PROVIDER) return true;
        const identity = profile ? ssoIdentityFrom(profile) : null;
        if (!identity) return false;
        // Signed in already: this is "Link single sign-on" from the account page.
        const viewer = await currentSession();
        const outcome = await admitSsoSignIn(getDb(), {
          provider: SSO_PROVIDER,
          identity,
          viewerId: viewer?.user.id ?? null,
        });
        if (outcome.ok) return true;
        return `${viewer ? "/me/account" : "/sign-in"}?error=${outcome.reason}`;
      },
      // `update()` (trigger "update") re-reads the account at once: see refreshSessionToken.
      jwt: ({ token, user, trigger }) =>
        refreshSessionToken(getDb(), token, user, Date.now(), trigger === "update"),
      session({ session, token }) {
        if (token.uid && isRole(token.role)) {
          Object.assign(session.user, { id: token.uid, role: token.role });
        }
        return session;
      },
    },
  };
});

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
