import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { coupons, phoneCodes, users } from "../../db/schema";
import { DomainError } from "../../server/domainError";
import { hashPassword } from "../../server/identity/password";
import { phoneOfAccount, unlinkPhone } from "../../server/identity/phoneAccounts";
import {
  type PhoneCodeRefused,
  requestPhoneCode,
  verifyPhoneCode,
} from "../../server/identity/phoneCodes";
import { grantCoupons } from "../../server/marketing/couponGrants";
import { RateLimited } from "../../server/security/rateLimits";
import { SmsNotSent } from "../../server/sms";
import { createUser } from "../fixtures";
import { insertCouponBatch } from "../marketingFixtures";
import { freshPhone, otherThan, recordingSender, testLimiter } from "../phoneFixtures";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A limiter with empty windows, a sender that records, and shorthands over them. */
function harness(options: { down?: boolean } = {}) {
  const { limiter, close } = testLimiter(options);
  closers.push(close);
  const sms = recordingSender();
  const address = `198.51.100.${Math.floor(Math.random() * 250)}`;
  return {
    limiter,
    sms,
    request: (phone: string, extra: { purpose?: "sign_in" | "link"; userId?: string } = {}) =>
      requestPhoneCode(
        getDb(),
        limiter,
        { phone, purpose: extra.purpose ?? "sign_in", userId: extra.userId, address },
        sms.sender,
      ),
  };
}

const signIn = (phone: string, code: string, now?: Date) =>
  verifyPhoneCode(getDb(), { phone, code, purpose: "sign_in" }, now);

/** The error a promise rejects with (it must reject). */
async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "expected a refusal").toBeInstanceOf(DomainError);
  return error as DomainError;
}

async function codesOf(phone: string) {
  return getDb()
    .select()
    .from(phoneCodes)
    .where(eq(phoneCodes.phone, phone))
    .orderBy(phoneCodes.id);
}

