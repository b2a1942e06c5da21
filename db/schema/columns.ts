import { customType, timestamp } from "drizzle-orm/pg-core";
import { newId } from "../../server/ids/snowflake";

/**
 * A 64-bit time-ordered id (see server/ids/snowflake.ts). Stored as `bigint` so it indexes
 * and sorts like a number; typed as a decimal string in TypeScript because it exceeds
 * Number.MAX_SAFE_INTEGER and must survive JSON untouched.
 */
export const snowflake = customType<{ data: string; driverData: string | bigint | number }>({
  dataType: () => "bigint",
  fromDriver: (value) => String(value),
  toDriver: (value) => value,
});

/** Every instant is UTC `timestamptz`; the UI converts to the viewer's zone. */
export const instant = (name?: string) =>
  name
    ? timestamp(name, { withTimezone: true, mode: "date" })
    : timestamp({ withTimezone: true, mode: "date" });

export const createdAt = () => instant().notNull().defaultNow();

/** Primary key filled with a fresh time-ordered id when the insert does not name one. */
export const snowflakeKey = () => snowflake().primaryKey().$defaultFn(newId);
