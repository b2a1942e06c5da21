import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { asc, eq } from "drizzle-orm";
import superjson, { type SuperJSONResult } from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as serveUploadRoute } from "../../app/uploads/[...path]/route";
import { getDb } from "../../db/client";
import { courseVersions, teacherSearch, teacherSubjects, teachers } from "../../db/schema";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import type { AppSession } from "../../server/identity/session";
import { getStorage } from "../../server/storage";
import { createTeacher, createUser, sessionOf } from "../fixtures";
import { publish, slotFromNow } from "../tradeFixtures";

interface ErrorBody {
  message: string;
  data: { httpStatus: number; code: string; fieldErrors: Record<string, string[]> | null };
}

async function send(req: Request, session: AppSession | null) {
  const res = await handleTrpcRequest(req, async () => session);
  const body = (await res.json()) as {
    result?: { data: SuperJSONResult };
    error?: { json: ErrorBody };
  };
  return {
    status: res.status,
    // biome-ignore lint/suspicious/noExplicitAny: test helper; each test asserts the shape it uses
    data: body.result ? (superjson.deserialize(body.result.data) as any) : undefined,
    error: body.error?.json,
  };
}

/** The real tRPC HTTP handler, as the Next.js route calls it. */
function query(path: string, input: unknown, session: AppSession | null = null) {
  const url = new URL(`http://localhost/api/trpc/${path}`);
  if (input !== undefined)
    url.searchParams.set("input", JSON.stringify(superjson.serialize(input)));
  return send(new Request(url), session);
}

