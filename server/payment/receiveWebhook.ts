import type { Database, Executor } from "../../db/client";
import { gatewayCallbacks } from "../../db/schema";
import { tradeTransaction } from "../trade/tradeTransaction";
import { applyEventInTransaction, type CallbackOutcome } from "./applyGatewayEvent";
import type { GatewayEvent, GatewayName, GatewayProvider } from "./gateway";
import { gatewayNamed } from "./gateways";

export interface WebhookAnswer {
  /** The HTTP status for the gateway: 2xx stops its retries, 4xx alerts, 5xx retries. */
  status: number;
  /** Null when the gateway is unknown (nothing is stored). */
  outcome: CallbackOutcome | null;
}

const STATUS: Record<CallbackOutcome, number> = {
  applied: 200,
  duplicate: 200,
  ignored: 200,
  rejected: 400,
  failed: 500,
};

/** The header each gateway signs with, kept with the stored callback. */
const SIGNATURE_HEADERS: Record<GatewayName, string> = {
  sandbox: "x-sandbox-signature",
  stripe: "stripe-signature",
};

const transactionOf = (event: GatewayEvent) =>
  event.kind === "ignored" ? null : event.transactionId;

async function store(
  db: Executor,
  row: {
    gateway: string;
    rawBody: string;
    signature: string | null;
    event: GatewayEvent | null;
    paymentId: string | null;
    outcome: CallbackOutcome;
    reason: string | null;
    now: Date;
  },
) {
  await db.insert(gatewayCallbacks).values({
    gateway: row.gateway,
    transactionId: row.event ? transactionOf(row.event) : null,
    paymentId: row.paymentId,
    rawBody: row.rawBody,
    signature: row.signature,
    receivedAt: row.now,
    outcome: row.outcome,
    reason: row.reason?.slice(0, 500) ?? null,
  });
}

/**
 * A gateway's callback, as the webhook receives it (issue 6). An unknown gateway is a 404.
 * Otherwise the callback is always stored in gateway_callbacks with what became of it: a
 * callback that fails verification (bad signature, malformed) in its own insert, answered
 * 400, nothing else changing; a verified one in the same transaction that applies it
 * (applyEventInTransaction), so the record and the effect commit together. Duplicates,
 * applications and events we ignore answer 200; rejections (unknown payment, wrong amount or
 * currency) 400, so the gateway alerts; an internal error is stored as `failed` and answered
 * 500, so the gateway retries.
 */
export async function receiveWebhook(
  db: Database,
  gatewayName: string,
  rawBody: string,
  headers: Headers,
  now = new Date(),
  provider: GatewayProvider | null = gatewayNamed(gatewayName),
): Promise<WebhookAnswer> {
  if (!provider) return { status: 404, outcome: null };
  const base = {
    gateway: provider.name,
    rawBody,
    signature: headers.get(SIGNATURE_HEADERS[provider.name]),
    now,
  };
  const verdict = provider.verifyWebhook(rawBody, headers, now);
  if (!verdict.ok) {
    await store(db, {
      ...base,
      event: null,
      paymentId: null,
      outcome: "rejected",
      reason: verdict.reason,
    });
    return { status: 400, outcome: "rejected" };
  }
  const { event } = verdict;
  try {
    const applied = await tradeTransaction(db, async (tx) => {
      const result = await applyEventInTransaction(tx, provider.name, event, now);
      await store(tx, { ...base, event, ...result });
      return result;
    });
    return { status: STATUS[applied.outcome], outcome: applied.outcome };
  } catch (error) {
    console.error(`payment webhook (${provider.name}) failed`, error);
    await store(db, {
      ...base,
      event,
      paymentId: null,
      outcome: "failed",
      reason: error instanceof Error ? error.message : String(error),
    });
    return { status: STATUS.failed, outcome: "failed" };
  }
}
