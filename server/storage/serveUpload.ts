import type { ObjectStorage } from "./port";

/** Upload keys are content hashes with an image extension; nothing else is ever served. */
const UPLOAD_KEY = /^[0-9a-f]{64}\.(jpg|png|webp)$/;

export const isUploadKey = (key: string) => UPLOAD_KEY.test(key);

const notFound = () =>
  new Response("Not found", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

/**
 * The response for `/uploads/<segments>`. Keys name their content (sha256), so a URL's bytes
 * never change and may be cached for a year. `nosniff` and a sandboxing CSP keep a stored file
 * from ever running as a page.
 */
export async function serveUpload(storage: ObjectStorage, segments: string[]): Promise<Response> {
  if (segments.length !== 1 || !isUploadKey(segments[0]!)) return notFound();
  const object = await storage.get(segments[0]!);
  if (!object) return notFound();
  return new Response(new Blob([object.bytes as Uint8Array<ArrayBuffer>]), {
    status: 200,
    headers: {
      "content-type": object.contentType,
      "content-length": String(object.bytes.byteLength),
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}
