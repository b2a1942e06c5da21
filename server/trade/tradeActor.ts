/** Who is acting on a lesson: the student who booked it, its teacher, or an administrator. */
export type TradeActor =
  | { role: "student"; userId: string }
  | { role: "teacher"; teacherId: string }
  | { role: "admin"; userId: string };

/** Whether the actor is a party to the lesson (admins act on any). */
export function actsOn(actor: TradeActor, lesson: { studentId: string; teacherId: string }) {
  if (actor.role === "student") return lesson.studentId === actor.userId;
  if (actor.role === "teacher") return lesson.teacherId === actor.teacherId;
  return true;
}
