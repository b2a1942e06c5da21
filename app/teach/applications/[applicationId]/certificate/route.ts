import { getDb } from "@/db/client";
import { currentSession } from "@/server/auth";
import {
  certificateRefusal,
  certificateResponse,
  readCertificate,
} from "@/server/onboarding/certificates";
import { getPrivateStorage } from "@/server/storage";

/**
 * A teacher application's certificate, for its applicant and for admins only (404 for anyone
 * else, 401 when signed out). Private uploads live outside `public/`; /uploads never serves them.
 */
export async function GET(
  _req: Request,
  { params }: { params: Promise<{ applicationId: string }> },
) {
  const { applicationId } = await params;
  const session = await currentSession();
  try {
    const file = await readCertificate(
      getDb(),
      getPrivateStorage(),
      session?.user ?? null,
      applicationId,
    );
    return certificateResponse(file);
  } catch (error) {
    return certificateRefusal(error);
  }
}
