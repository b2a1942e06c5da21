import { sql } from "drizzle-orm";
import { refreshAllTeacherSearch } from "../../server/catalog/searchDocument";
import { hashPassword } from "../../server/identity/password";
import type { Database } from "../client";
import {
  courses,
  courseVersions,
  reviews,
  subjects,
  teacherDays,
  teacherSubjects,
  teachers,
  users,
} from "../schema";
import { buildDemoData, DEMO_PASSWORD } from "./demoData";
import { seedDemoOnboarding } from "./seedDemoOnboarding";
import { seedDemoTrade } from "./seedDemoTrade";

/** Writes the demo marketplace in one transaction: all of it or none of it. */
export async function seedDemo(db: Database, now: Date = new Date()) {
  const data = buildDemoData(now);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    await tx.insert(subjects).values(data.subjects.map((s, i) => ({ ...s, sortOrder: i })));
    const inserted = await tx
      .insert(users)
      .values(
        data.users.map((u) => ({
          name: u.name,
          email: u.email,
          role: u.role,
          emailVerified: now,
          passwordHash: u.withPassword ? passwordHash : null,
        })),
      )
      .returning({ id: users.id, email: users.email });
    const idByEmail = new Map(inserted.map((u) => [u.email, u.id]));
    const userId = (key: string) => {
      const user = data.users.find((u) => u.key === key);
      const id = user && idByEmail.get(user.email);
      if (!id) throw new Error(`seed: unknown user ${key}`);
      return id;
    };

    const ratings = new Map<string, { count: number; sum: number }>();
    for (const r of data.reviews) {
      const agg = ratings.get(r.teacherId) ?? { count: 0, sum: 0 };
      agg.count += 1;
      agg.sum += r.rating;
      ratings.set(r.teacherId, agg);
    }
    await tx.insert(teachers).values(
      data.teachers.map((t) => ({
        id: t.id,
        userId: userId(t.userKey),
        displayName: t.displayName,
        headline: t.headline,
        bio: t.bio,
        timeZone: t.timeZone,
        languages: t.languages,
        status: t.status,
        approvedAt: t.status === "approved" ? now : null,
        ratingCount: ratings.get(t.id)?.count ?? 0,
        ratingSum: ratings.get(t.id)?.sum ?? 0,
      })),
    );
    await tx
      .insert(teacherSubjects)
      .values(
        data.teachers.flatMap((t) =>
          t.subjects.map((subjectSlug) => ({ teacherId: t.id, subjectSlug })),
        ),
      );
    await tx.insert(courses).values(data.courses);
    await tx.insert(courseVersions).values(data.courseVersions);
    for (const batch of chunks(data.reviews, 1000)) {
      await tx
        .insert(reviews)
        .values(batch.map(({ studentKey, ...r }) => ({ ...r, studentId: userId(studentKey) })));
    }
    for (const batch of chunks(data.teacherDays, 2000)) {
      await tx.insert(teacherDays).values(batch);
    }
    // Search documents summarise the rows above; written in the same transaction.
    await refreshAllTeacherSearch(tx);
  });
  // After the catalog commits: trade rows go through the trade services' own transactions.
  const trade = await seedDemoTrade(db, now);
  const onboarding = await seedDemoOnboarding(db);
  return {
    teachers: data.teachers.length,
    courses: data.courses.length,
    reviews: data.reviews.length,
    teacherDays: data.teacherDays.length,
    ...trade,
    ...onboarding,
  };
}

export async function isSeeded(db: Database): Promise<boolean> {
  const rows = await db.select({ slug: subjects.slug }).from(subjects).limit(1);
  return rows.length > 0;
}

/**
 * Empties every application table (the migrations journal stays). The ledger refuses
 * TRUNCATE (migration 0005) unless the transaction allows it on purpose, as here.
 */
export async function emptyDatabase(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('halfhour.allow_ledger_truncate', 'on', true)`);
    await tx.execute(
      sql`TRUNCATE calendar_feeds, lessons, orders, ledger_entries, ledger_transactions, ledger_accounts, users, accounts, sessions, verification_tokens, teachers, subjects, teacher_subjects, courses, course_versions, reviews, teacher_days, teacher_search CASCADE`,
    );
  });
}

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
