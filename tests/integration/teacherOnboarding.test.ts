import { readdir } from "node:fs/promises";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import superjson, { type SuperJSONResult } from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as serveUploadRoute } from "../../app/uploads/[...path]/route";
import { getDb } from "../../db/client";
import {
  teacherApplications,
  teacherSearch,
  teacherSubjects,
  teachers,
  users,
} from "../../db/schema";
import { handleTrpcRequest } from "../../server/api/httpHandler";
import { createCaller } from "../../server/api/root";
import { getCache } from "../../server/cache";
import { refreshTeacherSearch } from "../../server/catalog/searchDocument";
import { searchTeachers } from "../../server/catalog/searchTeachers";
import { DomainError } from "../../server/domainError";
import type { AppSession } from "../../server/identity/session";
import {
  CERTIFICATE_MAX_BYTES,
  CERTIFICATE_WRONG_TYPE,
} from "../../server/onboarding/applicationRules";
import {
  certificateRefusal,
  certificateResponse,
  readCertificate,
} from "../../server/onboarding/certificates";
import { getPrivateStorage } from "../../server/storage";
import { newOrderId } from "../../server/trade/placeOrder";
import { tinyPng } from "../authorizationFixtures";
import { createUser, ensureSubjects, sessionOf } from "../fixtures";
import { fundWallet } from "../moneyFixtures";
import {
  applicationFields,
  applicationFormData,
  createApplicant,
  tinyPdf,
  usePrivateUploadsDir,
} from "../onboardingFixtures";
import { createSellingTeacher, slotFromNow } from "../tradeFixtures";

interface ErrorBody {
  message: string;
  data: { httpStatus: number; code: string; fieldErrors: Record<string, string[]> | null };
}

/** A multipart application through the real tRPC HTTP handler, as the browser sends it. */
async function submitOverHttp(form: FormData, session: AppSession | null) {
  const res = await handleTrpcRequest(
    new Request("http://localhost/api/trpc/teaching.submit", { method: "POST", body: form }),
    async () => session,
  );
  const body = (await res.json()) as {
    result?: { data: SuperJSONResult };
    error?: { json: ErrorBody };
  };
  return {
    status: res.status,
    data: body.result
      ? (superjson.deserialize(body.result.data) as { id: string; status: string })
      : undefined,
    error: body.error?.json,
  };
}

const caller = (session: AppSession | null) =>
  createCaller({ db: getDb(), cache: getCache(), session, requestId: "onboarding" });

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

const fieldsOf = (error: ErrorBody | undefined) => Object.keys(error?.data.fieldErrors ?? {});

async function searchByName(name: string) {
  const page = await searchTeachers(getDb(), { q: name });
  return page.items.filter((hit) => hit.displayName === name);
}

let privateUploads: Awaited<ReturnType<typeof usePrivateUploadsDir>>;
let admin: AppSession;
beforeAll(async () => {
  privateUploads = await usePrivateUploadsDir();
  await ensureSubjects();
  admin = sessionOf(await createUser("admin", "Ada Admin"));
});
afterAll(() => privateUploads.restore());

