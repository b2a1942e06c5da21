import type { LedgerReferenceKind } from "../ledger/ledgerPosting";

/** What a wallet statement line was, for the student (pure: the statement and its CSV). */
export type WalletLineKind = "top_up" | "payment" | "refund" | "card_to_wallet" | "other";

export interface WalletLineWords {
  kind: WalletLineKind;
  description: string;
  /** The order the line is about, when there is one (the page links it). */
  orderId: string | null;
  /** Why, when the ledger says (a refund's reason). */
  note: string | null;
}

/** The payment a posting references, as far as the words need it. */
export interface ReferencedPayment {
  purpose: "orders" | "top_up";
  orderIds: string[];
}

const ORDER_PURPOSE = /^order (\d+)$/;

/**
 * A wallet ledger line in words: a top-up, a payment for lessons (with its order), a refund to
 * the wallet with its reason, a card payment returned because the wallet no longer covered
 * its part. `payment` is the payment the posting's reference names, when it is one.
 */
export function describeWalletLine(
  line: { referenceKind: LedgerReferenceKind; purpose: string; memo: string | null },
  payment: ReferencedPayment | null,
): WalletLineWords {
  const memo = line.memo?.trim() || null;
  if (line.referenceKind === "top_up" || payment?.purpose === "top_up") {
    return { kind: "top_up", description: "Wallet top-up", orderId: null, note: null };
  }
  if (line.referenceKind === "refund") {
    const order = ORDER_PURPOSE.exec(line.purpose)?.[1] ?? payment?.orderIds[0] ?? null;
    return { kind: "refund", description: "Refund to your wallet", orderId: order, note: memo };
  }
  if (line.referenceKind === "payment" && line.purpose === "capture") {
    const count = payment?.orderIds.length ?? 0;
    return {
      kind: "payment",
      description: count > 1 ? `Payment for lessons (${count} orders)` : "Payment for lessons",
      orderId: payment?.orderIds[0] ?? null,
      note: null,
    };
  }
  if (line.referenceKind === "payment") {
    return {
      kind: "card_to_wallet",
      description: "Card payment credited to your wallet",
      orderId: payment?.orderIds[0] ?? null,
      note: memo,
    };
  }
  return { kind: "other", description: memo ?? "Adjustment", orderId: null, note: null };
}
