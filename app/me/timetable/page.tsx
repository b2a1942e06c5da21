import type { Metadata } from "next";
import Link from "next/link";
import { CalendarFeedPanel } from "../../_components/CalendarFeedPanel";
import { StudentAreaGate } from "../../_components/StudentAreaGate";
import { Timetable } from "../../_components/Timetable";

export const metadata: Metadata = { title: "Your timetable" };

/** The student's lessons with every teacher; static shell, everything personal loads after. */
export default function StudentTimetablePage() {
  return (
    <div className="page">
      <h1>Your timetable</h1>
      <StudentAreaGate
        path="/me/timetable"
        purpose="see your lessons"
        forbidden={
          <>
            This timetable is for students. Teachers find their lessons in the{" "}
            <Link href="/dashboard/timetable">teacher timetable</Link>.
          </>
        }
      >
        <Timetable viewer="student" />
        <CalendarFeedPanel />
      </StudentAreaGate>
    </div>
  );
}
