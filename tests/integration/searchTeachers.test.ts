import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { courses, courseVersions, teacherDays, teacherSearch, teachers } from "../../db/schema";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import { refreshAllTeacherSearch, refreshTeacherSearch } from "../../server/catalog/searchDocument";
import {
  availabilityMasks,
  encodeCursor,
  searchTeachers,
  type TeacherSearch,
  type TeacherSearchHit,
} from "../../server/catalog/searchTeachers";
import { EMPTY_DAY, SlotState, setRange } from "../../server/inventory/slotBitmap";
import { addReview, createTeacher } from "../fixtures";

type TeacherOptions = Parameters<typeof createTeacher>[0] & {
  headline?: string;
  bio?: string;
  languages?: string[];
  /** UTC day → [first slot index, count, state] */
  days?: Record<string, [number, number, SlotState][]>;
  ratings?: number[];
};

/** A fixture teacher with a fresh search document. */
async function teacher(options: TeacherOptions = {}) {
  const { headline, bio, languages, days, ratings, ...base } = options;
  const { teacher: row } = await createTeacher(base);
  const db = getDb();
  if (headline !== undefined || bio !== undefined || languages !== undefined) {
    await db.update(teachers).set({ headline, bio, languages }).where(eq(teachers.id, row.id));
  }
  for (const [day, ranges] of Object.entries(days ?? {})) {
    let slots = EMPTY_DAY;
    for (const [from, count, state] of ranges) slots = setRange(slots, from, count, state);
    await db.insert(teacherDays).values({ teacherId: row.id, day, slots });
  }
  for (const rating of ratings ?? []) await addReview(row.id, rating);
  await refreshTeacherSearch(db, row.id);
  return row.id;
}

/** A word no other test uses, to scope a search to this test's teachers. */
const tag = () => `tag${randomUUID().replaceAll("-", "").slice(0, 10)}`;

const search = (input: TeacherSearch, now?: Date) => searchTeachers(getDb(), input, now);
const ids = (items: TeacherSearchHit[]) => items.map((t) => t.id);

