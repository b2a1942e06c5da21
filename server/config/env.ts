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
  })
  .superRefine((value, ctx) => {
    const oidc = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;
    const set = oidc.filter((key) => value[key] !== undefined);
    if (set.length > 0 && set.length < oidc.length) {
      for (const key of oidc.filter((k) => value[k] === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `set it too, or unset ${set.join(" and ")}: single sign-on needs all three`,
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