describe("requesting a code", () => {
  it("stores only a hash, and texts the code after the row is committed", async () => {
    const phone = freshPhone();
    const seenAtSend: number[] = [];
    const { limiter, close } = testLimiter();
    closers.push(close);
    // The sender looks from another connection of the pool: it sees only committed rows.
    const sms = recordingSender(async (to) => {
      seenAtSend.push((await codesOf(to)).length);
    });
    const before = Date.now();
    const answer = await requestPhoneCode(
      getDb(),
      limiter,
      { phone: `+1 555 ${phone.slice(5)}`, purpose: "sign_in", address: "203.0.113.9" },
      sms.sender,
    );
    expect(answer.phone).toBe(phone);
    expect(seenAtSend).toEqual([1]);
    const [row] = await codesOf(phone);
    const code = sms.codeFor(phone);
    expect(sms.sent[0]!.text).toContain("sign-in code");
    expect(row!.codeHash).not.toContain(code);
    expect(row).toMatchObject({ purpose: "sign_in", userId: null, attempts: 0, consumedAt: null });
    expect(answer.expiresAt.getTime() - before).toBeGreaterThanOrEqual(5 * 60_000);
    expect(row!.expiresAt.getTime()).toBe(answer.expiresAt.getTime());
  });

  it("answers alike whether or not the number has an account", async () => {
    const h = harness();
    const owned = freshPhone();
    await getDb()
      .insert(users)
      .values({ name: "Has a phone", phone: owned, phoneVerified: new Date() });
    const a = await h.request(owned);
    const b = await h.request(freshPhone());
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    expect(h.sms.sent.map((m) => m.text.replace(/\d{6}/, "…"))).toEqual([
      h.sms.sent[1]!.text.replace(/\d{6}/, "…"),
      h.sms.sent[1]!.text.replace(/\d{6}/, "…"),
    ]);
  });

  it("refuses a number that is not in international form, naming the field", async () => {
    const h = harness();
    const error = await failure(h.request("07700 900123"));
    expect(error).toMatchObject({ kind: "invalid", field: "phone" });
    expect(error.message).toMatch(/international form/);
    expect(h.sms.sent).toEqual([]);
  });

  it("a new code supersedes the live one: the old code no longer signs in", async () => {
    const h = harness();
    const phone = freshPhone();
    await h.request(phone);
    const first = h.sms.codeFor(phone);
    await h.request(phone);
    const second = h.sms.codeFor(phone);
    const [old, latest] = await codesOf(phone);
    // Expired at the instant the new one was sent (its expiry minus the five minutes).
    expect(old!.expiresAt.getTime()).toBe(latest!.expiresAt.getTime() - 5 * 60_000);
    expect(old!.consumedAt).toBeNull();
    if (first !== second) {
      const error = (await failure(signIn(phone, first))) as PhoneCodeRefused;
      expect(error.refusal).toEqual({ reason: "wrong", attemptsLeft: 4 });
    }
    const { user } = await signIn(phone, second);
    expect(user.id).toBeTruthy();
  });

  it("allows three codes per number in the window, then answers 429 saying when to retry", async () => {
    const h = harness();
    const phone = freshPhone();
    for (let i = 0; i < 3; i++) await h.request(phone);
    const error = await failure(h.request(phone));
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.kind).toBe("rate_limited");
    expect(error.message).toMatch(
      /Too many codes sent to this number\. Try again in \d+ (seconds|minutes?)\./,
    );
    expect((error as RateLimited).retryAfterSeconds).toBeGreaterThan(0);
    // Refused before anything was stored or sent.
    expect(await codesOf(phone)).toHaveLength(3);
    expect(h.sms.sent).toHaveLength(3);
    // Another number from the same address is still served.
    await h.request(freshPhone());
  });

  it("allows twenty codes per address in the window, whatever the numbers", async () => {
    const h = harness();
    for (let i = 0; i < 20; i++) await h.request(freshPhone());
    const phone = freshPhone();
    const error = await failure(h.request(phone));
    expect(error.message).toMatch(/Too many codes requested from your network/);
    expect(await codesOf(phone)).toHaveLength(0);
  });

  it("fails closed when the limiter's Redis is down: nothing stored, nothing sent", async () => {
    const h = harness({ down: true });
    const phone = freshPhone();
    const error = await failure(h.request(phone));
    expect(error).toBeInstanceOf(RateLimited);
    expect(error.kind).toBe("unavailable");
    expect((error as RateLimited).storeDown).toBe(true);
    expect(await codesOf(phone)).toHaveLength(0);
    expect(h.sms.sent).toEqual([]);
  });

  it("says so when no sender is configured, or the provider refuses the number", async () => {
    const { limiter, close } = testLimiter();
    closers.push(close);
    const input = { phone: freshPhone(), purpose: "sign_in" as const, address: "203.0.113.7" };
    expect(await failure(requestPhoneCode(getDb(), limiter, input, null))).toMatchObject({
      kind: "unavailable",
      field: "phone",
    });
    const refusing = recordingSender(async () => {
      throw new SmsNotSent("Twilio refused the message (HTTP 400, error 21211)", true);
    });
    expect(await failure(requestPhoneCode(getDb(), limiter, input, refusing.sender))).toMatchObject(
      { kind: "invalid", field: "phone" },
    );
    const failing = recordingSender(async () => {
      throw new SmsNotSent("Twilio unreachable");
    });
    const error = await failure(requestPhoneCode(getDb(), limiter, input, failing.sender));
    expect(error).toMatchObject({ kind: "unavailable", field: "phone" });
    expect(error.message).toMatch(/could not be sent/);
  });
});

