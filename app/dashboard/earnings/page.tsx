import type { Metadata } from "next";
import Link from "next/link";
import { TeacherEarnings } from "../../_components/TeacherEarnings";

export const metadata: Metadata = { title: "Your earnings" };

export default function TeacherEarningsPage() {
  return (
    <div className="page">
      <p className="small">
        <Link href="/dashboard">← Dashboard</Link>
      </p>
      <h1>Your earnings</h1>
      <TeacherEarnings />
    </div>
  );
}
