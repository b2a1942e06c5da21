import type { Metadata } from "next";
import Link from "next/link";
import { TeacherOrderList } from "../../_components/TeacherOrders";

export const metadata: Metadata = { title: "Your students' orders" };

export default function TeacherOrdersPage() {
  return (
    <div className="page">
      <p className="small">
        <Link href="/dashboard">← Dashboard</Link>
      </p>
      <h1>Your students' orders</h1>
      <TeacherOrderList />
    </div>
  );
}
