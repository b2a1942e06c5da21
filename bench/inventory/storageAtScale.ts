import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { type RelationSize, relationSizes } from "./storage";

/**
 * Diagnostic for the bytes ratio: both layouts rebuilt as bulk-loaded copies (same columns and
 * indexes, no write-path bloat) of `copies` teachers, each with the measured teacher's year.
 * With 1 copy this removes only the insert-then-update bloat; with many it also spreads the
 * fixed per-relation pages (free-space map, visibility map, index metapages) over the rows,
 * which is what a real table with many teachers sees.
 */
export async function ratioOfCopies(
  db: Database,
  databaseUrl: string,
  teacherId: string,
  copies: number,
): Promise<{ ours: RelationSize; perSlot: RelationSize; ratio: number }> {
  await db.execute(sql`DROP TABLE IF EXISTS bench_copy_days, bench_copy_slot_rows`);
  await db.execute(sql`CREATE TABLE bench_copy_days (LIKE teacher_days INCLUDING ALL)`);
  await db.execute(sql`CREATE TABLE bench_copy_slot_rows (LIKE bench_slot_rows INCLUDING ALL)`);
  // Synthetic teacher ids (id + k): these tables carry no foreign key, so none need to exist.
  await db.execute(sql`
    INSERT INTO bench_copy_days
    SELECT teacher_id + k, day, slots, version, updated_at
    FROM teacher_days, generate_series(0, ${copies - 1}) AS k
    WHERE teacher_id = ${teacherId} ORDER BY 1, 2`);
  await db.execute(sql`
    INSERT INTO bench_copy_slot_rows
    SELECT teacher_id + k, starts_at, state, version
    FROM bench_slot_rows, generate_series(0, ${copies - 1}) AS k ORDER BY 1, 2`);
  const [ours, perSlot] = await relationSizes(db, databaseUrl, [
    "bench_copy_days",
    "bench_copy_slot_rows",
  ]);
  await db.execute(sql`DROP TABLE bench_copy_days, bench_copy_slot_rows`);
  return { ours: ours!, perSlot: perSlot!, ratio: perSlot!.total / ours!.total };
}

/** Average stored tuple size (header included), to explain the per-row side of the ratio. */
export async function averageTupleBytes(db: Database, table: string): Promise<number> {
  const result: unknown = await db.execute(
    sql`SELECT avg(pg_column_size(t.*))::float AS bytes FROM ${sql.identifier(table)} AS t`,
  );
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return (rows[0] as { bytes: number }).bytes;
}
