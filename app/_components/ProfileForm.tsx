"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import Markdown from "react-markdown";
import remarkGfm from "remark-gfm";
import type { AppRouter } from "@/server/api/root";
import {
  BIO_MAX,
  DISPLAY_NAME_MAX,
  HEADLINE_MAX,
  LANGUAGES,
  LANGUAGES_MAX,
  MIN_NOTICE_CHOICES,
  SUBJECTS_MAX,
  VIDEO_URL_MAX,
} from "@/server/catalog/teacherProfileRules";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";
import { groupFieldErrors, ProfileCheckGroup, ProfileField } from "./ProfileField";

type Outputs = inferRouterOutputs<AppRouter>;
export type EditableProfile = Outputs["profile"]["get"];
export type SubjectOption = Outputs["teachers"]["subjects"][number];

const FIELDS = [
  "displayName",
  "headline",
  "bio",
  "subjects",
  "languages",
  "timeZone",
  "introVideoUrl",
  "minNoticeMinutes",
] as const;

/** Every IANA zone this browser knows, plus the saved one (browsers name a few differently). */
function useTimeZones(current: string) {
  return useMemo(() => {
    const zones = new Set(Intl.supportedValuesOf("timeZone"));
    zones.add("UTC");
    zones.add(current);
    return [...zones].sort();
  }, [current]);
}