describe("applying to teach", () => {
  it("stores the application and its certificate privately; /uploads never serves it", async () => {
    const student = sessionOf(await createUser("student", "Petra Physics"));
    const sent = await submitOverHttp(
      applicationFormData(applicationFields({ displayName: "Petra Physics" })),
      student,
    );
    expect(sent.status).toBe(200);
    expect(sent.data).toMatchObject({ status: "submitted" });

    const mine = await caller(student).teaching.mine();
    expect(mine).toMatchObject({
      role: "student",
      teacher: null,
      application: {
        id: sent.data!.id,
        status: "submitted",
        displayName: "Petra Physics",
        subjects: ["physics"],
        certificateName: "certificate.pdf",
        certificateType: "application/pdf",
        certificateUrl: `/teach/applications/${sent.data!.id}/certificate`,
      },
    });

    const [row] = await getDb()
      .select({ key: teacherApplications.certificateKey })
      .from(teacherApplications)
      .where(eq(teacherApplications.id, sent.data!.id));
    expect(row!.key).toMatch(/^certificates\/[0-9a-f-]{36}\.pdf$/);
    const files = await readdir(path.join(privateUploads.dir, "certificates"));
    expect(files).toContain(path.basename(row!.key));
    // The public route refuses the private key, both as a path and as one segment.
    for (const segments of [row!.key.split("/"), [path.basename(row!.key)]]) {
      const res = await serveUploadRoute(new Request("http://localhost/uploads/x"), {
        params: Promise.resolve({ path: segments }),
      });
      expect(res.status).toBe(404);
    }
  });

  it("names each field that is wrong, the certificate included, and stores nothing", async () => {
    const student = sessionOf(await createUser("student", "Val Idation"));
    const before = await readdir(path.join(privateUploads.dir, "certificates")).catch(() => []);

    const noFile = await submitOverHttp(applicationFormData(applicationFields(), null), student);
    expect(noFile.status).toBe(400);
    expect(fieldsOf(noFile.error)).toEqual(["certificate"]);
    expect(noFile.error!.message).toContain("certificate");

    const badFields = await submitOverHttp(
      applicationFormData({
        ...applicationFields(),
        timeZone: "Mars/Olympus",
        experience: "short",
        subjects: [],
      }),
      student,
    );
    expect(badFields.status).toBe(400);
    expect(fieldsOf(badFields.error).sort()).toEqual(["experience", "subjects", "timeZone"]);

    // A text file named .pdf: the type comes from the bytes.
    const notPdf = new File(["just some text"], "diploma.pdf", { type: "application/pdf" });
    const wrongType = await submitOverHttp(
      applicationFormData(applicationFields(), notPdf),
      student,
    );
    expect(wrongType.status).toBe(400);
    expect(wrongType.error!.data.fieldErrors).toEqual({ certificate: [CERTIFICATE_WRONG_TYPE] });

    const huge = new File([new Uint8Array(CERTIFICATE_MAX_BYTES + 1)], "big.pdf");
    const tooLarge = await submitOverHttp(applicationFormData(applicationFields(), huge), student);
    expect(fieldsOf(tooLarge.error)).toEqual(["certificate"]);

    const unknownSubject = await submitOverHttp(
      applicationFormData(applicationFields({ subjects: ["astrology"] })),
      student,
    );
    expect(unknownSubject.status).toBe(400);
    expect(fieldsOf(unknownSubject.error)).toEqual(["subjects"]);

    const after = await readdir(path.join(privateUploads.dir, "certificates")).catch(() => []);
    expect(after).toEqual(before);
    expect((await caller(student).teaching.mine()).application).toBeNull();
  });

  it("keeps one open application per user; teachers and admins do not apply", async () => {
    const { user } = await createApplicant("Otto Once");
    const again = await submitOverHttp(applicationFormData(), sessionOf(user));
    expect(again.status).toBe(409);
    expect(again.error!.message).toMatch(/waiting for review/);
    const rows = await getDb()
      .select()
      .from(teacherApplications)
      .where(eq(teacherApplications.userId, user.id));
    expect(rows).toHaveLength(1);

    const seller = await createSellingTeacher();
    expect(
      await codeOf(caller(sessionOf(seller.user)).teaching.submit(applicationFormData())),
    ).toBe("FORBIDDEN");
    expect(await codeOf(caller(admin).teaching.submit(applicationFormData()))).toBe("FORBIDDEN");
  });
});

describe("a student's hours and money are never stranded by becoming a teacher", () => {
  it("a student with wallet money cannot apply, and nothing is stored", async () => {
    const student = await createUser("student", "Walt Wallet");
    await fundWallet(student.id, 2_500);
    const sent = await submitOverHttp(
      applicationFormData(applicationFields({ displayName: "Walt Wallet" })),
      sessionOf(student),
    );
    expect(sent.status).toBe(409);
    expect(sent.error?.message).toMatch(/money in your wallet as a student/);
    const rows = await getDb()
      .select({ id: teacherApplications.id })
      .from(teacherApplications)
      .where(eq(teacherApplications.userId, student.id));
    expect(rows).toEqual([]);
  });

  it("an applicant who buys lessons after applying is not approved until that is settled", async () => {
    const { user, application } = await createApplicant("Olive Orders");
    await fundWallet(user.id, 100);
    const code = await codeOf(
      caller(admin).teacherAdmin.approve({ applicationId: application.id }),
    );
    expect(code).toBe("CONFLICT");
    const [row] = await getDb()
      .select({ role: users.role })
      .from(users)
      .where(eq(users.id, user.id));
    expect(row!.role).toBe("student");
  });
});

