import { z } from "zod";
import {
  DISPLAY_NAME_MAX,
  HEADLINE_MAX,
  SUBJECTS_MAX,
  SUBJECTS_MIN,
  stripControlCharacters,
  timeZoneInput,
} from "../catalog/teacherProfileRules";

/**
 * Teacher onboarding: what an application must contain and which decisions are allowed in
 * which state. Pure (no I/O), so the /teach form imports the same limits the server enforces.
 */

export const EXPERIENCE_MIN = 20;
export const EXPERIENCE_MAX = 3_000;
export const SAMPLE_SCHEDULE_MAX = 200;
export const REASON_MIN = 3;
export const REASON_MAX = 500;
export const CERTIFICATE_NAME_MAX = 120;
/** The back office lists at most this many applications or teachers at once. */
export const REVIEW_LIST_LIMIT = 100;

/** Certificates: the type is read from the bytes, never from the file name or the browser. */
export const CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024;
export const CERTIFICATE_EXTENSIONS = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
} as const;
export type CertificateMime = keyof typeof CERTIFICATE_EXTENSIONS;
export const isCertificateMime = (mime: string | undefined): mime is CertificateMime =>
  !!mime && Object.hasOwn(CERTIFICATE_EXTENSIONS, mime);
export const CERTIFICATE_MISSING = "Attach your teaching certificate (PDF, PNG or JPEG)";
export const CERTIFICATE_TOO_LARGE = "The certificate is larger than 5 MB; choose a smaller file";
export const CERTIFICATE_WRONG_TYPE = "Use a PDF, PNG or JPEG file";
export const CERTIFICATE_EMPTY = "The file is empty";

const singleLine = (min: number, max: number, what: string) =>
  z
    .string({ message: `Enter ${what}` })
    .transform((s) => stripControlCharacters(s).replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .min(min, min <= 1 ? `Enter ${what}` : `Use at least ${min} characters`)
        .max(max, `Use at most ${max} characters`),
    );

const multiline = (min: number, max: number, what: string) =>
  z
    .string({ message: `Enter ${what}` })
    .transform((s) => stripControlCharacters(s, { multiline: true }).trim())
    .pipe(
      z
        .string()
        .min(min, `Tell us a little more: at least ${min} characters`)
        .max(max, `Use at most ${max.toLocaleString("en-US")} characters`),
    );

const subjectSlug = z
  .string({ message: "Choose subjects from the list" })
  .regex(/^[a-z0-9-]{1,40}$/, { message: "Choose subjects from the list" });

/** The written part of an application (the certificate is checked from its bytes). */
export const applicationFields = z.object({
  displayName: singleLine(2, DISPLAY_NAME_MAX, "the name students will see"),
  headline: singleLine(5, HEADLINE_MAX, "a headline"),
  subjects: z
    .array(subjectSlug)
    .min(SUBJECTS_MIN, "Choose at least one subject")
    .max(SUBJECTS_MAX, `Choose at most ${SUBJECTS_MAX} subjects`)
    .transform((slugs) => [...new Set(slugs)]),
  experience: multiline(EXPERIENCE_MIN, EXPERIENCE_MAX, "your teaching experience"),
  timeZone: timeZoneInput,
  sampleSchedule: singleLine(3, SAMPLE_SCHEDULE_MAX, "the hours you plan to teach"),
});
export type ApplicationFields = z.output<typeof applicationFields>;

/** Text fields of a multipart form: a file sent under a text field's name is not text. */
const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : undefined);

/**
 * The application as multipart form data: the fields above, `subjects` repeated once per
 * subject, and the file under `certificate`. Its size is checked before the bytes are read.
 */
export const applicationForm = z
  .instanceof(FormData, { message: "Send the application as multipart form data" })
  .transform((form) => ({
    displayName: text(form.get("displayName")),
    headline: text(form.get("headline")),
    subjects: form.getAll("subjects").map(text),
    experience: text(form.get("experience")),
    timeZone: text(form.get("timeZone")),
    sampleSchedule: text(form.get("sampleSchedule")),
    certificate: form.get("certificate"),
  }))
  .pipe(
    applicationFields.extend({
      certificate: z
        .instanceof(File, { message: CERTIFICATE_MISSING })
        .refine((file) => file.size > 0, { message: CERTIFICATE_EMPTY })
        .refine((file) => file.size <= CERTIFICATE_MAX_BYTES, { message: CERTIFICATE_TOO_LARGE }),
    }),
  );

