import type { Executor } from "../../db/client";
import { activeCourses, approvedTeacher } from "./teacherStudio";

/**
 * The live price of each course and package. Fetched by the studio page's client widget, so
 * price changes (and, later, promotions) show without rebuilding the static page.
 */
export async function getPriceCard(db: Executor, teacherId: string) {
  await approvedTeacher(db, teacherId);
  const rows = await activeCourses(db, teacherId);
  return rows.map((c) => ({
    courseId: c.id,
    title: c.title,
    pricePerHour: c.pricePerHour,
    currency: c.currency,
    packages: [...c.packageHours]
      .sort((a, b) => a - b)
      .map((hours) => ({ hours, amount: hours * c.pricePerHour })),
  }));
}
