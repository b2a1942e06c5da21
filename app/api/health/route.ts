import { getDb } from "@/db/client";
import { getCache } from "@/server/cache";
import { checkHealth, healthHttpStatus } from "@/server/health/checkHealth";

export const dynamic = "force-dynamic";

/** `{ status: "ok" | "degraded" | "down", database, cache }`; 503 only when "down". */
export async function GET() {
  const health = await checkHealth(getDb(), getCache());
  return Response.json(health, {
    status: healthHttpStatus(health),
    headers: { "cache-control": "no-store" },
  });
}
