import { stringify } from "csv-stringify/sync";
import type { Executor } from "../../db/client";
import { PLATFORM_CURRENCY } from "../catalog/currency";
import type { AppSession } from "../identity/session";
import { minorDigits } from "./topUpRules";
import { type WalletStatementLine, wholeWalletStatement } from "./walletViews";

const CURRENCY = /^[A-Z]{3}$/;

const plain = (status: number, message: string) =>
  new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

/** Minor units as a plain decimal in the currency's major unit ("-12.50"), for spreadsheets. */
export function csvAmount(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const unit = 10 ** digits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, "0")}`;
}

/** The statement as RFC 4180 CSV (csv-stringify quotes what needs quoting), newest first. */
export function walletStatementCsv(lines: readonly WalletStatementLine[], currency: string) {
  return stringify(
    lines.map((l) => [
      l.createdAt.toISOString(),
      l.description,
      l.orderId ?? "",
      l.note ?? "",
      csvAmount(l.amount, currency),
      csvAmount(l.balanceAfter, currency),
      currency,
      l.entryId,
    ]),
    {
      header: true,
      columns: ["date", "description", "order", "note", "amount", "balance", "currency", "entry"],
    },
  );
}

/**
 * GET /me/wallet/statement.csv?currency=USD: the signed-in student's own wallet statement,
 * every line, as a download. Signed out 401, not a student 403, a malformed currency 400.
 */
export async function walletStatementCsvResponse(
  db: Executor,
  request: Request,
  session: AppSession | null,
): Promise<Response> {
  if (!session) return plain(401, "Sign in to download your wallet statement");
  if (session.user.role !== "student") return plain(403, "Only students have a wallet");
  const currency = new URL(request.url).searchParams.get("currency") ?? PLATFORM_CURRENCY;
  if (!CURRENCY.test(currency)) return plain(400, "currency: expected a code such as USD");
  const lines = await wholeWalletStatement(db, session.user.id, currency);
  return new Response(walletStatementCsv(lines, currency), {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="halfhour-wallet-${currency}.csv"`,
      "cache-control": "no-store",
    },
  });
}
