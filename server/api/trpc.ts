import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { teacherAccountOf } from "../identity/teacherAccount";
import { resolveCalendarOwner } from "../inventory/calendarAccess";
import { enforceRateLimit, getRateLimiter, type RateLimitName } from "../security/rateLimits";
import type { TradeActor } from "../trade/tradeAccess";
import type { Context } from "./context";
import { describeFieldErrors, fieldErrorsOf, toClientError } from "./errors";
import { teacherId } from "./inputs";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    const fieldErrors = fieldErrorsOf(error.cause);
    let message = shape.message;
    if (error.cause instanceof ZodError && fieldErrors) {
      message = `Invalid input: ${describeFieldErrors(fieldErrors)}`;
    } else if (error.code === "INTERNAL_SERVER_ERROR") {
      // Internal details stay in the server log, found by request id.
      message = `Something went wrong on our side (request ${ctx?.requestId ?? "unknown"}).`;
    }
    const { stack: _stack, ...data } = shape.data; // stacks stay in the server log
    return { ...shape, message, data: { ...data, fieldErrors, requestId: ctx?.requestId ?? null } };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps domain and database-availability errors to their HTTP-meaningful tRPC codes. */
const clientErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toClientError(result.error.cause);
    if (mapped) throw mapped;
  }
  return result;
});

export const publicProcedure = t.procedure.use(clientErrors);

/**
 * Counts the call against a rate limit (server/security/rateLimits.ts), per signed-in user,
 * else per network address. A refusal is a 429 with Retry-After (see httpHandler).
 */
export function rateLimited(name: RateLimitName) {
  return t.middleware(async ({ ctx, next }) => {
    const who = ctx.session
      ? `user:${ctx.session.user.id}`
      : ctx.clientAddress && `address:${ctx.clientAddress}`;
    // Server rendering calls in-process with no caller to count: nothing to limit.
    if (who) await enforceRateLimit(ctx.rateLimiter ?? getRateLimiter(), name, who);
    return next();
  });
}

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  }
  return next({ ctx: { session: ctx.session } });
});

export const studentProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.session.user.role !== "student") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only students can do this." });
  }
  return next();
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.session.user.role !== "admin") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators can do this." });
  }
  return next();
});

/** A teacher with a profile; puts that profile on the context for ownership checks. */
export const teacherProcedure = authedProcedure.use(async ({ ctx, next }) => {
  if (ctx.session.user.role !== "teacher") {
    throw new TRPCError({ code: "FORBIDDEN", message: "Only teachers can do this." });
  }
  const account = await teacherAccountOf(ctx.db, ctx.session.user.id);
  if (!account) throw noTeacherProfile();
  return next({ ctx: { teacher: { id: account.teacherId, status: account.status } } });
});

const noTeacherProfile = () =>
  new TRPCError({ code: "FORBIDDEN", message: "This account has no teacher profile." });

/**
 * Anyone who may be a party to orders and lessons: a student, a teacher with a profile, or an
 * admin. Puts who they act as on the context; server/trade/tradeAccess decides per record.
 */
export const tradeActorProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const { id, role } = ctx.session.user;
  let actor: TradeActor;
  if (role === "student") actor = { role: "student", userId: id };
  else if (role === "admin") actor = { role: "admin", userId: id };
  else {
    const account = await teacherAccountOf(ctx.db, id);
    if (!account) throw noTeacherProfile();
    actor = { role: "teacher", teacherId: account.teacherId };
  }
  return next({ ctx: { actor } });
});

/**
 * Someone who manages offers (coupon batches, promotions): an admin, or a teacher with a
 * profile. Puts who it is on the context; each offer service decides what they may touch.
 */
export const managerProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const { id: userId, role } = ctx.session.user;
  if (role === "admin") return next({ ctx: { manager: { role: "admin" as const, userId } } });
  if (role === "teacher") {
    const account = await teacherAccountOf(ctx.db, userId);
    if (account) {
      return next({
        ctx: { manager: { role: "teacher" as const, userId, teacherId: account.teacherId } },
      });
    }
  }
  throw new TRPCError({
    code: "FORBIDDEN",
    message: "Only administrators and teachers can manage offers.",
  });
});

/**
 * A teacher's calendar: their own, or (for an admin) the one named by `teacherId`. Puts the
 * resolved owner on the context; the decision lives in inventory/calendarAccess.
 */
export const calendarProcedure = authedProcedure
  .input(z.object({ teacherId: teacherId.optional() }))
  .use(async ({ ctx, input, next }) => {
    const calendar = await resolveCalendarOwner(ctx.db, ctx.session, input.teacherId);
    return next({ ctx: { calendar } });
  });
