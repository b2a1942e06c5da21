import { getDb } from "@/db/client";
import { currentSession } from "@/server/auth";
import { walletStatementCsvResponse } from "@/server/payment/walletStatementCsv";

export const dynamic = "force-dynamic";

/** The student's wallet statement as CSV (see walletStatementCsvResponse). */
export async function GET(request: Request) {
  return walletStatementCsvResponse(getDb(), request, await currentSession());
}
