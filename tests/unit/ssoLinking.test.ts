import { describe, expect, it } from "vitest";
import { oidcSettings, parseEnv } from "../../server/config/env";
import { ssoIdentityFrom } from "../../server/identity/ssoAccounts";
import {
  decideSsoSignIn,
  SSO_REFUSALS,
  type SsoFacts,
  signInErrorMessage,
  unlinkRefusal,
} from "../../server/identity/ssoLinking";

const identity = (over: Partial<SsoFacts["identity"]> = {}): SsoFacts["identity"] => ({
  subject: "sub-1",
  email: "ana@example.com",
  emailVerified: true,
  name: "Ana",
  ...over,
});

const facts = (over: Partial<SsoFacts> = {}): SsoFacts => ({
  identity: identity(),
  linkedUserId: null,
  viewer: null,
  emailOwner: null,
  ...over,
});

const viewer = (over: Partial<NonNullable<SsoFacts["viewer"]>> = {}) => ({
  id: "viewer",
  email: "viewer@example.com",
  emailVerified: true,
  hasThisProvider: false,
  ...over,
});

describe("decideSsoSignIn", () => {
  it("signs in as the account an identity is already linked to, whatever its email says", () => {
    expect(
      decideSsoSignIn(
        facts({ linkedUserId: "u1", identity: identity({ emailVerified: false, email: null }) }),
      ),
    ).toEqual({ kind: "sign_in", userId: "u1" });
  });

  it("a verified email with no account creates one", () => {
    expect(decideSsoSignIn(facts())).toEqual({
      kind: "create",
      email: "ana@example.com",
      name: "Ana",
    });
  });

  it("a verified email of an existing account links to it, and marks the email verified", () => {
    expect(decideSsoSignIn(facts({ emailOwner: { id: "u2", emailVerified: false } }))).toEqual({
      kind: "link",
      userId: "u2",
      markEmailVerified: true,
    });
    expect(decideSsoSignIn(facts({ emailOwner: { id: "u2", emailVerified: true } }))).toEqual({
      kind: "link",
      userId: "u2",
      markEmailVerified: false,
    });
  });

  it("an unverified email never links to an existing account", () => {
    expect(
      decideSsoSignIn(
        facts({
          identity: identity({ emailVerified: false }),
          emailOwner: { id: "u2", emailVerified: true },
        }),
      ),
    ).toEqual({ kind: "refuse", reason: "sso_email_unverified_existing" });
  });

  it("an unverified email creates no account either, nor does a missing one", () => {
    expect(decideSsoSignIn(facts({ identity: identity({ emailVerified: false }) }))).toEqual({
      kind: "refuse",
      reason: "sso_email_unverified",
    });
    expect(decideSsoSignIn(facts({ identity: identity({ email: null }) }))).toEqual({
      kind: "refuse",
      reason: "sso_email_missing",
    });
  });

  it("signed in: links to the viewer, even when the email is another account's or unverified", () => {
    expect(
      decideSsoSignIn(
        facts({
          viewer: viewer(),
          identity: identity({ emailVerified: false }),
          emailOwner: { id: "u2", emailVerified: true },
        }),
      ),
    ).toEqual({ kind: "link", userId: "viewer", markEmailVerified: false });
  });

  it("signed in with the same, verified address: linking also verifies the viewer's email", () => {
    expect(
      decideSsoSignIn(
        facts({
          viewer: viewer({ email: "ana@example.com", emailVerified: false }),
          emailOwner: { id: "viewer", emailVerified: false },
        }),
      ),
    ).toEqual({ kind: "link", userId: "viewer", markEmailVerified: true });
  });

  it("signed in: refuses an identity linked to someone else, and a second identity", () => {
    expect(decideSsoSignIn(facts({ viewer: viewer(), linkedUserId: "u3" }))).toEqual({
      kind: "refuse",
      reason: "sso_linked_elsewhere",
    });
    expect(decideSsoSignIn(facts({ viewer: viewer({ hasThisProvider: true }) }))).toEqual({
      kind: "refuse",
      reason: "sso_already_linked",
    });
  });

  it("signed in with the identity already linked to the viewer: just signs in", () => {
    expect(decideSsoSignIn(facts({ viewer: viewer(), linkedUserId: "viewer" }))).toEqual({
      kind: "sign_in",
      userId: "viewer",
    });
  });
});