export function TimeZoneSelect(props: {
  value: string;
  onChange: (zone: string) => void;
  control: { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined };
}) {
  const zones = useTimeZones(props.value);
  const [filter, setFilter] = useState("");
  const groups = useMemo(() => {
    const needle = filter.trim().toLowerCase().replace(/\s+/g, "_");
    const shown = zones.filter((z) => z === props.value || z.toLowerCase().includes(needle));
    const byRegion = new Map<string, string[]>();
    for (const zone of shown) {
      const region = zone.includes("/") ? zone.slice(0, zone.indexOf("/")) : "Other";
      byRegion.set(region, [...(byRegion.get(region) ?? []), zone]);
    }
    return [...byRegion];
  }, [zones, filter, props.value]);
  return (
    <div className="pf-zone">
      <input
        type="search"
        className="pf-input pf-zone-filter"
        placeholder="Filter, e.g. Tokyo"
        aria-label="Filter time zones"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <select
        {...props.control}
        className="pf-input"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {groups.map(([region, list]) => (
          <optgroup key={region} label={region}>
            {list.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, " ")}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

/** The offered notices, plus the saved one when it is not among them (set before, or by ops). */
function noticeChoices(saved: number): { minutes: number; label: string }[] {
  const choices: { minutes: number; label: string }[] = [...MIN_NOTICE_CHOICES];
  if (!choices.some((c) => c.minutes === saved)) {
    const label =
      saved % 60 === 0 ? `${saved / 60} hour${saved === 60 ? "" : "s"}` : `${saved} minutes`;
    choices.push({ minutes: saved, label });
    choices.sort((a, b) => a.minutes - b.minutes);
  }
  return choices;
}

/** The profile fields: what the public studio page shows about the teacher. */
export function ProfileForm(props: { profile: EditableProfile; subjects: SubjectOption[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const p = props.profile;
  const [displayName, setDisplayName] = useState(p.displayName);
  const [headline, setHeadline] = useState(p.headline);
  const [bio, setBio] = useState(p.bio);
  const [subjects, setSubjects] = useState<string[]>(p.subjects);
  const [languages, setLanguages] = useState<string[]>(p.languages);
  const [timeZone, setTimeZone] = useState(p.timeZone);
  const [introVideoUrl, setIntroVideoUrl] = useState(p.introVideoUrl ?? "");
  const [minNoticeMinutes, setMinNoticeMinutes] = useState(p.minNoticeMinutes);

  const save = useMutation(
    trpc.profile.update.mutationOptions({
      onSuccess: async (saved) => {
        queryClient.setQueryData(trpc.profile.get.queryKey(), saved);
        setDisplayName(saved.displayName);
        setHeadline(saved.headline);
        setBio(saved.bio);
        setIntroVideoUrl(saved.introVideoUrl ?? "");
        setMinNoticeMinutes(saved.minNoticeMinutes);
        await queryClient.invalidateQueries(trpc.teachers.me.queryFilter());
      },
    }),
  );
  const errors = groupFieldErrors(fieldErrorsFrom(save.error));
  const otherErrors = Object.entries(errors)
    .filter(([field]) => !(FIELDS as readonly string[]).includes(field))
    .map(([, message]) => message);
  /** Any edit makes the last result (saved or failed) stale. */
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      if (!save.isPending && !save.isIdle) save.reset();
    };

  // Languages saved before the list existed stay visible so they can be unticked.
  const languageOptions = [
    ...LANGUAGES,
    ...p.languages.filter((l) => !(LANGUAGES as readonly string[]).includes(l)),
  ].map((l) => ({ value: l, label: l }));

  return (
    <form
      className="card pf-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          displayName,
          headline,
          bio,
          subjects,
          languages: languages as (typeof LANGUAGES)[number][],
          timeZone,
          introVideoUrl,
          minNoticeMinutes,
        });
      }}
    >
      <h2 id={`${id}-title`}>Profile</h2>
      <div className="pf-grid">
        <ProfileField id={`${id}-name`} label="Display name" error={errors.displayName}>
          {(control) => (
            <input
              {...control}
              className="pf-input"
              value={displayName}
              maxLength={DISPLAY_NAME_MAX}
              autoComplete="name"
              onChange={(e) => edit(setDisplayName)(e.target.value)}
            />
          )}
        </ProfileField>
        <ProfileField
          id={`${id}-headline`}
          label="Headline"
          hint={`One line under your name, up to ${HEADLINE_MAX} characters.`}
          error={errors.headline}
        >
          {(control) => (
            <input
              {...control}
              className="pf-input"
              value={headline}
              maxLength={HEADLINE_MAX}
              onChange={(e) => edit(setHeadline)(e.target.value)}
            />
          )}
        </ProfileField>
      </div>

      <div className="pf-bio">
        <ProfileField
          id={`${id}-bio`}
          label="About me"
          hint={
            <>
              Markdown: **bold**, _italic_, lists, [links](https://…). HTML is not shown.{" "}
              <span className="pf-count" data-over={bio.length > BIO_MAX || undefined}>
                {bio.length.toLocaleString("en-US")} / {BIO_MAX.toLocaleString("en-US")}
              </span>
            </>
          }
          error={errors.bio}
        >
          {(control) => (
            <textarea
              {...control}
              className="pf-input pf-textarea"
              rows={12}
              value={bio}
              onChange={(e) => edit(setBio)(e.target.value)}
            />
          )}
        </ProfileField>
        <section className="pf-preview" aria-label="Preview of About me">
          <span className="pf-label">Preview</span>
          <div className="markdown pf-preview-body" data-testid="bio-preview">
            {bio.trim() ? (
              <Markdown remarkPlugins={[remarkGfm]} skipHtml>
                {bio}
              </Markdown>
            ) : (
              <p className="muted">Nothing yet. Tell students how you teach.</p>
            )}
          </div>
        </section>
      </div>

      <ProfileCheckGroup
        id={`${id}-subjects`}
        legend="Subjects"
        hint={`${subjects.length} of at most ${SUBJECTS_MAX}. Your courses use these subjects.`}
        error={errors.subjects}
        options={props.subjects.map((s) => ({
          value: s.slug,
          label: (
            <>
              {s.name} <span className="muted">{s.nameZh}</span>
            </>
          ),
        }))}
        selected={subjects}
        max={SUBJECTS_MAX}
        onChange={edit(setSubjects)}
      />

      <ProfileCheckGroup
        id={`${id}-languages`}
        legend="Languages you teach in"
        hint={`${languages.length} of at most ${LANGUAGES_MAX}.`}
        error={errors.languages}
        options={languageOptions}
        selected={languages}
        max={LANGUAGES_MAX}
        onChange={edit(setLanguages)}
      />

      <div className="pf-grid">
        <ProfileField
          id={`${id}-zone`}
          label="Time zone"
          hint="You plan your week in this zone; students see times in theirs."
          error={errors.timeZone}
        >
          {(control) => (
            <TimeZoneSelect control={control} value={timeZone} onChange={edit(setTimeZone)} />
          )}
        </ProfileField>
        <ProfileField
          id={`${id}-video`}
          label={
            <>
              Intro video link <span className="muted small">(optional)</span>
            </>
          }
          hint="An https:// link, e.g. to YouTube or Vimeo."
          error={errors.introVideoUrl}
        >
          {(control) => (
            <input
              {...control}
              className="pf-input"
              type="url"
              inputMode="url"
              placeholder="https://"
              value={introVideoUrl}
              maxLength={VIDEO_URL_MAX}
              onChange={(e) => edit(setIntroVideoUrl)(e.target.value)}
            />
          )}
        </ProfileField>
        <ProfileField
          id={`${id}-notice`}
          label="Minimum notice"
          hint="How long before a lesson starts students can still book it or move a lesson to it."
          error={errors.minNoticeMinutes}
        >
          {(control) => (
            <select
              {...control}
              className="pf-input"
              value={minNoticeMinutes}
              onChange={(e) => edit(setMinNoticeMinutes)(Number(e.target.value))}
            >
              {noticeChoices(p.minNoticeMinutes).map((c) => (
                <option key={c.minutes} value={c.minutes}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </ProfileField>
      </div>

      <div className="pf-actions">
        <button type="submit" className="button" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save profile"}
        </button>
        {save.isSuccess && (
          <span className="pf-saved" role="status">
            Saved.{" "}
            {p.status === "approved" ? (
              <>
                Your <Link href={`/teachers/${p.id}`}>public studio</Link> shows it now.
              </>
            ) : (
              "It will be public once your profile is approved."
            )}
          </span>
        )}
        {save.isError && (
          <span className="pf-alert" role="alert">
            {Object.keys(errors).length === 0
              ? save.error.message
              : `Please correct the marked fields.${otherErrors.length ? ` ${otherErrors.join(" ")}` : ""}`}
          </span>
        )}
      </div>
    </form>
  );
}
