import { describe, expect, it } from "vitest";
import {
  applicationFields,
  applicationForm,
  applyRefusal,
  approvalPlan,
  CERTIFICATE_MAX_BYTES,
  CERTIFICATE_MISSING,
  CERTIFICATE_TOO_LARGE,
  certificateDisplayName,
  decisionReason,
  decisionRefusal,
  standingChange,
} from "../../server/onboarding/applicationRules";

const valid = {
  displayName: "  Nora   Newteacher ",
  headline: "Physics for exam years",
  subjects: ["physics", "mathematics", "physics"],
  experience: "Eight years of physics at a secondary school.\r\nOnline since 2020.",
  timeZone: "Europe/Berlin",
  sampleSchedule: "Mon–Fri 18:00–21:00",
};

const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  [...new Set(result.error?.issues.map((i) => String(i.path[0])) ?? [])].sort();

describe("applicationFields", () => {
  it("normalises whitespace, keeps line breaks in the experience, de-duplicates subjects", () => {
    const parsed = applicationFields.parse(valid);
    expect(parsed.displayName).toBe("Nora Newteacher");
    expect(parsed.subjects).toEqual(["physics", "mathematics"]);
    expect(parsed.experience).toBe(
      "Eight years of physics at a secondary school.\nOnline since 2020.",
    );
  });

  it("names every field that is wrong", () => {
    const result = applicationFields.safeParse({
      displayName: "N",
      headline: "",
      subjects: [],
      experience: "short",
      timeZone: "+02:00",
      sampleSchedule: "",
    });
    expect(fieldsOf(result)).toEqual([
      "displayName",
      "experience",
      "headline",
      "sampleSchedule",
      "subjects",
      "timeZone",
    ]);
  });

  it("refuses more than five subjects and subjects that are not slugs", () => {
    const many = applicationFields.safeParse({
      ...valid,
      subjects: ["a", "b", "c", "d", "e", "f"],
    });
    expect(fieldsOf(many)).toEqual(["subjects"]);
    const odd = applicationFields.safeParse({ ...valid, subjects: ["Physics!"] });
    expect(fieldsOf(odd)).toEqual(["subjects"]);
  });

  it("strips control characters before measuring", () => {
    const result = applicationFields.safeParse({ ...valid, displayName: "\u0000\u0007N\u0008" });
    expect(fieldsOf(result)).toEqual(["displayName"]);
  });
});

describe("applicationForm (multipart)", () => {
  const form = (certificate?: File, extra: Record<string, string> = {}) => {
    const data = new FormData();
    for (const [k, v] of Object.entries({ ...valid, ...extra })) {
      for (const item of Array.isArray(v) ? v : [v]) data.append(k, item);
    }
    if (certificate) data.set("certificate", certificate);
    return data;
  };

  it("reads repeated subjects and the file", () => {
    const parsed = applicationForm.parse(form(new File(["%PDF-1.4"], "c.pdf")));
    expect(parsed.subjects).toEqual(["physics", "mathematics"]);
    expect(parsed.certificate.name).toBe("c.pdf");
  });

  it("names the certificate when it is missing, empty or too large", () => {
    const missing = applicationForm.safeParse(form());
    expect(missing.error?.issues).toEqual([
      expect.objectContaining({ path: ["certificate"], message: CERTIFICATE_MISSING }),
    ]);
    const empty = applicationForm.safeParse(form(new File([], "c.pdf")));
    expect(fieldsOf(empty)).toEqual(["certificate"]);
    const large = applicationForm.safeParse(
      form(new File([new Uint8Array(CERTIFICATE_MAX_BYTES + 1)], "c.pdf")),
    );
    expect(large.error?.issues[0]?.message).toBe(CERTIFICATE_TOO_LARGE);
  });

  it("does not take a file sent under a text field for text", () => {
    const data = form(new File(["%PDF-1.4"], "c.pdf"));
    data.set("headline", new File(["x"], "headline.txt"));
    expect(fieldsOf(applicationForm.safeParse(data))).toEqual(["headline"]);
  });

  it("refuses anything that is not multipart form data", () => {
    expect(applicationForm.safeParse({ ...valid }).success).toBe(false);
  });
});

describe("decisionReason", () => {
  it("needs at least three characters after trimming, at most 500", () => {
    expect(decisionReason.safeParse("  ok ").success).toBe(false);
    expect(decisionReason.parse("  No certificate attached  ")).toBe("No certificate attached");
    expect(decisionReason.safeParse("x".repeat(501)).success).toBe(false);
  });
});

