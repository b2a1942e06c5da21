import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { isSnowflakeId } from "../ids/snowflake";

/**
 * What a teacher may put on their profile and courses: pure rules and the zod inputs built
 * from them. No I/O, so the dashboard imports the same limits and lists the server enforces.
 */

export const DISPLAY_NAME_MAX = 60;
export const HEADLINE_MAX = 120;
export const BIO_MAX = 5_000;
export const VIDEO_URL_MAX = 500;
export const SUBJECTS_MIN = 1;
export const SUBJECTS_MAX = 5;
export const LANGUAGES_MIN = 1;
export const LANGUAGES_MAX = 8;

/** Languages a teacher can say they teach in (the names the studio page shows). */
export const LANGUAGES = [
  "English",
  "Mandarin",
  "Cantonese",
  "Spanish",
  "French",
  "German",
  "Italian",
  "Portuguese",
  "Russian",
  "Japanese",
  "Korean",
  "Hindi",
  "Arabic",
  "Turkish",
  "Vietnamese",
  "Thai",
  "Indonesian",
  "Dutch",
  "Polish",
  "Swedish",
] as const;
export type Language = (typeof LANGUAGES)[number];

function isControlCharacter(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

/**
 * Removes C0/C1 control characters (and DEL). Multi-line text keeps tabs and line feeds, with
 * CRLF/CR normalised to LF; single-line text turns them into spaces.
 */
export function stripControlCharacters(text: string, options: { multiline?: boolean } = {}) {
  let out = "";
  for (const char of text.replace(/\r\n?/g, "\n")) {
    const code = char.codePointAt(0)!;
    if (char === "\n" || char === "\t") out += options.multiline ? char : " ";
    else if (!isControlCharacter(code)) out += char;
  }
  return out;
}

/** An IANA zone name as written ("Europe/London", "UTC"); offsets like "+05:00" are not zones. */
export function isIanaTimeZone(zone: string): boolean {
  if (!/^[A-Za-z]/.test(zone) || zone.length > 64) return false;
  try {
    return new Temporal.ZonedDateTime(0n, zone).timeZoneId === zone;
  } catch {
    return false;
  }
}

/** The normalised link when it is an absolute http(s) URL without credentials, else null. */
export function safeHttpUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (!url.hostname || url.username || url.password) return null;
  return url.href;
}

const unique = <T>(values: T[]) => [...new Set(values)];

const singleLine = (min: number, max: number, what: string) =>
  z
    .string({ message: `Expected ${what}` })
    .transform((s) => stripControlCharacters(s).replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? `Enter ${what}` : `Use at least ${min} characters`)
        .max(max, `Use at most ${max} characters`),
    );

const multiline = (max: number, what: string) =>
  z
    .string({ message: `Expected ${what}` })
    .transform((s) => stripControlCharacters(s, { multiline: true }).trim())
    .pipe(z.string().max(max, `Use at most ${max.toLocaleString("en-US")} characters`));

const subjectSlug = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, { message: 'Expected a subject such as "mathematics"' });

export const timeZoneInput = z
  .string({ message: "Choose a time zone" })
  .refine(isIanaTimeZone, { message: "Choose a time zone from the list (e.g. Europe/London)" });

/** Optional: empty or null clears it. Only http(s) links; javascript:, data: etc. are refused. */
export const introVideoUrlInput = z
  .string()
  .nullable()
  .transform((raw, ctx) => {
    const value = stripControlCharacters(raw ?? "").trim();
    if (value === "") return null;
    if (value.length > VIDEO_URL_MAX) {
      ctx.addIssue({ code: "custom", message: `Use at most ${VIDEO_URL_MAX} characters` });
      return z.NEVER;
    }
    const href = safeHttpUrl(value);
    if (!href || href.length > VIDEO_URL_MAX) {
      ctx.addIssue({ code: "custom", message: "Use a link that starts with https:// or http://" });
      return z.NEVER;
    }
    return href;
  });

/**
 * How long before a lesson a student must book (or move) it: a teacher setting, stored as
 * minutes (teachers.min_notice_minutes, 0 to 7 days). The form offers these choices.
 */
export const MIN_NOTICE_MAX_MINUTES = 10_080;
export const MIN_NOTICE_DEFAULT_MINUTES = 120;
export const MIN_NOTICE_CHOICES = [
  { minutes: 0, label: "None" },
  { minutes: 60, label: "1 hour" },
  { minutes: 120, label: "2 hours" },
  { minutes: 240, label: "4 hours" },
  { minutes: 720, label: "12 hours" },
  { minutes: 1440, label: "24 hours" },
  { minutes: 2880, label: "48 hours" },
] as const;

