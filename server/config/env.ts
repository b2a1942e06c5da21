import { z } from "zod";

/**
 * Every setting the app reads, validated once. Unset optional values keep the app on its
 * embedded defaults (PGlite under .data/, an in-process cache), so one command runs it.
 */
const schema = z.object({
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
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${fields}`);
  }
  cached = parsed.data;
  return cached;
}

export const isEmbedded = () => !env().DATABASE_URL;
