import { getDb } from "@/db/client";
import { getCache } from "@/server/cache";
import { checkHealth } from "@/server/health/checkHealth";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(getDb(), getCache());
  return Response.json(health, {
    status: health.ready ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
