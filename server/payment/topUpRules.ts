import { PLATFORM_CURRENCY } from "../catalog/currency";

/** Currencies a wallet can be topped up in: the one Halfhour settles in. */
export const TOP_UP_CURRENCIES = [PLATFORM_CURRENCY] as const;

/** Per top-up, in the currency's major unit (5.00 to 2,000.00). */
export const TOP_UP_MIN_MAJOR = 5;
export const TOP_UP_MAX_MAJOR = 2_000;

/** Digits after the decimal point of a currency (USD 2, JPY 0), as ISO 4217 says. */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/** The top-up limits of a currency in minor units. */
export function topUpLimits(currency: string): { min: number; max: number } {
  const unit = 10 ** minorDigits(currency);
  return { min: TOP_UP_MIN_MAJOR * unit, max: TOP_UP_MAX_MAJOR * unit };
}

export type TopUpProblem = { field: "amount" | "currency"; message: string };

/** Why a top-up of `amount` minor units in `currency` is refused; null when it is fine. */
export function topUpProblem(amount: number, currency: string): TopUpProblem | null {
  if (!(TOP_UP_CURRENCIES as readonly string[]).includes(currency)) {
    return {
      field: "currency",
      message: `Wallets are topped up in ${TOP_UP_CURRENCIES.join(", ")}`,
    };
  }
  const { min, max } = topUpLimits(currency);
  if (!Number.isSafeInteger(amount) || amount < min || amount > max) {
    const fmt = (minor: number) =>
      new Intl.NumberFormat("en-US", { style: "currency", currency }).format(
        minor / 10 ** minorDigits(currency),
      );
    return {
      field: "amount",
      message: `A top-up is between ${fmt(min)} and ${fmt(max)}`,
    };
  }
  return null;
}
