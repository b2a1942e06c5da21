import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import type { Context } from "../../server/api/context";
import {
  adminProcedure,
  authedProcedure,
  createCallerFactory,
  createTRPCRouter,
  publicProcedure,
  studentProcedure,
  teacherProcedure,
} from "../../server/api/trpc";
import { getCache } from "../../server/cache";
import type { AppSession } from "../../server/identity/session";
import { createTeacher, createUser, sessionOf } from "../fixtures";

// A router made of the real procedure builders: what each role may call is their job.
const probe = createTRPCRouter({
  open: publicProcedure.query(() => "ok"),
  authed: authedProcedure.query(() => "ok"),
  student: studentProcedure.query(() => "ok"),
  teacher: teacherProcedure.query(({ ctx }) => ctx.teacher.id),
  admin: adminProcedure.query(() => "ok"),
});
const createProbe = createCallerFactory(probe);

function contextFor(session: AppSession | null): Context {
  return { db: getDb(), cache: getCache(), session, requestId: "test" };
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("procedure roles", () => {
  it("enforce the role table", async () => {
    const student = sessionOf(await createUser("student"));
    const admin = sessionOf(await createUser("admin"));
    const { user: teacherUser, teacher } = await createTeacher();
    const teacherSession = sessionOf(teacherUser);
    // A teacher-role account whose profile row is missing is not a teacher yet.
    const profileless = sessionOf(await createUser("teacher"));

    const viewers = { anonymous: null, student, teacher: teacherSession, profileless, admin };
    const expected: Record<keyof typeof viewers, Record<keyof typeof probe._def.record, string>> = {
      anonymous: {
        open: "ok",
        authed: "UNAUTHORIZED",
        student: "UNAUTHORIZED",
        teacher: "UNAUTHORIZED",
        admin: "UNAUTHORIZED",
      },
      student: {
        open: "ok",
        authed: "ok",
        student: "ok",
        teacher: "FORBIDDEN",
        admin: "FORBIDDEN",
      },
      teacher: {
        open: "ok",
        authed: "ok",
        student: "FORBIDDEN",
        teacher: "ok",
        admin: "FORBIDDEN",
      },
      profileless: {
        open: "ok",
        authed: "ok",
        student: "FORBIDDEN",
        teacher: "FORBIDDEN",
        admin: "FORBIDDEN",
      },
      admin: { open: "ok", authed: "ok", student: "FORBIDDEN", teacher: "FORBIDDEN", admin: "ok" },
    };

    const actual: Record<string, Record<string, string>> = {};
    for (const [name, session] of Object.entries(viewers)) {
      const caller = createProbe(contextFor(session));
      actual[name] = {
        open: await outcome(() => caller.open()),
        authed: await outcome(() => caller.authed()),
        student: await outcome(() => caller.student()),
        teacher: await outcome(() => caller.teacher()),
        admin: await outcome(() => caller.admin()),
      };
    }
    expect(actual).toEqual(expected);
    expect(await createProbe(contextFor(teacherSession)).teacher()).toBe(teacher.id);
  });
});
