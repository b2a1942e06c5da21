import { TRPCError } from "@trpc/server";
import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { getDb } from "@/db/client";
import { publicCaller } from "@/server/api/publicCaller";
import { type Recommendation, recommendTeachers } from "@/server/catalog/recommendations";
import { REVIEWS_PAGE_SIZE, type ReviewPage } from "@/server/catalog/reviews";
import type { TeacherStudio } from "@/server/catalog/teacherStudio";
import { isSnowflakeId } from "@/server/ids/snowflake";
import { formatMoney } from "./format";
import { LiveBookingCard } from "./LiveBookingCard";
import { MoreReviews, ReviewItem } from "./MoreReviews";
import { Recommendations } from "./Recommendations";
import { Stars } from "./Stars";
import { TeacherAvatar } from "./TeacherAvatar";

/** Everything the studio page renders; the live prices and free slots load in the browser. */
export interface StudioPageData {
  studio: TeacherStudio;
  /** The newest reviews, and the cursor "Show more reviews" continues from. */
  reviews: ReviewPage;
  recommendations: Recommendation[];
}

/**
 * Reads the studio page's data (uncached: the static route caches it, the benchmark route
 * does not). Null for a malformed id or a teacher who is unknown or not approved.
 * Reads no headers or session, so a page using it stays static.
 */
export async function loadStudioPageData(id: string): Promise<StudioPageData | null> {
  if (!isSnowflakeId(id)) return null;
  const api = publicCaller();
  try {
    const [studio, reviews, recommendations] = await Promise.all([
      api.teachers.byId({ id }),
      api.reviews.list({ teacherId: id, limit: REVIEWS_PAGE_SIZE }),
      recommendTeachers(getDb(), id),
    ]);
    return { studio, reviews, recommendations };
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

/** The teacher studio: profile, courses, reviews, recommendations, and the live booking card. */
export function TeacherStudioView({ studio, reviews, recommendations }: StudioPageData) {
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
              {studio.introVideoUrl && (
                // Validated as http(s) when saved; opened outside the page, never embedded.
                <a href={studio.introVideoUrl} target="_blank" rel="noopener noreferrer nofollow">
                  · Watch the intro video ↗
                </a>
              )}
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
          {reviews.items.length === 0 && <p className="muted">No reviews yet.</p>}
          <ul className="review-list" data-testid="reviews">
            {reviews.items.map((r) => (
              <ReviewItem key={r.id} review={r} />
            ))}
          </ul>
          <MoreReviews
            teacherId={studio.id}
            cursor={reviews.nextCursor}
            remaining={Math.max(0, studio.ratingCount - reviews.items.length)}
          />
        </section>

        <Recommendations teachers={recommendations} />
      </section>

      <aside className="studio-side">
        <LiveBookingCard teacherId={studio.id} teacherTimeZone={studio.timeZone} />
      </aside>
    </div>
  );
}
