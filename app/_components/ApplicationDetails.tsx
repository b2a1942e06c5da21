"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";
import { zoneName } from "./useViewerTimeZone";

export const dateTimeText = (at: Date) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(at);

/** Subject slug → its name ("mathematics" → "Mathematics"), from the public subject list. */
export function useSubjectNames(): (slug: string) => string {
  const trpc = useTRPC();
  const subjects = useQuery(trpc.teachers.subjects.queryOptions());
  return (slug) => subjects.data?.find((s) => s.slug === slug)?.name ?? slug;
}

/** What an application says, for its applicant (/teach) and for reviewers (/admin/teachers). */
export function ApplicationDetails(props: {
  application: {
    headline: string;
    subjects: string[];
    experience: string;
    timeZone: string;
    sampleSchedule: string;
    certificateName: string;
    certificateType: string;
    certificateUrl: string;
  };
}) {
  const a = props.application;
  const subjectName = useSubjectNames();
  const isPdf = a.certificateType === "application/pdf";
  return (
    <dl className="application-facts">
      <dt>Headline</dt>
      <dd>{a.headline}</dd>
      <dt>Subjects</dt>
      <dd>{a.subjects.map(subjectName).join(", ")}</dd>
      <dt>Time zone</dt>
      <dd>{zoneName(a.timeZone)}</dd>
      <dt>Planned hours</dt>
      <dd>{a.sampleSchedule}</dd>
      <dt>Experience</dt>
      <dd className="application-experience">{a.experience}</dd>
      <dt>Certificate</dt>
      <dd>
        <a
          href={a.certificateUrl}
          target={isPdf ? undefined : "_blank"}
          rel="noopener"
          data-testid="certificate-link"
        >
          {a.certificateName}
        </a>{" "}
        <span className="muted small">({isPdf ? "PDF, downloads" : "image"})</span>
      </dd>
    </dl>
  );
}
