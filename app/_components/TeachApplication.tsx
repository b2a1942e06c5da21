"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useSession } from "next-auth/react";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import type { AppRouter } from "@/server/api/root";
import { DISPLAY_NAME_MAX, HEADLINE_MAX, SUBJECTS_MAX } from "@/server/catalog/teacherProfileRules";
import {
  CERTIFICATE_MAX_BYTES,
  CERTIFICATE_TOO_LARGE,
  CERTIFICATE_WRONG_TYPE,
  EXPERIENCE_MAX,
  isCertificateMime,
  SAMPLE_SCHEDULE_MAX,
} from "@/server/onboarding/applicationRules";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";
import { ApplicationDetails, dateTimeText } from "./ApplicationDetails";
import { signInHref, signUpHref } from "./callbackUrl";
import { groupFieldErrors, ProfileCheckGroup, ProfileField } from "./ProfileField";
import { TimeZoneSelect } from "./ProfileForm";

type MyTeaching = inferRouterOutputs<AppRouter>["teaching"]["mine"];
type LastApplication = NonNullable<MyTeaching["application"]>;

const FIELDS = [
  "displayName",
  "headline",
  "subjects",
  "experience",
  "timeZone",
  "sampleSchedule",
  "certificate",
] as const;

/**
 * /teach below the landing text: sign-in links for visitors; for a signed-in user the state of
 * their application (waiting, rejected with the reason, approved) and the form when they may
 * apply. Client-side so the landing page stays static.
 */
