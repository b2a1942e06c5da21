import Link from "next/link";
import type { ReactNode } from "react";
import type { SearchSort } from "@/server/catalog/searchTeachers";
import { SearchTimeZoneField } from "./SearchTimeZoneField";

/** The raw URL values, echoed back into the form so a reload keeps every filter. */
export type SearchFormValues = Partial<
  Record<
    | "q"
    | "subject"
    | "minPrice"
    | "maxPrice"
    | "minRating"
    | "language"
    | "free"
    | "from"
    | "to"
    | "tz"
    | "sort",
    string
  >
>;

/** "" is the default: best match with a query, top rated without one. */
const SORT_OPTIONS: [SearchSort | "", string][] = [
  ["", "Best match"],
  ["rating", "Top rated"],
  ["price", "Lowest price"],
  ["soonest", "Soonest available"],
];

const RATINGS = ["3", "3.5", "4", "4.5"];

/** "00:00" … "23:30" (and "24:00" as an end). */
const halfHours = (withMidnightEnd: boolean) => {
  const times: string[] = [];
  for (let m = 0; m < 24 * 60; m += 30) {
    times.push(`${String(Math.floor(m / 60)).padStart(2, "0")}:${m % 60 === 0 ? "00" : "30"}`);
  }
  if (withMidnightEnd) times.push("24:00");
  return times;
};

/**
 * A plain GET form to /search: the URL is the state, so a search can be shared, bookmarked and
 * reloaded, and it works before (or without) JavaScript.
 */
export function SearchForm(props: {
  values: SearchFormValues;
  subjects: { slug: string; name: string; nameZh: string }[];
  languages: string[];
  timeZone?: string;
}) {
  const v = props.values;
  return (
    <search>
      <form action="/search" method="get" aria-label="Search teachers" className="card search-form">
        <Field id="search-q" label="Search" className="search-q">
          <input
            id="search-q"
            type="search"
            name="q"
            defaultValue={v.q ?? ""}
            placeholder="Name, subject, course… e.g. calculus, 钢琴"
            maxLength={100}
          />
        </Field>
        <Field id="search-subject" label="Subject">
          <select id="search-subject" name="subject" defaultValue={v.subject ?? ""}>
            <option value="">Any subject</option>
            {props.subjects.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name} · {s.nameZh}
              </option>
            ))}
          </select>
        </Field>
        <Field id="search-minPrice" label="Min price ($/h)">
          <input
            id="search-minPrice"
            type="number"
            name="minPrice"
            min={0}
            step={1}
            inputMode="numeric"
            defaultValue={v.minPrice ?? ""}
          />
        </Field>
        <Field id="search-maxPrice" label="Max price ($/h)">
          <input
            id="search-maxPrice"
            type="number"
            name="maxPrice"
            min={0}
            step={1}
            inputMode="numeric"
            defaultValue={v.maxPrice ?? ""}
          />
        </Field>
        <Field id="search-minRating" label="Rating">
          <select id="search-minRating" name="minRating" defaultValue={v.minRating ?? ""}>
            <option value="">Any rating</option>
            {RATINGS.map((r) => (
              <option key={r} value={r}>
                {r}+ stars
              </option>
            ))}
          </select>
        </Field>
        <Field id="search-language" label="Language">
          <select id="search-language" name="language" defaultValue={v.language ?? ""}>
            <option value="">Any language</option>
            {props.languages.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="search-when">
          <legend>Availability</legend>
          <label className="inline">
            <input type="checkbox" name="free" value="7" defaultChecked={v.free !== undefined} />
            <span>Free in the next 7 days</span>
          </label>
          <Field id="search-from" label="From">
            <select id="search-from" name="from" defaultValue={v.from ?? ""}>
              <option value="">Any time</option>
              {halfHours(false).map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </Field>
          <Field id="search-to" label="To">
            <select id="search-to" name="to" defaultValue={v.to ?? ""}>
              <option value="">Any time</option>
              {halfHours(true).map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </Field>
          <SearchTimeZoneField initial={props.timeZone ?? v.tz} />
          <p className="muted small">A time window looks at the next 7 days.</p>
        </fieldset>
        <Field id="search-sort" label="Sort by">
          <select
            id="search-sort"
            name="sort"
            defaultValue={v.sort === "relevance" ? "" : (v.sort ?? "")}
          >
            {SORT_OPTIONS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <div className="search-actions">
          <button type="submit" className="button">
            Search
          </button>
          <Link href="/search" className="small">
            Clear
          </Link>
        </div>
      </form>
    </search>
  );
}

/** A label above its control, tied by id so the control's name is just the label. */
function Field(props: { id: string; label: string; className?: string; children: ReactNode }) {
  return (
    <div className={props.className ? `search-field ${props.className}` : "search-field"}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}