describe("unlinkRefusal", () => {
  const methods = { hasPassword: false, hasVerifiedPhone: false, ssoProviders: ["oidc"] };

  it("refuses to remove the last way in, naming what is missing", () => {
    expect(unlinkRefusal(methods, "oidc")).toMatch(/only way into this account.*no password/);
  });

  it("allows it with a password, a verified phone or another provider", () => {
    expect(unlinkRefusal({ ...methods, hasPassword: true }, "oidc")).toBeNull();
    expect(unlinkRefusal({ ...methods, hasVerifiedPhone: true }, "oidc")).toBeNull();
    expect(unlinkRefusal({ ...methods, ssoProviders: ["oidc", "other"] }, "oidc")).toBeNull();
  });

  it("refuses when nothing is linked", () => {
    expect(unlinkRefusal({ ...methods, hasPassword: true, ssoProviders: [] }, "oidc")).toMatch(
      /not linked/,
    );
  });
});

describe("ssoIdentityFrom (userinfo claims)", () => {
  it("lower-cases the email and reads email_verified strictly", () => {
    expect(
      ssoIdentityFrom({ sub: "s", email: " Ana@Example.COM ", email_verified: true, name: "Ana" }),
    ).toEqual({ subject: "s", email: "ana@example.com", emailVerified: true, name: "Ana" });
    expect(
      ssoIdentityFrom({ sub: "s", email: "a@b.c", email_verified: "true" })?.emailVerified,
    ).toBe(true);
    for (const claim of [false, "false", undefined, 1, "yes"]) {
      expect(
        ssoIdentityFrom({ sub: "s", email: "a@b.c", email_verified: claim })?.emailVerified,
      ).toBe(false);
    }
  });

  it("needs a subject; an email without @ counts as none", () => {
    expect(ssoIdentityFrom({ email: "a@b.c" })).toBeNull();
    expect(ssoIdentityFrom({ sub: "s", email: "not-an-email" })?.email).toBeNull();
  });
});

describe("sign-in error messages", () => {
  it("explain every refusal, naming the provider", () => {
    for (const code of SSO_REFUSALS) {
      expect(signInErrorMessage(code, "Acme ID")).toContain("Acme ID");
    }
    expect(signInErrorMessage(null, "Acme ID")).toBeNull();
    expect(signInErrorMessage("Configuration", "Acme ID")).toMatch(/did not work/);
  });
});

describe("OIDC settings", () => {
  const all = {
    OIDC_ISSUER: "https://id.example.com",
    OIDC_CLIENT_ID: "halfhour",
    OIDC_CLIENT_SECRET: "s3cret",
  };

  it("all three set: offered, with the default button name", () => {
    expect(oidcSettings(parseEnv(all))).toEqual({
      issuer: "https://id.example.com",
      clientId: "halfhour",
      clientSecret: "s3cret",
      name: "Single sign-on",
    });
    expect(oidcSettings(parseEnv({ ...all, OIDC_NAME: "Acme ID" }))?.name).toBe("Acme ID");
  });

  it("none set: not offered", () => {
    expect(oidcSettings(parseEnv({}))).toBeNull();
  });

  it("some but not all: refused, naming the missing ones", () => {
    expect(() => parseEnv({ OIDC_ISSUER: all.OIDC_ISSUER })).toThrow(
      /OIDC_CLIENT_ID: .*OIDC_CLIENT_SECRET: /,
    );
    expect(() => parseEnv({ ...all, OIDC_ISSUER: "ftp://id.example.com" })).toThrow(/OIDC_ISSUER/);
  });
});
