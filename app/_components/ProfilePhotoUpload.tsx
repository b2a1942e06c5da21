"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import {
  isPhotoMime,
  PHOTO_MAX_BYTES,
  PHOTO_TOO_LARGE,
  PHOTO_WRONG_TYPE,
} from "@/server/catalog/teacherProfileRules";
import { fieldErrorsFrom, useTRPC } from "../_trpc/client";
import { TeacherAvatar } from "./TeacherAvatar";

const formatSize = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;

/**
 * Choose a photo, see it, upload it. The browser checks size and type first for a quick
 * answer; the server decides, reading the type from the bytes.
 */
export function ProfilePhotoUpload(props: {
  teacherId: string;
  name: string;
  photoUrl: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const upload = useMutation(
    trpc.profile.uploadPhoto.mutationOptions({
      onSuccess: async () => {
        setFile(null);
        if (input.current) input.current.value = "";
        await queryClient.invalidateQueries(trpc.profile.get.queryFilter());
      },
    }),
  );
  const serverError = upload.error
    ? (fieldErrorsFrom(upload.error).photo?.join(" ") ?? upload.error.message)
    : null;
  const error = localError ?? serverError;

  function choose(chosen: File | undefined) {
    upload.reset();
    setLocalError(null);
    setFile(null);
    if (!chosen) return;
    if (chosen.size > PHOTO_MAX_BYTES) {
      setLocalError(`${PHOTO_TOO_LARGE} (this one is ${formatSize(chosen.size)}).`);
    } else if (chosen.type && !isPhotoMime(chosen.type)) {
      setLocalError(PHOTO_WRONG_TYPE);
    } else {
      setFile(chosen);
    }
  }

  return (
    <section className="card pf-photo" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Photo</h2>
      <div className="pf-photo-row">
        <div className="pf-photo-frame" data-pending={!!preview || undefined}>
          {preview ? (
            // biome-ignore lint/performance/noImgElement: a local object URL, not an optimisable asset
            <img
              src={preview}
              alt="You, as students will see you (not saved yet)"
              width={112}
              height={112}
              className="avatar"
              onError={() => {
                // Not an image the browser can show: say so now rather than after uploading.
                setFile(null);
                setLocalError(PHOTO_WRONG_TYPE);
              }}
            />
          ) : (
            <TeacherAvatar
              id={props.teacherId}
              name={props.name}
              photoUrl={props.photoUrl}
              size={112}
            />
          )}
        </div>
        <div className="pf-photo-controls">
          <p className="muted small">
            JPEG, PNG or WebP, up to 2 MB. A square photo of your face works best.
          </p>
          <input
            ref={input}
            id={`${id}-file`}
            className="sr-only pf-file-input"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            aria-invalid={!!error}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => choose(e.target.files?.[0])}
          />
          <label className="schedule-button pf-file" htmlFor={`${id}-file`}>
            {props.photoUrl ? "Choose a new photo…" : "Choose a photo…"}
          </label>
          {file && (
            <div className="row">
              <span className="small">
                {file.name} · {formatSize(file.size)}
              </span>
              <button
                type="button"
                className="button small"
                disabled={upload.isPending}
                onClick={() => {
                  const form = new FormData();
                  form.set("photo", file);
                  upload.mutate(form);
                }}
              >
                {upload.isPending ? "Uploading…" : "Upload photo"}
              </button>
              <button
                type="button"
                className="link-button small"
                disabled={upload.isPending}
                onClick={() => choose(undefined)}
              >
                Cancel
              </button>
            </div>
          )}
          {error && (
            <span className="pf-error" id={`${id}-error`} role="alert">
              {error}
            </span>
          )}
          {upload.isSuccess && (
            <span className="pf-saved" role="status">
              Photo updated.
            </span>
          )}
        </div>
      </div>
    </section>
  );
}