describe("certificateDisplayName", () => {
  it("keeps the last path segment without control characters, or names the file itself", () => {
    expect(certificateDisplayName("C:\\Users\\me\\diploma.pdf", "pdf")).toBe("diploma.pdf");
    expect(certificateDisplayName("../../etc/passwd", "png")).toBe("passwd");
    expect(certificateDisplayName("a\u0000b.png", "png")).toBe("ab.png");
    expect(certificateDisplayName("  ", "jpg")).toBe("certificate.jpg");
    expect(certificateDisplayName("x".repeat(300), "pdf")).toHaveLength(120);
  });
});

const NOTHING_LEFT = { liveOrders: 0, walletBalance: 0 };

describe("applyRefusal", () => {
  const student = {
    role: "student" as const,
    teacherStatus: null,
    hasOpenApplication: false,
    commitments: NOTHING_LEFT,
  };
  it("lets a student without an open application or a profile apply", () => {
    expect(applyRefusal(student)).toBeNull();
    // An old profile that was never approved does not stop a new application.
    expect(applyRefusal({ ...student, teacherStatus: "rejected" })).toBeNull();
  });
  it("refuses a second open application, teachers, suspended profiles and admins", () => {
    expect(applyRefusal({ ...student, hasOpenApplication: true })).toMatch(/waiting for review/);
    expect(applyRefusal({ ...student, role: "teacher" })).toMatch(/already have a teacher/);
    expect(applyRefusal({ ...student, teacherStatus: "approved" })).toMatch(/already have/);
    expect(applyRefusal({ ...student, teacherStatus: "suspended" })).toMatch(/suspended/);
    expect(applyRefusal({ ...student, role: "admin" })).toMatch(/Administrators/);
  });
  it("refuses a student with hours or wallet money left, saying what and how to go on", () => {
    expect(applyRefusal({ ...student, commitments: { liveOrders: 2, walletBalance: 0 } })).toBe(
      "This account still has 2 open orders as a student, which becoming a teacher would close. Use or refund them first, or apply to teach from a separate account.",
    );
    expect(
      applyRefusal({ ...student, commitments: { liveOrders: 1, walletBalance: 1500 } }),
    ).toMatch(/^This account still has 1 open order and money in your wallet as a student/);
  });
});

describe("decisionRefusal", () => {
  it("decides a submitted application once", () => {
    expect(decisionRefusal("submitted")).toBeNull();
    expect(decisionRefusal("approved")).toMatch(/already been approved/);
    expect(decisionRefusal("rejected")).toMatch(/already been rejected/);
  });
});

describe("approvalPlan", () => {
  it("creates a profile, or re-activates one that was never or is no longer approved", () => {
    expect(approvalPlan("student", null, NOTHING_LEFT)).toEqual({ action: "create" });
    expect(approvalPlan("student", "applied", NOTHING_LEFT)).toEqual({ action: "reactivate" });
    expect(approvalPlan("student", "rejected", NOTHING_LEFT)).toEqual({ action: "reactivate" });
  });
  it("never overwrites a live or suspended profile, and never demotes an admin", () => {
    expect(approvalPlan("student", "approved", NOTHING_LEFT)).toHaveProperty("refusal");
    expect(approvalPlan("teacher", "suspended", NOTHING_LEFT)).toEqual({
      refusal: expect.stringMatching(/reinstate/),
    });
    expect(approvalPlan("admin", null, NOTHING_LEFT)).toHaveProperty("refusal");
  });
  it("refuses while the applicant has bought lessons or holds wallet money since applying", () => {
    expect(approvalPlan("student", null, { liveOrders: 1, walletBalance: 0 })).toEqual({
      refusal: expect.stringMatching(/settle it first/),
    });
    expect(approvalPlan("student", null, { liveOrders: 0, walletBalance: 1 })).toHaveProperty(
      "refusal",
    );
  });
});

describe("standingChange", () => {
  it("suspends approved teachers and reinstates suspended ones, nothing else", () => {
    expect(standingChange("approved", "suspend")).toEqual({ next: "suspended" });
    expect(standingChange("suspended", "reinstate")).toEqual({ next: "approved" });
    for (const status of ["applied", "rejected", "suspended"] as const) {
      expect(standingChange(status, "suspend")).toHaveProperty("refusal");
    }
    for (const status of ["applied", "rejected", "approved"] as const) {
      expect(standingChange(status, "reinstate")).toHaveProperty("refusal");
    }
  });
});
