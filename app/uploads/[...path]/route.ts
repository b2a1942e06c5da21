import { getStorage } from "@/server/storage";
import { serveUpload } from "@/server/storage/serveUpload";

/** Uploaded files (teacher photos), read through the storage port; see server/storage/. */
export async function GET(_req: Request, { params }: { params: Promise<{ path: string[] }> }) {
  return serveUpload(getStorage(), (await params).path);
}
