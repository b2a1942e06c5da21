"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";
import { CalendarFeedPanel } from "./CalendarFeedPanel";
import { TeacherAreaNotice } from "./TeacherAreaNotice";
import { Timetable } from "./Timetable";

/** /dashboard/timetable: the teacher's lessons with all students, and their calendar feed. */
export function TeacherTimetable() {
  const trpc = useTRPC();
  const me = useQuery(trpc.teachers.me.queryOptions());
  if (me.isPending)
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  if (me.isError) {
    return (
      <TeacherAreaNotice
        error={me.error}
        path="/dashboard/timetable"
        purpose="see your lessons"
        forbidden="This timetable is for teachers. Students find their lessons under Timetable in the menu."
      />
    );
  }
  return (
    <>
      <Timetable viewer="teacher" otherZones={[me.data.timeZone]} />
      <CalendarFeedPanel />
    </>
  );
}
