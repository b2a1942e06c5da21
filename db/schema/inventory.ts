import { sql } from "drizzle-orm";
import { bit, date, integer, pgTable, primaryKey } from "drizzle-orm/pg-core";
import { createdAt, snowflake } from "./columns";
import { teachers } from "./identity";

/** Number of half-hour slots in a UTC day, and bits per slot state. */
export const SLOTS_PER_DAY = 48;
export const BITS_PER_SLOT = 2;

/**
 * One row per teacher per UTC day: 48 slot states of 2 bits each (seed 000), 48x fewer
 * rows than a row per slot. `bit(96)` rather than bytea or two bigints because Postgres
 * can mask and compare bit strings of equal length in SQL (`slots & mask = expected`),
 * which makes a range transition one compare-and-set UPDATE; slot i is bits 2i..2i+1.
 */
export const teacherDays = pgTable(
  "teacher_days",
  {
    teacherId: snowflake()
      .notNull()
      .references(() => teachers.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    slots: bit({ dimensions: SLOTS_PER_DAY * BITS_PER_SLOT })
      .notNull()
      .default(sql`repeat('0', 96)::bit(96)`),
    version: integer().notNull().default(0),
    updatedAt: createdAt(),
  },
  // The primary key serves every read (one teacher, a range of days); a second index on `day`
  // alone would double the table's index size for queries we do not make.
  (t) => [primaryKey({ columns: [t.teacherId, t.day] })],
);
