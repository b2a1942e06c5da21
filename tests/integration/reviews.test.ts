import { sql } from "drizzle-orm";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { reviews } from "../../db/schema";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import {
  decodeReviewCursor,
  encodeReviewCursor,
  listReviews,
  type ReviewPage,
} from "../../server/catalog/reviews";
import { addReview, createTeacher, createUser } from "../fixtures";

async function get(input: unknown) {
  const url = new URL("http://localhost/api/trpc/reviews.list");
  url.searchParams.set("input", JSON.stringify(superjson.serialize(input)));
  const res = await handleTrpcRequest(new Request(url), async () => null);
  const body = (await res.json()) as {
    result?: { data: { json: unknown } };
    error?: { json: { message: string; data: { fieldErrors: Record<string, string[]> | null } } };
  };
  return { status: res.status, body };
}

/**
 * Reviews with chosen timestamps, to the microsecond: several share one instant (the id
 * decides) and several differ by microseconds only (a millisecond cursor would lose them).
 */
const STAMPS = [
  "2030-01-01T00:00:00.000001Z",
  "2030-01-01T00:00:00.000002Z",
  "2030-01-01T00:00:00.000002Z",
  "2030-01-01T00:00:00.000002Z",
  "2030-01-01T00:00:00.000900Z",
  "2030-01-01T00:00:00.001000Z",
  "2030-01-01T00:00:00.001000Z",
  "2029-12-31T23:59:59.999999Z",
  "2030-01-02T12:00:00.000000Z",
  "2030-01-02T12:00:00.000000Z",
  "2030-01-03T08:30:00.123456Z",
  "2030-01-03T08:30:00.123457Z",
  "2030-01-03T08:30:00.123455Z",
];

describe("reviews.list", () => {
  it("pages with a keyset cursor: every review exactly once, newest first", async () => {
    const { teacher } = await createTeacher();
    const student = await createUser("student", "Paula Pager");
    const inserted: { id: string; micros: bigint }[] = [];
    for (const [i, stamp] of STAMPS.entries()) {
      const [row] = await getDb()
        .insert(reviews)
        .values({
          teacherId: teacher.id,
          studentId: student.id,
          rating: (i % 5) + 1,
          body: `review ${i}`,
          createdAt: sql`${stamp}::timestamptz`,
        })
        .returning({ id: reviews.id });
      const [date, frac] = stamp.slice(0, -1).split(".");
      inserted.push({
        id: row!.id,
        micros: BigInt(Date.parse(`${date}Z`)) * 1000n + BigInt(frac!),
      });
    }
    const expected = [...inserted]
      .sort((a, b) =>
        a.micros !== b.micros ? Number(b.micros - a.micros) : Number(BigInt(b.id) - BigInt(a.id)),
      )
      .map((r) => r.id);

    for (const limit of [1, 2, 3, 4, 5, 13, 50]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page: ReviewPage = await listReviews(getDb(), {
          teacherId: teacher.id,
          cursor,
          limit,
        });
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
        expect(pages).toBeLessThanOrEqual(STAMPS.length + 1);
      } while (cursor);
      expect(seen).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(STAMPS.length / limit)));
    }
  });

  it("serves pages over HTTP with dates and reviewer names, newest first", async () => {
    const { teacher } = await createTeacher();
    for (let i = 0; i < 12; i++) await addReview(teacher.id, 5, `review ${i}`);
    const first = await get({ teacherId: teacher.id, limit: 10 });
    expect(first.status).toBe(200);
    const page1 = superjson.deserialize<ReviewPage>(first.body.result!.data as never);
    expect(page1.items).toHaveLength(10);
    expect(page1.items[0]!.createdAt).toBeInstanceOf(Date);
    expect(page1.items[0]!.reviewer).toBe("Rita R.");
    expect(page1.items.map((r) => r.body)).toEqual(
      Array.from({ length: 10 }, (_, i) => `review ${11 - i}`),
    );
    const second = await get({ teacherId: teacher.id, cursor: page1.nextCursor, limit: 10 });
    const page2 = superjson.deserialize<ReviewPage>(second.body.result!.data as never);
    expect(page2.items.map((r) => r.body)).toEqual(["review 1", "review 0"]);
    expect(page2.nextCursor).toBeNull();
  });

  it("shows no reviews of a teacher who is not approved", async () => {
    const { teacher } = await createTeacher({ status: "suspended" });
    await addReview(teacher.id, 5);
    expect(await listReviews(getDb(), { teacherId: teacher.id })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("answers 400 naming `cursor` for a cursor it did not hand out", async () => {
    const { teacher } = await createTeacher();
    const valid = encodeReviewCursor({ createdAt: "2030-01-01T00:00:00.000001Z", id: "12345" });
    expect(decodeReviewCursor(valid)).toEqual({
      createdAt: "2030-01-01T00:00:00.000001Z",
      id: "12345",
    });
    const bad = [
      "not a cursor!",
      "abc",
      Buffer.from("2030-01-01T00:00:00.000001Z").toString("base64url"),
      Buffer.from("2030-13-01T00:00:00.000001Z|12345").toString("base64url"),
      Buffer.from("2030-01-01T00:00:00Z|12345").toString("base64url"),
      Buffer.from("2030-01-01T00:00:00.000001Z|-1").toString("base64url"),
      Buffer.from("2030-01-01T00:00:00.000001Z|1|2").toString("base64url"),
      "x".repeat(201),
    ];
    for (const cursor of bad) {
      const { status, body } = await get({ teacherId: teacher.id, cursor });
      expect(status, cursor).toBe(400);
      expect(Object.keys(body.error?.json.data.fieldErrors ?? {}), cursor).toEqual(["cursor"]);
      expect(body.error?.json.message, cursor).toMatch(/cursor/);
    }
    expect((await get({ teacherId: teacher.id, cursor: valid })).status).toBe(200);
  });
});
