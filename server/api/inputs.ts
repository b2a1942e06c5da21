import { z } from "zod";
import { isSnowflakeId } from "../ids/snowflake";
import type { WeeklyWindow } from "../inventory/weeklyAvailability";

/** Shared input fields, so every procedure rejects a malformed id the same way. */
export const snowflakeId = (what: string) =>
  z.string().refine(isSnowflakeId, { message: `Expected a ${what} id (digits)` });

export const teacherId = snowflakeId("teacher");

export const subjectSlug = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, { message: 'Expected a subject such as "mathematics"' });

export const pageNumber = z.coerce.number().int().min(1).max(10_000).default(1);

/** A calendar date, "YYYY-MM-DD", that exists. */
export const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "Expected a date as YYYY-MM-DD" })
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
      new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      message: "No such date",
    },
  );

/** A wall-clock time on the hour or half hour; "24:00" ends a window at midnight. */
export const wallTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[03]0|24:00)$/, { message: "Use HH:MM on the hour or half hour" });

export const weeklyWindow = z
  .object({
    weekday: z
      .number()
      .int()
      .min(1)
      .max(7)
      .transform((n) => n as WeeklyWindow["weekday"]),
    start: wallTime,
    end: wallTime,
  })
  .refine((w) => w.start < w.end, { message: "The window ends before it starts", path: ["end"] });

/** Consecutive half hours: a start instant and how many. */
export const slotRangeInput = (maxSlots: number) =>
  z.object({
    start: z.date({ message: "Expected a start time" }),
    slots: z.number().int().min(1).max(maxSlots),
  });
