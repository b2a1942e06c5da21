/**
 * The Postgres (or network) error with one of `codes` somewhere in a thrown error's cause
 * chain, or null. Drivers and drizzle wrap the server's error, so the code is rarely on top.
 */
export function findPostgresError(
  error: unknown,
  codes: ReadonlySet<string>,
): { code: string; constraint: string } | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const found = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (typeof found.code === "string" && codes.has(found.code)) {
      // postgres-js names the constraint `constraint_name`, PGlite `constraint`.
      const constraint = found.constraint_name ?? found.constraint;
      return { code: found.code, constraint: typeof constraint === "string" ? constraint : "" };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
