import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { unstable_cache } from "next/cache";
import { notFound } from "next/navigation";
import { cache } from "react";
import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";
import superjson from "superjson";
import { publicCaller } from "@/server/api/publicCaller";
import { teacherTag } from "@/server/catalog/teacherChanged";
import type { TeacherStudio } from "@/server/catalog/teacherStudio";
import { isSnowflakeId } from "@/server/ids/snowflake";
import { formatMoney } from "../../_components/format";
import { LiveBookingCard } from "../../_components/LiveBookingCard";
import { Stars } from "../../_components/Stars";
import { TeacherAvatar } from "../../_components/TeacherAvatar";

// Static studio pages (ISR): rendered on first request, then served from the cache and
// refreshed at most hourly. Nothing here reads headers or the session.
export const revalidate = 3600;
export const dynamicParams = true;
export function generateStaticParams(): { id: string }[] {
  return [];
}

type Params = Promise<{ id: string }>;

/**
 * The page's data, tagged per teacher so an edit expires it at once (teacherChanged.ts).
 * Serialised with superjson because the Next.js data cache stores JSON and reviews carry Dates.
 */
const loadStudio = cache(async (id: string) => {
  if (!isSnowflakeId(id)) return null;
  const cached = unstable_cache(
    async () => {
      try {
        return superjson.stringify(await publicCaller().teachers.byId({ id }));
      } catch (error) {
        if (error instanceof TRPCError && error.code === "NOT_FOUND") return null;
        throw error;
      }
    },
    ["teacher-studio", id],
    { tags: [teacherTag(id)], revalidate },
  );
  const json = await cached();
  return json === null ? null : superjson.parse<TeacherStudio>(json);
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const studio = await loadStudio((await params).id);
  if (!studio) return { title: "Teacher not found" };
  return { title: studio.displayName, description: studio.headline };
}

export default async function TeacherStudioPage({ params }: { params: Params }) {
  const studio = await loadStudio((await params).id);
  if (!studio) notFound();
  const maxStars = Math.max(1, ...studio.ratingDistribution.map((d) => d.count));

  return (
    <div className="page studio">
      <section className="studio-main">
        <header className="studio-head">
          <TeacherAvatar
            id={studio.id}
            name={studio.displayName}
            photoUrl={studio.photoUrl}
            size={96}
          />
          <div>
            <h1>{studio.displayName}</h1>
            <p className="lead">{studio.headline}</p>
            <p className="row">
              <Stars average={studio.ratingAverage} count={studio.ratingCount} />
              <span className="muted">· Teaches in {studio.languages.join(", ")}</span>
              <span className="muted">· Based in {studio.timeZone.replace(/_/g, " ")}</span>
            </p>
            <div className="tags">
              {studio.subjects.map((s) => (
                <span key={s.slug} className="tag">
                  {s.name} · {s.nameZh}
                </span>
              ))}
            </div>
          </div>
        </header>

        <section aria-labelledby="about">
          <h2 id="about">About me</h2>
          {/* Markdown without raw HTML, and unsafe link schemes dropped: safe for user text. */}
          <div className="markdown">
            <Markdown remarkPlugins={[remarkGfm]} skipHtml>
              {studio.bio}
            </Markdown>
          </div>
        </section>

        <section aria-labelledby="courses">
          <h2 id="courses">Courses</h2>
          {studio.courses.length === 0 && <p className="muted">No courses on offer right now.</p>}
          <ul className="course-list">
            {studio.courses.map((c) => (
              <li key={c.id} className="card">
                <div className="row between">
                  <h3>{c.title}</h3>
                  <span className="price">{formatMoney(c.pricePerHour, c.currency)}/h</span>
                </div>
                <p className="muted small">
                  Level: {c.level} · Packages: {c.packageHours.map((h) => `${h} h`).join(", ")}
                </p>
                <p>{c.description}</p>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="reviews">
          <h2 id="reviews">Reviews</h2>
          <div className="rating-summary">
            <div className="rating-big">
              <strong>{studio.ratingAverage?.toFixed(1) ?? "–"}</strong>
              <span className="muted small">{studio.ratingCount} reviews</span>
            </div>
            <ul className="distribution" aria-label="Rating distribution">
              {studio.ratingDistribution.map((d) => (
                <li key={d.rating}>
                  <span>{d.rating}★</span>
                  <span className="bar">
                    <span style={{ width: `${(d.count / maxStars) * 100}%` }} />
                  </span>
                  <span className="muted small">{d.count}</span>
                </li>
              ))}
            </ul>
          </div>
          {studio.reviews.length === 0 && <p className="muted">No reviews yet.</p>}
          <ul className="review-list">
            {studio.reviews.map((r) => (
              <li key={r.id}>
                <div className="row between">
                  <strong>{r.reviewer}</strong>
                  <span role="img" aria-label={`${r.rating} out of 5`}>
                    {"★".repeat(r.rating)}
                  </span>
                </div>
                <p>{r.body}</p>
                <time className="muted small" dateTime={r.createdAt.toISOString()}>
                  {r.createdAt.toISOString().slice(0, 10)}
                </time>
              </li>
            ))}
          </ul>
        </section>
      </section>

      <aside className="studio-side">
        <LiveBookingCard teacherId={studio.id} teacherTimeZone={studio.timeZone} />
      </aside>
    </div>
  );
}
