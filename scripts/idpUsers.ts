/**
 * The people of the local identity provider (scripts/idp.ts), for the demo, the README and
 * the end-to-end tests. Each shows one rule of signing in with single sign-on.
 */
export const IDP_PASSWORD = "halfhour-demo";

export const IDP_USERS = [
  {
    /** No Halfhour account has this email: the first sign-in creates a student account. */
    sub: "idp-sso-student",
    email: "sso-student@halfhour.dev",
    email_verified: true,
    name: "Sunny Single",
  },
  {
    /** The demo student's email, verified: signing in links to (or, signed in, links from) that account. */
    sub: "idp-demo-student",
    email: "student@halfhour.dev",
    email_verified: true,
    // Not the account's name ("Sam Student"): signing in shows the Halfhour account's own.
    name: "S. Student at the IdP",
  },
  {
    /** Claims the demo teacher's email without having verified it: refused, never linked. */
    sub: "idp-unverified",
    email: "teacher@halfhour.dev",
    email_verified: false,
    name: "Una Unverified",
  },
] as const;

export type IdpUser = (typeof IDP_USERS)[number];
