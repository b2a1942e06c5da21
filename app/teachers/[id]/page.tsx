import type { Metadata } from "next";
import { unstable_cache } from "next/cache";
import { notFound } from "next/navigation";
import { cache } from "react";
import superjson from "superjson";
import { teacherTag } from "@/server/catalog/teacherChanged";
import { isSnowflakeId } from "@/server/ids/snowflake";
import {
  loadStudioPageData,
  type StudioPageData,
  TeacherStudioView,
} from "../../_components/TeacherStudioView";

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
 * Recommendations are part of it: they are refreshed with the page (hourly, or when this
 * teacher changes), not when another teacher does.
 * Serialised with superjson because the Next.js data cache stores JSON and reviews carry Dates.
 */
const loadStudio = cache(async (id: string) => {
  if (!isSnowflakeId(id)) return null;
  const cached = unstable_cache(
    async () => {
      const data = await loadStudioPageData(id);
      return data === null ? null : superjson.stringify(data);
    },
    ["teacher-studio-page", id],
    { tags: [teacherTag(id)], revalidate },
  );
  const json = await cached();
  return json === null ? null : superjson.parse<StudioPageData>(json);
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const data = await loadStudio((await params).id);
  if (!data) return { title: "Teacher not found" };
  return { title: data.studio.displayName, description: data.studio.headline };
}

export default async function TeacherStudioPage({ params }: { params: Params }) {
  const data = await loadStudio((await params).id);
  if (!data) notFound();
  return <TeacherStudioView {...data} />;
}
