import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { users } from "../../db/schema";
import { DomainError } from "../domainError";
import type { SignUpInput } from "./credentials";
import { hashPassword } from "./password";

/** Creates a student account with a password. Everyone starts as a student; teaching is applied for. */
export async function registerUser(db: Executor, input: SignUpInput) {
  const passwordHash = await hashPassword(input.password);
  const [created] = await db
    .insert(users)
    .values({ name: input.name, email: input.email, passwordHash, role: "student" })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id, email: users.email, role: users.role });
  if (!created) {
    throw new DomainError("conflict", "An account with this email already exists", "email");
  }
  return created;
}

export async function findUserForSignIn(db: Executor, email: string) {
  const [user] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      passwordHash: users.passwordHash,
      sessionGeneration: users.sessionGeneration,
    })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  return user ?? null;
}
