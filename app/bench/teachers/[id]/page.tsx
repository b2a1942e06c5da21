import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { loadStudioPageData, TeacherStudioView } from "../../../_components/TeacherStudioView";

/**
 * Benchmark only (`npm run bench -- read`): the studio page rendered on every request, to
 * compare with the static (ISR) page at /teachers/[id]. Unless the server runs with
 * HALFHOUR_BENCH_ROUTES=1 it renders the not-found page (noindex) and reads nothing.
 * The status is then 200, not 404: a dynamic page under app/loading.tsx streams its shell
 * (status line included) before the page runs, so Next.js cannot change the status any more.
 */
export const dynamic = "force-dynamic";

type Params = Promise<{ id: string }>;

const benchRoutesEnabled = () => process.env.HALFHOUR_BENCH_ROUTES === "1";

const load = cache(async (id: string) => (benchRoutesEnabled() ? loadStudioPageData(id) : null));

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const data = await load((await params).id);
  if (!data) return { title: "Page not found", robots: { index: false } };
  return {
    title: data.studio.displayName,
    description: data.studio.headline,
    robots: { index: false },
  };
}

export default async function BenchTeacherStudioPage({ params }: { params: Params }) {
  const data = await load((await params).id);
  if (!data) notFound();
  return <TeacherStudioView {...data} />;
}
