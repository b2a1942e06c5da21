import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { accountTokens, users } from "../../db/schema";
import { createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import { DomainError } from "../../server/domainError";
import type { AccountMailDeps } from "../../server/identity/accountMailDelivery";
import { hashAccountToken } from "../../server/identity/accountTokenRules";
import { peekAccountToken } from "../../server/identity/accountTokens";
import { sendVerificationMail, verifyEmail } from "../../server/identity/emailVerification";
import { verifyPassword } from "../../server/identity/password";
import { changePassword } from "../../server/identity/passwordChange";
import {
  RESET_REQUESTED,
  requestPasswordReset,
  resetPassword,
} from "../../server/identity/passwordReset";
import { registerUser } from "../../server/identity/registerUser";
import type { MailMessage } from "../../server/mail";
import { devMails } from "../../server/mail/devMailbox";
import { memoryRateLimiter } from "../../server/security/rateLimits";
import { createUser, sessionOf } from "../fixtures";

const HOUR_MS = 3_600_000;
const PASSWORD = "the first long password";

/** A sender that keeps what it was given: the mail is the user's only way to the token. */
function mailbox() {
  const sent: MailMessage[] = [];
  const deps: AccountMailDeps = {
    mailer: { send: async (message) => void sent.push(message) },
    limiter: memoryRateLimiter(),
    linkBase: "https://halfhour.example",
  };
  const tokenIn = (message: MailMessage | undefined, path: string) => {
    const link = message?.text.split(/\s+/).find((word) => word.includes(`${path}?token=`));
    if (!link) throw new Error(`no ${path} link in ${message?.text}`);
    expect(link.startsWith(`https://halfhour.example${path}?token=`)).toBe(true);
    return new URL(link).searchParams.get("token")!;
  };
  return { sent, deps, tokenIn };
}

const unique = () => `${crypto.randomUUID()}@test.halfhour.dev`;

async function accountWithPassword(email = unique()) {
  return registerUser(getDb(), { name: "Pat Password", email, password: PASSWORD });
}

async function userRow(id: string) {
  const [row] = await getDb().select().from(users).where(eq(users.id, id));
  return row!;
}

function caller(session: ReturnType<typeof sessionOf> | null, clientAddress?: string) {
  return createCaller({
    db: getDb(),
    cache: getCache(),
    session,
    requestId: "account-mail",
    clientAddress,
  });
}

async function trpcCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("email verification", () => {
  it("a link verifies the address once; opening it again says it is verified", async () => {
    const user = await createUser("student", "Vera Verify");
    const { sent, deps, tokenIn } = mailbox();
    await sendVerificationMail(getDb(), user.id, deps);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: user.email, subject: expect.stringContaining("Confirm") });
    const token = tokenIn(sent[0], "/verify-email");

    const [stored] = await getDb()
      .select()
      .from(accountTokens)
      .where(eq(accountTokens.userId, user.id));
    expect(stored).toMatchObject({ tokenHash: hashAccountToken(token), email: user.email });
    expect(JSON.stringify(stored)).not.toContain(token);

    expect(await verifyEmail(getDb(), token)).toBe("verified");
    const verifiedAt = (await userRow(user.id)).emailVerified;
    expect(verifiedAt).toBeInstanceOf(Date);
    expect(await verifyEmail(getDb(), token)).toBe("already_verified");
    expect((await userRow(user.id)).emailVerified).toEqual(verifiedAt);

    // Verified: nothing more to send.
    await expect(sendVerificationMail(getDb(), user.id, deps)).rejects.toMatchObject({
      kind: "conflict",
    });
  });

  it("an expired link verifies nothing", async () => {
    const user = await createUser();
    const { sent, deps, tokenIn } = mailbox();
    const sentAt = new Date();
    await sendVerificationMail(getDb(), user.id, deps, sentAt);
    const token = tokenIn(sent[0], "/verify-email");
    expect(await verifyEmail(getDb(), token, new Date(sentAt.getTime() + 25 * HOUR_MS))).toBe(
      "expired",
    );
    expect((await userRow(user.id)).emailVerified).toBeNull();
    // Still good just inside its 24 hours.
    expect(await verifyEmail(getDb(), token, new Date(sentAt.getTime() + 23 * HOUR_MS))).toBe(
      "verified",
    );
  });

  it("a link for an address the account no longer has verifies nothing", async () => {
    const user = await createUser();
    const { sent, deps, tokenIn } = mailbox();
    await sendVerificationMail(getDb(), user.id, deps);
    await getDb().update(users).set({ email: unique() }).where(eq(users.id, user.id));
    expect(await verifyEmail(getDb(), tokenIn(sent[0], "/verify-email"))).toBe("email_changed");
    expect((await userRow(user.id)).emailVerified).toBeNull();
  });

  it("only the latest link works, and an unknown token is just not valid", async () => {
    const user = await createUser();
    const { sent, deps, tokenIn } = mailbox();
    await sendVerificationMail(getDb(), user.id, deps);
    await sendVerificationMail(getDb(), user.id, deps);
    const [first, second] = [tokenIn(sent[0], "/verify-email"), tokenIn(sent[1], "/verify-email")];
    expect(await verifyEmail(getDb(), first)).toBe("expired");
    expect(await verifyEmail(getDb(), "A".repeat(43))).toBe("unknown");
    expect(await verifyEmail(getDb(), second)).toBe("verified");
  });

  it("signing up mails a verification link (to the development mailbox in tests)", async () => {
    const email = unique();
    await caller(null).account.signUp({ name: "Sam Signup", email, password: PASSWORD });
    const mails = devMails(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain("Confirm");
    expect(mails[0]!.text).toMatch(/\/verify-email\?token=[A-Za-z0-9_-]{43}/);
  });

  it("resending is limited per address: the sixth mail in an hour is a 429", async () => {
    const user = await createUser();
    const api = caller(sessionOf(user));
    for (let i = 0; i < 5; i++)
      expect(await api.account.resendVerification()).toEqual({ sent: true });
    expect(await trpcCode(api.account.resendVerification())).toBe("TOO_MANY_REQUESTS");
    expect(devMails(user.email!)).toHaveLength(5);
  });
});

