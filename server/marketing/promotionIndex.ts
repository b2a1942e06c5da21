import type { OfferScope } from "./priceCalculator";

export interface PromotionTargetRow {
  targetKind: "all" | "subjects" | "teachers" | "courses";
  targetId: string;
}

/**
 * The inverted index entries of a promotion (pure): one per id its scope names, or one
 * (`all`, '') for a platform-wide promotion. Written with the promotion, in its transaction.
 */
export function promotionTargetRows(scope: OfferScope): PromotionTargetRow[] {
  if (scope.kind === "all") return [{ targetKind: "all", targetId: "" }];
  return [...new Set(scope.ids)].map((id) => ({ targetKind: scope.kind, targetId: id }));
}

/** The index keys a purchase of a course is looked up under: itself, its teacher, its subjects, all. */
export function purchaseTargetKeys(target: {
  courseId: string;
  teacherId: string;
  subjectIds: readonly string[];
}): PromotionTargetRow[] {
  return [
    { targetKind: "courses", targetId: target.courseId },
    { targetKind: "teachers", targetId: target.teacherId },
    ...target.subjectIds.map((id) => ({ targetKind: "subjects" as const, targetId: id })),
    { targetKind: "all", targetId: "" },
  ];
}
