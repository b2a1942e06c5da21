/**
 * Where uploaded files live. The default adapter is a local directory; an object store (S3,
 * R2, GCS) implements the same two calls. Keys are relative paths such as `<sha256>.png`.
 */
export interface StoredObject {
  bytes: Uint8Array;
  contentType: string;
}

export interface ObjectStorage {
  /** Stores the bytes under `key`; writing the same key again with the same bytes is harmless. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The object, or null when there is none under `key`. */
  get(key: string): Promise<StoredObject | null>;
}

/** A relative key of plain segments: no `..`, no absolute paths, no backslashes. */
export function isSafeStorageKey(key: string): boolean {
  if (key.length === 0 || key.length > 200) return false;
  return key
    .split("/")
    .every((segment) => /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(segment) && !segment.includes(".."));
}