describe("reviewing applications", () => {
  it("approval creates the approved teacher, their subjects and search document, and the role", async () => {
    const name = "Greta Approved";
    const { user, application } = await createApplicant(name, {
      subjects: ["physics", "mathematics"],
      timeZone: "Asia/Tokyo",
    });
    expect(await searchByName(name)).toEqual([]);

    const listed = await caller(admin).teacherAdmin.applications({ status: "submitted" });
    expect(listed.map((a) => a.id)).toContain(application.id);
    expect(listed.find((a) => a.id === application.id)).toMatchObject({
      applicantEmail: user.email,
      certificateUrl: `/teach/applications/${application.id}/certificate`,
    });

    const approved = await caller(admin).teacherAdmin.approve({ applicationId: application.id });
    const db = getDb();
    const [teacher] = await db.select().from(teachers).where(eq(teachers.id, approved.teacherId));
    expect(teacher).toMatchObject({
      userId: user.id,
      displayName: name,
      headline: applicationFields().headline,
      timeZone: "Asia/Tokyo",
      status: "approved",
    });
    expect(teacher!.approvedAt).toBeInstanceOf(Date);
    const subjects = await db
      .select({ slug: teacherSubjects.subjectSlug })
      .from(teacherSubjects)
      .where(eq(teacherSubjects.teacherId, approved.teacherId));
    expect(subjects.map((s) => s.slug).sort()).toEqual(["mathematics", "physics"]);
    const [role] = await db.select({ role: users.role }).from(users).where(eq(users.id, user.id));
    expect(role!.role).toBe("teacher");
    const [decided] = await db
      .select()
      .from(teacherApplications)
      .where(eq(teacherApplications.id, application.id));
    expect(decided).toMatchObject({
      status: "approved",
      reviewedBy: admin.user.id,
      teacherId: approved.teacherId,
    });
    const [document] = await db
      .select({ name: teacherSearch.name })
      .from(teacherSearch)
      .where(eq(teacherSearch.teacherId, approved.teacherId));
    expect(document!.name).toBe(name.toLowerCase());

    // Found in search, on the public studio, and the new teacher's own API works.
    expect((await searchByName(name)).map((hit) => hit.id)).toEqual([approved.teacherId]);
    const studio = await caller(null).teachers.byId({ id: approved.teacherId });
    expect(studio.displayName).toBe(name);
    const teacherSession = sessionOf({ ...user, role: "teacher" });
    expect(await caller(teacherSession).teachers.me()).toMatchObject({ status: "approved" });

    // The applicant's page (read with the session they still have) shows it; a stale session
    // cannot apply again either.
    const stale = sessionOf(user);
    expect(await caller(stale).teaching.mine()).toMatchObject({
      role: "teacher",
      application: { status: "approved" },
      teacher: { id: approved.teacherId, status: "approved" },
    });
    expect(await codeOf(caller(stale).teaching.submit(applicationFormData()))).toBe("CONFLICT");

    // Decided once.
    expect(
      await codeOf(caller(admin).teacherAdmin.approve({ applicationId: application.id })),
    ).toBe("CONFLICT");
    expect(
      await codeOf(
        caller(admin).teacherAdmin.reject({ applicationId: application.id, reason: "Too late" }),
      ),
    ).toBe("CONFLICT");
  });

  it("rejection needs a reason, which the applicant reads; they may apply again", async () => {
    const { user, application } = await createApplicant("Rita Rejected");
    const applicant = sessionOf(user);
    expect(
      await codeOf(
        caller(admin).teacherAdmin.reject({ applicationId: application.id, reason: "  " }),
      ),
    ).toBe("BAD_REQUEST");
    await caller(admin).teacherAdmin.reject({
      applicationId: application.id,
      reason: "The certificate is unreadable",
    });
    const mine = await caller(applicant).teaching.mine();
    expect(mine).toMatchObject({
      role: "student",
      teacher: null,
      application: {
        id: application.id,
        status: "rejected",
        decisionReason: "The certificate is unreadable",
      },
    });
    const [noTeacher] = await getDb().select().from(teachers).where(eq(teachers.userId, user.id));
    expect(noTeacher).toBeUndefined();

    const again = await submitOverHttp(
      applicationFormData(
        applicationFields({ displayName: "Rita Rejected" }),
        new File([tinyPng()], "scan.png", { type: "image/png" }),
      ),
      applicant,
    );
    expect(again.status).toBe(200);
    expect((await caller(applicant).teaching.mine()).application).toMatchObject({
      id: again.data!.id,
      status: "submitted",
      certificateType: "image/png",
    });
    const history = await getDb()
      .select({ status: teacherApplications.status })
      .from(teacherApplications)
      .where(eq(teacherApplications.userId, user.id));
    expect(history.map((h) => h.status).sort()).toEqual(["rejected", "submitted"]);
    expect(await codeOf(caller(admin).teacherAdmin.approve({ applicationId: "123456789" }))).toBe(
      "NOT_FOUND",
    );
  });
});

