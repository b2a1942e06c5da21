import { z } from "zod";
import { DomainError } from "../domainError";
import { type OfferStatus, PROMOTION_KINDS } from "./offerRules";
import type { OfferScope } from "./priceCalculator";

/**
 * What may be written into a promotion (pure). Zod schemas validate the shape with
 * field-named errors; the functions below check what depends on the current row and on who
 * is writing (funder and scope, what an edit may change).
 */

const MAX_AMOUNT = 10_000_000; // 100,000.00 in minor units: a typo guard, not a business limit
const id = z.string().regex(/^[a-z0-9-]{1,40}$/, { message: "Expected an id or subject slug" });

export const promotionScopeInput = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("all") }),
    z.object({
      kind: z.enum(["subjects", "teachers", "courses"]),
      ids: z.array(id).min(1, { message: "Name at least one subject, teacher or course" }).max(100),
    }),
  ],
  { message: 'Expected a scope of kind "all", "subjects", "teachers" or "courses"' },
);

const ruleFields = {
  percentBps: z.number().int().min(1).max(10_000).optional(),
  amountOff: z.number().int().min(1).max(MAX_AMOUNT).optional(),
  price: z.number().int().min(0).max(MAX_AMOUNT).optional(),
  minHours: z.number().int().min(1).max(100).optional(),
};

export const createPromotionInput = z
  .object({
    title: z.string().trim().min(3, { message: "A title of at least 3 characters" }).max(80),
    description: z.string().trim().max(500).default(""),
    kind: z.enum(PROMOTION_KINDS),
    ...ruleFields,
    scope: promotionScopeInput,
    startsAt: z.date({ message: "Expected a start time" }),
    endsAt: z.date({ message: "Expected an end time" }),
    stockTotal: z.number().int().min(1).max(1_000_000).nullable().default(null),
    perUserLimit: z.number().int().min(1).max(1_000).nullable().default(null),
    priority: z.number().int().min(-1000).max(1000).default(0),
    exclusive: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    const need = (field: keyof typeof ruleFields, message: string) => {
      if (v[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message });
    };
    const forbid = (fields: (keyof typeof ruleFields)[]) => {
      for (const field of fields) {
        if (v[field] !== undefined) {
          ctx.addIssue({ code: "custom", path: [field], message: `Not used by a ${v.kind}` });
        }
      }
    };
    switch (v.kind) {
      case "percent_off":
        need("percentBps", "A percent off promotion needs its percentage");
        forbid(["amountOff", "price", "minHours"]);
        break;
      case "amount_off":
        need("amountOff", "An amount off promotion needs its amount");
        forbid(["percentBps", "price", "minHours"]);
        break;
      case "first_lesson_price":
        need("price", "A first-lesson promotion needs the lesson's price");
        forbid(["percentBps", "amountOff", "minHours"]);
        break;
      case "package_discount":
        need("percentBps", "A package discount needs its percentage");
        need("minHours", "A package discount needs the smallest package in hours");
        forbid(["amountOff", "price"]);
        break;
    }
    if (v.endsAt <= v.startsAt) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Ends before it starts" });
    }
  });
export type CreatePromotionInput = z.infer<typeof createPromotionInput>;

export const editPromotionInput = z.object({
  title: z.string().trim().min(3, { message: "A title of at least 3 characters" }).max(80),
  description: z.string().trim().max(500),
  scope: promotionScopeInput,
  startsAt: z.date({ message: "Expected a start time" }),
  endsAt: z.date({ message: "Expected an end time" }),
  stockTotal: z.number().int().min(1).max(1_000_000).nullable(),
  priority: z.number().int().min(-1000).max(1000),
});
export type EditPromotionInput = z.infer<typeof editPromotionInput>;

export type PromotionScopeInput = z.infer<typeof promotionScopeInput>;

export const toOfferScope = (scope: PromotionScopeInput): OfferScope =>
  scope.kind === "all" ? { kind: "all" } : { kind: scope.kind, ids: [...new Set(scope.ids)] };

/** Who writes: an admin (platform-funded, any scope) or a teacher (their own teacher id and courses). */
export type PromotionAuthor =
  | { role: "admin"; userId: string }
  | { role: "teacher"; userId: string; teacherId: string; courseIds: readonly string[] };

/** A teacher-funded promotion may only name the teacher themself or their own courses. */
export function checkScopeFor(author: PromotionAuthor, scope: OfferScope): void {
  if (author.role === "admin") return;
  const own =
    (scope.kind === "teachers" && scope.ids.every((id) => id === author.teacherId)) ||
    (scope.kind === "courses" && scope.ids.every((id) => author.courseIds.includes(id)));
  if (!own) {
    throw new DomainError(
      "forbidden",
      "Teachers can only promote their own courses (or all of them)",
      "scope",
    );
  }
}

/** The row values an edit may change, checked against the current row. */
export function checkEdit(
  current: {
    status: OfferStatus;
    startsAt: Date;
    endsAt: Date;
    stockTotal: number | null;
    stockUsed: number;
  },
  next: EditPromotionInput,
  now: Date,
): void {
  if (current.status === "retired") {
    throw new DomainError("conflict", "A retired promotion can no longer be edited", "status");
  }
  const started = current.startsAt <= now;
  if (started && next.startsAt.getTime() !== current.startsAt.getTime()) {
    throw new DomainError("invalid", "The promotion has started; its start is fixed", "startsAt");
  }
  if (next.endsAt <= next.startsAt) {
    throw new DomainError("invalid", "Ends before it starts", "endsAt");
  }
  // Students may have seen the promotion with its end date: it can run longer, never shorter
  // (retire it to stop it now).
  if (started && next.endsAt < current.endsAt) {
    throw new DomainError(
      "invalid",
      "A running promotion can be extended, not shortened (retire it to end it now)",
      "endsAt",
    );
  }
  // Unlimited (null) counts as the most stock: it can be raised to, never lowered from.
  if (
    next.stockTotal !== null &&
    (current.stockTotal === null || next.stockTotal < current.stockTotal)
  ) {
    throw new DomainError("invalid", "Stock can be raised, not lowered", "stockTotal");
  }
}

/** Pause, resume, retire: which moves are allowed from which status. */
export function nextStatus(
  current: OfferStatus,
  action: "pause" | "resume" | "retire",
): OfferStatus {
  if (current === "retired") {
    throw new DomainError("conflict", "This promotion is retired", "status");
  }
  if (action === "pause") {
    if (current !== "active") throw new DomainError("conflict", "Not active", "status");
    return "paused";
  }
  if (action === "resume") {
    if (current !== "paused") throw new DomainError("conflict", "Not paused", "status");
    return "active";
  }
  return "retired";
}