describe("password reset", () => {
  it("a reset link sets the password once, ends every session and verifies the address", async () => {
    const user = await accountWithPassword();
    const { sent, deps, tokenIn } = mailbox();
    const before = await userRow(user.id);
    const { message, delivery } = await requestPasswordReset(getDb(), { email: user.email! }, deps);
    await delivery;
    expect(message).toBe(RESET_REQUESTED);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: user.email, subject: "Reset your Halfhour password" });
    const token = tokenIn(sent[0], "/reset-password");

    await resetPassword(getDb(), { token, password: "the second long password" }, deps);
    const after = await userRow(user.id);
    expect(await verifyPassword(after.passwordHash!, "the second long password")).toBe(true);
    expect(await verifyPassword(after.passwordHash!, PASSWORD)).toBe(false);
    expect(after.sessionGeneration).toBe(before.sessionGeneration + 1);
    expect(after.emailVerified).toBeInstanceOf(Date);

    // Single use: the same link again changes nothing.
    const again = resetPassword(getDb(), { token, password: "a third long password" }, deps);
    await expect(again).rejects.toMatchObject({ kind: "invalid", field: "token" });
    await expect(again).rejects.toThrow(/already used/);
    expect((await userRow(user.id)).passwordHash).toBe(after.passwordHash);
  });

  it("a newer link makes the older ones invalid; an hour-old link has expired", async () => {
    const user = await accountWithPassword();
    const { sent, deps, tokenIn } = mailbox();
    const first = await requestPasswordReset(getDb(), { email: user.email! }, deps);
    await first.delivery;
    const second = await requestPasswordReset(getDb(), { email: user.email! }, deps);
    await second.delivery;
    const [older, newer] = [
      tokenIn(sent[0], "/reset-password"),
      tokenIn(sent[1], "/reset-password"),
    ];
    expect(await peekAccountToken(getDb(), older, "reset_password", new Date())).toBe("expired");
    await expect(
      resetPassword(getDb(), { token: older, password: "never set password" }, deps),
    ).rejects.toThrow(/expired/);

    const inAnHour = new Date(Date.now() + HOUR_MS + 1000);
    await expect(
      resetPassword(getDb(), { token: newer, password: "never set password" }, deps, inAnHour),
    ).rejects.toThrow(/expired/);
    expect(await verifyPassword((await userRow(user.id)).passwordHash!, PASSWORD)).toBe(true);
  });

  it("a verification link is not a reset link", async () => {
    const user = await accountWithPassword();
    const { sent, deps, tokenIn } = mailbox();
    await sendVerificationMail(getDb(), user.id, deps);
    await expect(
      resetPassword(
        getDb(),
        { token: tokenIn(sent[0], "/verify-email"), password: "never set password" },
        deps,
      ),
    ).rejects.toThrow(/not valid/);
  });

  it("two submits of one link at once: exactly one sets the password", async () => {
    const user = await accountWithPassword();
    const { sent, deps, tokenIn } = mailbox();
    await (await requestPasswordReset(getDb(), { email: user.email! }, deps)).delivery;
    const token = tokenIn(sent[0], "/reset-password");
    const results = await Promise.allSettled([
      resetPassword(getDb(), { token, password: "racer number one pw" }, deps),
      resetPassword(getDb(), { token, password: "racer number two pw" }, deps),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(DomainError);
    expect((await userRow(user.id)).sessionGeneration).toBe(1);
  });

  it("answers the same whether or not the address has an account, and mails only an account", async () => {
    const user = await accountWithPassword();
    const nobody = unique();
    const { sent, deps } = mailbox();
    const known = await requestPasswordReset(getDb(), { email: user.email! }, deps);
    const unknown = await requestPasswordReset(getDb(), { email: nobody }, deps);
    await Promise.all([known.delivery, unknown.delivery]);
    expect(unknown.message).toBe(known.message);
    expect(sent.map((m) => m.to)).toEqual([user.email]);

    // Through the API: the same answer body for both.
    const api = caller(null);
    const answers = await Promise.all([
      api.account.requestPasswordReset({ email: user.email! }),
      api.account.requestPasswordReset({ email: nobody }),
    ]);
    expect(answers[0]).toEqual({ message: RESET_REQUESTED });
    expect(answers[1]).toEqual(answers[0]);
  });

  it("is limited per address named (accounts or not alike) and per network address", async () => {
    const user = await accountWithPassword();
    const api = caller(null);
    for (const email of [user.email!, unique()]) {
      for (let i = 0; i < 5; i++) await api.account.requestPasswordReset({ email });
      expect(await trpcCode(api.account.requestPasswordReset({ email }))).toBe("TOO_MANY_REQUESTS");
    }

    const network = caller(null, `198.51.100.${Math.floor(Math.random() * 250) + 1}`);
    for (let i = 0; i < 20; i++) await network.account.requestPasswordReset({ email: unique() });
    expect(await trpcCode(network.account.requestPasswordReset({ email: unique() }))).toBe(
      "TOO_MANY_REQUESTS",
    );
  });

  it("the API refuses a malformed token before looking at anything", async () => {
    expect(
      await trpcCode(
        caller(null).account.resetPassword({ token: "short", password: "a long enough pw" }),
      ),
    ).toBe("BAD_REQUEST");
  });
});