export function TeachApplication() {
  const { data, status, update } = useSession();
  const user = data?.user as { role?: string; name?: string | null } | undefined;
  if (status === "loading") {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  if (!user) {
    return (
      <section className="card" data-testid="teach-sign-in">
        <p>
          To apply, <Link href={signInHref("/teach")}>sign in</Link> or{" "}
          <Link href={signUpHref("/teach")}>create an account</Link>; you come back here afterwards.
        </p>
      </section>
    );
  }
  return (
    <SignedInTeaching
      sessionRole={user.role}
      name={user.name ?? ""}
      refreshSession={() => update({ refresh: "role" })}
    />
  );
}

function SignedInTeaching(props: {
  sessionRole: string | undefined;
  name: string;
  refreshSession: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const mine = useQuery(trpc.teaching.mine.queryOptions());
  const { refreshSession } = props;

  // An admin's approval changes the stored role; the session re-reads it only every minute.
  // Seeing the difference here, ask for the session to be re-read now (once), so the header,
  // /dashboard and the teacher API work straight away.
  const stale = !!mine.data && mine.data.role !== props.sessionRole;
  const asked = useRef(false);
  useEffect(() => {
    if (stale && !asked.current) {
      asked.current = true;
      void refreshSession();
    }
  }, [stale, refreshSession]);

  if (mine.isPending) {
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  }
  if (mine.isError) {
    return (
      <p className="notice" role="alert">
        {mine.error.message}
      </p>
    );
  }
  const { role, application, teacher } = mine.data;

  if (role === "admin") {
    return (
      <p className="notice" data-testid="teach-status" data-status="admin">
        Administrators do not teach; applications are reviewed in{" "}
        <Link href="/admin/teachers">Admin › Teachers</Link>.
      </p>
    );
  }
  if (role === "teacher" && teacher) {
    return (
      <section className="card" data-testid="teach-status" data-status={teacher.status}>
        {teacher.status === "approved" ? (
          <h2>You are a Halfhour teacher</h2>
        ) : (
          <h2>Your teacher profile is {teacher.status}</h2>
        )}
        {teacher.status === "suspended" && teacher.statusReason && (
          <p>Reason given: {teacher.statusReason}</p>
        )}
        {stale ? (
          <p className="muted" role="status">
            Updating your account…
          </p>
        ) : (
          <p>
            <Link href="/dashboard" className="button">
              Go to your dashboard
            </Link>
          </p>
        )}
      </section>
    );
  }
  if (application?.status === "submitted") {
    return (
      <section className="card" data-testid="teach-status" data-status="submitted">
        <h2>Your application is waiting for review</h2>
        <p className="muted">
          Sent {dateTimeText(application.createdAt)} as <strong>{application.displayName}</strong>.
          An administrator will approve it or tell you why not; this page shows the answer.
        </p>
        <ApplicationDetails application={application} />
      </section>
    );
  }
  return (
    <>
      {application?.status === "rejected" && (
        <section className="card" data-testid="teach-status" data-status="rejected">
          <h2>Your application was not approved</h2>
          <p>
            Reason given
            {application.reviewedAt ? ` on ${dateTimeText(application.reviewedAt)}` : ""}:{" "}
            <strong>{application.decisionReason}</strong>
          </p>
          <p className="muted">You may apply again below.</p>
        </section>
      )}
      <ApplicationForm previous={application} name={props.name} />
    </>
  );
}

const formatSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

function ApplicationForm(props: { previous: LastApplication | null; name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const subjectOptions = useQuery(trpc.teachers.subjects.queryOptions());
  const p = props.previous;
  const [displayName, setDisplayName] = useState(p?.displayName ?? props.name);
  const [headline, setHeadline] = useState(p?.headline ?? "");
  const [subjects, setSubjects] = useState<string[]>(p?.subjects ?? []);
  const [experience, setExperience] = useState(p?.experience ?? "");
  const [timeZone, setTimeZone] = useState(
    () => p?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [sampleSchedule, setSampleSchedule] = useState(p?.sampleSchedule ?? "");
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const apply = useMutation(
    trpc.teaching.submit.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.teaching.mine.queryFilter()),
    }),
  );
  const errors = groupFieldErrors(fieldErrorsFrom(apply.error));
  if (fileError) errors.certificate = fileError;
  const otherErrors = Object.entries(errors)
    .filter(([field]) => !(FIELDS as readonly string[]).includes(field))
    .map(([, message]) => message);

  function chooseFile(chosen: File | undefined) {
    setFileError(null);
    setFile(null);
    if (!chosen) return;
    // A quick answer in the browser; the server decides from the bytes.
    if (chosen.size > CERTIFICATE_MAX_BYTES) {
      setFileError(`${CERTIFICATE_TOO_LARGE} (this one is ${formatSize(chosen.size)}).`);
    } else if (chosen.type && !isCertificateMime(chosen.type)) {
      setFileError(CERTIFICATE_WRONG_TYPE);
    } else {
      setFile(chosen);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData();
    form.set("displayName", displayName);
    form.set("headline", headline);
    for (const subject of subjects) form.append("subjects", subject);
    form.set("experience", experience);
    form.set("timeZone", timeZone);
    form.set("sampleSchedule", sampleSchedule);
    if (file) form.set("certificate", file);
    apply.mutate(form);
  }

  return (
    <form
      className="card pf-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={onSubmit}
      data-testid="teach-form"
    >
      <h2 id={`${id}-title`}>{p ? "Apply again" : "Apply to teach"}</h2>
      <div className="pf-grid">
        <ProfileField
          id={`${id}-name`}
          label="Display name"
          hint="The name students will see."
          error={errors.displayName}
        >
          {(control) => (
            <input
              {...control}
              className="pf-input"
              value={displayName}
              maxLength={DISPLAY_NAME_MAX}
              autoComplete="name"
              onChange={(e) => setDisplayName(e.target.value)}
            />
          )}
        </ProfileField>
        <ProfileField
          id={`${id}-headline`}
          label="Headline"
          hint="One line under your name, e.g. “Physics teacher for exam years”."
          error={errors.headline}
        >
          {(control) => (
            <input
              {...control}
              className="pf-input"
              value={headline}
              maxLength={HEADLINE_MAX}
              onChange={(e) => setHeadline(e.target.value)}
            />
          )}
        </ProfileField>
      </div>

      <ProfileCheckGroup
        id={`${id}-subjects`}
        legend="Subjects"
        hint={`${subjects.length} of at most ${SUBJECTS_MAX}.`}
        error={errors.subjects}
        options={(subjectOptions.data ?? []).map((s) => ({
          value: s.slug,
          label: (
            <>
              {s.name} <span className="muted">{s.nameZh}</span>
            </>
          ),
        }))}
        selected={subjects}
        max={SUBJECTS_MAX}
        onChange={setSubjects}
      />

      <ProfileField
        id={`${id}-experience`}
        label="Teaching experience"
        hint="Where and whom you have taught, for how long, and how you teach."
        error={errors.experience}
      >
        {(control) => (
          <textarea
            {...control}
            className="pf-input pf-textarea"
            rows={6}
            maxLength={EXPERIENCE_MAX}
            value={experience}
            onChange={(e) => setExperience(e.target.value)}
          />
        )}
      </ProfileField>

      <div className="pf-grid">
        <ProfileField
          id={`${id}-zone`}
          label="Time zone"
          hint="You will plan your week in this zone."
          error={errors.timeZone}
        >
          {(control) => (
            <TimeZoneSelect control={control} value={timeZone} onChange={setTimeZone} />
          )}
        </ProfileField>
        <ProfileField
          id={`${id}-schedule`}
          label="Hours you plan to teach"
          hint="A sketch, e.g. “Mon–Fri 18:00–21:00, Sat mornings”."
          error={errors.sampleSchedule}
        >
          {(control) => (
            <input
              {...control}
              className="pf-input"
              value={sampleSchedule}
              maxLength={SAMPLE_SCHEDULE_MAX}
              onChange={(e) => setSampleSchedule(e.target.value)}
            />
          )}
        </ProfileField>
      </div>

      <ProfileField
        id={`${id}-certificate`}
        label="Teaching certificate"
        hint="PDF, PNG or JPEG, up to 5 MB. Only you and the administrators can open it."
        error={errors.certificate}
      >
        {(control) => (
          <input
            {...control}
            type="file"
            accept="application/pdf,image/png,image/jpeg"
            onChange={(e) => chooseFile(e.target.files?.[0])}
          />
        )}
      </ProfileField>

      <div className="pf-actions">
        <button type="submit" className="button" disabled={apply.isPending}>
          {apply.isPending ? "Sending…" : "Send application"}
        </button>
        {apply.isError && (
          <span className="pf-alert" role="alert">
            {Object.keys(errors).length === 0
              ? apply.error.message
              : `Please correct the marked fields.${otherErrors.length ? ` ${otherErrors.join(" ")}` : ""}`}
          </span>
        )}
      </div>
    </form>
  );
}
