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

/**
 * Private uploads (teachers' certificates): `PRIVATE_UPLOADS_DIR`, else `private-uploads` in
 * the app's data directory (`EMBEDDED_DATA_DIR`, default `.data`). Never under `public/`:
 * Next.js would serve anything there that existed at build time, and the uploads route would
 * be the only gate. These files are read only through a route that checks who is asking.
 */
export function privateUploadsDirectory(): string {
  const configured = process.env.PRIVATE_UPLOADS_DIR;
  if (configured) return path.resolve(/* turbopackIgnore: true */ configured);
  const dataDir = process.env.EMBEDDED_DATA_DIR || ".data";
  return path.resolve(/* turbopackIgnore: true */ dataDir, "private-uploads");
}

/** The storage for private uploads; read per call like `getStorage`. */
export function getPrivateStorage(): ObjectStorage {
  return localDirectoryStorage(privateUploadsDirectory());
}

/** URL path under which an upload is served. */
export const uploadUrl = (key: string) => `/uploads/${key}`;