export const minNoticeInput = z
  .number({ message: "Choose a minimum notice" })
  .int("Choose a minimum notice in whole minutes")
  .min(0, "The minimum notice cannot be negative")
  .max(MIN_NOTICE_MAX_MINUTES, "The minimum notice is at most 7 days");

export const profileInput = z.object({
  displayName: singleLine(2, DISPLAY_NAME_MAX, "your name"),
  headline: singleLine(0, HEADLINE_MAX, "a headline"),
  /** Markdown source; rendered without raw HTML and with unsafe link schemes dropped. */
  bio: multiline(BIO_MAX, "a bio"),
  subjects: z
    .array(subjectSlug)
    .min(SUBJECTS_MIN, "Choose at least one subject")
    .max(SUBJECTS_MAX, `Choose at most ${SUBJECTS_MAX} subjects`)
    .transform(unique),
  languages: z
    .array(z.enum(LANGUAGES, { message: "Choose languages from the list" }))
    .min(LANGUAGES_MIN, "Choose at least one language")
    .max(LANGUAGES_MAX, `Choose at most ${LANGUAGES_MAX} languages`)
    .transform(unique),
  timeZone: timeZoneInput,
  introVideoUrl: introVideoUrlInput.default(null),
  /** Left out: unchanged. */
  minNoticeMinutes: minNoticeInput.optional(),
});
export type ProfileInput = z.output<typeof profileInput>;

/** Photos: the type is read from the bytes, never from the file name or the browser. */
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
export const PHOTO_EXTENSIONS = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
} as const;
export type PhotoMime = keyof typeof PHOTO_EXTENSIONS;
export const isPhotoMime = (mime: string | undefined): mime is PhotoMime =>
  !!mime && Object.hasOwn(PHOTO_EXTENSIONS, mime);
export const PHOTO_TOO_LARGE = "The photo is larger than 2 MB; choose a smaller one";
export const PHOTO_WRONG_TYPE = "Use a JPEG, PNG or WebP image";

/** Courses */

export const PACKAGE_HOURS = [1, 10, 20, 60, 100] as const;
export const COURSE_LEVELS = ["all", "beginner", "intermediate", "advanced"] as const;
export const COURSE_TITLE_MAX = 80;
export const COURSE_DESCRIPTION_MAX = 2_000;
/** Integer minor units (cents) per hour. */
export const PRICE_MIN = 100;
export const PRICE_MAX = 100_000;

export const courseIdInput = z
  .string({ message: "Expected a course id" })
  .refine(isSnowflakeId, { message: "Expected a course id (digits)" });

const courseFields = z.object({
  title: singleLine(3, COURSE_TITLE_MAX, "a title"),
  description: multiline(COURSE_DESCRIPTION_MAX, "a description"),
  level: z.enum(COURSE_LEVELS, { message: "Choose a level" }),
  pricePerHour: z
    .number({ message: "Enter a price per hour" })
    .int("Use whole cents")
    .min(PRICE_MIN, "At least 1.00 per hour")
    .max(PRICE_MAX, "At most 1,000.00 per hour"),
  packageHours: z
    .array(z.literal(PACKAGE_HOURS, { message: "Packages are 1, 10, 20, 60 or 100 hours" }))
    .min(1, "Offer at least one package")
    .transform((hours) => unique(hours).sort((a, b) => a - b)),
});
export type CourseFields = z.output<typeof courseFields>;

export const createCourseInput = courseFields.extend({ subject: subjectSlug });
export type CreateCourseInput = z.output<typeof createCourseInput>;

export const updateCourseInput = courseFields.extend({
  courseId: courseIdInput,
  /** The version the edit was based on: the compare-and-set that prevents lost updates. */
  version: z.number({ message: "Expected the version you edited" }).int().min(1),
});
export type UpdateCourseInput = z.output<typeof updateCourseInput>;

export const courseRefInput = z.object({ courseId: courseIdInput });

/** True when an edit would change nothing students see. */
export function sameCourseContent(
  a: Omit<CourseFields, "packageHours"> & { packageHours: readonly number[] },
  b: Omit<CourseFields, "packageHours"> & { packageHours: readonly number[] },
): boolean {
  return (
    a.title === b.title &&
    a.description === b.description &&
    a.level === b.level &&
    a.pricePerHour === b.pricePerHour &&
    a.packageHours.length === b.packageHours.length &&
    a.packageHours.every((h, i) => h === b.packageHours[i])
  );
}
