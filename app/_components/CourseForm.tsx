"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { useId, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { PLATFORM_CURRENCY } from "@/server/catalog/currency";
import {
  COURSE_DESCRIPTION_MAX,
  COURSE_LEVELS,
  COURSE_TITLE_MAX,
  PACKAGE_HOURS,
} from "@/server/catalog/teacherProfileRules";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";
import { groupFieldErrors, ProfileCheckGroup, ProfileField } from "./ProfileField";

export type OwnCourse = inferRouterOutputs<AppRouter>["courses"]["mine"][number];

export const LEVEL_LABELS: Record<(typeof COURSE_LEVELS)[number], string> = {
  all: "All levels",
  beginner: "Beginner",
  intermediate: "Intermediate",
  advanced: "Advanced",
};

const FIELDS = ["subject", "title", "description", "level", "pricePerHour", "packageHours"];

/** "45" or "45.5" or "45,50" → 4550 minor units; NaN when it is not a number (the server says so). */
function toMinorUnits(text: string): number {
  const trimmed = text.trim().replace(",", ".");
  return trimmed === "" || !/^\d*\.?\d*$/.test(trimmed)
    ? Number.NaN
    : Math.round(Number(trimmed) * 100);
}

/**
 * Create a course, or edit one into its next version. An edit names the version it started
 * from; if someone saved another version meanwhile the server answers CONFLICT, nothing is
 * overwritten, and the teacher reloads the latest version.
 */
export function CourseForm(props: {
  course?: OwnCourse;
  subjects: { slug: string; name: string }[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const c = props.course;
  const [subject, setSubject] = useState(c?.subjectSlug ?? props.subjects[0]?.slug ?? "");
  const [title, setTitle] = useState(c?.title ?? "");
  const [description, setDescription] = useState(c?.description ?? "");
  const [level, setLevel] = useState<(typeof COURSE_LEVELS)[number]>(c?.level ?? "all");
  const [price, setPrice] = useState(c ? (c.pricePerHour / 100).toFixed(2) : "");
  const [packages, setPackages] = useState<number[]>(c?.packageHours ?? [1, 10]);

  const refresh = () => queryClient.invalidateQueries(trpc.courses.pathFilter());
  const create = useMutation(
    trpc.courses.create.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          refresh(),
          queryClient.invalidateQueries(trpc.teachers.me.queryFilter()),
        ]);
        props.onDone();
      },
    }),
  );
  const update = useMutation(
    trpc.courses.update.mutationOptions({
      onSuccess: async () => {
        await refresh();
        props.onDone();
      },
    }),
  );
  const mutation = c ? update : create;
  const errors = groupFieldErrors(fieldErrorsFrom(mutation.error));
  const conflict =
    mutation.error instanceof TRPCClientError && mutation.error.data?.code === "CONFLICT";
  const otherErrors = Object.entries(errors)
    .filter(([field]) => !FIELDS.includes(field) && field !== "version")
    .map(([, message]) => message);

  function submit() {
    const fields = {
      title,
      description,
      level,
      pricePerHour: toMinorUnits(price),
      packageHours: packages as (typeof PACKAGE_HOURS)[number][],
    };
    if (c) update.mutate({ ...fields, courseId: c.id, version: c.version });
    else create.mutate({ ...fields, subject });
  }

  return (
    <form
      className="course-form"
      aria-label={c ? `Edit ${c.title}` : "New course"}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="pf-grid">
        {c ? (
          <div className="pf-field">
            <span className="pf-label">Subject</span>
            <span className="course-fixed">{c.subjectName}</span>
          </div>
        ) : (
          <ProfileField id={`${id}-subject`} label="Subject" error={errors.subject}>
            {(control) => (
              <select
                {...control}
                className="pf-input"
                value={subject}
                onChange={(e) => setSubject(e.target.value)}
              >
                {props.subjects.map((s) => (
                  <option key={s.slug} value={s.slug}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </ProfileField>
        )}
        <ProfileField id={`${id}-title`} label="Title" error={errors.title}>
          {(control) => (
            <input
              {...control}
              className="pf-input"
              value={title}
              maxLength={COURSE_TITLE_MAX}
              onChange={(e) => setTitle(e.target.value)}
            />
          )}
        </ProfileField>
      </div>
      <ProfileField
        id={`${id}-description`}
        label="Description"
        hint={`What a student gets, for whom. Up to ${COURSE_DESCRIPTION_MAX.toLocaleString("en-US")} characters.`}
        error={errors.description}
      >
        {(control) => (
          <textarea
            {...control}
            className="pf-input pf-textarea"
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </ProfileField>
      <div className="pf-grid">
        <ProfileField id={`${id}-level`} label="Level" error={errors.level}>
          {(control) => (
            <select
              {...control}
              className="pf-input"
              value={level}
              onChange={(e) => setLevel(e.target.value as (typeof COURSE_LEVELS)[number])}
            >
              {COURSE_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {LEVEL_LABELS[l]}
                </option>
              ))}
            </select>
          )}
        </ProfileField>
        <ProfileField
          id={`${id}-price`}
          label={`Price per hour (${c?.currency ?? PLATFORM_CURRENCY})`}
          error={errors.pricePerHour}
        >
          {(control) => (
            <input
              {...control}
              className="pf-input"
              inputMode="decimal"
              placeholder="30.00"
              value={price}
              onChange={(e) => setPrice(e.target.value)}
            />
          )}
        </ProfileField>
      </div>
      <ProfileCheckGroup
        id={`${id}-packages`}
        legend="Packages students can buy"
        hint="Hours per purchase; a student uses them over up to a year."
        error={errors.packageHours}
        options={PACKAGE_HOURS.map((h) => ({ value: h, label: `${h} h` }))}
        selected={packages}
        onChange={(next) => setPackages([...next].sort((a, b) => a - b))}
      />

      {conflict && (
        <div className="pf-alert course-conflict" role="alert">
          <span>{errors.version ?? mutation.error?.message} Your changes were not saved.</span>
          <button type="button" className="schedule-button" onClick={() => void refresh()}>
            Load the latest version
          </button>
        </div>
      )}
      {mutation.isError && !conflict && (
        <p className="pf-alert" role="alert">
          {Object.keys(errors).length === 0
            ? mutation.error.message
            : `Please correct the marked fields.${otherErrors.length ? ` ${otherErrors.join(" ")}` : ""}`}
        </p>
      )}
      <div className="pf-actions">
        <button type="submit" className="button small" disabled={mutation.isPending}>
          {mutation.isPending
            ? "Saving…"
            : c
              ? `Save as version ${c.version + 1}`
              : "Create course"}
        </button>
        <button
          type="button"
          className="link-button"
          onClick={props.onDone}
          disabled={mutation.isPending}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
