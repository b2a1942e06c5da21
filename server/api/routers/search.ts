import { z } from "zod";
import { listTeachingLanguages, SEARCH_SORTS, searchTeachers } from "../../catalog/searchTeachers";
import { subjectSlug, wallTime } from "../inputs";
import { createTRPCRouter, publicProcedure, rateLimited } from "../trpc";

/** An IANA zone the runtime knows, e.g. "Europe/Paris". */
export const ianaTimeZone = z
  .string()
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return /^[A-Za-z0-9_+\-/]+$/.test(zone);
      } catch {
        return false;
      }
    },
    { message: 'Expected a time zone such as "Europe/Paris"' },
  );

/** Minor units per hour (cents). */
const pricePerHour = z
  .number({ message: "Expected a price in cents" })
  .int({ message: "Expected a whole number of cents" })
  .min(0, { message: "A price cannot be negative" })
  .max(100_000_000, { message: "That price is too high" });

export const searchTeachersInput = z
  .object({
    q: z.string().trim().max(100, { message: "Keep the search under 100 characters" }).optional(),
    subject: subjectSlug.optional(),
    minPricePerHour: pricePerHour.optional(),
    maxPricePerHour: pricePerHour.optional(),
    minRating: z
      .number({ message: "Expected a rating from 1 to 5" })
      .min(1, { message: "Expected a rating from 1 to 5" })
      .max(5, { message: "Expected a rating from 1 to 5" })
      .optional(),
    language: z
      .string()
      .trim()
      .regex(/^[\p{L}][\p{L} '-]{0,39}$/u, { message: 'Expected a language such as "English"' })
      .optional(),
    freeWithinDays: z
      .number()
      .int({ message: "Expected a whole number of days" })
      .min(1, { message: "Expected 1 to 14 days" })
      .max(14, { message: "Expected 1 to 14 days" })
      .optional(),
    timeOfDay: z
      .object({ from: wallTime, to: wallTime, timeZone: ianaTimeZone })
      .refine((w) => w.from !== "24:00", {
        message: "A window cannot start at 24:00",
        path: ["from"],
      })
      .refine((w) => w.from !== w.to, { message: "The window is empty", path: ["to"] })
      .optional(),
    sort: z
      .enum(SEARCH_SORTS, { message: `Expected one of ${SEARCH_SORTS.join(", ")}` })
      .optional(),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,512}$/, { message: "Not a cursor from a previous page" })
      .nullish(),
  })
  .refine(
    (s) =>
      s.minPricePerHour === undefined ||
      s.maxPricePerHour === undefined ||
      s.minPricePerHour <= s.maxPricePerHour,
    { message: "The maximum price is below the minimum", path: ["maxPricePerHour"] },
  );

export type SearchTeachersInput = z.input<typeof searchTeachersInput>;

export const searchRouter = createTRPCRouter({
  /** Approved teachers by text and filters, 12 per page, keyset-paginated by `cursor`. */
  teachers: publicProcedure
    .use(rateLimited("browse"))
    .input(searchTeachersInput)
    .query(({ ctx, input }) => searchTeachers(ctx.db, input)),

  /** Languages approved teachers teach in. */
  languages: publicProcedure.query(({ ctx }) => listTeachingLanguages(ctx.db)),
});