describe("suspending and reinstating", () => {
  it("a suspended teacher leaves search and the studio, cannot publish or sell, keeps the dashboard", async () => {
    const name = "Sven Suspended";
    const seller = await createSellingTeacher({ displayName: name, minNoticeMinutes: 0 });
    const teacherId = seller.teacher.id;
    await refreshTeacherSearch(getDb(), teacherId); // the fixture writes rows, not the document
    const teacher = sessionOf(seller.user);
    const student = sessionOf(await createUser("student", "Stu Dent"));
    // Read (and cache) the studio first: suspension must make the cached copy unreachable.
    expect((await caller(null).teachers.byId({ id: teacherId })).displayName).toBe(name);
    expect(await searchByName(name)).toHaveLength(1);

    expect(await codeOf(caller(admin).teacherAdmin.suspend({ teacherId, reason: "" }))).toBe(
      "BAD_REQUEST",
    );
    const suspended = await caller(admin).teacherAdmin.suspend({
      teacherId,
      reason: "Several students reported missed lessons",
    });
    expect(suspended).toMatchObject({ status: "suspended" });

    expect(await searchByName(name)).toEqual([]);
    expect(await codeOf(caller(null).teachers.byId({ id: teacherId }))).toBe("NOT_FOUND");
    expect(await codeOf(caller(null).teachers.priceCard({ id: teacherId }))).toBe("NOT_FOUND");
    expect(
      await codeOf(caller(teacher).schedule.publish({ start: slotFromNow(48), slots: 2 })),
    ).toBe("FORBIDDEN");
    const order = caller(student).trade.placeOrder({
      orderId: newOrderId(),
      teacherId,
      courseId: seller.courseId,
      purchase: { kind: "package", hours: 1 },
    });
    await expect(order).rejects.toMatchObject({ message: "This teacher is not taking bookings" });
    // The dashboard still opens and says why.
    expect(await caller(teacher).teachers.me()).toMatchObject({
      status: "suspended",
      statusReason: "Several students reported missed lessons",
    });
    expect(
      (await caller(admin).teacherAdmin.teachers({ status: "suspended", q: "Sven" })).map(
        (t) => t.id,
      ),
    ).toEqual([teacherId]);
    expect(await codeOf(caller(admin).teacherAdmin.suspend({ teacherId, reason: "Again" }))).toBe(
      "CONFLICT",
    );

    await caller(admin).teacherAdmin.reinstate({ teacherId });
    expect(await searchByName(name)).toHaveLength(1);
    expect((await caller(null).teachers.byId({ id: teacherId })).displayName).toBe(name);
    expect(await caller(teacher).teachers.me()).toMatchObject({
      status: "approved",
      statusReason: null,
    });
    expect(
      await codeOf(caller(teacher).schedule.publish({ start: slotFromNow(48), slots: 2 })),
    ).toBe("OK");
    expect(await codeOf(caller(admin).teacherAdmin.reinstate({ teacherId }))).toBe("CONFLICT");
  });
});

describe("certificates", () => {
  it("are shown to the applicant and admins only", async () => {
    const { user, application } = await createApplicant("Cora Certified");
    const storage = getPrivateStorage();
    const db = getDb();
    const read = (viewer: AppSession | null, id = application.id) =>
      readCertificate(db, storage, viewer?.user ?? null, id);

    const own = await read(sessionOf(user));
    expect(Buffer.from(own.bytes).equals(Buffer.from(tinyPdf()))).toBe(true);
    const byAdmin = await read(admin);
    expect(byAdmin.contentType).toBe("application/pdf");

    const response = certificateResponse(byAdmin);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="certificate-${application.id}.pdf"`,
    );
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(tinyPdf()))).toBe(true);

    const otherStudent = sessionOf(await createUser("student", "Nosy Neighbour"));
    const otherTeacher = sessionOf((await createSellingTeacher()).user);
    for (const viewer of [otherStudent, otherTeacher]) {
      await expect(read(viewer)).rejects.toMatchObject({ kind: "not_found" });
    }
    await expect(read(null)).rejects.toMatchObject({ kind: "unauthenticated" });
    await expect(read(admin, "not-an-id")).rejects.toMatchObject({ kind: "not_found" });
    await expect(read(admin, "987654321")).rejects.toMatchObject({ kind: "not_found" });

    expect(certificateRefusal(new DomainError("not_found", "No such certificate")).status).toBe(
      404,
    );
    expect(certificateRefusal(new DomainError("unauthenticated", "Sign in")).status).toBe(401);
  });

  it("an image certificate opens in the browser, sandboxed", async () => {
    const student = sessionOf(await createUser("student", "Ivy Image"));
    const sent = await submitOverHttp(
      applicationFormData(
        applicationFields({ displayName: "Ivy Image" }),
        new File([tinyPng()], "scan.png", { type: "image/png" }),
      ),
      student,
    );
    const file = await readCertificate(getDb(), getPrivateStorage(), student.user, sent.data!.id);
    const response = certificateResponse(file);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("content-disposition")).toMatch(/^inline; /);
    expect(response.headers.get("content-security-policy")).toContain("sandbox");
    const [row] = await getDb()
      .select({ name: teacherApplications.certificateName })
      .from(teacherApplications)
      .where(
        and(
          eq(teacherApplications.userId, student.user.id),
          eq(teacherApplications.id, sent.data!.id),
        ),
      );
    expect(row!.name).toBe("scan.png");
  });
});
