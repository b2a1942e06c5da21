import { getDb } from "@/db/client";
import { receiveWebhook } from "@/server/payment/receiveWebhook";

// Every callback is handled as it arrives: never prerendered, never cached.
export const dynamic = "force-dynamic";

const answer = (status: number, body: Record<string, unknown>) =>
  Response.json(body, { status, headers: { "cache-control": "no-store" } });

/**
 * A payment gateway's callback (issue 6): the raw body is verified by the gateway named in
 * the path, stored, and applied at most once (server/payment/receiveWebhook.ts). Bad input is
 * a 4xx; only a failure on our side is a 5xx, so the gateway retries.
 */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ provider: string }> },
) {
  const { provider } = await params;
  let rawBody: string;
  try {
    rawBody = await request.text();
  } catch {
    return answer(400, { received: false, outcome: "rejected" });
  }
  try {
    const { status, outcome } = await receiveWebhook(getDb(), provider, rawBody, request.headers);
    if (!outcome) return answer(status, { received: false, error: "Unknown payment gateway" });
    return answer(status, { received: true, outcome });
  } catch (error) {
    console.error("payment webhook failed", error);
    return answer(503, { received: false, error: "Try again later" });
  }
}
