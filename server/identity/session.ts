/** The signed-in viewer as the rest of the app sees it, independent of Auth.js's types. */
export const ROLES = ["student", "teacher", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface AppSession {
  user: { id: string; role: Role; name: string | null; email: string | null };
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