function mutate(path: string, input: unknown, session: AppSession | null) {
  return send(
    new Request(`http://localhost/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(superjson.serialize(input)),
    }),
    session,
  );
}

/** A multipart upload, as the browser's httpLink sends FormData. */
function upload(file: File, session: AppSession | null) {
  const form = new FormData();
  form.set("photo", file);
  return send(
    new Request("http://localhost/api/trpc/profile.uploadPhoto", { method: "POST", body: form }),
    session,
  );
}

const fieldsOf = (error: ErrorBody | undefined) => Object.keys(error?.data.fieldErrors ?? {});

/** A real 2x2 RGB PNG: signature, IHDR, zlib-compressed IDAT and IEND, with CRCs. */
function tinyPng(): Uint8Array<ArrayBuffer> {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0); // width
  header.writeUInt32BE(2, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter method, no interlace
  const rows = Buffer.from([0, 15, 118, 110, 245, 158, 11, 0, 30, 41, 59, 255, 255, 255]);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return new Uint8Array(png);
}

async function teacherSession(options: Parameters<typeof createTeacher>[0] = {}) {
  const { user, teacher } = await createTeacher(options);
  return { session: sessionOf(user), teacherId: teacher.id };
}

const validProfile = {
  displayName: "Ada Lovelace",
  headline: "Analytical engines, patiently explained",
  bio: "## About me\n\nI teach **mathematics** and [programming](https://example.org).",
  subjects: ["mathematics", "programming"],
  languages: ["English", "French"],
  timeZone: "Europe/London",
  introVideoUrl: "https://video.example.org/intro",
};

/** The search document, refreshed in the same transaction as the write. */
async function searchText(teacherId: string) {
  const [row] = await getDb()
    .select({ haystack: teacherSearch.haystack })
    .from(teacherSearch)
    .where(eq(teacherSearch.teacherId, teacherId));
  return row?.haystack ?? "";
}

async function storedProfile(teacherId: string) {
  const db = getDb();
  const [row] = await db.select().from(teachers).where(eq(teachers.id, teacherId));
  const subjects = await db
    .select({ slug: teacherSubjects.subjectSlug })
    .from(teacherSubjects)
    .where(eq(teacherSubjects.teacherId, teacherId))
    .orderBy(asc(teacherSubjects.subjectSlug));
  return { ...row!, subjects: subjects.map((s) => s.slug) };
}

let uploadsDir: string;
beforeAll(async () => {
  uploadsDir = await mkdtemp(path.join(tmpdir(), "halfhour-uploads-"));
  process.env.UPLOADS_DIR = uploadsDir;
});
afterAll(async () => {
  delete process.env.UPLOADS_DIR;
  await rm(uploadsDir, { recursive: true, force: true });
});

describe("profile editing", () => {
  it("saves the profile, replaces the subjects and shows it on the studio", async () => {
    const { session, teacherId } = await teacherSession({ subjects: ["mathematics", "physics"] });
    const res = await mutate(
      "profile.update",
      {
        ...validProfile,
        displayName: "  Ada\tLovelace ",
        bio: `${validProfile.bio}\u0000\u0007\r\n\r\nBye\u009b`,
        languages: ["English", "French", "English"],
      },
      session,
    );
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      displayName: "Ada Lovelace",
      subjects: ["mathematics", "programming"],
    });

    const stored = await storedProfile(teacherId);
    expect(stored).toMatchObject({
      displayName: "Ada Lovelace",
      headline: validProfile.headline,
      bio: `${validProfile.bio}\n\nBye`, // control characters stripped, CRLF normalised
      languages: ["English", "French"],
      timeZone: "Europe/London",
      introVideoUrl: "https://video.example.org/intro",
      subjects: ["mathematics", "programming"],
    });

    const studio = await query("teachers.byId", { id: teacherId });
    expect(studio.data).toMatchObject({ headline: validProfile.headline, bio: stored.bio });
    expect(studio.data.subjects.map((s: { slug: string }) => s.slug).sort()).toEqual([
      "mathematics",
      "programming",
    ]);

    expect(await searchText(teacherId)).toContain(validProfile.headline.toLowerCase());

    const own = await query("profile.get", undefined, session);
    expect(own.data).toMatchObject({ headline: validProfile.headline, subjects: stored.subjects });
  });

  it.each([
    ["timeZone", { timeZone: "Mars/Olympus_Mons" }],
    ["timeZone", { timeZone: "+05:00" }],
    ["introVideoUrl", { introVideoUrl: "javascript:alert(document.cookie)" }],
    ["introVideoUrl", { introVideoUrl: "data:text/html;base64,PHNjcmlwdD4=" }],
    ["introVideoUrl", { introVideoUrl: `https://example.org/${"v".repeat(500)}` }],
    ["subjects", { subjects: ["mathematics", "alchemy"] }],
    ["subjects", { subjects: [] }],
    ["subjects", { subjects: ["english", "mandarin", "physics", "chemistry", "piano", "art"] }],
    ["bio", { bio: "x".repeat(5_001) }],
    ["languages", { languages: [] }],
    ["languages.0", { languages: ["Klingon"] }],
    ["displayName", { displayName: " " }],
    ["headline", { headline: "h".repeat(121) }],
    ["minNoticeMinutes", { minNoticeMinutes: -60 }],
    ["minNoticeMinutes", { minNoticeMinutes: 10_081 }],
    ["minNoticeMinutes", { minNoticeMinutes: 90.5 }],
    ["minNoticeMinutes", { minNoticeMinutes: "120" }],
  ])("answers 400 naming %s and writes nothing", async (field, patch) => {
    const { session, teacherId } = await teacherSession();
    const before = await storedProfile(teacherId);
    const res = await mutate("profile.update", { ...validProfile, ...patch }, session);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.error)).toEqual([field]);
    expect(await storedProfile(teacherId)).toEqual(before);
  });

  it("keeps a subject that still has an active course", async () => {
    const { session, teacherId } = await teacherSession({ subjects: ["physics"] });
    const before = await storedProfile(teacherId);
    const res = await mutate("profile.update", { ...validProfile, subjects: ["art"] }, session);
    expect(res.status).toBe(400);
    expect(res.error?.data.fieldErrors).toEqual({ subjects: [expect.stringMatching(/Physics/)] });
    expect(await storedProfile(teacherId)).toEqual(before);
  });

  it("sets the minimum notice, which free slots follow at once; leaving it out keeps it", async () => {
    const { session, teacherId } = await teacherSession();
    expect((await query("profile.get", undefined, session)).data.minNoticeMinutes).toBe(120);
    const soon = slotFromNow(4);
    const later = slotFromNow(30);
    await publish(teacherId, { start: soon, slots: 1 });
    await publish(teacherId, { start: later, slots: 1 });
    const freeStarts = async () =>
      (await query("availability.free", { teacherId, days: 3 })).data.slots.map((d: Date) =>
        d.toISOString(),
      );
    expect(await freeStarts()).toEqual([soon.toISOString(), later.toISOString()]);

    const saved = await mutate(
      "profile.update",
      { ...validProfile, minNoticeMinutes: 1440 },
      session,
    );
    expect(saved.status).toBe(200);
    expect(saved.data.minNoticeMinutes).toBe(1440);
    expect((await storedProfile(teacherId)).minNoticeMinutes).toBe(1440);
    // A day's notice: the slot four hours ahead is no longer offered.
    expect(await freeStarts()).toEqual([later.toISOString()]);

    const { minNoticeMinutes: _left, ...withoutNotice } = { ...validProfile, minNoticeMinutes: 0 };
    expect((await mutate("profile.update", withoutNotice, session)).status).toBe(200);
    expect((await storedProfile(teacherId)).minNoticeMinutes).toBe(1440);

    expect(
      (await mutate("profile.update", { ...validProfile, minNoticeMinutes: 0 }, session)).status,
    ).toBe(200);
    expect((await storedProfile(teacherId)).minNoticeMinutes).toBe(0);
  });

  it("clears the intro video with an empty link", async () => {
    const { session, teacherId } = await teacherSession();
    await mutate("profile.update", validProfile, session);
    const res = await mutate("profile.update", { ...validProfile, introVideoUrl: "" }, session);
    expect(res.status).toBe(200);
    expect((await storedProfile(teacherId)).introVideoUrl).toBeNull();
  });

  it("is for teachers only", async () => {
    const student = sessionOf(await createUser("student"));
    expect((await mutate("profile.update", validProfile, student)).status).toBe(403);
    expect((await mutate("profile.update", validProfile, null)).status).toBe(401);
  });
});

