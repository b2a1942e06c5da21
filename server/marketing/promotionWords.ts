import type { PromotionRule } from "./priceCalculator";

const money = (minor: number, currency: string) =>
  new Intl.NumberFormat("en", { style: "currency", currency }).format(minor / 100);
const percent = (bps: number) => `${Number((bps / 100).toFixed(2))}%`;

/** What a promotion gives, in a few words for the studio widget and the back office (pure). */
export function promotionWords(rule: PromotionRule, currency: string): string {
  switch (rule.kind) {
    case "percent_off":
      return `${percent(rule.percentBps)} off`;
    case "amount_off":
      return `${money(rule.amountOff, currency)} off`;
    case "first_lesson_price":
      return `First lesson ${money(rule.price, currency)} for new students`;
    case "package_discount":
      return `${percent(rule.percentBps)} off packages of ${rule.minHours} h or more`;
  }
}
