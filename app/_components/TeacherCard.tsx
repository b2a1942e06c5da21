import Link from "next/link";
import type { ReactNode } from "react";
import { PLATFORM_CURRENCY } from "@/server/catalog/currency";
import { formatMoney } from "./format";
import { Stars } from "./Stars";
import { TeacherAvatar } from "./TeacherAvatar";

export interface TeacherCardData {
  id: string;
  displayName: string;
  headline: string;
  photoUrl: string | null;
  ratingAverage: number | null;
  ratingCount: number;
  subjects: string[];
}

/** One teacher in a list (home page, search): photo, name, rating, lowest price, subjects. */
export function TeacherCard(props: {
  teacher: TeacherCardData;
  pricePerHour: number | null;
  subjectName: (slug: string) => string;
  children?: ReactNode;
}) {
  const t = props.teacher;
  return (
    <li className="card teacher-card">
      <Link href={`/teachers/${t.id}`} className="teacher-link">
        <TeacherAvatar id={t.id} name={t.displayName} photoUrl={t.photoUrl} size={56} />
        <span>
          <strong className="teacher-name">{t.displayName}</strong>
          <span className="muted small">{t.headline}</span>
        </span>
      </Link>
      <div className="row between">
        <Stars average={t.ratingAverage} count={t.ratingCount} />
        {props.pricePerHour !== null && (
          <span className="price">from {formatMoney(props.pricePerHour, PLATFORM_CURRENCY)}/h</span>
        )}
      </div>
      <div className="tags">
        {t.subjects.map((s) => (
          <span key={s} className="tag">
            {props.subjectName(s)}
          </span>
        ))}
      </div>
      {props.children}
    </li>
  );
}
