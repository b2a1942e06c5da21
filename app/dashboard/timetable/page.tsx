import type { Metadata } from "next";
import Link from "next/link";
import { TeacherTimetable } from "../../_components/TeacherTimetable";

export const metadata: Metadata = { title: "Your timetable" };

export default function TeacherTimetablePage() {
  return (
    <div className="page">
      <p className="small">
        <Link href="/dashboard">← Dashboard</Link>
      </p>
      <h1>Your timetable</h1>
      <TeacherTimetable />
    </div>
  );
}
