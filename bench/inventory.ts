import { cpus, loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { createTeachers } from "./inventory/fixtures";
import { benchFreeSlots } from "./inventory/freeSlots";
import {
  publishReservableSlots,
  reserveThroughRawSql,
  reserveThroughService,
} from "./inventory/reserveThroughput";
import { buildRowPerSlotTable, type RelationSize, relationSizes } from "./inventory/storage";
import { averageTupleBytes, ratioOfCopies } from "./inventory/storageAtScale";
import { benchYearPublish } from "./inventory/yearPublish";
import {
  adminRun,
  databaseUrl,
  dropDatabase,
  freshAppDatabase,
  recreateDatabase,
} from "./lib/database";
import { pgbenchInit, pgbenchSimpleUpdate } from "./lib/pgbench";
import { formatBytes, round } from "./lib/stats";

const BENCH_DATABASE = "halfhour_bench";
const PGBENCH_DATABASE = "halfhour_pgbench";
const CLIENTS = 32;
const SECONDS = 10;
const FREE_CALLS = 1000;
/** Reserve run: 250 teachers × 28 days × 48 slots = 336,000 distinct published slots. */
const RESERVE_TEACHERS = 250;
const RESERVE_DAYS = 28;

const say = (line = "") => console.info(line);
const ms = (value: number) => `${value.toFixed(2)} ms`;
const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");

function describeSize(size: RelationSize) {
  say(`  ${size.name}: ${formatBytes(size.total)} for ${size.rows} rows`);
  say(
    `    heap ${formatBytes(size.heap)}, free-space map ${formatBytes(size.fsm)}, ` +
      `visibility map ${formatBytes(size.vm)}, toast ${formatBytes(size.toast)}`,
  );
  for (const index of size.indexes) say(`    index ${index.name} ${formatBytes(index.bytes)}`);
}

export async function runInventoryBench(): Promise<void> {
  const benchUrl = databaseUrl(BENCH_DATABASE);
  const app = await freshAppDatabase(BENCH_DATABASE, CLIENTS);
  try {
    say(`inventory benchmark on ${new URL(benchUrl).host}, database ${BENCH_DATABASE}`);
    say(
      `  machine: ${cpus().length} cores, load average ${loadAverage()} (timings are noisy if busy)`,
    );

    say("\n1. Publish a year (applyAvailabilityPattern, Mon–Sat 08:00–22:00 Europe/London)");
    const [owner] = await createTeachers(app.db, 1, "Europe/London");
    const year = await benchYearPublish(app.db, owner!);
    say(`  one call: ${ms(year.ms)} (dry-run warm-up ${ms(year.dryRunMs)}; of which pattern`);
    say(`  expansion in JS ${ms(year.expandMs)})`);
    say(`  outcome ${JSON.stringify(year.outcome)}; rows in teacher_days: ${year.rowsInTable}`);
    if (year.rowsInTable !== year.outcome.rowsWritten) {
      say("  WARNING: rowsWritten differs from the rows in the table");
    }

    say("\n2. Storage against a row per slot (after VACUUM ANALYZE, incl. indexes)");
    const slotRows = await buildRowPerSlotTable(app.db, owner!.teacherId);
    const [ours, perSlot] = await relationSizes(app.db, benchUrl, [
      "teacher_days",
      "bench_slot_rows",
    ]);
    describeSize(ours!);
    describeSize(perSlot!);
    const bytesRatio = perSlot!.total / ours!.total;
    const heapRatio = perSlot!.heap / ours!.heap;
    say(
      `  ratio (row per slot / ours): total ${bytesRatio.toFixed(2)}, heap alone ${heapRatio.toFixed(2)}`,
    );
    // Where the bytes go: the same data without write-path bloat, then at 50 teachers.
    const compacted = await ratioOfCopies(app.db, benchUrl, owner!.teacherId, 1);
    const atScale = await ratioOfCopies(app.db, benchUrl, owner!.teacherId, 50);
    say(
      `  diagnostic, bulk-loaded copies: 1 teacher ${compacted.ratio.toFixed(2)} ` +
        `(ours ${formatBytes(compacted.ours.total)}), 50 teachers ${atScale.ratio.toFixed(2)} ` +
        `(ours ${formatBytes(atScale.ours.total)}, row per slot ${formatBytes(atScale.perSlot.total)})`,
    );
    describeSize(compacted.ours);
    const perRow = (size: RelationSize) =>
      `heap ${(size.heap / size.rows).toFixed(1)} B/row, indexes ` +
      `${(size.indexes.reduce((n, i) => n + i.bytes, 0) / size.rows).toFixed(1)} B/row`;
    say(`  at 50 teachers: ours ${perRow(atScale.ours)}; row per slot ${perRow(atScale.perSlot)}`);
    say(
      `  average tuple: teacher_days ${(await averageTupleBytes(app.db, "teacher_days")).toFixed(1)} B, ` +
        `bench_slot_rows ${(await averageTupleBytes(app.db, "bench_slot_rows")).toFixed(1)} B; ` +
        `${(slotRows / year.outcome.rowsWritten).toFixed(1)} published slots per teacher-day`,
    );

    say(`\n3. listFreeSlots, 14 days, ${FREE_CALLS} sequential calls`);
    const free = await benchFreeSlots(app.db, owner!.teacherId, FREE_CALLS);
    say(`  p50 ${ms(free.p50)}, p99 ${ms(free.p99)} (${free.slots} free slots per answer)`);

    say(`\n4. Reserves through transitionSlots, ${CLIENTS} clients, ${SECONDS} s`);
    const teachers = await createTeachers(app.db, RESERVE_TEACHERS, "UTC");
    const firstDay = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const work = await publishReservableSlots(
      app.db,
      teachers.map((t) => t.teacherId),
      firstDay,
      RESERVE_DAYS,
    );
    const cursor = { next: 0 };
    await Promise.all(Array.from({ length: CLIENTS }, () => app.db.execute(sql`SELECT 1`)));
    await reserveThroughService(app.db, work, cursor, { clients: CLIENTS, seconds: 1 }); // warm-up
    await adminRun("CHECKPOINT");
    const service = await reserveThroughService(app.db, work, cursor, {
      clients: CLIENTS,
      seconds: SECONDS,
    });
    say(
      `  ${service.reserved} reserved, ${service.taken} taken: ${service.tps.toFixed(0)} tps; ` +
        `latency p50 ${ms(service.latencyP50)}, p99 ${ms(service.latencyP99)}`,
    );
    say(
      `  CPU: node ${service.processCorePct.toFixed(0)}% of one core, ` +
        `machine ${service.machineBusyPct.toFixed(0)}% busy (all cores)`,
    );
    for (const prepare of [true, false]) {
      const raw = await reserveThroughRawSql(benchUrl, work, cursor, {
        clients: CLIENTS,
        seconds: 5,
        prepare,
      });
      say(
        `  diagnostic, same UPDATE on bare postgres-js, prepare: ${prepare} (5 s): ` +
          `${raw.tps.toFixed(0)} tps, node ${raw.processCorePct.toFixed(0)}% of a core, ` +
          `machine ${raw.machineBusyPct.toFixed(0)}% busy`,
      );
    }

    say(`\n5. pgbench simple-update (-N), ${CLIENTS} clients, 2 threads, ${SECONDS} s`);
    await recreateDatabase(PGBENCH_DATABASE);
    await pgbenchInit(PGBENCH_DATABASE, 10);
    await adminRun("CHECKPOINT");
    const pgbench = await pgbenchSimpleUpdate(PGBENCH_DATABASE, {
      clients: CLIENTS,
      threads: 2,
      seconds: SECONDS,
    });
    say(`  ${pgbench.tps.toFixed(0)} tps (without initial connection time)`);

    const share = service.tps / pgbench.tps;
    const targets: [string, string, boolean][] = [
      ["rows ≤ 366", String(year.outcome.rowsWritten), year.outcome.rowsWritten <= 366],
      ["bytes_ratio ≥ 20", bytesRatio.toFixed(2), bytesRatio >= 20],
      ["free14d_p99 ≤ 10 ms", ms(free.p99), free.p99 <= 10],
      [
        "reserve_tps ≥ 40% of pgbench_tps",
        `${service.tps.toFixed(0)} = ${(share * 100).toFixed(0)}% of ${pgbench.tps.toFixed(0)}`,
        share >= 0.4,
      ],
    ];
    say("\ntargets:");
    for (const [target, figure, met] of targets) {
      say(`  ${target.padEnd(34)} ${figure.padEnd(24)} ${met ? "met" : "NOT MET"}`);
    }

    say(`\nload average at the end: ${loadAverage()}`);
    say(
      `\nBENCH inventory year_publish_ms=${Math.round(year.ms)} rows=${year.outcome.rowsWritten} ` +
        `row_per_slot_rows=${slotRows} bytes_ratio=${round(bytesRatio, 2)} ` +
        `free14d_p50_ms=${free.p50.toFixed(2)} free14d_p99_ms=${free.p99.toFixed(2)} ` +
        `reserve_tps=${Math.round(service.tps)} pgbench_tps=${Math.round(pgbench.tps)}`,
    );
  } finally {
    await app.close();
    await dropDatabase(BENCH_DATABASE);
    await dropDatabase(PGBENCH_DATABASE);
  }
}
