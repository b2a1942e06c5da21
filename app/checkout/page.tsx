import type { Metadata } from "next";
import { CheckoutView } from "../_components/CheckoutView";

export const metadata: Metadata = { title: "Checkout", robots: { index: false } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Checkout. Rendered per request (it reads its query), with its data fetched in the browser:
 * the teacher's live prices, then an order id issued for this checkout.
 */
export default async function CheckoutPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <div className="page checkout-page">
      <h1>Checkout</h1>
      <CheckoutView params={params} />
    </div>
  );
}
