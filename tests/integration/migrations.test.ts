import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { connectPostgres, type Database, getDb, openPglite, queryRows } from "../../db/client";
import { migrateDatabase } from "../../db/migrator";
import { teacherApplications, teachers } from "../../db/schema";
import { buildDemoData } from "../../db/seed/demoData";
import { emptyDatabase, isSeeded, seedDemo } from "../../db/seed/seedDemo";
import { cloneTemplate, databaseUrl, dropDatabase, runDatabase } from "../setup/testDatabases";

async function tableNames(db: Database): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    db,
    sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

describe("migrations", () => {
  const pglite = openPglite(); // in memory
  afterAll(() => pglite.close());

  it("build the same schema on PGlite as on Postgres, and re-running is a no-op", async () => {
    await migrateDatabase(pglite);
    await migrateDatabase(pglite);
    const embedded = await tableNames(pglite.db);
    expect(embedded).toEqual(await tableNames(getDb()));
    expect(embedded).toEqual(
      expect.arrayContaining([
        "users",
        "accounts",
        "teachers",
        "courses",
        "course_versions",
        "reviews",
        "teacher_days",
      ]),
    );
  });

  it("keep 64-bit ids exact on PGlite", async () => {
    const id = "9007199254740993123"; // beyond Number.MAX_SAFE_INTEGER
    await pglite.db.execute(sql`INSERT INTO users (id, email) VALUES (gen_random_uuid(), 'x@y.z')`);
    const [user] = await queryRows<{ id: string }>(pglite.db, sql`SELECT id FROM users LIMIT 1`);
    await pglite.db
      .insert(teachers)
      .values({ id, userId: user!.id, displayName: "Big", timeZone: "UTC" });
    const [row] = await pglite.db.select({ id: teachers.id }).from(teachers);
    expect(row?.id).toBe(id);
  });
});

describe("demo seed", () => {
  const name = runDatabase(`seed_${process.pid}`);
  let privateUploads: string | undefined;
  afterAll(async () => {
    delete process.env.PRIVATE_UPLOADS_DIR;
    if (privateUploads) await rm(privateUploads, { recursive: true, force: true });
    await dropDatabase(name);
  });

  it("loads the whole demo marketplace on Postgres in one transaction, and can be emptied", async () => {
    await cloneTemplate(name);
    // The demo application's certificate goes to the private uploads: a directory of our own.
    privateUploads = await mkdtemp(path.join(tmpdir(), "halfhour-seed-private-"));
    process.env.PRIVATE_UPLOADS_DIR = privateUploads;
    const handle = connectPostgres(databaseUrl(name), 2);
    try {
      expect(await isSeeded(handle.db)).toBe(false);
      const now = new Date("2026-11-22T12:00:00Z");
      const counts = await seedDemo(handle.db, now);
      const expected = buildDemoData(now);
      expect(counts).toEqual({
        teachers: expected.teachers.length,
        courses: expected.courses.length,
        reviews: expected.reviews.length,
        teacherDays: expected.teacherDays.length,
        // The demo student's package with the demo teacher: one taken lesson, two upcoming.
        orders: 1,
        lessons: 3,
        // The demo applicant's application, waiting for an administrator.
        applications: 1,
      });
      const waiting = await handle.db
        .select({ status: teacherApplications.status })
        .from(teacherApplications)
        .where(eq(teacherApplications.status, "submitted"));
      expect(waiting).toHaveLength(1);
      const [approved] = await queryRows<{ n: number; mismatched: number }>(
        handle.db,
        sql`
        SELECT count(*)::int AS n,
               count(*) FILTER (WHERE rating_count <> (SELECT count(*) FROM reviews r WHERE r.teacher_id = t.id))::int AS mismatched
        FROM teachers t WHERE status = 'approved'`,
      );
      expect(approved?.n).toBeGreaterThanOrEqual(60);
      expect(approved?.mismatched).toBe(0);
      expect(await isSeeded(handle.db)).toBe(true);
      await emptyDatabase(handle.db);
      expect(await isSeeded(handle.db)).toBe(false);
    } finally {
      await handle.close();
    }
  });
});