describe("signing in with a code", () => {
  it("creates a student account for a new number, verified, and signs into it after", async () => {
    const h = harness();
    const phone = freshPhone();
    await h.request(phone);
    const first = await signIn(phone, h.sms.codeFor(phone));
    expect(first.created).toBe(true);
    expect(first.user).toMatchObject({
      role: "student",
      email: null,
      name: `Student •••${phone.slice(-4)}`,
    });
    const [account] = await getDb().select().from(users).where(eq(users.id, first.user.id));
    expect(account!.phone).toBe(phone);
    expect(account!.phoneVerified).toBeInstanceOf(Date);

    await h.request(phone);
    const again = await signIn(phone, h.sms.codeFor(phone));
    expect(again.created).toBe(false);
    expect(again.user.id).toBe(first.user.id);
  });

  it("signs into the account that holds the number, whatever its role", async () => {
    const h = harness();
    const phone = freshPhone();
    const teacher = await createUser("teacher", "Tina Teacher");
    await getDb()
      .update(users)
      .set({ phone, phoneVerified: new Date() })
      .where(eq(users.id, teacher.id));
    await h.request(phone);
    const { user, created } = await signIn(phone, h.sms.codeFor(phone));
    expect(created).toBe(false);
    expect(user).toMatchObject({ id: teacher.id, role: "teacher" });
  });

  it("a code is single use", async () => {
    const h = harness();
    const phone = freshPhone();
    await h.request(phone);
    const code = h.sms.codeFor(phone);
    await signIn(phone, code);
    const error = (await failure(signIn(phone, code))) as PhoneCodeRefused;
    expect(error).toMatchObject({ kind: "invalid", field: "code" });
    expect(error.refusal).toEqual({ reason: "used" });
    expect(error.message).toBe("This code has already been used. Send a new code.");
  });

  it("an expired code is refused without spending an attempt", async () => {
    const h = harness();
    const phone = freshPhone();
    await h.request(phone);
    await getDb().execute(
      sql`UPDATE phone_codes SET expires_at = now() - interval '1 second' WHERE phone = ${phone}`,
    );
    const error = (await failure(signIn(phone, h.sms.codeFor(phone)))) as PhoneCodeRefused;
    expect(error.refusal).toEqual({ reason: "expired" });
    expect(error.message).toMatch(/expired/);
    const [row] = await codesOf(phone);
    expect(row).toMatchObject({ attempts: 0, consumedAt: null });
    expect(await getDb().select().from(users).where(eq(users.phone, phone))).toEqual([]);
  });

  it("five wrong codes lock the code: each spent attempt is kept although the answer is an error", async () => {
    const h = harness();
    const phone = freshPhone();
    await h.request(phone);
    const code = h.sms.codeFor(phone);
    const wrong = otherThan(code);
    const messages: string[] = [];
    for (let i = 1; i <= 5; i++) {
      messages.push((await failure(signIn(phone, wrong))).message);
      // Committed with the refusal: read back from another connection.
      expect((await codesOf(phone))[0]!.attempts).toBe(i);
    }
    expect(messages).toEqual([
      "That code is wrong. 4 attempts left.",
      "That code is wrong. 3 attempts left.",
      "That code is wrong. 2 attempts left.",
      "That code is wrong. 1 attempt left.",
      "That code is wrong, and that was the last attempt: this code is locked. Send a new code.",
    ]);
    // Now even the right code is refused, and nothing more is counted.
    const locked = (await failure(signIn(phone, code))) as PhoneCodeRefused;
    expect(locked.refusal).toEqual({ reason: "locked" });
    expect(locked.message).toMatch(/locked.*Send a new code/);
    expect((await codesOf(phone))[0]).toMatchObject({ attempts: 5, consumedAt: null });
    // A new code works.
    await h.request(phone);
    const { created } = await signIn(phone, h.sms.codeFor(phone));
    expect(created).toBe(true);
  });

  it("a number that was never sent a code is refused", async () => {
    const error = (await failure(signIn(freshPhone(), "123456"))) as PhoneCodeRefused;
    expect(error.refusal).toEqual({ reason: "none" });
  });

  it("a malformed code is refused before any attempt is spent", async () => {
    const h = harness();
    const phone = freshPhone();
    await h.request(phone);
    expect(await failure(signIn(phone, "12 34"))).toMatchObject({ kind: "invalid", field: "code" });
    expect((await codesOf(phone))[0]!.attempts).toBe(0);
  });

  it("moves the coupons granted to the number to the account, in the same transaction", async () => {
    const h = harness();
    const phone = freshPhone();
    const admin = await createUser("admin", "Ada Admin");
    const batch = await insertCouponBatch({ createdBy: admin.id });
    await grantCoupons(
      getDb(),
      { role: "admin", userId: admin.id },
      { batchId: batch.id, recipients: [phone], grantKey: randomUUID() },
    );
    await h.request(phone);
    const verified = await signIn(phone, h.sms.codeFor(phone));
    expect(verified.couponsAttached).toBe(1);
    const mine = await getDb().select().from(coupons).where(eq(coupons.ownerPhone, phone));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ ownerUserId: verified.user.id, status: "available" });
  });

  it("a sign-in code does not link, nor a link code sign in", async () => {
    const h = harness();
    const phone = freshPhone();
    const user = await createUser();
    await h.request(phone);
    const signInCode = h.sms.codeFor(phone);
    const linking = verifyPhoneCode(getDb(), {
      phone,
      code: signInCode,
      purpose: "link",
      userId: user.id,
    });
    expect(((await failure(linking)) as PhoneCodeRefused).refusal).toEqual({ reason: "none" });
    await h.request(phone, { purpose: "link", userId: user.id });
    const linkCode = h.sms.codeFor(phone);
    expect(h.sms.sent.at(-1)!.text).toContain("add this number");
    // The sign-in code is still live: link codes do not supersede it.
    if (linkCode !== signInCode) {
      expect(await failure(signIn(phone, linkCode))).toMatchObject({ field: "code" });
    }
    await signIn(phone, signInCode);
  });
});

