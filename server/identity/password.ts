import argon2 from "argon2";

/** argon2id with the library's defaults (64 MiB, 3 passes): the OWASP-recommended family. */
export function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, { type: argon2.argon2id });
}

/** False for a wrong password or a malformed hash; never throws on user input. */
export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password for an account that may not exist or may have no password, spending the
 * same argon2 time either way so response times do not reveal which emails are registered.
 */
export async function verifyAccountPassword(hash: string | null | undefined, plain: string) {
  if (hash) return verifyPassword(hash, plain);
  dummyHash ??= hashPassword("halfhour-timing-equaliser");
  await verifyPassword(await dummyHash, plain);
  return false;
}