describe("changing a password", () => {
  it("needs the current password, then replaces it and ends every session", async () => {
    const user = await accountWithPassword();
    const limiter = memoryRateLimiter();
    await expect(
      changePassword(
        getDb(),
        user.id,
        { currentPassword: "not the password", newPassword: "a brand new password" },
        limiter,
      ),
    ).rejects.toMatchObject({ kind: "invalid", field: "currentPassword" });
    await expect(
      changePassword(
        getDb(),
        user.id,
        { currentPassword: PASSWORD, newPassword: PASSWORD },
        limiter,
      ),
    ).rejects.toMatchObject({ kind: "invalid", field: "newPassword" });
    expect((await userRow(user.id)).sessionGeneration).toBe(0);

    await changePassword(
      getDb(),
      user.id,
      { currentPassword: PASSWORD, newPassword: "a brand new password" },
      limiter,
    );
    const after = await userRow(user.id);
    expect(await verifyPassword(after.passwordHash!, "a brand new password")).toBe(true);
    expect(after.sessionGeneration).toBe(1);
  });

  it("counts wrong current passwords against the account's sign-in failures", async () => {
    const user = await accountWithPassword();
    const limiter = memoryRateLimiter();
    const wrong = { currentPassword: "not the password", newPassword: "a brand new password" };
    for (let i = 0; i < 10; i++) {
      await expect(changePassword(getDb(), user.id, wrong, limiter)).rejects.toMatchObject({
        kind: "invalid",
      });
    }
    await expect(
      changePassword(
        getDb(),
        user.id,
        { currentPassword: PASSWORD, newPassword: "a brand new password" },
        limiter,
      ),
    ).rejects.toMatchObject({ kind: "rate_limited" });
  });
});
