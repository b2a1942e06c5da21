"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";
import { CourseManager } from "./CourseManager";
import { ProfileForm } from "./ProfileForm";
import { ProfilePhotoUpload } from "./ProfilePhotoUpload";
import { TeacherAreaNotice } from "./TeacherAreaNotice";

/** /dashboard/profile: photo, profile fields and courses of the signed-in teacher. */
export function ProfileEditor() {
  const trpc = useTRPC();
  const profile = useQuery(trpc.profile.get.queryOptions());
  const subjects = useQuery(trpc.teachers.subjects.queryOptions());

  if (profile.isPending || subjects.isPending)
    return <div className="skeleton tall" role="status" aria-busy="true" aria-label="Loading" />;
  if (profile.isError) {
    return (
      <TeacherAreaNotice
        error={profile.error}
        path="/dashboard/profile"
        purpose="edit your profile"
        forbidden="Profiles are for teachers."
      />
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
