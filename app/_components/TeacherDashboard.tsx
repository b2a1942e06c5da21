"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../_trpc/client";
import { TeacherAreaNotice } from "./TeacherAreaNotice";

const STATUS_TEXT = {
  applied: "Your application is being reviewed.",
  approved: "Approved: your studio is public and you can sell lessons.",
  rejected: "Your application was not approved.",
  suspended: "Your studio is suspended.",
} as const;

export function TeacherDashboard() {
  const trpc = useTRPC();
  const me = useQuery(trpc.teachers.me.queryOptions());

  if (me.isPending)
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  if (me.isError) {
    return (
      <TeacherAreaNotice
        error={me.error}
        path="/dashboard"
        purpose="see your dashboard"
        forbidden="The dashboard is for teachers."
      />
    );
  }
  const t = me.data;
  return (
    <div className="card" data-testid="teacher-dashboard">
      <h2>{t.displayName}</h2>
      <p>{t.headline}</p>
      <p>
        <span className="badge">{t.status}</span> {STATUS_TEXT[t.status]}
        {t.statusReason ? ` ${t.statusReason}` : ""}
      </p>
      <p className="muted">
        {t.activeCourses} active courses · {t.ratingCount} reviews · availability published on{" "}
        {t.publishedDays} upcoming days · planning in {t.timeZone}
      </p>
      <p>
        <Link href="/dashboard/schedule">Manage your schedule →</Link>
        {" · "}
        <Link href="/dashboard/timetable">Your timetable →</Link>
        {" · "}
        <Link href="/dashboard/orders">Students' orders →</Link>
        {" · "}
        <Link href="/dashboard/earnings">Earnings →</Link>
        {" · "}
        <Link href="/dashboard/promotions">Promotions →</Link>
        {" · "}
        <Link href="/dashboard/coupons">Coupons →</Link>
        {" · "}
        <Link href="/dashboard/profile">Edit profile →</Link>
      </p>
      {t.status === "approved" && <Link href={`/teachers/${t.id}`}>View your public studio →</Link>}
    </div>
  );
}
