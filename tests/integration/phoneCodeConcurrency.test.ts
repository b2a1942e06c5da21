import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, type DatabaseHandle, getDb } from "../../db/client";
import { phoneCodes, users } from "../../db/schema";
import { DomainError } from "../../server/domainError";
import {
  PhoneCodeRefused,
  requestPhoneCode,
  verifyPhoneCode,
} from "../../server/identity/phoneCodes";
import { createUser } from "../fixtures";
import { freshPhone, otherThan, recordingSender, testLimiter } from "../phoneFixtures";

/**
 * Attempts at one code racing on real Postgres: a pool of 12 connections, so every attempt
 * holds its own transaction at once and they meet at the code row's lock.
 */
let pool: DatabaseHandle;
let limiter: ReturnType<typeof testLimiter>;
beforeAll(() => {
  pool = connectPostgres(process.env.DATABASE_URL!, 12);
  limiter = testLimiter();
});
afterAll(async () => {
  await pool.close();
  await limiter.close();
});

async function sendCode(
  phone: string,
  extra: { purpose?: "sign_in" | "link"; userId?: string } = {},
) {
  const sms = recordingSender();
  await requestPhoneCode(
    getDb(),
    limiter.limiter,
    { phone, purpose: extra.purpose ?? "sign_in", userId: extra.userId, address: randomUUID() },
    sms.sender,
  );
  return sms.codeFor(phone);
}

const settle = <T>(attempts: Promise<T>[]) => Promise.allSettled(attempts);
const refusalsOf = (results: PromiseSettledResult<unknown>[]) =>
  results.flatMap((r) =>
    r.status === "rejected" && r.reason instanceof PhoneCodeRefused ? [r.reason.refusal] : [],
  );

describe("racing attempts at one code", () => {
  it("ten wrong guesses at once spend exactly five attempts; the rest find it locked", async () => {
    const phone = freshPhone();
    const code = await sendCode(phone);
    const wrong = otherThan(code);
    const results = await settle(
      Array.from({ length: 10 }, () =>
        verifyPhoneCode(pool.db, { phone, code: wrong, purpose: "sign_in" }),
      ),
    );
    const refusals = refusalsOf(results);
    expect(refusals).toHaveLength(10);
    const counted = refusals.flatMap((r) => (r.reason === "wrong" ? [r.attemptsLeft] : []));
    // Each spent attempt saw the one before it: 4, 3, 2, 1, 0 left, once each.
    expect(counted.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(refusals.filter((r) => r.reason === "locked")).toHaveLength(5);
    const [row] = await getDb().select().from(phoneCodes).where(eq(phoneCodes.phone, phone));
    expect(row!.attempts).toBe(5);
    // Locked for good: the right code is refused too.
    const late = await settle([verifyPhoneCode(pool.db, { phone, code, purpose: "sign_in" })]);
    expect(refusalsOf(late)).toEqual([{ reason: "locked" }]);
  });

  it("two right codes at once sign in once, and make one account", async () => {
    const phone = freshPhone();
    const code = await sendCode(phone);
    const results = await settle(
      Array.from({ length: 2 }, () =>
        verifyPhoneCode(pool.db, { phone, code, purpose: "sign_in" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(refusalsOf(results)).toEqual([{ reason: "used" }]);
    expect(await getDb().select().from(users).where(eq(users.phone, phone))).toHaveLength(1);
  });

  it("right and wrong codes mixed: one sign-in, and no attempt counted after it", async () => {
    const phone = freshPhone();
    const code = await sendCode(phone);
    const results = await settle(
      Array.from({ length: 8 }, (_, i) =>
        verifyPhoneCode(pool.db, {
          phone,
          code: i % 4 === 0 ? code : otherThan(code),
          purpose: "sign_in",
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled").length).toBeLessThanOrEqual(1);
    const [row] = await getDb().select().from(phoneCodes).where(eq(phoneCodes.phone, phone));
    const wrongBeforeUse = refusalsOf(results).filter((r) => r.reason === "wrong").length;
    expect(row!.attempts).toBe(wrongBeforeUse);
    expect(row!.attempts).toBeLessThanOrEqual(5);
    // Either the right code won before the fifth wrong one, or it found the code locked.
    const signedIn = results.some((r) => r.status === "fulfilled");
    expect(signedIn ? row!.consumedAt : row!.attempts).toBeTruthy();
  });

  it("two accounts linking one number at once: one gets it, the other a conflict", async () => {
    const phone = freshPhone();
    const [a, b] = [await createUser(), await createUser()];
    const codeA = await sendCode(phone, { purpose: "link", userId: a.id });
    const codeB = await sendCode(phone, { purpose: "link", userId: b.id });
    const results = await settle([
      verifyPhoneCode(pool.db, { phone, code: codeA, purpose: "link", userId: a.id }),
      verifyPhoneCode(pool.db, { phone, code: codeB, purpose: "link", userId: b.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [failed] = results.filter((r) => r.status === "rejected");
    expect(failed!.reason).toBeInstanceOf(DomainError);
    expect(failed!.reason).toMatchObject({ kind: "conflict", field: "phone" });
    expect(await getDb().select().from(users).where(eq(users.phone, phone))).toHaveLength(1);
  });
});
