import type { Metadata } from "next";
import { z } from "zod";
import { subjectSlug, wallTime } from "@/server/api/inputs";
import { publicCaller } from "@/server/api/publicCaller";
import { ianaTimeZone, type SearchTeachersInput } from "@/server/api/routers/search";
import { SEARCH_SORTS } from "@/server/catalog/searchTeachers";
import { SearchForm, type SearchFormValues } from "../_components/SearchForm";
import { SearchResults } from "../_components/SearchResults";

export const metadata: Metadata = { title: "Search teachers" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The URL's fields (what the form submits) and how each is read; whole currency units. */
const wholePrice = z.coerce
  .number()
  .int({ message: "Expected a whole number" })
  .min(0)
  .max(1_000_000);
const URL_FIELDS = {
  q: z.string().trim().max(100),
  subject: subjectSlug,
  minPrice: wholePrice,
  maxPrice: wholePrice,
  minRating: z.coerce.number().min(1).max(5),
  language: z
    .string()
    .trim()
    .regex(/^[\p{L}][\p{L} '-]{0,39}$/u),
  free: z.coerce.number().int().min(1).max(14),
  from: wallTime.refine((v) => v !== "24:00"),
  to: wallTime,
  tz: ianaTimeZone,
  sort: z.enum(SEARCH_SORTS),
} as const;
type UrlField = keyof typeof URL_FIELDS;
type Parsed = { [K in UrlField]?: z.output<(typeof URL_FIELDS)[K]> };

/** Reads every field on its own, so one bad field is named and dropped, not the whole search. */
function readParams(raw: Record<string, string | string[] | undefined>) {
  const values: SearchFormValues = {};
  const parsed: Parsed = {};
  const invalid: UrlField[] = [];
  for (const field of Object.keys(URL_FIELDS) as UrlField[]) {
    const value = raw[field];
    const text = Array.isArray(value) ? value[0] : value;
    if (text === undefined || text.trim() === "") continue;
    values[field] = text;
    const result = URL_FIELDS[field].safeParse(text);
    if (result.success) (parsed as Record<string, unknown>)[field] = result.data;
    else invalid.push(field);
  }
  if (
    parsed.minPrice !== undefined &&
    parsed.maxPrice !== undefined &&
    parsed.maxPrice < parsed.minPrice
  ) {
    invalid.push("maxPrice");
    parsed.maxPrice = undefined;
  }
  if ((parsed.from === undefined) !== (parsed.to === undefined) || parsed.from === parsed.to) {
    if (parsed.from !== undefined || parsed.to !== undefined) invalid.push("to");
    parsed.from = undefined;
    parsed.to = undefined;
  }
  const input: SearchTeachersInput = {
    q: parsed.q || undefined,
    subject: parsed.subject,
    minPricePerHour: parsed.minPrice === undefined ? undefined : parsed.minPrice * 100,
    maxPricePerHour: parsed.maxPrice === undefined ? undefined : parsed.maxPrice * 100,
    minRating: parsed.minRating,
    language: parsed.language,
    freeWithinDays: parsed.free,
    timeOfDay:
      parsed.from && parsed.to
        ? { from: parsed.from, to: parsed.to, timeZone: parsed.tz ?? "UTC" }
        : undefined,
    sort: parsed.sort,
  };
  return { values, input, invalid: [...new Set(invalid)] };
}

export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  const { values, input, invalid } = readParams(await searchParams);
  const api = publicCaller();
  const [subjects, languages, first] = await Promise.all([
    api.teachers.subjects(),
    api.search.languages(),
    api.search.teachers(input),
  ]);

  return (
    <div className="page">
      <section className="hero">
        <h1>Find a teacher</h1>
        <p className="muted">
          Search names, subjects (also in Chinese), course titles and bios; misspellings are fine.
        </p>
      </section>

      {invalid.length > 0 && (
        <p className="notice" role="alert">
          Some filters in the address were not understood ({invalid.join(", ")}), so they were
          ignored.
        </p>
      )}

      <SearchForm
        values={values}
        subjects={subjects}
        languages={languages}
        timeZone={input.timeOfDay?.timeZone}
      />

      <SearchResults
        key={JSON.stringify(input)}
        input={input}
        firstPage={first}
        subjects={Object.fromEntries(subjects.map((s) => [s.slug, s.name]))}
      />
    </div>
  );
}
