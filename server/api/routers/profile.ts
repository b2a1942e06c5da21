import { z } from "zod";
import { markTeacherChanged } from "../../catalog/teacherChanged";
import {
  getEditableProfile,
  updateTeacherProfile,
  uploadTeacherPhoto,
} from "../../catalog/teacherProfile";
import {
  PHOTO_MAX_BYTES,
  PHOTO_TOO_LARGE,
  PHOTO_WRONG_TYPE,
  profileInput,
} from "../../catalog/teacherProfileRules";
import { getStorage } from "../../storage";
import { createTRPCRouter, teacherProcedure } from "../trpc";

/**
 * Multipart input: a FormData with one file under `photo`. The size is checked before the
 * bytes are read; the type is decided later from the bytes themselves.
 */
const photoUpload = z
  .instanceof(FormData, { message: "Send the photo as multipart form data" })
  .transform((form) => ({ photo: form.get("photo") }))
  .pipe(
    z.object({
      photo: z
        .instanceof(File, { message: PHOTO_WRONG_TYPE })
        .refine((file) => file.size <= PHOTO_MAX_BYTES, { message: PHOTO_TOO_LARGE }),
    }),
  );

/** The signed-in teacher's own profile: nobody edits anyone else's. */
export const profileRouter = createTRPCRouter({
  get: teacherProcedure.query(({ ctx }) => getEditableProfile(ctx.db, ctx.teacher.id)),

  update: teacherProcedure.input(profileInput).mutation(async ({ ctx, input }) => {
    const profile = await updateTeacherProfile(ctx.db, ctx.teacher.id, input);
    await markTeacherChanged(ctx.cache, ctx.teacher.id);
    return profile;
  }),

  uploadPhoto: teacherProcedure.input(photoUpload).mutation(async ({ ctx, input }) => {
    const bytes = new Uint8Array(await input.photo.arrayBuffer());
    const result = await uploadTeacherPhoto(ctx.db, getStorage(), ctx.teacher.id, bytes);
    await markTeacherChanged(ctx.cache, ctx.teacher.id);
    return result;
  }),
});
