import type { Metadata } from "next";
import { TeacherDashboard } from "../_components/TeacherDashboard";

export const metadata: Metadata = { title: "Teacher dashboard" };

export default function DashboardPage() {
  return (
    <div className="page">
      <h1>Teacher dashboard</h1>
      <TeacherDashboard />
    </div>
  );
}
