"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "../_trpc/client";
import { LEVEL_LABELS } from "./CourseForm";
import { formatMoney } from "./format";

/**
 * A disclosure with every version of a course, loaded when first opened. Versions are
 * immutable: orders point at the one they bought.
 */
export function CourseVersions(props: { courseId: string; currentVersion: number }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const versions = useQuery({
    ...trpc.courses.versions.queryOptions({ courseId: props.courseId }),
    enabled: open,
  });
  const past = props.currentVersion - 1;
  if (past === 0) return <p className="muted small course-history-none">No earlier versions.</p>;
  return (
    <details className="course-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{past === 1 ? "1 earlier version" : `${past} earlier versions`}</summary>
      {versions.isPending && (
        <div className="skeleton" role="status" aria-label="Loading versions" />
      )}
      {versions.isError && (
        <p className="pf-error" role="alert">
          {versions.error.message}
        </p>
      )}
      {versions.data && (
        <ol className="course-versions">
          {versions.data.versions
            .filter((v) => v.version !== versions.data.currentVersion)
            .map((v) => (
              <li key={v.versionId}>
                <div className="row between">
                  <strong>
                    <span className="course-version">version {v.version}</span> {v.title}
                  </strong>
                  <time className="muted small" dateTime={v.versionCreatedAt.toISOString()}>
                    {v.versionCreatedAt.toLocaleString(undefined, {
                      dateStyle: "medium",
                      timeStyle: "short",
                    })}
                  </time>
                </div>
                <p className="muted small">
                  {formatMoney(v.pricePerHour, v.currency)}/h · {LEVEL_LABELS[v.level]} · Packages:{" "}
                  {v.packageHours.map((h) => `${h} h`).join(", ")}
                </p>
                {v.description && <p className="small course-description">{v.description}</p>}
              </li>
            ))}
        </ol>
      )}
    </details>
  );
}