/** Every page of a search, following the cursor. */
async function allPages(input: TeacherSearch, now?: Date) {
  const pages: TeacherSearchHit[][] = [];
  let cursor: string | null = null;
  do {
    const page = await search({ ...input, cursor }, now);
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

async function call(path: string, input: unknown) {
  const url = new URL(`http://localhost/api/trpc/${path}`);
  url.searchParams.set("input", JSON.stringify(superjson.serialize(input)));
  const res = await handleTrpcRequest(new Request(url), async () => null);
  const body = (await res.json()) as {
    result?: { data: { json: { items: { id: string }[] } } };
    error?: {
      json: { message: string; data: { fieldErrors: Record<string, string[]> | null } };
    };
  };
  return { status: res.status, body };
}

describe("search: text", () => {
  it("finds by exact and misspelt name, Chinese name, course title and subject; never the unapproved", async () => {
    const grace = await teacher({
      displayName: "Grace Hopper",
      courses: [{ title: "COBOL for Everyone", pricePerHour: 4500, packageHours: [1] }],
    });
    const hidden = await teacher({ displayName: "Grace Hopper", status: "applied" });
    const suspended = await teacher({ displayName: "Grace Hoppers", status: "suspended" });
    const wang = await teacher({ displayName: "王小明", subjects: ["piano"] });
    const quaternion = await teacher({
      displayName: "Rowan Hamilton",
      courses: [{ title: "Quaternion Geometry", pricePerHour: 3000, packageHours: [1] }],
    });

    for (const q of ["Grace Hopper", "grace", "Grase Hoper", "hopper", "cobol"]) {
      const found = ids((await search({ q })).items);
      expect(found, q).toContain(grace);
      expect(found, q).not.toContain(hidden);
      expect(found, q).not.toContain(suspended);
    }
    expect(ids((await search({ q: "Grase Hoper" })).items)[0]).toBe(grace);
    expect(ids((await search({ q: "小明" })).items)).toEqual([wang]);
    expect(ids((await search({ q: "quaternion" })).items)).toEqual([quaternion]);
    expect(ids((await search({ q: "Quaternion geometry" })).items)).toEqual([quaternion]);
    // Subjects by English and Chinese name, and as a filter.
    expect(ids((await search({ q: "钢琴" })).items)).toContain(wang);
    expect(ids((await search({ q: "piano" })).items)).toContain(wang);
    expect(ids((await search({ q: "钢琴" })).items)).not.toContain(grace);
    expect(ids((await search({ subject: "piano" })).items)).toContain(wang);
    expect(ids((await search({ subject: "piano" })).items)).not.toContain(grace);
    // Nothing matches: an empty page, not an error.
    expect(await search({ q: "xylophone quantum zzz" })).toMatchObject({
      items: [],
      total: 0,
      nextCursor: null,
    });
  });

  it("ranks a name match over a course title over the bio", async () => {
    const word = tag();
    const inBio = await teacher({ bio: `I once taught ${word} to a parrot.` });
    const inTitle = await teacher({
      courses: [{ title: `${word} basics`, pricePerHour: 3000, packageHours: [1] }],
    });
    const inName = await teacher({ displayName: `Ada ${word}` });
    const page = await search({ q: word });
    expect(page.sort).toBe("relevance");
    expect(ids(page.items)).toEqual([inName, inTitle, inBio]);
  });

  it("keeps documents fresh: a new course version and a retired course change what is found", async () => {
    const oldTitle = tag();
    const newTitle = tag();
    const id = await teacher({
      courses: [{ title: `${oldTitle} course`, pricePerHour: 3000, packageHours: [1] }],
    });
    const db = getDb();
    const [course] = await db.select().from(courses).where(eq(courses.teacherId, id));
    await db.transaction(async (tx) => {
      await tx.insert(courseVersions).values({
        courseId: course!.id,
        version: 2,
        title: `${newTitle} course`,
        pricePerHour: 3500,
        packageHours: [1],
      });
      await tx.update(courses).set({ currentVersion: 2 }).where(eq(courses.id, course!.id));
      await refreshTeacherSearch(tx, id);
    });
    expect(ids((await search({ q: oldTitle })).items)).toEqual([]);
    expect(ids((await search({ q: newTitle })).items)).toEqual([id]);

    await db.update(courses).set({ status: "retired" }).where(eq(courses.id, course!.id));
    await refreshTeacherSearch(db, id);
    expect(ids((await search({ q: newTitle })).items)).toEqual([]);

    expect(await refreshAllTeacherSearch(db)).toBeGreaterThan(0);
    const [doc] = await db.select().from(teacherSearch).where(eq(teacherSearch.teacherId, id));
    expect(doc?.haystack).not.toContain(newTitle);
  });
});

describe("search: filters", () => {
  it("filters by subject, price range, minimum rating and language", async () => {
    const word = tag();
    const title = (p: string) => `${word} ${p}`;
    const cheapAndDear = await teacher({
      subjects: ["physics"],
      languages: ["English", "Mandarin"],
      ratings: [5, 5],
      courses: [
        { title: title("intro"), pricePerHour: 2000, packageHours: [1] },
        { title: title("advanced"), pricePerHour: 8000, packageHours: [1] },
      ],
    });
    const middle = await teacher({
      subjects: ["chemistry"],
      languages: ["Spanish"],
      ratings: [4, 4, 5],
      courses: [{ title: title("lab"), pricePerHour: 5000, packageHours: [1] }],
    });
    const unrated = await teacher({
      subjects: ["physics"],
      languages: ["English"],
      courses: [{ title: title("waves"), pricePerHour: 2500, packageHours: [1] }],
    });
    const q = word;
    expect(ids((await search({ q })).items).sort()).toEqual([cheapAndDear, middle, unrated].sort());

    expect(ids((await search({ q, subject: "physics" })).items).sort()).toEqual(
      [cheapAndDear, unrated].sort(),
    );
    expect(ids((await search({ q, subject: "chemistry" })).items)).toEqual([middle]);

    const inRange = await search({ q, minPricePerHour: 4000, maxPricePerHour: 6000 });
    expect(ids(inRange.items)).toEqual([middle]);
    const low = await search({ q, maxPricePerHour: 2200 });
    expect(low.items.map((t) => [t.id, t.pricePerHour])).toEqual([[cheapAndDear, 2000]]);
    const high = await search({ q, minPricePerHour: 7000 });
    // The price shown is the lowest one inside the range.
    expect(high.items.map((t) => [t.id, t.pricePerHour])).toEqual([[cheapAndDear, 8000]]);

    expect(ids((await search({ q, minRating: 4.5 })).items)).toEqual([cheapAndDear]);
    // 4.3 shown (13 / 3 = 4.33): the filter compares what is shown.
    expect(ids((await search({ q, minRating: 4.3 })).items).sort()).toEqual(
      [cheapAndDear, middle].sort(),
    );
    expect(ids((await search({ q, minRating: 4.4 })).items)).toEqual([cheapAndDear]);

    expect(ids((await search({ q, language: "mandarin" })).items)).toEqual([cheapAndDear]);
    expect(ids((await search({ q, language: "Spanish" })).items)).toEqual([middle]);
    expect(ids((await search({ q, language: "English" })).items).sort()).toEqual(
      [cheapAndDear, unrated].sort(),
    );
    expect(ids((await search({ q, language: "Klingon" })).items)).toEqual([]);
    // Filters combine.
    expect(ids((await search({ q, subject: "physics", minRating: 4 })).items)).toEqual([
      cheapAndDear,
    ]);
  });

  // Monday 2030-01-07 10:10 UTC; Paris is UTC+1 in January.
  const now = new Date("2030-01-07T10:10:00Z");
  const { Published, Reserved, Locked } = SlotState;

  async function availabilityTeachers() {
    const word = tag();
    const course = (p: number) => [{ title: `${word} course`, pricePerHour: p, packageHours: [1] }];
    const tomorrowEvening = await teacher({
      courses: course(3000),
      // Tue 18:00-19:00 UTC free (19:00-20:00 Paris); earlier that day reserved and locked.
      days: {
        "2030-01-08": [
          [10, 2, Reserved],
          [12, 2, Locked],
          [36, 2, Published],
        ],
      },
    });
    const inTwoWeeks = await teacher({
      courses: course(2000),
      days: { "2030-01-20": [[20, 4, Published]] },
    });
    const neverFree = await teacher({
      courses: course(1000),
      days: { "2030-01-08": [[0, 48, Reserved]] },
    });
    const earlyBird = await teacher({
      courses: course(4000),
      days: {
        // 10:00 today started before now: not bookable any more.
        "2030-01-07": [[20, 1, Published]],
        // Wed 06:00 UTC = 07:00 Paris.
        "2030-01-09": [[12, 1, Published]],
      },
    });
    return { word, tomorrowEvening, inTwoWeeks, neverFree, earlyBird };
  }

  it("filters by free time in the next days, optionally in a daily window of the viewer's zone", async () => {
    const t = await availabilityTeachers();
    const q = t.word;
    const within7 = await search({ q, freeWithinDays: 7, sort: "soonest" }, now);
    expect(within7.items.map((i) => [i.id, i.nextFreeAt?.toISOString()])).toEqual([
      [t.tomorrowEvening, "2030-01-08T18:00:00.000Z"],
      [t.earlyBird, "2030-01-09T06:00:00.000Z"],
    ]);
    expect(ids((await search({ q, freeWithinDays: 14 }, now)).items)).toContain(t.inTwoWeeks);

    const evening = { from: "19:00", to: "20:00", timeZone: "Europe/Paris" };
    expect(ids((await search({ q, freeWithinDays: 7, timeOfDay: evening }, now)).items)).toEqual([
      t.tomorrowEvening,
    ]);
    // A window implies the next seven days.
    expect(ids((await search({ q, timeOfDay: evening }, now)).items)).toEqual([t.tomorrowEvening]);
    // The window must hold the whole half hour: 19:00-19:30 Paris is slot 18:00 UTC only.
    const narrow = { from: "19:00", to: "19:30", timeZone: "Europe/Paris" };
    const hit = await search({ q, timeOfDay: narrow }, now);
    expect(hit.items.map((i) => i.nextFreeAt?.toISOString())).toEqual(["2030-01-08T18:00:00.000Z"]);
    // Overnight windows wrap: 23:00-08:00 Paris covers Wednesday 07:00 Paris.
    const night = { from: "23:00", to: "08:00", timeZone: "Europe/Paris" };
    expect(ids((await search({ q, timeOfDay: night }, now)).items)).toEqual([t.earlyBird]);
    // The same instants seen from Tokyo (UTC+9): Tue 18:00 UTC is Wed 03:00.
    const tokyo = { from: "03:00", to: "04:00", timeZone: "Asia/Tokyo" };
    expect(ids((await search({ q, timeOfDay: tokyo }, now)).items)).toEqual([t.tomorrowEvening]);
  });

  it("computes window masks per UTC day in the viewer's zone", () => {
    const masks = availabilityMasks(now, 7, {
      from: "09:00",
      to: "10:00",
      timeZone: "Asia/Kolkata",
    });
    // 09:00-10:00 IST = 03:30-04:30 UTC: slots 7 and 8 of every UTC day after today.
    expect(masks.map((m) => m.day)).toEqual([
      "2030-01-08",
      "2030-01-09",
      "2030-01-10",
      "2030-01-11",
      "2030-01-12",
      "2030-01-13",
      "2030-01-14",
    ]);
    const expected = "0".repeat(96).split("");
    expected[15] = "1";
    expected[17] = "1";
    expect(masks[0]?.mask).toBe(expected.join(""));
    // Without a window: every slot from now (10:30) for seven days.
    const all = availabilityMasks(now, 7);
    expect(all[0]?.day).toBe("2030-01-07");
    expect(all[0]?.mask).toBe("0".repeat(42) + "01".repeat(27));
    expect(all.at(-1)?.day).toBe("2030-01-14");
    expect(all.at(-1)?.mask).toBe("01".repeat(21) + "0".repeat(54));
  });
});

describe("search: sorts", () => {
  it("sorts by rating (Bayesian), price and soonest availability; relevance needs a query", async () => {
    const word = tag();
    const course = (p: number) => [{ title: `${word} course`, pricePerHour: p, packageHours: [1] }];
    const many = await teacher({
      courses: course(3000),
      ratings: Array(12).fill(5),
      days: { "2030-01-10": [[30, 1, SlotState.Published]] },
    });
    const few = await teacher({
      courses: course(1000),
      ratings: [5, 5],
      days: { "2030-01-08": [[30, 1, SlotState.Published]] },
    });
    const none = await teacher({ courses: course(2000) });
    const now = new Date("2030-01-07T10:10:00Z");
    const q = word;
    const order = async (sort: TeacherSearch["sort"]) => {
      const page = await search({ q, sort }, now);
      return { sort: page.sort, ids: ids(page.items) };
    };
    expect(await order("rating")).toEqual({ sort: "rating", ids: [many, few, none] });
    expect(await order("price")).toEqual({ sort: "price", ids: [few, none, many] });
    expect(await order("soonest")).toEqual({ sort: "soonest", ids: [few, many, none] });
    // Without a query relevance means nothing: best rated first.
    const noQuery = await search({ sort: "relevance" }, now);
    expect(noQuery.sort).toBe("rating");
  });
});

describe("search: pagination", () => {
  it("returns every match exactly once across pages, in every sort order", async () => {
    const word = tag();
    const created: string[] = [];
    for (let i = 0; i < 27; i++) {
      created.push(
        await teacher({
          displayName: i % 3 === 0 ? `${word} Person ${i}` : `Person ${i}`,
          courses: [
            { title: `${word} lesson`, pricePerHour: 1000 + (i % 4) * 500, packageHours: [1] },
          ],
          ratings: i % 5 === 0 ? [5, 4] : [],
          days:
            i % 2 === 0 ? { "2030-01-08": [[i, 1, SlotState.Published]] } : { "2030-01-08": [] },
        }),
      );
    }
    const now = new Date("2030-01-07T10:10:00Z");
    for (const sort of ["relevance", "rating", "price", "soonest"] as const) {
      const pages = await allPages({ q: word, sort }, now);
      expect(
        pages.map((p) => p.length),
        sort,
      ).toEqual([12, 12, 3]);
      const seen = pages.flat().map((t) => t.id);
      expect(new Set(seen).size, sort).toBe(seen.length);
      expect([...seen].sort(), sort).toEqual([...created].sort());
    }
    const first = await search({ q: word, sort: "price" }, now);
    expect(first.total).toBe(27);
    const prices = (await allPages({ q: word, sort: "price" }, now))
      .flat()
      .map((t) => t.pricePerHour ?? 0);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    // A cursor belongs to its sort order.
    await expect(
      search({ q: word, sort: "rating", cursor: first.nextCursor }),
    ).rejects.toMatchObject({ kind: "invalid", field: "cursor" });
  });
});

describe("search over HTTP", () => {
  it("answers 200 with a page, and 400 naming each invalid field", async () => {
    const id = await teacher({ displayName: "Katherine Johnson" });
    const ok = await call("search.teachers", { q: "Katherine", sort: "relevance" });
    expect(ok.status).toBe(200);
    expect(ok.body.result?.data.json.items.map((i) => i.id)).toContain(id);

    const bad = await call("search.teachers", {
      minRating: 9,
      sort: "cheapest",
      freeWithinDays: 0,
      timeOfDay: { from: "25:00", to: "10:00", timeZone: "Mars/Olympus_Mons" },
      language: "<script>",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.json.message).toMatch(/^Invalid input: /);
    expect(Object.keys(bad.body.error?.json.data.fieldErrors ?? {}).sort()).toEqual([
      "freeWithinDays",
      "language",
      "minRating",
      "sort",
      "timeOfDay.from",
      "timeOfDay.timeZone",
    ]);

    const range = await call("search.teachers", { minPricePerHour: 5000, maxPricePerHour: 1000 });
    expect(range.status).toBe(400);
    expect(range.body.error?.json.data.fieldErrors).toEqual({
      maxPricePerHour: ["The maximum price is below the minimum"],
    });

    const forged = encodeCursor({ s: "price", k: [1, 2], id: "1" });
    const cursor = await call("search.teachers", { sort: "rating", cursor: forged });
    expect(cursor.status).toBe(400);
    expect(Object.keys(cursor.body.error?.json.data.fieldErrors ?? {})).toEqual(["cursor"]);
    const garbage = await call("search.teachers", { cursor: "not a cursor!" });
    expect(garbage.status).toBe(400);
    expect(Object.keys(garbage.body.error?.json.data.fieldErrors ?? {})).toEqual(["cursor"]);
  });
});
