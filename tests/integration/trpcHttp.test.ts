import { eq } from "drizzle-orm";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { users } from "../../db/schema";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import type { AppSession } from "../../server/identity/session";
import { createTeacher, createUser, sessionOf } from "../fixtures";

/** Calls the real tRPC HTTP handler, as the Next.js route does, with a chosen viewer. */
async function call(
  path: string,
  input: unknown,
  options: { session?: AppSession | null; method?: "GET" | "POST" } = {},
) {
  const method = options.method ?? "GET";
  const encoded = superjson.serialize(input);
  const url = new URL(`http://localhost/api/trpc/${path}`);
  if (method === "GET") url.searchParams.set("input", JSON.stringify(encoded));
  const res = await handleTrpcRequest(
    new Request(url, {
      method,
      headers: { "content-type": "application/json" },
      body: method === "POST" ? JSON.stringify(encoded) : undefined,
    }),
    async () => options.session ?? null,
  );
  const body = (await res.json()) as {
    result?: { data: { json: unknown } };
    error?: {
      json: {
        message: string;
        data: { httpStatus: number; fieldErrors: Record<string, string[]> | null };
      };
    };
  };
  return { status: res.status, headers: res.headers, body };
}

describe("tRPC over HTTP", () => {
  it("answers 400 naming the field for a malformed teacher id", async () => {
    const { status, body } = await call("teachers.byId", { id: "abc" });
    expect(status).toBe(400);
    expect(body.error?.json.message).toMatch(/^Invalid input: id:/);
    expect(body.error?.json.data.fieldErrors).toEqual({ id: ["Expected a teacher id (digits)"] });
  });

  it("answers 400, not 500, for an id too large for Postgres' bigint", async () => {
    const { status } = await call("teachers.byId", { id: "9223372036854775808" });
    expect(status).toBe(400);
  });

  it("answers 404 for an unknown teacher and for one not approved", async () => {
    expect((await call("teachers.byId", { id: "123456789" })).status).toBe(404);
    const { teacher } = await createTeacher({ status: "applied" });
    expect((await call("teachers.byId", { id: teacher.id })).status).toBe(404);
  });

  it("serves an approved teacher's studio with courses", async () => {
    const { teacher } = await createTeacher({
      displayName: "Grace Hopper",
      courses: [{ title: "COBOL for Everyone", pricePerHour: 4500, packageHours: [1, 10] }],
    });
    const { status, body, headers } = await call("teachers.byId", { id: teacher.id });
    expect(status).toBe(200);
    const studio = body.result?.data.json as { displayName: string; courses: { title: string }[] };
    expect(studio.displayName).toBe("Grace Hopper");
    expect(studio.courses.map((c) => c.title)).toEqual(["COBOL for Everyone"]);
    // A public query (read path: server/api/httpHandler.ts); personal ones stay private.
    expect(headers.get("cache-control")).toBe(
      "public, max-age=60, s-maxage=120, stale-while-revalidate=300",
    );
    expect(headers.get("x-request-id")).toBeTruthy();
  });

  it("does not read the session for calls made only of public queries", async () => {
    const { teacher } = await createTeacher();
    let reads = 0;
    const readSession = async () => {
      reads += 1;
      return null;
    };
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ id: teacher.id })));
    const res = await handleTrpcRequest(
      new Request(`http://localhost/api/trpc/teachers.priceCard?input=${input}`),
      readSession,
    );
    expect(res.status).toBe(200);
    expect(reads).toBe(0);
    await handleTrpcRequest(new Request("http://localhost/api/trpc/account.me"), readSession);
    expect(reads).toBe(1);
  });

  it("answers 401 to anonymous callers of a signed-in procedure", async () => {
    expect((await call("teachers.me", undefined)).status).toBe(401);
    expect((await call("account.me", undefined)).status).toBe(401);
  });

  it("answers 403 when a student calls a teacher procedure", async () => {
    const student = await createUser("student");
    const { status, body } = await call("teachers.me", undefined, { session: sessionOf(student) });
    expect(status).toBe(403);
    expect(body.error?.json.message).toMatch(/teachers/i);
  });

  it("lets a teacher read their own profile", async () => {
    const { user, teacher } = await createTeacher({ status: "applied" });
    const { status, body } = await call("teachers.me", undefined, { session: sessionOf(user) });
    expect(status).toBe(200);
    expect(body.result?.data.json).toMatchObject({
      id: teacher.id,
      status: "applied",
      activeCourses: 1,
    });
  });

  it("signs up once per email, naming the field on conflict, writing nothing on bad input", async () => {
    const email = `New.Person+${Date.now()}@Example.com`;
    const input = { name: "New Person", email, password: "correct horse battery" };
    const first = await call("account.signUp", input, { method: "POST" });
    expect(first.status).toBe(200);
    const [row] = await getDb().select().from(users).where(eq(users.email, email.toLowerCase()));
    expect(row?.role).toBe("student");
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);

    const again = await call(
      "account.signUp",
      { ...input, email: email.toUpperCase() },
      { method: "POST" },
    );
    expect(again.status).toBe(409);
    expect(again.body.error?.json.data.fieldErrors).toEqual({
      email: ["An account with this email already exists"],
    });

    const bad = await call(
      "account.signUp",
      { name: "", email: "not-an-email", password: "short" },
      { method: "POST" },
    );
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error?.json.data.fieldErrors ?? {}).sort()).toEqual([
      "email",
      "name",
      "password",
    ]);
    const written = await getDb().select().from(users).where(eq(users.email, "not-an-email"));
    expect(written).toEqual([]);
  });
});