describe("courses", () => {
  const course = {
    subject: "mathematics",
    title: "Linear Algebra",
    description: "Vectors, matrices and why they matter.",
    level: "intermediate",
    pricePerHour: 4500,
    packageHours: [10, 1, 10],
  };

  it("creates version 1, edits into version 2 and keeps version 1 readable and unchanged", async () => {
    const { session, teacherId } = await teacherSession();
    const created = await mutate("courses.create", course, session);
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({
      version: 1,
      status: "active",
      title: "Linear Algebra",
      packageHours: [1, 10],
    });
    const courseId: string = created.data.id;

    const edited = await mutate(
      "courses.update",
      { ...course, courseId, version: 1, title: "Linear Algebra II", pricePerHour: 5000 },
      session,
    );
    expect(edited.status).toBe(200);
    expect(edited.data).toMatchObject({
      changed: true,
      course: { version: 2, title: "Linear Algebra II" },
    });

    const history = await query("courses.versions", { courseId }, session);
    expect(history.data.currentVersion).toBe(2);
    expect(history.data.versions).toMatchObject([
      { version: 2, title: "Linear Algebra II", pricePerHour: 5000 },
      { version: 1, title: "Linear Algebra", pricePerHour: 4500, packageHours: [1, 10] },
    ]);
    const v1 = history.data.versions[1];
    const [stored] = await getDb()
      .select()
      .from(courseVersions)
      .where(eq(courseVersions.id, v1.versionId));
    expect(stored).toMatchObject({ version: 1, title: "Linear Algebra", pricePerHour: 4500 });

    const studio = await query("teachers.byId", { id: teacherId });
    expect(studio.data.courses.map((c: { title: string }) => c.title)).toContain(
      "Linear Algebra II",
    );
    expect(await searchText(teacherId)).toContain("linear algebra ii");

    // Saving the same content again creates no version.
    const again = await mutate(
      "courses.update",
      { ...course, courseId, version: 2, title: "Linear Algebra II", pricePerHour: 5000 },
      session,
    );
    expect(again.data).toMatchObject({ changed: false, course: { version: 2 } });
  });

  it("lets one of two concurrent edits of the same version win; the other is a CONFLICT", async () => {
    const { session } = await teacherSession();
    const created = await mutate("courses.create", course, session);
    const courseId: string = created.data.id;
    const edits = await Promise.all(
      ["Edit A", "Edit B"].map((title) =>
        mutate("courses.update", { ...course, courseId, version: 1, title }, session),
      ),
    );
    expect(edits.map((e) => e.status).sort()).toEqual([200, 409]);
    const loser = edits.find((e) => e.status === 409)!;
    expect(loser.error?.data.code).toBe("CONFLICT");
    expect(fieldsOf(loser.error)).toEqual(["version"]);
    const versions = await getDb()
      .select({ version: courseVersions.version, title: courseVersions.title })
      .from(courseVersions)
      .where(eq(courseVersions.courseId, courseId))
      .orderBy(asc(courseVersions.version));
    const winner = edits.find((e) => e.status === 200)!;
    expect(versions).toEqual([
      { version: 1, title: "Linear Algebra" },
      { version: 2, title: winner.data.course.title },
    ]);
  });

  it("validates course input naming the field", async () => {
    const { session } = await teacherSession();
    for (const [field, patch] of [
      ["packageHours.0", { packageHours: [7] }],
      ["packageHours", { packageHours: [] }],
      ["pricePerHour", { pricePerHour: 12.5 }],
      ["pricePerHour", { pricePerHour: 0 }],
      ["title", { title: "x" }],
      ["subject", { subject: "piano" }], // not one of this teacher's subjects
    ] as const) {
      const res = await mutate("courses.create", { ...course, ...patch }, session);
      expect(res.status, field).toBe(400);
      expect(fieldsOf(res.error)).toEqual([field]);
    }
    const mine = await query("courses.mine", undefined, session);
    expect(mine.data).toHaveLength(1); // only the fixture's course
  });

  it("retires a course: hidden from the studio, still listed for the teacher; reactivates", async () => {
    const { session, teacherId } = await teacherSession();
    const mine = await query("courses.mine", undefined, session);
    const courseId: string = mine.data[0].id;

    const retired = await mutate("courses.retire", { courseId }, session);
    expect(retired.data).toMatchObject({ id: courseId, status: "retired" });
    const studio = await query("teachers.byId", { id: teacherId });
    expect(studio.data.courses).toEqual([]);
    const after = await query("courses.mine", undefined, session);
    expect(after.data).toMatchObject([{ id: courseId, status: "retired" }]);

    await mutate("courses.reactivate", { courseId }, session);
    const back = await query("teachers.byId", { id: teacherId });
    expect(back.data.courses.map((c: { id: string }) => c.id)).toEqual([courseId]);
  });

  it("never lets a teacher touch another teacher's course", async () => {
    const owner = await teacherSession();
    const other = await teacherSession();
    const courseId: string = (await query("courses.mine", undefined, owner.session)).data[0].id;
    const edit = { ...course, courseId, version: 1 };
    expect((await mutate("courses.update", edit, other.session)).status).toBe(404);
    expect((await mutate("courses.retire", { courseId }, other.session)).status).toBe(404);
    expect((await query("courses.versions", { courseId }, other.session)).status).toBe(404);
  });
});

