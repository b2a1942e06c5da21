/** The rows of the checkout summary an error can sit beside. */
export type SummaryRow = "teacher" | "course" | "purchase" | "lesson";

/** A failed call as the page needs it: the server's message, status and field errors. */
export interface CallFailure {
  message: string;
  httpStatus?: number;
  fieldErrors?: Record<string, string[]> | null;
}

/**
 * Where and how a failed "Confirm order" is shown:
 * - `taken`: the lesson time was lost to someone else (or clashes with the student's own
 *   lesson): prominent, with the way back to the teacher's free times;
 * - `restart`: this checkout's order id cannot be used any more: start a new checkout;
 * - `signIn`: the session ended;
 * - `row`: a detail of the order is wrong: beside that row of the summary;
 * - `other`: anything else, prominent, by its message.
 */
export type CheckoutProblem =
  | { kind: "taken" | "restart" | "signIn" | "other"; message: string }
  | { kind: "row"; row: SummaryRow; message: string };

const ROW_OF_FIELD: Record<string, SummaryRow> = {
  teacherId: "teacher",
  courseId: "course",
  purchase: "purchase",
  "purchase.kind": "purchase",
  "purchase.hours": "purchase",
  "purchase.slots": "purchase",
  lesson: "lesson",
  "lesson.start": "lesson",
  "lesson.slots": "lesson",
  start: "lesson",
  slots: "lesson",
};

const LESSON_TIME_FIELDS = new Set(["start", "lesson.start"]);

export function checkoutProblem(failure: CallFailure): CheckoutProblem {
  const { message, httpStatus } = failure;
  const fields = Object.keys(failure.fieldErrors ?? {});
  if (httpStatus === 401) return { kind: "signIn", message };
  if (fields.includes("orderId")) return { kind: "restart", message };
  if (httpStatus === 409 && fields.some((f) => LESSON_TIME_FIELDS.has(f))) {
    return { kind: "taken", message };
  }
  if (httpStatus === 400 && fields.length === 1) {
    const row = ROW_OF_FIELD[fields[0]!];
    if (row) return { kind: "row", row, message: failure.fieldErrors![fields[0]!]!.join(" ") };
  }
  return { kind: "other", message };
}
