import { getDb } from "@/db/client";
import { isDatabaseUnavailable } from "@/server/api/errors";
import { localDate } from "@/server/api/inputs";
import { currentSession } from "@/server/auth";
import { payoutRunCsv, payoutRunRows } from "@/server/settlement/payoutRuns";

export const dynamic = "force-dynamic";

const text = (body: string, status: number) =>
  new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

/**
 * /admin/payouts/<period end>/payouts.csv: one payout run for the bank (admins only). The
 * period end is the run's cut-off date, a Monday, as YYYY-MM-DD.
 */
export async function GET(_req: Request, { params }: { params: Promise<{ periodEnd: string }> }) {
  const session = await currentSession();
  if (!session) return text("Sign in as an admin to download payouts", 401);
  if (session.user.role !== "admin") return text("Only administrators can do this", 403);
  const { periodEnd } = await params;
  const parsed = localDate.safeParse(periodEnd);
  if (!parsed.success) return text("periodEnd: expected a date as YYYY-MM-DD", 400);
  let rows: Awaited<ReturnType<typeof payoutRunRows>>;
  try {
    rows = await payoutRunRows(getDb(), new Date(`${parsed.data}T00:00:00Z`));
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return text("Payouts are temporarily unavailable", 503);
  }
  if (rows.length === 0) return text("No payout run ends on that date", 404);
  return new Response(payoutRunCsv(rows), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="payouts-${parsed.data}.csv"`,
      "cache-control": "private, no-store",
    },
  });
}
