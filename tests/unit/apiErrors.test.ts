import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  describeFieldErrors,
  fieldErrorsOf,
  isDatabaseUnavailable,
  toClientError,
} from "../../server/api/errors";
import { DomainError, type DomainErrorKind } from "../../server/domainError";

const schema = z.object({
  id: z.string().regex(/^\d+$/, { message: "Expected a teacher id" }),
  nested: z.object({ a: z.number({ message: "Expected a number" }) }),
});

describe("fieldErrorsOf", () => {
  it("maps a ZodError's issues to fields, joining nested paths with dots", () => {
    const result = schema.safeParse({ id: "abc", nested: { a: "x" } });
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error)).toEqual({
      id: ["Expected a teacher id"],
      "nested.a": ["Expected a number"],
    });
  });

  it("uses zod's default messages when none are given", () => {
    const plain = z.object({ id: z.string().regex(/^\d+$/), nested: z.object({ a: z.number() }) });
    const result = plain.safeParse({ id: "12x", nested: {} });
    const fields = fieldErrorsOf(result.error);
    expect(Object.keys(fields ?? {}).sort()).toEqual(["id", "nested.a"]);
    expect(fields?.id).toHaveLength(1);
    expect(fields?.id?.[0]).toMatch(/pattern/i);
    expect(fields?.["nested.a"]?.[0]).toMatch(/number/i);
  });

  it("collects several messages for one field", () => {
    const twoRules = z.object({
      password: z
        .string()
        .min(10, { message: "Too short" })
        .regex(/\d/, { message: "Needs a digit" }),
    });
    const result = twoRules.safeParse({ password: "abc" });
    expect(fieldErrorsOf(result.error)).toEqual({ password: ["Too short", "Needs a digit"] });
  });

  it('uses "input" for an issue about the whole input', () => {
    const result = schema.safeParse("not an object");
    const fields = fieldErrorsOf(result.error);
    expect(Object.keys(fields ?? {})).toEqual(["input"]);
  });

  it("joins array indices into the path", () => {
    const list = z.object({ items: z.array(z.object({ n: z.number({ message: "bad n" }) })) });
    const result = list.safeParse({ items: [{ n: 1 }, { n: "2" }] });
    expect(fieldErrorsOf(result.error)).toEqual({ "items.1.n": ["bad n"] });
  });

  it("maps a DomainError about a field", () => {
    expect(fieldErrorsOf(new DomainError("invalid", "Pick a future slot", "slot"))).toEqual({
      slot: ["Pick a future slot"],
    });
  });

  it("is null for a DomainError without a field and for anything else", () => {
    expect(fieldErrorsOf(new DomainError("not_found", "No such teacher"))).toBeNull();
    expect(fieldErrorsOf(new Error("boom"))).toBeNull();
    expect(fieldErrorsOf(null)).toBeNull();
    expect(fieldErrorsOf(undefined)).toBeNull();
    expect(fieldErrorsOf({ issues: [{ path: ["id"], message: "fake" }] })).toBeNull();
  });
});

describe("describeFieldErrors", () => {
  it("names each field with its messages", () => {
    expect(describeFieldErrors({ id: ["Expected a teacher id"], page: ["Too small"] })).toBe(
      "id: Expected a teacher id; page: Too small",
    );
    expect(describeFieldErrors({ password: ["Too short", "Needs a digit"] })).toBe(
      "password: Too short, Needs a digit",
    );
    expect(describeFieldErrors({})).toBe("");
  });

  it("describes what fieldErrorsOf extracted from a ZodError", () => {
    const result = schema.safeParse({ id: "abc", nested: { a: 1 } });
    expect(describeFieldErrors(fieldErrorsOf(result.error)!)).toBe("id: Expected a teacher id");
  });
});

describe("toClientError", () => {
  const cases: [DomainErrorKind, string][] = [
    ["invalid", "BAD_REQUEST"],
    ["unauthenticated", "UNAUTHORIZED"],
    ["forbidden", "FORBIDDEN"],
    ["not_found", "NOT_FOUND"],
    ["conflict", "CONFLICT"],
    ["unavailable", "SERVICE_UNAVAILABLE"],
  ];

  it.each(cases)("maps a %s DomainError to %s, keeping the message and cause", (kind, code) => {
    const cause = new DomainError(kind, `a ${kind} problem`);
    const error = toClientError(cause);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error?.code).toBe(code);
    expect(error?.message).toBe(`a ${kind} problem`);
    expect(error?.cause).toBe(cause);
  });

  it("maps an unreachable database to SERVICE_UNAVAILABLE without leaking details", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
      code: "ECONNREFUSED",
    });
    const error = toClientError(cause);
    expect(error?.code).toBe("SERVICE_UNAVAILABLE");
    expect(error?.message).not.toContain("127.0.0.1");
    expect(error?.message).toMatch(/try again/i);
  });

  it("is null for a plain Error, a unique violation and non-errors", () => {
    expect(toClientError(new Error("boom"))).toBeNull();
    expect(toClientError(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBeNull();
    expect(toClientError(null)).toBeNull();
    expect(toClientError("ECONNREFUSED")).toBeNull();
  });
});

describe("isDatabaseUnavailable", () => {
  it("recognises connection failures and Postgres shutdown codes", () => {
    expect(isDatabaseUnavailable({ code: "ECONNREFUSED" })).toBe(true);
    expect(isDatabaseUnavailable({ code: "ECONNRESET" })).toBe(true);
    expect(isDatabaseUnavailable({ code: "CONNECT_TIMEOUT" })).toBe(true);
    expect(isDatabaseUnavailable({ code: "57P01" })).toBe(true); // admin_shutdown
    expect(isDatabaseUnavailable({ code: "57P03" })).toBe(true); // cannot_connect_now
    expect(isDatabaseUnavailable({ code: "53300" })).toBe(true); // too_many_connections
  });

  it("follows nested causes", () => {
    const inner = Object.assign(new Error("terminating connection"), { code: "57P01" });
    const wrapped = new Error("query failed", {
      cause: new Error("driver error", { cause: inner }),
    });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    expect(isDatabaseUnavailable({ cause: { cause: { cause: { code: "ECONNREFUSED" } } } })).toBe(
      true,
    );
  });

  it("is false for other database errors and non-errors", () => {
    expect(isDatabaseUnavailable({ code: "23505" })).toBe(false); // unique_violation
    expect(isDatabaseUnavailable({ code: "23505", cause: { code: "23503" } })).toBe(false);
    expect(isDatabaseUnavailable(new Error("ECONNREFUSED"))).toBe(false); // only the code counts
    expect(isDatabaseUnavailable({ code: 57 })).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });

  it("terminates on a cyclic cause chain", () => {
    const a: { code: string; cause?: unknown } = { code: "23505" };
    a.cause = { code: "XX000", cause: a };
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
