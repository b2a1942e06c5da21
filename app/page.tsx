import Link from "next/link";
import { z } from "zod";
import { pageNumber, subjectSlug } from "@/server/api/inputs";
import { publicCaller } from "@/server/api/publicCaller";
import { describePurchase } from "./_components/checkoutParams";
import { GuestCartNotice } from "./_components/GuestCartNotice";
import { TeacherCard } from "./_components/TeacherCard";
import { readGuestCart } from "./checkout/guestCartCookie";

const listParams = z.object({ subject: subjectSlug.optional(), page: pageNumber });

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function HomePage({ searchParams }: { searchParams: SearchParams }) {
  const raw = await searchParams;
  const parsed = listParams.safeParse({
    subject: typeof raw.subject === "string" && raw.subject !== "" ? raw.subject : undefined,
    page: typeof raw.page === "string" ? raw.page : undefined,
  });
  const params = parsed.success ? parsed.data : { page: 1 };
  const api = publicCaller();
  const [subjects, list, cart] = await Promise.all([
    api.teachers.subjects(),
    api.teachers.list(params),
    readGuestCart(),
  ]);
  const href = (subject: string | undefined, page = 1) => {
    const q = new URLSearchParams();
    if (subject) q.set("subject", subject);
    if (page > 1) q.set("page", String(page));
    const s = q.toString();
    return s ? `/?${s}` : "/";
  };

  return (
    <div className="page">
      {cart && <GuestCartNotice href={cart.href} what={describePurchase(cart.request.purchase)} />}
      <section className="hero">
        <h1>Learn with a teacher, half an hour at a time</h1>
        <p className="muted">
          {list.total} approved teachers. Pick a subject, open a studio, and see live prices and
          free half hours in your own time zone.
        </p>
      </section>

      {!parsed.success && (
        <p className="notice" role="alert">
          Some filters in the address were not understood (
          {parsed.error.issues.map((i) => i.path.join(".")).join(", ")}), so all teachers are shown.
        </p>
      )}

      <search>
        <form action="/search" method="get" className="home-search">
          <input
            type="search"
            name="q"
            aria-label="Search teachers"
            placeholder="Search teachers, subjects, courses… (e.g. calculus, 钢琴)"
            maxLength={100}
          />
          <button type="submit" className="button">
            Search
          </button>
        </form>
      </search>

      <nav className="chips" aria-label="Subjects">
        <Link
          href={href(undefined)}
          className="chip"
          aria-current={!params.subject ? "page" : undefined}
        >
          All subjects
        </Link>
        {subjects.map((s) => (
          <Link
            key={s.slug}
            href={href(s.slug)}
            className="chip"
            aria-current={params.subject === s.slug ? "page" : undefined}
          >
            {s.name}
          </Link>
        ))}
      </nav>

      {list.items.length === 0 ? (
        <p className="empty">No teachers teach this subject yet.</p>
      ) : (
        <ul className="teacher-grid" data-testid="teacher-list">
          {list.items.map((t) => (
            <TeacherCard
              key={t.id}
              teacher={t}
              pricePerHour={t.fromPricePerHour}
              subjectName={(slug) => subjects.find((x) => x.slug === slug)?.name ?? slug}
            />
          ))}
        </ul>
      )}

      <nav className="pagination" aria-label="Pages">
        {list.page > 1 ? (
          <Link href={href(params.subject, list.page - 1)} rel="prev">
            ← Previous
          </Link>
        ) : (
          <span />
        )}
        <span className="muted">
          Page {list.page} of {list.pageCount}
        </span>
        {list.page < list.pageCount ? (
          <Link href={href(params.subject, list.page + 1)} rel="next">
            Next →
          </Link>
        ) : (
          <span />
        )}
      </nav>
    </div>
  );
}