describe("adding a number to an account", () => {
  it("sets the verified number and brings the number's coupons along", async () => {
    const h = harness();
    const phone = freshPhone();
    const student = await createUser();
    const admin = await createUser("admin", "Ada Admin");
    const batch = await insertCouponBatch({ createdBy: admin.id });
    await grantCoupons(
      getDb(),
      { role: "admin", userId: admin.id },
      { batchId: batch.id, recipients: [phone], grantKey: randomUUID() },
    );
    await h.request(phone, { purpose: "link", userId: student.id });
    const linked = await verifyPhoneCode(getDb(), {
      phone,
      code: h.sms.codeFor(phone),
      purpose: "link",
      userId: student.id,
    });
    expect(linked).toMatchObject({ phone, created: false, couponsAttached: 1 });
    expect(linked.user.id).toBe(student.id);
    const status = await phoneOfAccount(getDb(), student.id);
    expect(status.phone).toBe(phone);
    expect(status.verifiedAt).toBeInstanceOf(Date);
    const [coupon] = await getDb().select().from(coupons).where(eq(coupons.ownerPhone, phone));
    expect(coupon!.ownerUserId).toBe(student.id);
    // Phone sign-in now reaches this account.
    await h.request(phone);
    expect((await signIn(phone, h.sms.codeFor(phone))).user.id).toBe(student.id);
  });

  it("a number on another account is a conflict naming the phone; the code is spent", async () => {
    const h = harness();
    const phone = freshPhone();
    const holder = await createUser();
    await getDb()
      .update(users)
      .set({ phone, phoneVerified: new Date() })
      .where(eq(users.id, holder.id));
    const other = await createUser();
    await h.request(phone, { purpose: "link", userId: other.id });
    const code = h.sms.codeFor(phone);
    const attempt = () =>
      verifyPhoneCode(getDb(), { phone, code, purpose: "link", userId: other.id });
    const error = await failure(attempt());
    expect(error).toMatchObject({ kind: "conflict", field: "phone" });
    expect(error.message).toMatch(/another Halfhour account/);
    expect(((await failure(attempt())) as PhoneCodeRefused).refusal).toEqual({ reason: "used" });
    expect((await phoneOfAccount(getDb(), other.id)).phone).toBeNull();
  });

  it("a link code is only good for the account it was sent for", async () => {
    const h = harness();
    const phone = freshPhone();
    const asker = await createUser();
    const intruder = await createUser();
    await h.request(phone, { purpose: "link", userId: asker.id });
    const stolen = verifyPhoneCode(getDb(), {
      phone,
      code: h.sms.codeFor(phone),
      purpose: "link",
      userId: intruder.id,
    });
    expect(((await failure(stolen)) as PhoneCodeRefused).refusal).toEqual({ reason: "none" });
  });

  it("removing the number is refused when it is the only way to sign in", async () => {
    const h = harness();
    const phone = freshPhone();
    await h.request(phone);
    const { user } = await signIn(phone, h.sms.codeFor(phone));
    expect((await phoneOfAccount(getDb(), user.id)).canRemove).toBe(false);
    expect(await failure(unlinkPhone(getDb(), user.id))).toMatchObject({
      kind: "conflict",
      field: "phone",
    });
    // With a password it may go.
    await getDb()
      .update(users)
      .set({ passwordHash: await hashPassword("a long enough password") })
      .where(eq(users.id, user.id));
    expect((await phoneOfAccount(getDb(), user.id)).canRemove).toBe(true);
    expect(await unlinkPhone(getDb(), user.id)).toEqual({ phone: null });
    const [row] = await getDb()
      .select({ phone: users.phone, verified: users.phoneVerified })
      .from(users)
      .where(and(eq(users.id, user.id)));
    expect(row).toEqual({ phone: null, verified: null });
  });
});