describe("photo upload", () => {
  it("accepts a real PNG, stores it under its hash and serves it immutable", async () => {
    const { session, teacherId } = await teacherSession();
    const png = tinyPng();
    // The name and the browser's type are ignored: the bytes decide.
    const res = await upload(new File([png], "me.bin", { type: "text/plain" }), session);
    expect(res.status).toBe(200);
    expect(res.data.photoUrl).toMatch(/^\/uploads\/[0-9a-f]{64}\.png$/);
    expect((await storedProfile(teacherId)).photoUrl).toBe(res.data.photoUrl);

    const key = res.data.photoUrl.slice("/uploads/".length);
    expect(await readdir(uploadsDir)).toContain(key);
    expect(new Uint8Array(await readFile(path.join(uploadsDir, key)))).toEqual(png);

    const served = await serveUploadRoute(new Request(`http://localhost${res.data.photoUrl}`), {
      params: Promise.resolve({ path: [key] }),
    });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  });

  it("rejects a text file renamed .png and a file over 2 MB, writing nothing", async () => {
    const { session, teacherId } = await teacherSession();
    const before = await storedProfile(teacherId);
    const filesBefore = await readdir(uploadsDir);

    const text = await upload(
      new File(["just some text, honest"], "photo.png", { type: "image/png" }),
      session,
    );
    expect(text.status).toBe(400);
    expect(text.error?.data.fieldErrors).toEqual({ photo: [expect.stringMatching(/JPEG, PNG/)] });

    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(tinyPng());
    const large = await upload(new File([big], "big.png", { type: "image/png" }), session);
    expect(large.status).toBe(400);
    expect(large.error?.data.fieldErrors).toEqual({ photo: [expect.stringMatching(/2 MB/)] });

    const missing = await send(
      new Request("http://localhost/api/trpc/profile.uploadPhoto", {
        method: "POST",
        body: new FormData(),
      }),
      session,
    );
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.error)).toEqual(["photo"]);

    expect(await storedProfile(teacherId)).toEqual(before);
    expect(await readdir(uploadsDir)).toEqual(filesBefore);
  });

  it("serves nothing outside the uploads: ../ paths, odd names and unknown keys are 404", async () => {
    await getStorage().put("notes.txt", new TextEncoder().encode("secret"), "text/plain");
    const hash = "a".repeat(64);
    for (const segments of [
      ["..", "..", "etc", "passwd"],
      [`../${hash}.png`],
      ["..%2F..%2Fetc%2Fpasswd"],
      ["notes.txt"],
      [`${hash}.png`, ".."],
      [`${hash.toUpperCase()}.png`],
      [`${hash}.svg`],
      [`${hash}.png`], // well-formed but not stored
    ]) {
      const res = await serveUploadRoute(new Request("http://localhost/uploads/x"), {
        params: Promise.resolve({ path: segments }),
      });
      expect(res.status, segments.join("/")).toBe(404);
    }
    await expect(getStorage().put("../escape.png", tinyPng(), "image/png")).rejects.toThrow(
      /Unsafe storage key/,
    );
    expect(await getStorage().get("../../etc/passwd")).toBeNull();
  });
});
