import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import type { Executor } from "../../db/client";
import { teacherApplications } from "../../db/schema";
import { DomainError } from "../domainError";
import type { AppSession } from "../identity/session";
import { isSnowflakeId } from "../ids/snowflake";
import type { ObjectStorage } from "../storage/port";
import {
  CERTIFICATE_EMPTY,
  CERTIFICATE_EXTENSIONS,
  CERTIFICATE_MAX_BYTES,
  CERTIFICATE_TOO_LARGE,
  CERTIFICATE_WRONG_TYPE,
  type CertificateMime,
  isCertificateMime,
} from "./applicationRules";

/** Where an application's certificate is read, for the applicant and for admins. */
export const certificateUrl = (applicationId: string) =>
  `/teach/applications/${applicationId}/certificate`;

/** PDF, PNG or JPEG as read from the bytes; an invalid DomainError about `certificate` otherwise. */
export async function checkCertificate(
  bytes: Uint8Array,
): Promise<{ mime: CertificateMime; extension: string }> {
  if (bytes.byteLength === 0) throw new DomainError("invalid", CERTIFICATE_EMPTY, "certificate");
  if (bytes.byteLength > CERTIFICATE_MAX_BYTES) {
    throw new DomainError("invalid", CERTIFICATE_TOO_LARGE, "certificate");
  }
  const detected = await fileTypeFromBuffer(bytes);
  if (!isCertificateMime(detected?.mime)) {
    throw new DomainError("invalid", CERTIFICATE_WRONG_TYPE, "certificate");
  }
  return { mime: detected.mime, extension: CERTIFICATE_EXTENSIONS[detected.mime] };
}

/**
 * Stores a checked certificate in the private storage under a random key (not its hash: two
 * applicants with the same file get two objects, and a key reveals nothing about the file).
 */
export async function storeCertificate(
  storage: ObjectStorage,
  bytes: Uint8Array,
  file: { mime: CertificateMime; extension: string },
): Promise<string> {
  const key = `certificates/${randomUUID()}.${file.extension}`;
  await storage.put(key, bytes, file.mime);
  return key;
}

export interface CertificateFile {
  bytes: Uint8Array;
  contentType: CertificateMime;
  downloadName: string;
}

/**
 * An application's certificate, for its applicant or an admin. Anyone else — and a missing
 * application or file — gets not_found, so application ids are not revealed.
 */
export async function readCertificate(
  db: Executor,
  storage: ObjectStorage,
  viewer: AppSession["user"] | null,
  applicationId: string,
): Promise<CertificateFile> {
  if (!viewer) throw new DomainError("unauthenticated", "Sign in to see this certificate");
  if (!isSnowflakeId(applicationId)) throw new DomainError("not_found", "No such certificate");
  const [application] = await db
    .select({
      userId: teacherApplications.userId,
      key: teacherApplications.certificateKey,
      type: teacherApplications.certificateType,
    })
    .from(teacherApplications)
    .where(eq(teacherApplications.id, applicationId))
    .limit(1);
  const allowed = application && (viewer.role === "admin" || viewer.id === application.userId);
  if (!allowed || !isCertificateMime(application.type)) {
    throw new DomainError("not_found", "No such certificate");
  }
  const object = await storage.get(application.key);
  if (!object) throw new DomainError("not_found", "No such certificate");
  const extension = CERTIFICATE_EXTENSIONS[application.type];
  return {
    bytes: object.bytes,
    contentType: application.type,
    downloadName: `certificate-${applicationId}.${extension}`,
  };
}

/**
 * The HTTP answer for a certificate: never cached by anyone but the viewer's browser, never
 * sniffed, sandboxed. Images open in the browser; a PDF is downloaded, so a script inside it
 * never runs in a viewer on our origin.
 */
export function certificateResponse(file: CertificateFile): Response {
  const disposition = file.contentType === "application/pdf" ? "attachment" : "inline";
  return new Response(new Blob([file.bytes as Uint8Array<ArrayBuffer>]), {
    status: 200,
    headers: {
      "content-type": file.contentType,
      "content-length": String(file.bytes.byteLength),
      "content-disposition": `${disposition}; filename="${file.downloadName}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}

/** The answer when the certificate cannot be shown (not signed in, not allowed, missing). */
export function certificateRefusal(error: unknown): Response {
  const kind = error instanceof DomainError ? error.kind : null;
  if (kind !== "unauthenticated" && kind !== "not_found") throw error;
  return new Response(kind === "unauthenticated" ? "Sign in to see this file" : "Not found", {
    status: kind === "unauthenticated" ? 401 : 404,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
