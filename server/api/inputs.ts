import { z } from "zod";
import { isSnowflakeId } from "../ids/snowflake";

/** Shared input fields, so every procedure rejects a malformed id the same way. */
export const snowflakeId = (what: string) =>
  z.string().refine(isSnowflakeId, { message: `Expected a ${what} id (digits)` });

export const teacherId = snowflakeId("teacher");

export const subjectSlug = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, { message: 'Expected a subject such as "mathematics"' });

export const pageNumber = z.coerce.number().int().min(1).max(10_000).default(1);
