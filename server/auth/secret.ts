import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env, isEmbedded } from "../config/env";

/**
 * AUTH_SECRET when set. The embedded demo makes one on first start and keeps it under .data/
 * so sessions survive restarts; with a real database and no secret, Auth.js refuses to start,
 * which is what production should do.
 */
export function authSecret(): string | undefined {
  const { AUTH_SECRET, EMBEDDED_DATA_DIR } = env();
  if (AUTH_SECRET) return AUTH_SECRET;
  if (!isEmbedded()) return undefined;
  const file = path.resolve(EMBEDDED_DATA_DIR, "auth-secret");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

/**
 * A secret of its own for one purpose (`label`), derived from the auth secret by HMAC-SHA256:
 * features that need a key (coupon codes, the sandbox's signatures, phone codes) work with
 * AUTH_SECRET alone, and no two of them share a key. Undefined when there is no auth secret.
 */
export function derivedSecret(label: string): string | undefined {
  const base = authSecret();
  return base && createHmac("sha256", base).update(label).digest("base64url");
}
