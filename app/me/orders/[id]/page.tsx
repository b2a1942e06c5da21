import type { Metadata } from "next";
import Link from "next/link";
import { OrderDetail } from "../../../_components/OrderDetail";

export const metadata: Metadata = { title: "Order" };

type Params = Promise<{ id: string }>;

/** One order; its data is the student's own, fetched in the browser. */
export default async function OrderPage({ params }: { params: Params }) {
  const { id } = await params;
  return (
    <div className="page">
      <p className="small">
        <Link href="/me/orders">← Your orders</Link>
      </p>
      <h1>Order</h1>
      <OrderDetail orderId={id} />
    </div>
  );
}
