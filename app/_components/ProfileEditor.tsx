"use client";

import { useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import Link from "next/link";
import { useTRPC } from "../_trpc/client";
import { CourseManager } from "./CourseManager";
import { ProfileForm } from "./ProfileForm";
import { ProfilePhotoUpload } from "./ProfilePhotoUpload";

/** /dashboard/profile: photo, profile fields and courses of the signed-in teacher. */
export function ProfileEditor() {
  const trpc = useTRPC();
  const profile = useQuery(trpc.profile.get.queryOptions());
  const subjects = useQuery(trpc.teachers.subjects.queryOptions());

  if (profile.isPending || subjects.isPending)
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  if (profile.isError) {
    const status =
      profile.error instanceof TRPCClientError ? profile.error.data?.httpStatus : undefined;
    if (status === 401) {
      return (
        <p className="notice">
          <Link href="/sign-in?callbackUrl=/dashboard/profile">Sign in</Link> as a teacher to edit
          your profile.
        </p>
      );
    }
    return (
      <p className="notice" role="alert">
        {status === 403 ? "Profiles are for teachers." : profile.error.message}
      </p>
    );
  }
  if (subjects.isError) {
    return (
      <p className="notice" role="alert">
        {subjects.error.message}
      </p>
    );
  }
  const p = profile.data;
  const own = subjects.data.filter((s) => p.subjects.includes(s.slug));
  return (
    <div className="pf-layout">
      <div className="pf-main">
        <ProfilePhotoUpload teacherId={p.id} name={p.displayName} photoUrl={p.photoUrl} />
        <ProfileForm profile={p} subjects={subjects.data} />
      </div>
      <CourseManager subjects={own} />
    </div>
  );
}
