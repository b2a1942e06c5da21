import { randomBytes } from "node:crypto";
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
