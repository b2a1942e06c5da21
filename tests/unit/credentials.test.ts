import { describe, expect, it } from "vitest";
import { signInInput, signUpInput } from "../../server/identity/credentials";

function issuesByField(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  const out: Record<string, string[]> = {};
  for (const issue of result.error?.issues ?? []) {
    const field = issue.path.join(".");
    out[field] = [...(out[field] ?? []), issue.message];
  }
  return out;
}

describe("signUpInput", () => {
  const valid = { name: "Ada Lovelace", email: "ada@example.com", password: "correct horse" };

  it("lower-cases and trims the email and trims the name", () => {
    expect(
      signUpInput.parse({
        name: "  Ada Lovelace ",
        email: "  Ada.Lovelace@Example.COM  ",
        password: "0123456789",
      }),
    ).toEqual({ name: "Ada Lovelace", email: "ada.lovelace@example.com", password: "0123456789" });
  });

  it("does not trim or alter the password", () => {
    expect(signUpInput.parse({ ...valid, password: "  Secret Pass  " }).password).toBe(
      "  Secret Pass  ",
    );
  });

  it("rejects passwords shorter than 10 characters with a message", () => {
    const result = signUpInput.safeParse({ ...valid, password: "123456789" });
    expect(result.success).toBe(false);
    expect(issuesByField(result)).toEqual({ password: ["Use at least 10 characters"] });
    expect(signUpInput.safeParse({ ...valid, password: "1234567890" }).success).toBe(true);
  });

  it("rejects passwords longer than 200 characters", () => {
    const result = signUpInput.safeParse({ ...valid, password: "x".repeat(201) });
    expect(issuesByField(result)).toEqual({ password: ["Use at most 200 characters"] });
    expect(signUpInput.safeParse({ ...valid, password: "x".repeat(200) }).success).toBe(true);
  });

  it("rejects an empty or blank name", () => {
    for (const name of ["", "   ", "\t"]) {
      const result = signUpInput.safeParse({ ...valid, name });
      expect(result.success).toBe(false);
      expect(issuesByField(result)).toEqual({ name: ["Enter your name"] });
    }
  });

  it("rejects names longer than 80 characters after trimming", () => {
    expect(signUpInput.safeParse({ ...valid, name: "a".repeat(81) }).success).toBe(false);
    expect(signUpInput.safeParse({ ...valid, name: ` ${"a".repeat(80)} ` }).success).toBe(true);
  });

  it("rejects invalid email addresses with a message", () => {
    for (const email of ["", "ada", "ada@", "@example.com", "ada lovelace@example.com"]) {
      const result = signUpInput.safeParse({ ...valid, email });
      expect(result.success, email).toBe(false);
      expect(issuesByField(result)).toEqual({ email: ["Enter a valid email address"] });
    }
  });

  it("reports every bad field at once", () => {
    const result = signUpInput.safeParse({ name: " ", email: "nope", password: "short" });
    expect(Object.keys(issuesByField(result)).sort()).toEqual(["email", "name", "password"]);
  });
});

describe("signInInput", () => {
  it("normalises the email the same way as sign-up", () => {
    expect(signInInput.parse({ email: " ADA@Example.com", password: "x" })).toEqual({
      email: "ada@example.com",
      password: "x",
    });
  });

  it("requires a password but not a long one", () => {
    expect(signInInput.safeParse({ email: "ada@example.com", password: "" }).success).toBe(false);
    expect(signInInput.safeParse({ email: "ada@example.com", password: "short" }).success).toBe(
      true,
    );
  });
});
