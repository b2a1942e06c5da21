/**
 * Who a single sign-on identity signs in as, and when it may be unlinked: pure decisions over
 * what the database and the identity provider said. The service (ssoAccounts.ts) reads the
 * facts, asks here, and applies the answer.
 *
 * The rule that matters: an email address links an identity to an existing account only when
 * the provider says it verified that address. Otherwise anyone able to register an unverified
 * address at some provider could take over the Halfhour account that owns it.
 */

/** The Auth.js provider id of the OpenID Connect provider (also in its callback URL). */
export const SSO_PROVIDER = "oidc";

/** What the identity provider told us about the person (userinfo). */
export interface SsoIdentity {
  /** The provider's stable subject identifier (`sub`). */
  subject: string;
  /** Lower-cased, or null when the provider shared none. */
  email: string | null;
  /** True only when the provider sent `email_verified: true`; absent counts as unverified. */
  emailVerified: boolean;
  name: string | null;
}

export interface SsoFacts {
  identity: SsoIdentity;
  /** The account this identity is already linked to, if any. */
  linkedUserId: string | null;
  /** The signed-in account asking to link (from /me/account), or null for a plain sign-in. */
  viewer: {
    id: string;
    email: string | null;
    emailVerified: boolean;
    /** Whether it already has an identity of this provider linked. */
    hasThisProvider: boolean;
  } | null;
  /** The account whose email equals the identity's email, if any. */
  emailOwner: { id: string; emailVerified: boolean } | null;
}

export const SSO_REFUSALS = [
  "sso_linked_elsewhere",
  "sso_already_linked",
  "sso_email_missing",
  "sso_email_unverified",
  "sso_email_unverified_existing",
] as const;
export type SsoRefusal = (typeof SSO_REFUSALS)[number];

export type SsoDecision =
  /** Already linked: sign in as that account. */
  | { kind: "sign_in"; userId: string }
  /** Link the identity to this existing account, then sign in as it. */
  | { kind: "link"; userId: string; markEmailVerified: boolean }
  /** A new student account for the identity's verified email, linked to it. */
  | { kind: "create"; email: string; name: string | null }
  | { kind: "refuse"; reason: SsoRefusal };

export function decideSsoSignIn(facts: SsoFacts): SsoDecision {
  const { identity, linkedUserId, viewer, emailOwner } = facts;

  if (linkedUserId) {
    // Signed in as someone else: switching accounts silently would surprise; say why instead.
    if (viewer && viewer.id !== linkedUserId) return refuse("sso_linked_elsewhere");
    return { kind: "sign_in", userId: linkedUserId };
  }

  if (viewer) {
    // Linking while signed in: the viewer proved who they are here and the identity at the
    // provider, so the addresses need not match. One identity per provider per account.
    if (viewer.hasThisProvider) return refuse("sso_already_linked");
    return {
      kind: "link",
      userId: viewer.id,
      markEmailVerified:
        identity.emailVerified && identity.email === viewer.email && !viewer.emailVerified,
    };
  }

  if (!identity.email) return refuse("sso_email_missing");
  if (!identity.emailVerified) {
    // Neither linked nor created: an account made from an unverified address could be
    // claiming someone else's mailbox, and would block its owner from signing up.
    return refuse(emailOwner ? "sso_email_unverified_existing" : "sso_email_unverified");
  }
  if (emailOwner) {
    return { kind: "link", userId: emailOwner.id, markEmailVerified: !emailOwner.emailVerified };
  }
  return { kind: "create", email: identity.email, name: identity.name };
}

const refuse = (reason: SsoRefusal): SsoDecision => ({ kind: "refuse", reason });

/** The ways an account can sign in, as unlinking needs to count them. */
export interface SignInMethods {
  hasPassword: boolean;
  hasVerifiedPhone: boolean;
  /** Providers with an identity linked, e.g. ["oidc"]. */
  ssoProviders: string[];
}

/**
 * Why unlinking `provider` must be refused, or null when the account keeps another way in:
 * a password, a verified phone number, or another linked provider.
 */
export function unlinkRefusal(methods: SignInMethods, provider: string): string | null {
  if (!methods.ssoProviders.includes(provider)) {
    return "Single sign-on is not linked to this account.";
  }
  const otherSso = methods.ssoProviders.some((p) => p !== provider);
  if (methods.hasPassword || methods.hasVerifiedPhone || otherSso) return null;
  return "Single sign-on is the only way into this account: it has no password, no verified phone number and no other sign-in linked. Add one of those first, then unlink.";
}

/** What the sign-in (or account) page says for an error code in its `error` parameter. */
export function signInErrorMessage(
  code: string | null | undefined,
  ssoName: string,
): string | null {
  if (!code) return null;
  switch (code) {
    case "sso_linked_elsewhere":
      return `This ${ssoName} identity is linked to another Halfhour account. Sign out and sign in with it, or unlink it from that account first.`;
    case "sso_already_linked":
      return `Your account already has a ${ssoName} identity linked. Unlink it first to link a different one.`;
    case "sso_email_missing":
      return `${ssoName} did not share an email address, and a Halfhour account needs one. Allow it to share your email, or sign up with a password.`;
    case "sso_email_unverified":
      return `${ssoName} has not verified your email address, so we cannot create an account from it. Verify the address there, or sign up with a password.`;
    case "sso_email_unverified_existing":
      return `A Halfhour account with this email already exists, but ${ssoName} has not verified the address, so we did not link them. Sign in with your password, then link ${ssoName} from your account page.`;
    case "OAuthCallbackError":
    case "AccessDenied":
      return `Signing in with ${ssoName} was cancelled or refused.`;
    case "OAuthAccountNotLinked":
      return `This ${ssoName} identity cannot be linked to this account. Sign in with your password, then link it from your account page.`;
    default:
      return "Signing in did not work. Please try again.";
  }
}
