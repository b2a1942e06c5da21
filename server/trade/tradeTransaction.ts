import type { Database, Transaction } from "../../db/client";
import { findPostgresError } from "../../db/postgresError";

/** Postgres aborted the transaction to break a deadlock or a serialization conflict. */
const RETRYABLE = new Set(["40P01", "40001"]);
const ATTEMPTS = 3;

export const isRetryable = (error: unknown) => findPostgresError(error, RETRYABLE) !== null;

/**
 * A trade write: one Postgres transaction, retried from the start (a couple of times) when
 * Postgres chose it as a deadlock victim. Rare — locks are taken order first, then teacher
 * days in day order — but an expired hold released by a booking and by the sweep job at the
 * same moment can cross; a retry re-reads everything, so it is safe.
 */
export async function tradeTransaction<T>(
  db: Database,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}
