import { z } from "zod";

/**
 * Every setting the app reads, validated once. Unset optional values keep the app on its
 * embedded defaults (PGlite under .data/, an in-process cache), so one command runs it.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.url().optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    EMBEDDED_DATA_DIR: z.string().min(1).default(".data"),
    REDIS_URL: z.url().optional(),
    UPSTASH_REDIS_REST_URL: z.url().optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    CACHE_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(250),
    AUTH_SECRET: z.string().min(16).optional(),
    /** The app's public URL (Auth.js reads it too); links in mails are built from it. */
    AUTH_URL: z.string().trim().optional(),
    /** Namespaces rate-limit keys in Redis, so separate deployments or test runs never mix. */
    HALFHOUR_RATE_LIMIT_PREFIX: z
      .string()
      .regex(/^[\w.-]{1,64}$/)
      .default("halfhour"),
    /** Shows the development SMS and mail sinks on a production build (e2e runs); see deployment.ts. */
    HALFHOUR_DEV_SINKS: z
      .enum(["0", "1"])
      .default("0")
      .transform((v) => v === "1"),
    /** Reverse proxies in front of the app that append to X-Forwarded-For (see clientAddress). */
    HALFHOUR_PROXY_HOPS: z.coerce.number().int().min(1).max(5).default(1),
    /** The sandbox gateway's callback signing secret; derived from the auth secret when unset. */
    SANDBOX_WEBHOOK_SECRET: z.string().min(16).optional(),
    /** Both set: the Stripe gateway is offered (Checkout Sessions, signed webhooks). */
    STRIPE_SECRET_KEY: z.string().startsWith("sk_").optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_").optional(),
    /**
     * Single sign-on with any OpenID Connect provider: all three set, or none. The issuer is the
     * provider's identifier; its endpoints come from `<issuer>/.well-known/openid-configuration`.
     */
    OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** What the sign-in button calls the provider: "Sign in with <name>". */
    OIDC_NAME: z.string().trim().min(1).max(40).default("Single sign-on"),
    /** All three set: text messages (phone sign-in codes) go through Twilio's Messages API. */
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, { message: "Expected an Account SID (AC and 32 hex digits)" })
      .optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
    /** An E.164 sender number, or a Messaging Service SID (MG and 32 hex digits). */
    TWILIO_FROM: z
      .string()
      .regex(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/, {
        message: "Expected an E.164 number like +15017122661 or a Messaging Service SID (MG…)",
      })
      .optional(),
    /** The SMTP relay for account mails: smtp://user:pass@host:587 or smtps://user:pass@host:465. */
    SMTP_URL: z
      .url({ protocol: /^smtps?$/ })
      .refine((url) => new URL(url).hostname !== "", { message: "expected smtp(s)://host:port" })
      .optional(),
    /** The From of account mails: an address, or "Name <address>"; one line. */
    MAIL_FROM: z
      .string()
      .trim()
      .regex(/^(?:[^<>@\r\n]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, {
        message: 'expected "no-reply@example.com" or "Name <no-reply@example.com>"',
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    // Settings that only make sense together: all of a group set, or none.
    const groups = [
      { keys: ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"], what: "single sign-on" },
      { keys: ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"], what: "Twilio" },
    ] as const;
    for (const { keys, what } of groups) {
      const set = keys.filter((key) => value[key] !== undefined);
      if (set.length === 0 || set.length === keys.length) continue;
      for (const key of keys.filter((k) => value[k] === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `set it too, or unset ${set.join(" and ")}: ${what} needs all three`,
        });
      }
    }
  });

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Parses an environment (process.env by default); throws naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${fields}`);
  }
  return parsed.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export const isEmbedded = () => !env().DATABASE_URL;

/**
 * The app's public URL from AUTH_URL (no trailing slash), or null when unset or not an http(s)
 * URL. Links in mails and gateway return URLs are built from it, never from a request's Host
 * header, which a client chooses (a forged Host would put an attacker's domain in a link).
 */
export function publicAppUrl(config: Env = env()): string | null {
  const configured = config.AUTH_URL;
  if (!configured) return null;
  try {
    const url = new URL(configured);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  } catch {
    return null;
  }
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
}

/** The OpenID Connect provider to offer, or null when single sign-on is not configured. */
export function oidcSettings(source: Env = env()): OidcSettings | null {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME } = source;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return null;
  return {
    issuer: OIDC_ISSUER,
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
    name: OIDC_NAME,
  };
}
