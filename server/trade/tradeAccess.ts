import type { Transaction } from "../../db/client";
import { DomainError } from "../domainError";
import { lockOrder, type OrderRow } from "./orderRecords";

/**
 * Who may see and act on a trade record (an order or one of its lessons): the one place that
 * decides it. A record that is not the caller's is "not found", never "forbidden", so ids of
 * other people's orders reveal nothing.
 */

/** Whose record it must be: its student's, its teacher's, or anyone's (an admin, the system). */
export type TradeParty = { studentId: string } | { teacherId: string } | "any";

/** Who is acting on a lesson: the student who booked it, its teacher, or an administrator. */
export type TradeActor =
  | { role: "student"; userId: string }
  | { role: "teacher"; teacherId: string }
  | { role: "admin"; userId: string };

interface TradeRecord {
  studentId: string;
  teacherId: string;
}

/** Whether the record is the party's: its student's, its teacher's, or anyone's for "any". */
export function isPartyTo(record: TradeRecord, party: TradeParty): boolean {
  if (party === "any") return true;
  return "studentId" in party
    ? record.studentId === party.studentId
    : record.teacherId === party.teacherId;
}

export function partyOf(actor: TradeActor): TradeParty {
  if (actor.role === "student") return { studentId: actor.userId };
  if (actor.role === "teacher") return { teacherId: actor.teacherId };
  return "any";
}

/** Whether the actor is a party to the lesson (admins act on any). */
export function actsOn(actor: TradeActor, lesson: TradeRecord): boolean {
  return isPartyTo(lesson, partyOf(actor));
}

/** The order when it exists and is the party's; else "No such order". */
export function orderOf<T extends TradeRecord>(order: T | null | undefined, party: TradeParty): T {
  if (!order || !isPartyTo(order, party)) {
    throw new DomainError("not_found", "No such order", "orderId");
  }
  return order;
}

/** The lesson when it exists and is the party's; else "No such lesson". */
export function lessonOf<T extends TradeRecord>(
  lesson: T | null | undefined,
  party: TradeParty,
): T {
  if (!lesson || !isPartyTo(lesson, party)) {
    throw new DomainError("not_found", "No such lesson", "lessonId");
  }
  return lesson;
}

/** Locks the order for the rest of the transaction; not found unless it is the party's. */
export async function lockOrderOf(
  tx: Transaction,
  orderId: string,
  party: TradeParty,
): Promise<OrderRow> {
  return orderOf(await lockOrder(tx, orderId), party);
}
