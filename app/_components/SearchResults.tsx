"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSyncExternalStore } from "react";
import type { SearchTeachersInput } from "@/server/api/routers/search";
import type { TeacherSearchHit, TeacherSearchPage } from "@/server/catalog/searchTeachers";
import { useTRPC } from "../_trpc/client";
import { formatDay, formatTime } from "./format";
import { TeacherCard } from "./TeacherCard";

const subscribeNever = () => () => {};
/** The viewer's zone in the browser; null while rendering on the server (no mismatch). */
function useViewerZone(): string | null {
  return useSyncExternalStore(
    subscribeNever,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => null,
  );
}

/**
 * Search results: the first page comes rendered from the server; "Load more" fetches the next
 * keyset page through tRPC and appends it.
 */
export function SearchResults(props: {
  input: SearchTeachersInput;
  firstPage: TeacherSearchPage;
  subjects: Record<string, string>;
}) {
  const trpc = useTRPC();
  const query = useInfiniteQuery(
    trpc.search.teachers.infiniteQueryOptions(props.input, {
      getNextPageParam: (page) => page.nextCursor,
      initialData: { pages: [props.firstPage], pageParams: [null] },
    }),
  );
  const pages = query.data?.pages ?? [props.firstPage];
  const items = pages.flatMap((p) => p.items);
  const total = props.firstPage.total;

  if (items.length === 0) {
    return (
      <p className="empty" data-testid="search-empty">
        No teachers match this search. Try fewer filters, another spelling, or{" "}
        <Link href="/search">all teachers</Link>.
      </p>
    );
  }

  return (
    <section aria-label="Results">
      <p className="muted" data-testid="search-count">
        {total === 1 ? "1 teacher" : `${total} teachers`} found
      </p>
      <ul className="teacher-grid" data-testid="search-results">
        {items.map((t) => (
          <SearchCard key={t.id} teacher={t} subjects={props.subjects} />
        ))}
      </ul>
      <div className="search-more">
        {query.hasNextPage ? (
          <button
            type="button"
            className="button"
            onClick={() => query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        ) : (
          items.length > 12 && <span className="muted">That is everyone.</span>
        )}
        {query.isFetchNextPageError && (
          <p className="error" role="alert">
            More results could not be loaded. Please try again.
          </p>
        )}
      </div>
    </section>
  );
}

function SearchCard({
  teacher: t,
  subjects,
}: {
  teacher: TeacherSearchHit;
  subjects: Record<string, string>;
}) {
  const zone = useViewerZone();
  return (
    <TeacherCard
      teacher={t}
      pricePerHour={t.pricePerHour}
      subjectName={(slug) => subjects[slug] ?? slug}
    >
      {t.nextFreeAt && (
        <span className="muted small">
          Next free:{" "}
          <time dateTime={t.nextFreeAt.toISOString()}>
            {zone
              ? `${formatDay(t.nextFreeAt, zone)}, ${formatTime(t.nextFreeAt, zone)}`
              : t.nextFreeAt.toISOString().slice(0, 10)}
          </time>
        </span>
      )}
    </TeacherCard>
  );
}
