import Link from "next/link";
import { PLATFORM_CURRENCY } from "@/server/catalog/currency";
import type { Recommendation } from "@/server/catalog/recommendations";
import { formatMoney } from "./format";
import { Stars } from "./Stars";
import { TeacherAvatar } from "./TeacherAvatar";

/**
 * "Students also look at": similar teachers (server/catalog/recommendations.ts), rendered into
 * the static studio page, so they are cached with it and refreshed when it is.
 */
export function Recommendations({ teachers }: { teachers: Recommendation[] }) {
  if (teachers.length === 0) return null;
  return (
    <section aria-labelledby="recommendations" className="recommendations">
      <h2 id="recommendations">Students also look at</h2>
      <ul className="rec-row" data-testid="recommendations">
        {teachers.map((t) => (
          <li key={t.id} className="card rec-card">
            <Link href={`/teachers/${t.id}`} className="rec-link">
              <TeacherAvatar id={t.id} name={t.displayName} photoUrl={t.photoUrl} size={40} />
              <strong className="rec-name">{t.displayName}</strong>
            </Link>
            <Stars average={t.ratingAverage} count={t.ratingCount} />
            <span className="small">
              from{" "}
              <span className="price">{formatMoney(t.fromPricePerHour, PLATFORM_CURRENCY)}</span>/h
            </span>
            <span className="muted small">{t.subjects.join(" · ")}</span>
            <span className="rec-free small">Free time this week</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
