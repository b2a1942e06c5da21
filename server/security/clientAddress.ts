/**
 * The client's address as seen by the nearest trusted hop. `next start` fills X-Forwarded-For
 * with the socket's address when the request has none; a reverse proxy appends the address it
 * saw. So the right-most entry is the one the client cannot forge; entries to its left are
 * whatever the client sent. Behind more proxies, set HALFHOUR_PROXY_HOPS to their number.
 */
export function clientAddress(headers: Headers, proxyHops = 1): string {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const index = entries.length - Math.max(proxyHops, 1);
  return entries[Math.max(index, 0)] ?? "unknown";
}
