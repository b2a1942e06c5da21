import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isSnowflakeId } from "@/server/ids/snowflake";
import { TeacherOrderDetail } from "../../../_components/TeacherOrders";

export const metadata: Metadata = { title: "Order" };

/** The page is a shell: the order loads in the browser with the teacher's session. */
export default async function TeacherOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isSnowflakeId(id)) notFound();
  return (
    <div className="page">
      <p className="small">
        <Link href="/dashboard/orders">← All orders</Link>
      </p>
      <h1>Order</h1>
      <TeacherOrderDetail orderId={id} />
    </div>
  );
}