/** Why an application is rejected or a teacher suspended: the person concerned reads it. */
export const decisionReason = singleLine(REASON_MIN, REASON_MAX, "a reason");

/**
 * The file name as shown to reviewers: the last path segment, control characters removed,
 * at most CERTIFICATE_NAME_MAX characters; `certificate.<ext>` when nothing is left.
 */
export function certificateDisplayName(raw: string, extension: string): string {
  const base = stripControlCharacters(raw).split(/[\\/]/).pop()?.trim() ?? "";
  const name = [...base].slice(0, CERTIFICATE_NAME_MAX).join("");
  return name === "" ? `certificate.${extension}` : name;
}

export type ApplicationStatus = "submitted" | "approved" | "rejected";
export type TeacherStatus = "applied" | "approved" | "rejected" | "suspended";
export type Role = "student" | "teacher" | "admin";

/** What a student account still has as a student (studentCommitments.ts). */
export interface StudentCommitments {
  /** Orders waiting for payment, paid, in use or waiting for a refund decision. */
  liveOrders: number;
  /** Wallet money, in minor units, over every currency. */
  walletBalance: number;
}

/**
 * An account has one role, so approval turns the student into a teacher and closes their
 * student area: hours and wallet money left there would be stranded. The refusal says how
 * to go on; null when nothing is left.
 */
export function commitmentsRefusal(commitments: StudentCommitments): string | null {
  const left: string[] = [];
  if (commitments.liveOrders > 0) {
    left.push(
      `${commitments.liveOrders} open ${commitments.liveOrders === 1 ? "order" : "orders"}`,
    );
  }
  if (commitments.walletBalance !== 0) left.push("money in your wallet");
  if (left.length === 0) return null;
  return `This account still has ${left.join(" and ")} as a student, which becoming a teacher would close. Use or refund them first, or apply to teach from a separate account.`;
}

/**
 * Whether this account may submit an application now; the refusal says why. Only students
 * apply: a teacher (even a suspended one) already has a profile, and an admin does not teach;
 * a student with hours or money left must settle them first (commitmentsRefusal).
 */
export function applyRefusal(account: {
  role: Role;
  teacherStatus: TeacherStatus | null;
  hasOpenApplication: boolean;
  commitments: StudentCommitments;
}): string | null {
  if (account.role === "admin") return "Administrators cannot apply to teach";
  if (account.role === "teacher" || account.teacherStatus === "approved") {
    return "You already have a teacher profile";
  }
  if (account.teacherStatus === "suspended") return "Your teacher profile is suspended";
  if (account.hasOpenApplication) return "You already have an application waiting for review";
  return commitmentsRefusal(account.commitments);
}

/** Only a submitted application is decided, once: approved and rejected are final. */
export function decisionRefusal(status: ApplicationStatus): string | null {
  if (status === "submitted") return null;
  return status === "approved"
    ? "This application has already been approved"
    : "This application has already been rejected";
}

/**
 * What approving does to the applicant's teacher profile: create one, or re-activate an old
 * profile that never was (or is no longer) approved. A live or suspended profile is never
 * overwritten by an application.
 */
export function approvalPlan(
  applicantRole: Role,
  existing: TeacherStatus | null,
  commitments: StudentCommitments,
): { action: "create" | "reactivate" } | { refusal: string } {
  if (applicantRole === "admin") return { refusal: "The applicant is an administrator" };
  if (commitmentsRefusal(commitments)) {
    return {
      refusal:
        "The applicant has bought lessons or holds wallet money since applying; approving would close their student area. Ask them to settle it first.",
    };
  }
  if (existing === null) return { action: "create" };
  if (existing === "applied" || existing === "rejected") return { action: "reactivate" };
  return {
    refusal:
      existing === "approved"
        ? "The applicant is already an approved teacher"
        : "The applicant's teacher profile is suspended; reinstate it instead",
  };
}

export type StandingAction = "suspend" | "reinstate";

/** Suspend an approved teacher; reinstate a suspended one. Nothing else. */
export function standingChange(
  current: TeacherStatus,
  action: StandingAction,
): { next: "approved" | "suspended" } | { refusal: string } {
  if (action === "suspend") {
    return current === "approved"
      ? { next: "suspended" }
      : { refusal: `Only an approved teacher can be suspended (this one is ${current})` };
  }
  return current === "suspended"
    ? { next: "approved" }
    : { refusal: `Only a suspended teacher can be reinstated (this one is ${current})` };
}
