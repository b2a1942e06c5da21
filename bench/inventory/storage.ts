import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../db/client";
import { adminRun } from "../lib/database";

export interface RelationSize {
  name: string;
  rows: number;
  total: number;
  heap: number;
  fsm: number;
  vm: number;
  indexes: { name: string; bytes: number }[];
  /** TOAST table and its index (teacher_days' bit column is a varlena, so it has one). */
  toast: number;
}

/**
 * The same published slots as a row per slot, the design teacher_days replaces. Built from
 * teacher_days itself (every "01" pair becomes a row), so both hold exactly the same year.
 */
export async function buildRowPerSlotTable(db: Database, teacherId: string): Promise<number> {
  await db.execute(sql`DROP TABLE IF EXISTS bench_slot_rows`);
  await db.execute(sql`
    CREATE TABLE bench_slot_rows (
      teacher_id bigint, starts_at timestamptz, state smallint, version int,
      PRIMARY KEY (teacher_id, starts_at))`);
  await db.execute(sql`
    INSERT INTO bench_slot_rows (teacher_id, starts_at, state, version)
    SELECT d.teacher_id, (d.day::timestamp AT TIME ZONE 'UTC') + i * interval '30 minutes', 1, 0
    FROM teacher_days d, generate_series(0, 47) AS i
    WHERE d.teacher_id = ${teacherId} AND substring(d.slots FROM 2 * i + 1 FOR 2) = B'01'
    ORDER BY 1, 2`);
  const [count] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM bench_slot_rows`,
  );
  return count!.n;
}

/** Sizes after VACUUM ANALYZE (VACUUM cannot run in a transaction, so on its own connection). */
export async function relationSizes(
  db: Database,
  databaseUrl: string,
  tables: string[],
): Promise<RelationSize[]> {
  for (const table of tables) await adminRun(`VACUUM ANALYZE ${table}`, databaseUrl);
  const out: RelationSize[] = [];
  for (const table of tables) {
    const [size] = await queryRows<Omit<RelationSize, "indexes" | "toast" | "name">>(
      db,
      sql`SELECT pg_total_relation_size(c.oid)::int AS total,
                 pg_relation_size(c.oid, 'main')::int AS heap,
                 pg_relation_size(c.oid, 'fsm')::int AS fsm,
                 pg_relation_size(c.oid, 'vm')::int AS vm,
                 (SELECT count(*) FROM ${sql.identifier(table)})::int AS rows
          FROM pg_class c WHERE c.oid = ${table}::regclass`,
    );
    const indexes = await queryRows<{ name: string; bytes: number }>(
      db,
      sql`SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid)::int AS bytes
          FROM pg_index WHERE indrelid = ${table}::regclass ORDER BY 1`,
    );
    const indexBytes = indexes.reduce((n, i) => n + i.bytes, 0);
    out.push({
      name: table,
      ...size!,
      indexes,
      toast: size!.total - size!.heap - size!.fsm - size!.vm - indexBytes,
    });
  }
  return out;
}
