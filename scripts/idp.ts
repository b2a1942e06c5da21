/**
 * `npm run idp`: a local OpenID Connect provider for development and the end-to-end tests,
 * built on oidc-provider (a certified implementation), so the app's single sign-on is tested
 * against a real authorisation-code flow with discovery, PKCE, state, nonce and userinfo.
 *
 * Configured by the same variables as the app: OIDC_ISSUER (its own URL, default
 * http://127.0.0.1:3001; it listens on that host and port), OIDC_CLIENT_ID and
 * OIDC_CLIENT_SECRET (the one client it knows), AUTH_URL (where the app runs, default
 * http://localhost:$PORT or :3000; the redirect URI is AUTH_URL/api/auth/callback/oidc). Everything
 * lives in memory: a restart forgets sessions and grants. The people are in scripts/idpUsers.ts.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Provider, { interactionPolicy } from "oidc-provider";
import { IDP_PASSWORD, IDP_USERS, type IdpUser } from "./idpUsers";

const issuer = new URL(process.env.OIDC_ISSUER ?? "http://127.0.0.1:3001");
const clientId = process.env.OIDC_CLIENT_ID ?? "halfhour-local";
const clientSecret = process.env.OIDC_CLIENT_SECRET ?? "halfhour-local-secret";
const appUrl = new URL(process.env.AUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`);

if (issuer.pathname !== "/") {
  console.error(`OIDC_ISSUER must have no path for the local IdP (got ${issuer.href})`);
  process.exit(1);
}

/** The app's callback, also under 127.0.0.1 and localhost so either address works locally. */
function redirectUris(): string[] {
  const uris = new Set<string>();
  for (const host of [appUrl.hostname, "localhost", "127.0.0.1"]) {
    const url = new URL("/api/auth/callback/oidc", appUrl);
    if (["localhost", "127.0.0.1"].includes(appUrl.hostname)) url.hostname = host;
    uris.add(url.href);
  }
  return [...uris];
}

// A fresh signing key per start: nothing issued by an earlier run needs to stay valid.
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: "local-idp", use: "sig" };

// A demo IdP that remembered who signed in last would make switching between its people
// awkward: it asks at every authorisation request (like max_age=0) and is satisfied once this
// request's login is done.
const policy = interactionPolicy.base();
policy.get("login")!.checks.add(
  new interactionPolicy.Check(
    "local_idp_asks_every_time",
    "the local IdP asks who is signing in at every request",
    "login_required",
    // true asks for the login prompt (Check.REQUEST_PROMPT).
    (ctx) => !ctx.oidc.result?.login,
  ),
);

const provider = new Provider(issuer.origin, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      client_name: "Halfhour",
      redirect_uris: redirectUris(),
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  scopes: ["openid", "email", "profile"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  findAccount(_ctx, sub) {
    const user = IDP_USERS.find((u) => u.sub === sub);
    if (!user) return undefined;
    return {
      accountId: user.sub,
      claims: () => ({
        sub: user.sub,
        email: user.email,
        email_verified: user.email_verified,
        name: user.name,
      }),
    };
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
});

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Local IdP</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 30rem; margin: 3rem auto; padding: 0 1rem; color: #1e293b; }
  h1 { font-size: 1.4rem; } label { display: block; margin: .75rem 0; }
  input { display: block; width: 100%; padding: .5rem; font: inherit; box-sizing: border-box; }
  button { padding: .5rem 1rem; font: inherit; margin-right: .5rem; }
  .error { color: #b91c1c; } .muted { color: #64748b; font-size: .875rem; }
  table { border-collapse: collapse; font-size: .875rem; } td, th { padding: .25rem .5rem; text-align: left; }
</style></head><body>${body}</body></html>`;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function loginPage(uid: string, clientName: string, error?: string, email = "") {
  const people = IDP_USERS.map(
    (u) =>
      `<tr><td>${escapeHtml(u.email)}</td><td>${escapeHtml(u.name)}</td><td>${u.email_verified ? "verified" : "not verified"}</td></tr>`,
  ).join("");
  return page(
    "Sign in",
    `<h1>Local IdP: sign in to continue to ${escapeHtml(clientName)}</h1>
<p>${escapeHtml(clientName)} will receive your name and your email address (and whether it is verified).</p>
<form method="post" action="/interaction/${uid}/login">
  <label>Email<input name="email" type="email" autocomplete="username" value="${escapeHtml(email)}" required autofocus></label>
  <label>Password<input name="password" type="password" autocomplete="current-password" required></label>
  ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
  <button type="submit">Sign in and continue</button>
</form>
<form method="post" action="/interaction/${uid}/abort"><p><button type="submit">Cancel</button></p></form>
<p class="muted">People of this local IdP (password <code>${IDP_PASSWORD}</code>):</p>
<table>${people}</table>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error("form too large");
  }
  return new URLSearchParams(body);
}

function send(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(html);
}

/** Our own login page: one step that signs the person in and grants the scopes asked for. */
async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, step?: string) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page("Error", "<p>Unknown sign-in request.</p>"));
  const client = await provider.Client.find(details.params.client_id);
  const clientName = client?.clientName ?? details.params.client_id;

  if (req.method === "GET" && !step) return send(res, 200, loginPage(uid, clientName));
  if (req.method !== "POST") return send(res, 405, page("Error", "<p>Method not allowed.</p>"));

  if (step === "abort") {
    return provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: "The person cancelled signing in" },
      { mergeWithLastSubmission: false },
    );
  }
  if (step !== "login") return send(res, 404, page("Error", "<p>Not found.</p>"));

  const form = await readForm(req);
  const email = (form.get("email") ?? "").trim().toLowerCase();
  const user: IdpUser | undefined = IDP_USERS.find((u) => u.email === email);
  if (!user || form.get("password") !== IDP_PASSWORD) {
    return send(res, 401, loginPage(uid, clientName, "Wrong email or password.", email));
  }
  const grant = new provider.Grant({ accountId: user.sub, clientId: details.params.client_id });
  grant.addOIDCScope(
    String(details.params.scope ?? "openid")
      .split(" ")
      .filter((s) => ["openid", "email", "profile"].includes(s))
      .join(" "),
  );
  const grantId = await grant.save();
  return provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.sub }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

const oidc = provider.callback();
const server = createServer((req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(
    new URL(req.url ?? "/", issuer).pathname,
  );
  if (!match) return oidc(req, res);
  interaction(req, res, match[1]!, match[2]).catch((error: Error) => {
    console.error("[idp]", error);
    if (!res.headersSent) send(res, 400, page("Error", `<p>${escapeHtml(error.message)}</p>`));
  });
});

server.listen(Number(issuer.port || 80), issuer.hostname, () => {
  console.info(
    `Local IdP at ${issuer.origin} (client ${clientId}, redirect ${redirectUris().join(", ")})`,
  );
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
