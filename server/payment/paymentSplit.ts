/** How the payer chose to pay: wallet only, gateway only, or wallet first and gateway for the rest. */
export type PaymentMethod = "wallet" | "gateway" | "mixed";

export interface PaymentItem {
  /** The trade order this line pays. */
  orderId: string;
  /** What the order asks for, in minor units (its payable amount). */
  amount: number;
}

export interface PaymentSplit {
  /** Sum of the items. */
  itemsTotal: number;
  /** Discount applied at payment (coupons arrive with marketing); never above the total. */
  discount: number;
  /** itemsTotal − discount. */
  total: number;
  /** Taken from the wallet, in the payment's own transaction. */
  fromWallet: number;
  /** Collected by the gateway. */
  fromGateway: number;
}

export class PaymentSplitError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "PaymentSplitError";
  }
}

const isMinorUnits = (n: number) => Number.isSafeInteger(n) && n >= 0;

/**
 * The amounts of one payment order over one or more trade orders (combined checkout), all in
 * integer minor units of one currency. The discount line is where coupon discounts will
 * enter; the wallet pays first in a mixed payment; a wallet-only payment must be covered by
 * the balance.
 */
export function splitPayment(input: {
  items: readonly PaymentItem[];
  method: PaymentMethod;
  walletBalance: number;
  discount?: number;
}): PaymentSplit {
  if (input.items.length === 0) throw new PaymentSplitError("Nothing to pay", "items");
  const ids = new Set(input.items.map((i) => i.orderId));
  if (ids.size !== input.items.length) {
    throw new PaymentSplitError("An order appears twice in one payment", "items");
  }
  for (const item of input.items) {
    if (!isMinorUnits(item.amount)) {
      throw new PaymentSplitError(`Bad amount for order ${item.orderId}`, "items");
    }
  }
  if (!isMinorUnits(input.walletBalance)) {
    throw new PaymentSplitError("Bad wallet balance", "walletBalance");
  }
  const discountAsked = input.discount ?? 0;
  if (!isMinorUnits(discountAsked)) throw new PaymentSplitError("Bad discount", "discount");
  const itemsTotal = input.items.reduce((sum, i) => sum + i.amount, 0);
  const discount = Math.min(discountAsked, itemsTotal);
  const total = itemsTotal - discount;
  let fromWallet = 0;
  if (input.method === "wallet") {
    if (input.walletBalance < total) {
      throw new PaymentSplitError("Not enough balance in your wallet", "method");
    }
    fromWallet = total;
  } else if (input.method === "mixed") {
    fromWallet = Math.min(input.walletBalance, total);
  }
  return { itemsTotal, discount, total, fromWallet, fromGateway: total - fromWallet };
}
