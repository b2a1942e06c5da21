import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { isSafeStorageKey, type ObjectStorage } from "./port";

const CONTENT_TYPES: Record<string, string> = {
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
};

export const contentTypeOfKey = (key: string) =>
  CONTENT_TYPES[path.extname(key).toLowerCase()] ?? "application/octet-stream";

/**
 * Files in a local directory. Fine for one machine or a shared volume; several app instances
 * without a shared disk need an object-store adapter instead.
 */
export function localDirectoryStorage(root: string): ObjectStorage {
  const base = path.resolve(root);

  function fileOf(key: string): string {
    const file = path.resolve(base, key);
    if (!isSafeStorageKey(key) || !file.startsWith(base + path.sep)) {
      throw new Error(`Unsafe storage key: ${JSON.stringify(key)}`);
    }
    return file;
  }

  return {
    async put(key, bytes) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      // Write aside, then rename: a reader never sees half a file.
      const temp = `${file}.${randomUUID()}.tmp`;
      try {
        await writeFile(temp, bytes, { flag: "wx" });
        await rename(temp, file);
      } finally {
        await rm(temp, { force: true });
      }
    },

    async get(key) {
      let file: string;
      try {
        file = fileOf(key);
      } catch {
        return null;
      }
      try {
        if (!(await stat(file)).isFile()) return null;
        return { bytes: new Uint8Array(await readFile(file)), contentType: contentTypeOfKey(key) };
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return null;
        throw error;
      }
    },
  };
}
