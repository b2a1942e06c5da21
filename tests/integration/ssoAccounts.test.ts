import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { accounts, users } from "../../db/schema";
import { createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import { DomainError } from "../../server/domainError";
import { admitSsoSignIn, signInMethodsOf, unlinkSso } from "../../server/identity/ssoAccounts";
import { SSO_PROVIDER, type SsoIdentity } from "../../server/identity/ssoLinking";
import { createUser, sessionOf } from "../fixtures";

const db = () => getDb();

function identity(over: Partial<SsoIdentity> = {}): SsoIdentity {
  return {
    subject: `sub-${randomUUID()}`,
    email: `${randomUUID()}@sso.test.halfhour.dev`,
    emailVerified: true,
    name: "Ida Identity",
    ...over,
  };
}

const admit = (id: SsoIdentity, viewerId: string | null = null) =>
  admitSsoSignIn(db(), { provider: SSO_PROVIDER, identity: id, viewerId });

async function userRow(id: string) {
  const [row] = await db().select().from(users).where(eq(users.id, id));
  return row!;
}

async function linksOf(userId: string) {
  return db().select().from(accounts).where(eq(accounts.userId, userId));
}

/** An existing password account, as sign-up makes them (email not yet verified). */
async function passwordUser() {
  const user = await createUser("student", "Pat Password");
  await db().update(users).set({ passwordHash: "argon2-hash" }).where(eq(users.id, user.id));
  return user;
}

async function refusalOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("single sign-on: who an identity signs in as", () => {
  it("a verified email with no account creates a student, linked, email verified", async () => {
    const id = identity();
    const outcome = await admit(id);
    expect(outcome.ok).toBe(true);
    const userId = (outcome as { userId: string }).userId;
    const user = await userRow(userId);
    expect(user).toMatchObject({ email: id.email, name: "Ida Identity", role: "student" });
    expect(user.emailVerified).toBeInstanceOf(Date);
    expect(user.passwordHash).toBeNull();
    const links = await linksOf(userId);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      provider: SSO_PROVIDER,
      providerAccountId: id.subject,
      type: "oidc",
      access_token: null,
      id_token: null,
    });
    // The next sign-in finds the link and creates nothing.
    expect(await admit(id)).toEqual({ ok: true, userId });
  });

  it("a verified email links to the existing account and verifies its email", async () => {
    const existing = await passwordUser();
    const id = identity({ email: existing.email });
    expect(await admit(id)).toEqual({ ok: true, userId: existing.id });
    expect((await userRow(existing.id)).emailVerified).toBeInstanceOf(Date);
    expect(await linksOf(existing.id)).toHaveLength(1);
  });

  it("an unverified email is refused: no link to the existing account, no new account", async () => {
    const existing = await passwordUser();
    const id = identity({ email: existing.email, emailVerified: false });
    expect(await admit(id)).toEqual({ ok: false, reason: "sso_email_unverified_existing" });
    expect(await linksOf(existing.id)).toHaveLength(0);
    expect((await userRow(existing.id)).emailVerified).toBeNull();

    const stranger = identity({ emailVerified: false });
    expect(await admit(stranger)).toEqual({ ok: false, reason: "sso_email_unverified" });
    const made = await db().select().from(users).where(eq(users.email, stranger.email!));
    expect(made).toHaveLength(0);
  });

  it("signed in: links the identity to the viewer, and refuses one linked elsewhere", async () => {
    const viewer = await passwordUser();
    const id = identity();
    expect(await admit(id, viewer.id)).toEqual({ ok: true, userId: viewer.id });
    expect(await linksOf(viewer.id)).toHaveLength(1);

    const other = await passwordUser();
    expect(await admit(id, other.id)).toEqual({ ok: false, reason: "sso_linked_elsewhere" });
    expect(await admit(identity(), viewer.id)).toEqual({
      ok: false,
      reason: "sso_already_linked",
    });
  });

  it("two sign-ins of a new identity at once make one account", async () => {
    const id = identity();
    const outcomes = await Promise.all([admit(id), admit(id), admit(id)]);
    const ids = new Set(outcomes.map((o) => (o.ok ? o.userId : o.reason)));
    expect(ids.size).toBe(1);
    expect(await db().select().from(users).where(eq(users.email, id.email!))).toHaveLength(1);
  });
});

describe("single sign-on: unlinking", () => {
  it("is refused when single sign-on is the account's only way in", async () => {
    const outcome = await admit(identity());
    const userId = (outcome as { userId: string }).userId;
    const error = await refusalOf(unlinkSso(db(), userId));
    expect(error).toMatchObject({ kind: "conflict", field: "provider" });
    expect(error.message).toMatch(/only way into this account/);
    expect(await linksOf(userId)).toHaveLength(1);
  });

  it("is allowed when the account has a password", async () => {
    const user = await passwordUser();
    await admit(identity(), user.id);
    await unlinkSso(db(), user.id);
    expect(await linksOf(user.id)).toHaveLength(0);
    expect(await signInMethodsOf(db(), user.id)).toEqual({
      hasPassword: true,
      hasVerifiedPhone: false,
      ssoProviders: [],
    });
  });

  it("is allowed when the account has a verified phone number", async () => {
    const outcome = await admit(identity());
    const userId = (outcome as { userId: string }).userId;
    await db()
      .update(users)
      .set({ phone: `+4477009${String(Date.now()).slice(-5)}`, phoneVerified: new Date() })
      .where(eq(users.id, userId));
    await unlinkSso(db(), userId);
    expect(await linksOf(userId)).toHaveLength(0);
  });

  it("is refused when nothing is linked", async () => {
    const user = await passwordUser();
    const error = await refusalOf(unlinkSso(db(), user.id));
    expect(error.message).toMatch(/not linked/);
  });
});

describe("account router", () => {
  const caller = (user: Awaited<ReturnType<typeof createUser>>) =>
    createCaller({ db: db(), cache: getCache(), session: sessionOf(user), requestId: "sso" });

  it("overview shows the sign-in methods; unlinkSso answers CONFLICT for the last one", async () => {
    const outcome = await admit(identity());
    const user = await userRow((outcome as { userId: string }).userId);
    const overview = await caller(user).account.overview();
    expect(overview).toMatchObject({
      email: user.email,
      methods: { hasPassword: false, hasVerifiedPhone: false, ssoProviders: [SSO_PROVIDER] },
      sso: { offered: expect.any(Boolean) },
    });
    expect(overview.emailVerified).toBeInstanceOf(Date);
    const error = await caller(user)
      .account.unlinkSso()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("CONFLICT");
  });
});
