import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { getDb } from "../db/client";
import { demoCertificatePdf } from "../db/seed/seedDemoOnboarding";
import type { ApplicationFields } from "../server/onboarding/applicationRules";
import { submitApplication } from "../server/onboarding/teacherApplications";
import { getPrivateStorage } from "../server/storage";
import { createUser, ensureSubjects } from "./fixtures";

/** A complete, valid application. */
export function applicationFields(overrides: Partial<ApplicationFields> = {}): ApplicationFields {
  return {
    displayName: "Nora Newteacher",
    headline: "Physics for exam years",
    subjects: ["physics"],
    experience: "Eight years of physics at a secondary school, and online tutoring since.",
    timeZone: "Europe/Berlin",
    sampleSchedule: "Mon–Fri 18:00–21:00",
    ...overrides,
  };
}

export const tinyPdf = () => demoCertificatePdf(["Certificate of Teaching (test)"]);

/** The application as the browser sends it: multipart, subjects repeated, the file. */
export function applicationFormData(
  fields: Record<string, string | string[]> = applicationFields(),
  certificate: File | null = new File([tinyPdf() as Uint8Array<ArrayBuffer>], "certificate.pdf", {
    type: "application/pdf",
  }),
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  }
  if (certificate) form.set("certificate", certificate);
  return form;
}

/** A new student with a submitted application (through the service, certificate stored). */
export async function createApplicant(
  name = "Nora Newteacher",
  overrides: Partial<ApplicationFields> = {},
) {
  await ensureSubjects();
  const user = await createUser("student", name);
  const application = await submitApplication(
    getDb(),
    getPrivateStorage(),
    user.id,
    applicationFields({ displayName: name, ...overrides }),
    { bytes: tinyPdf(), name: "certificate.pdf" },
  );
  return { user, application };
}

/**
 * Points PRIVATE_UPLOADS_DIR at a temporary directory for a test file (call at top level):
 * certificates written by tests never land in the working tree.
 */
export async function usePrivateUploadsDir(): Promise<{ dir: string; restore(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "halfhour-private-uploads-"));
  process.env.PRIVATE_UPLOADS_DIR = dir;
  return {
    dir,
    async restore() {
      delete process.env.PRIVATE_UPLOADS_DIR;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
