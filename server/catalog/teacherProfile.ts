import { createHash } from "node:crypto";
import { and, asc, eq, inArray, notInArray } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import type { Executor } from "../../db/client";
import { courses, subjects, teacherSubjects, teachers } from "../../db/schema";
import { DomainError } from "../domainError";
import { uploadUrl } from "../storage";
import type { ObjectStorage } from "../storage/port";
import { refreshTeacherSearch } from "./searchDocument";
import {
  isPhotoMime,
  PHOTO_EXTENSIONS,
  PHOTO_MAX_BYTES,
  PHOTO_TOO_LARGE,
  PHOTO_WRONG_TYPE,
  type ProfileInput,
} from "./teacherProfileRules";

/** Everything the profile form edits, as stored. */
export async function getEditableProfile(db: Executor, teacherId: string) {
  const [profile] = await db
    .select({
      id: teachers.id,
      status: teachers.status,
      displayName: teachers.displayName,
      headline: teachers.headline,
      bio: teachers.bio,
      photoUrl: teachers.photoUrl,
      introVideoUrl: teachers.introVideoUrl,
      timeZone: teachers.timeZone,
      languages: teachers.languages,
      minNoticeMinutes: teachers.minNoticeMinutes,
      updatedAt: teachers.updatedAt,
    })
    .from(teachers)
    .where(eq(teachers.id, teacherId))
    .limit(1);
  if (!profile) throw new DomainError("not_found", "No such teacher");
  const subjectRows = await db
    .select({ slug: teacherSubjects.subjectSlug })
    .from(teacherSubjects)
    .innerJoin(subjects, eq(subjects.slug, teacherSubjects.subjectSlug))
    .where(eq(teacherSubjects.teacherId, teacherId))
    .orderBy(asc(subjects.sortOrder));
  return { ...profile, subjects: subjectRows.map((s) => s.slug) };
}

export type EditableProfile = Awaited<ReturnType<typeof getEditableProfile>>;

/**
 * Replaces the teacher's profile fields and subjects in one transaction. Input has passed
 * `profileInput` (control characters stripped, zone and link checked); here the checks that
 * need the database: subjects exist, and none still carrying an active course is dropped.
 */
export async function updateTeacherProfile(db: Executor, teacherId: string, input: ProfileInput) {
  await db.transaction(async (tx) => {
    // The row lock taken here serialises concurrent saves of one profile, so the subject
    // rows below are replaced by one save at a time.
    const [updated] = await tx
      .update(teachers)
      .set({
        displayName: input.displayName,
        headline: input.headline,
        bio: input.bio,
        languages: input.languages,
        timeZone: input.timeZone,
        introVideoUrl: input.introVideoUrl,
        minNoticeMinutes: input.minNoticeMinutes,
        updatedAt: new Date(),
      })
      .where(eq(teachers.id, teacherId))
      .returning({ id: teachers.id });
    if (!updated) throw new DomainError("not_found", "No such teacher");

    const known = await tx
      .select({ slug: subjects.slug })
      .from(subjects)
      .where(inArray(subjects.slug, input.subjects));
    const unknown = input.subjects.filter((s) => !known.some((k) => k.slug === s));
    if (unknown.length > 0) {
      throw new DomainError("invalid", `Unknown subject: ${unknown.join(", ")}`, "subjects");
    }

    // Delete first: this waits for a course being created in a dropped subject (it share-locks
    // the subject row), so the check below sees that course once it has committed.
    await tx.delete(teacherSubjects).where(eq(teacherSubjects.teacherId, teacherId));
    const orphaned = await tx
      .selectDistinct({ name: subjects.name })
      .from(courses)
      .innerJoin(subjects, eq(subjects.slug, courses.subjectSlug))
      .where(
        and(
          eq(courses.teacherId, teacherId),
          eq(courses.status, "active"),
          notInArray(courses.subjectSlug, input.subjects),
        ),
      );
    if (orphaned.length > 0) {
      const names = orphaned.map((o) => o.name).join(", ");
      throw new DomainError(
        "invalid",
        `You have active courses in ${names}; keep the subject or retire those courses first`,
        "subjects",
      );
    }

    await tx
      .insert(teacherSubjects)
      .values(input.subjects.map((subjectSlug) => ({ teacherId, subjectSlug })));
    await refreshTeacherSearch(tx, teacherId);
  });
  return getEditableProfile(db, teacherId);
}

/** JPEG, PNG or WebP as read from the bytes; an invalid DomainError about `photo` otherwise. */
export async function checkPhoto(bytes: Uint8Array) {
  if (bytes.byteLength === 0) throw new DomainError("invalid", "The file is empty", "photo");
  if (bytes.byteLength > PHOTO_MAX_BYTES)
    throw new DomainError("invalid", PHOTO_TOO_LARGE, "photo");
  const detected = await fileTypeFromBuffer(bytes);
  if (!isPhotoMime(detected?.mime)) throw new DomainError("invalid", PHOTO_WRONG_TYPE, "photo");
  return { mime: detected.mime, extension: PHOTO_EXTENSIONS[detected.mime] };
}

/**
 * Stores a profile photo under its content hash and points the profile at it. The file is
 * written before the transaction: an orphan file is harmless, a photo URL without a file is not.
 */
export async function uploadTeacherPhoto(
  db: Executor,
  storage: ObjectStorage,
  teacherId: string,
  bytes: Uint8Array,
) {
  const { mime, extension } = await checkPhoto(bytes);
  const key = `${createHash("sha256").update(bytes).digest("hex")}.${extension}`;
  await storage.put(key, bytes, mime);
  const photoUrl = uploadUrl(key);
  await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(teachers)
      .set({ photoUrl, updatedAt: new Date() })
      .where(eq(teachers.id, teacherId))
      .returning({ id: teachers.id });
    if (!updated) throw new DomainError("not_found", "No such teacher");
  });
  return { photoUrl };
}
