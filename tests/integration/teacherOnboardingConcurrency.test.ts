import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, type DatabaseHandle } from "../../db/client";
import { teacherApplications, teacherSubjects, teachers, users } from "../../db/schema";
import { DomainError } from "../../server/domainError";
import {
  approveApplication,
  rejectApplication,
  submitApplication,
} from "../../server/onboarding/teacherApplications";
import { getPrivateStorage } from "../../server/storage";
import { createUser, ensureSubjects } from "../fixtures";
import {
  applicationFields,
  createApplicant,
  tinyPdf,
  usePrivateUploadsDir,
} from "../onboardingFixtures";

/**
 * Races on one application, each racer on its own connection of a 24-connection pool, so they
 * all hold a transaction at once and meet at the application's row lock.
 */
const POOL = 24;
const RACERS = 20;
let handle: DatabaseHandle;
let privateUploads: Awaited<ReturnType<typeof usePrivateUploadsDir>>;

beforeAll(async () => {
  privateUploads = await usePrivateUploadsDir();
  await ensureSubjects();
  handle = connectPostgres(process.env.DATABASE_URL!, POOL);
});
afterAll(async () => {
  await handle.close();
  await privateUploads.restore();
});

async function settle(runs: Promise<unknown>[]) {
  const results = await Promise.allSettled(runs);
  const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
  for (const failure of failures) {
    // Every loser is told, as a conflict; nothing else may go wrong.
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ kind: "conflict" });
  }
  const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
  return { winners, failures: failures as DomainError[] };
}

describe("concurrent decisions on one application", () => {
  it(`${RACERS} admins approving and rejecting at once make exactly one decision`, async () => {
    // Several rounds, so both an approval and a rejection get the chance to win; which one
    // does is up to the scheduler, and each round must have exactly one winner either way.
    for (let round = 0; round < 4; round++) {
      const { user, application } = await createApplicant(`Racy Applicant ${round}`);
      const admins = await Promise.all(
        Array.from({ length: RACERS }, (_, i) => createUser("admin", `Admin ${i}`)),
      );
      // Alternate the kinds, and rotate who starts, round by round.
      const approves = (i: number) => (i + round) % 2 === 0;
      const { winners, failures } = await settle(
        admins.map((admin, i) =>
          approves(i)
            ? approveApplication(handle.db, admin.id, application.id)
            : rejectApplication(handle.db, admin.id, application.id, "Not this time"),
        ),
      );
      expect(winners).toHaveLength(1);
      expect(failures).toHaveLength(RACERS - 1);
      expect(failures.every((f) => f.field === "applicationId")).toBe(true);

      const winner = winners[0]!;
      const [decided] = await handle.db
        .select()
        .from(teacherApplications)
        .where(eq(teacherApplications.id, application.id));
      const [role] = await handle.db
        .select({ role: users.role })
        .from(users)
        .where(eq(users.id, user.id));
      const profiles = await handle.db.select().from(teachers).where(eq(teachers.userId, user.id));
      expect(decided!.reviewedBy).toBe(admins[winner]!.id);
      if (approves(winner)) {
        expect(decided).toMatchObject({ status: "approved", decisionReason: null });
        expect(role!.role).toBe("teacher");
        expect(profiles).toHaveLength(1);
        expect(profiles[0]!.status).toBe("approved");
        expect(decided!.teacherId).toBe(profiles[0]!.id);
        const subjects = await handle.db
          .select()
          .from(teacherSubjects)
          .where(eq(teacherSubjects.teacherId, profiles[0]!.id));
        expect(subjects).toHaveLength(1);
      } else {
        expect(decided).toMatchObject({ status: "rejected", decisionReason: "Not this time" });
        expect(decided!.teacherId).toBeNull();
        expect(role!.role).toBe("student");
        expect(profiles).toHaveLength(0);
      }
    }
  });

  it(`${RACERS} applications sent at once by one student leave exactly one open`, async () => {
    const student = await createUser("student", "Eager Applicant");
    const { winners, failures } = await settle(
      Array.from({ length: RACERS }, () =>
        submitApplication(
          handle.db,
          getPrivateStorage(),
          student.id,
          applicationFields({ displayName: "Eager Applicant" }),
          { bytes: tinyPdf(), name: "certificate.pdf" },
        ),
      ),
    );
    expect(winners).toHaveLength(1);
    expect(failures.every((f) => /waiting for review/.test(f.message))).toBe(true);
    const rows = await handle.db
      .select({ status: teacherApplications.status })
      .from(teacherApplications)
      .where(eq(teacherApplications.userId, student.id));
    expect(rows).toEqual([{ status: "submitted" }]);
  });
});
