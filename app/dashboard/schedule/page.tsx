import type { Metadata } from "next";
import Link from "next/link";
import { ScheduleEditor } from "../../_components/ScheduleEditor";

export const metadata: Metadata = { title: "Your schedule" };

export default function SchedulePage() {
  return (
    <div className="page">
      <p className="small">
        <Link href="/dashboard">← Dashboard</Link>
      </p>
      <h1>Your schedule</h1>
      <ScheduleEditor />
    </div>
  );
}
