import path from "node:path";
import { localDirectoryStorage } from "./localDirectory";
import type { ObjectStorage } from "./port";

/**
 * Uploads directory: `UPLOADS_DIR`, else `public/uploads`. Files are served by
 * app/uploads/[...path]/route.ts, because Next.js serves only what was in `public/` at build.
 */
export function uploadsDirectory(): string {
  const configured = process.env.UPLOADS_DIR;
  // Resolved at run time; the ignore comment keeps Turbopack from tracing the whole project.
  return configured
    ? path.resolve(/* turbopackIgnore: true */ configured)
    : path.join(/* turbopackIgnore: true */ process.cwd(), "public", "uploads");
}

/** The storage for uploads. Read per call (cheap), so tests can point UPLOADS_DIR elsewhere. */
export function getStorage(): ObjectStorage {
  return localDirectoryStorage(uploadsDirectory());
}

/** URL path under which an upload is served. */
export const uploadUrl = (key: string) => `/uploads/${key}`;
