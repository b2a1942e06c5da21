import { eq } from "drizzle-orm";
import superjson, { type SuperJSONResult } from "superjson";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { teachers } from "../../db/schema";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import type { AppSession } from "../../server/identity/session";
import { createUser, sessionOf } from "../fixtures";
import { createSellingTeacher } from "../tradeFixtures";

const QUERIES = new Set(["settlement.earnings", "settlement.payoutRuns", "settlement.commissions"]);

/** The real tRPC HTTP handler, as the Next.js route calls it: queries GET, mutations POST. */
async function call(path: string, input: unknown, session: AppSession | null) {
  const isQuery = QUERIES.has(path);
  const encoded = superjson.serialize(input);
  const url = new URL(`http://localhost/api/trpc/${path}`);
  if (isQuery) url.searchParams.set("input", JSON.stringify(encoded));
  const res = await handleTrpcRequest(
    new Request(url, {
      method: isQuery ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: isQuery ? undefined : JSON.stringify(encoded),
    }),
    async () => session,
  );
  const body = (await res.json()) as {
    result?: { data: SuperJSONResult };
    error?: { json: { message: string; data: { fieldErrors: Record<string, string[]> | null } } };
  };
  return {
    status: res.status,
    data: body.result ? (superjson.deserialize(body.result.data) as Record<string, unknown>) : null,
    fields: Object.keys(body.error?.json.data.fieldErrors ?? {}),
    message: body.error?.json.message,
  };
}

const rateOf = async (teacherId: string) =>
  (
    await getDb()
      .select({ bps: teachers.commissionBps })
      .from(teachers)
      .where(eq(teachers.id, teacherId))
  )[0]!.bps;

describe("settlement API", () => {
  it("setCommission: admins only, 0–100 with two decimals, null clears", async () => {
    const admin = sessionOf(await createUser("admin", "Ada Admin"));
    const seller = await createSellingTeacher();
    const teacherSession = sessionOf(seller.user);
    const teacherId = seller.teacher.id;

    expect((await call("settlement.setCommission", { teacherId, percent: 10 }, null)).status).toBe(
      401,
    );
    expect(
      (await call("settlement.setCommission", { teacherId, percent: 10 }, teacherSession)).status,
    ).toBe(403);
    for (const percent of [-1, 100.5, 12.345, "12"]) {
      const refused = await call("settlement.setCommission", { teacherId, percent }, admin);
      expect(refused.status).toBe(400);
      expect(refused.fields).toEqual(["percent"]);
    }
    const badId = await call("settlement.setCommission", { teacherId: "x", percent: 1 }, admin);
    expect([badId.status, badId.fields]).toEqual([400, ["teacherId"]]);
    const unknown = await call(
      "settlement.setCommission",
      { teacherId: "987654321", percent: 1 },
      admin,
    );
    expect([unknown.status, unknown.fields]).toEqual([404, ["teacherId"]]);
    expect(await rateOf(teacherId)).toBeNull();

    const set = await call("settlement.setCommission", { teacherId, percent: 17.55 }, admin);
    expect(set).toMatchObject({ status: 200, data: { teacherId, commissionBps: 1755 } });
    const rates = await call("settlement.commissions", undefined, admin);
    expect(rates.data).toMatchObject({ defaultPercent: 20 });
    expect(rates.data!.overrides).toContainEqual({
      teacherId,
      displayName: seller.teacher.displayName,
      percent: 17.55,
    });
    await call("settlement.setCommission", { teacherId, percent: null }, admin);
    expect(await rateOf(teacherId)).toBeNull();
  });

  it("earnings are for teachers; payout runs for admins", async () => {
    const seller = await createSellingTeacher();
    const student = sessionOf(await createUser("student", "Stu"));
    const admin = sessionOf(await createUser("admin", "Ada Admin"));
    const earnings = await call("settlement.earnings", undefined, sessionOf(seller.user));
    expect(earnings).toMatchObject({ status: 200, data: { commissionPercent: 20, totals: [] } });
    expect((await call("settlement.earnings", undefined, student)).status).toBe(403);
    expect((await call("settlement.payoutRuns", undefined, student)).status).toBe(403);
    expect((await call("settlement.runPayouts", undefined, sessionOf(seller.user))).status).toBe(
      403,
    );
    const run = await call("settlement.runPayouts", undefined, admin);
    expect(run).toMatchObject({ status: 200, data: { payouts: 0, teachers: 0 } });
    expect((await call("settlement.payoutRuns", undefined, admin)).data).toEqual([]);
  });
});
