import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { type Database, queryRows } from "../db/client";
import { courses, courseVersions, subjects, users } from "../db/schema";
import { SUBJECTS } from "../db/seed/demoData";
import { newId } from "../server/ids/snowflake";
import { SlotTaken } from "../server/inventory/slotConflict";
import { confirmOrderPaid } from "../server/trade/confirmOrderPaid";
import { bookLesson } from "../server/trade/lessonBooking";
import { placeOrder } from "../server/trade/placeOrder";
import { checkTradeInvariants } from "../tests/tradeInvariants";
import { createTeachers } from "./inventory/fixtures";
import {
  adminRun,
  adminUrl,
  databaseUrl,
  dropDatabase,
  freshAppDatabase,
  recreateDatabase,
} from "./lib/database";
import { measureCpu, percentile } from "./lib/stats";

/**
 * `npm run bench -- booking`: lesson bookings through the trade service (`bookLesson`: lock
 * the order, check the time, release lapsed holds, compare-and-set the teacher-day bits,
 * insert the lesson under the exclusion constraints, count the hours), 64 students at once
 * sharing a pool of as many connections as pgbench has clients (32), in this process, no HTTP.
 *
 * 1. distinct: each student books free half hours of its own teacher, one after another, for
 *    SECONDS — throughput without lock waits (tps, p99 latency).
 * 2. contended: all 64 students go for the same 8 half hours of one teacher, each trying
 *    every one in its own random order, ROUNDS times — exactly 8 must win per round.
 * 3. an independent SQL count of double bookings, and the full trade invariant check.
 * 4. pgbench tpcb-like with 32 clients on the same server, for scale.
 */
const BENCH_DATABASE = `halfhour_bench_booking_${process.pid}`;
const PGBENCH_DATABASE = `halfhour_bench_booking_pgbench_${process.pid}`;
const CLIENTS = 64;
const SECONDS = Number(process.env.BENCH_BOOKING_SECONDS ?? 15);
const WARMUP_SECONDS = 2;
/** Days of published time per distinct teacher: 48 half hours each, far more than a run books. */
const DISTINCT_DAYS = 60;
/** 100-hour packages per student for the distinct phase (200 half hours each). */
const ORDERS_PER_STUDENT = 12;
const CONTENDED_SLOTS = 8;
const CONTENDED_ROUNDS = 20;
const PGBENCH_CLIENTS = 32;
/**
 * Connections the 64 students share: as many as pgbench's clients, so both sides of the ratio
 * keep the same number of Postgres backends busy on this machine's two cores.
 */
const POOL = Number(process.env.BENCH_BOOKING_POOL ?? PGBENCH_CLIENTS);
const PGBENCH_SECONDS = 15;
const DAY_MS = 86_400_000;
const SLOT_MS = 1_800_000;

const say = (line = "") => console.info(line);
const fixed = (value: number, digits = 0) => value.toFixed(digits);
const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");

interface Student {
  id: string;
  /** Paid 100-hour orders with the student's own distinct-phase teacher. */
  orders: string[];
  /** A paid 100-hour order with the contended teacher. */
  contendedOrder: string;
}

interface Seeded {
  students: Student[];
  distinctTeachers: string[];
  contendedTeacher: string;
  /** First UTC day (midnight) of the distinct phase's published time. */
  distinctStart: number;
  /** First UTC day of the contended rounds (one day per round, after the distinct days). */
  contendedStart: number;
}

/** `count` courses (one per teacher) selling 1, 10 and 100 hours at 30.00/h. */
async function createCourses(db: Database, teacherIds: string[]): Promise<string[]> {
  await db
    .insert(subjects)
    .values(SUBJECTS.map((s, i) => ({ ...s, sortOrder: i })))
    .onConflictDoNothing();
  const rows = await db
    .insert(courses)
    .values(teacherIds.map((teacherId) => ({ teacherId, subjectSlug: "mathematics" })))
    .returning({ id: courses.id });
  await db.insert(courseVersions).values(
    rows.map((r) => ({
      courseId: r.id,
      version: 1,
      title: "Bench Conversation",
      pricePerHour: 3000,
      packageHours: [1, 10, 100],
    })),
  );
  return rows.map((r) => r.id);
}

/** Checkout and payment through the real services: a paid 100-hour package. */
async function paidPackage(db: Database, studentId: string, teacherId: string, courseId: string) {
  const placed = await placeOrder(db, studentId, {
    orderId: newId(),
    teacherId,
    courseId,
    purchase: { kind: "package", hours: 100 },
  });
  await db.transaction((tx) => confirmOrderPaid(tx, placed.order.id, new Date()));
  return placed.order.id;
}

/** Runs `tasks` with at most `limit` in flight. */
async function inBatches<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

async function seed(db: Database): Promise<Seeded> {
  const teachers = await createTeachers(db, CLIENTS + 1, "UTC");
  const teacherIds = teachers.map((t) => t.teacherId);
  const courseIds = await createCourses(db, teacherIds);
  const studentRows = await db
    .insert(users)
    .values(
      Array.from({ length: CLIENTS }, (_, i) => ({
        name: `Bench Student ${i}`,
        email: `bench-${randomUUID()}@bench.halfhour.dev`,
        role: "student" as const,
      })),
    )
    .returning({ id: users.id });
  const contendedTeacher = teacherIds[CLIENTS]!;
  const contendedCourse = courseIds[CLIENTS]!;
  const students = await inBatches(
    studentRows.map((s, i) => async () => {
      const orders: string[] = [];
      for (let n = 0; n < ORDERS_PER_STUDENT; n++) {
        orders.push(await paidPackage(db, s.id, teacherIds[i]!, courseIds[i]!));
      }
      const contendedOrder = await paidPackage(db, s.id, contendedTeacher, contendedCourse);
      return { id: s.id, orders, contendedOrder };
    }),
    CLIENTS,
  );
  // Published time, straight SQL: from the day after tomorrow (clear of the 2-hour notice).
  const distinctStart = Math.floor(Date.now() / DAY_MS) * DAY_MS + 2 * DAY_MS;
  const contendedStart = distinctStart + (DISTINCT_DAYS + 1) * DAY_MS;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  await db.execute(sql`
    INSERT INTO teacher_days (teacher_id, day, slots)
    SELECT t::bigint, (${day(distinctStart)}::date + d)::date, repeat('01', 48)::bit(96)
    FROM unnest(${`{${teacherIds.slice(0, CLIENTS).join(",")}}`}::text[]) AS t,
         generate_series(0, ${DISTINCT_DAYS - 1}) AS d`);
  await db.execute(sql`
    INSERT INTO teacher_days (teacher_id, day, slots)
    SELECT ${contendedTeacher}::bigint, (${day(contendedStart)}::date + d)::date,
           repeat('01', 48)::bit(96)
    FROM generate_series(0, ${CONTENDED_ROUNDS - 1}) AS d`);
  return {
    students,
    distinctTeachers: teacherIds.slice(0, CLIENTS),
    contendedTeacher,
    distinctStart,
    contendedStart,
  };
}

/** The student's next order with hours left; a 100-hour order lasts 200 one-slot lessons. */
class OrderCursor {
  private index = 0;
  private used = 0;
  constructor(private readonly orders: string[]) {}
  current(): string {
    if (this.used === 200) {
      this.index += 1;
      this.used = 0;
    }
    const order = this.orders[this.index];
    if (!order) throw new Error("a student ran out of paid hours: raise ORDERS_PER_STUDENT");
    return order;
  }
  spend() {
    this.used += 1;
  }
}

/** CPU ticks (1/100 s, user + system) a process has used, from /proc; null if unreadable. */
async function processCpuTicks(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) the server processes of `database`'s connections have used: only when
 * Postgres runs on this machine and its processes are readable, else null. A figure that
 * other load on a shared machine disturbs much less than throughput.
 */
async function backendCpuMs(db: Database, database: string): Promise<number | null> {
  const rows = await queryRows<{ pid: number }>(
    db,
    sql`SELECT pid FROM pg_stat_activity WHERE datname = ${database}`,
  );
  let ticks = 0;
  for (const { pid } of rows) {
    const used = await processCpuTicks(pid);
    if (used === null) return null;
    ticks += used;
  }
  return ticks * 10;
}

interface DistinctResult {
  /** Server CPU per booking (ms), when it can be read. */
  serverMsPerBooking: number | null;
  /** This process's CPU per booking (ms). */
  clientMsPerBooking: number;
  booked: number;
  tps: number;
  p50: number;
  p99: number;
  processCorePct: number;
  machineBusyPct: number;
}

/**
 * Every student books the next free half hour of its own teacher, in a loop, until the
 * deadline. Nothing is shared between two students (orders, teacher-days), so no booking
 * waits for another's lock: what is measured is the booking's own work.
 */
async function distinctPhase(
  db: Database,
  seeded: Seeded,
  cursors: { slot: number[]; orders: OrderCursor[] },
  seconds: number,
): Promise<DistinctResult> {
  const latencies: number[] = [];
  let booked = 0;
  const limit = DISTINCT_DAYS * 48;
  const serverBefore = await backendCpuMs(db, BENCH_DATABASE);
  const { wallMs, processCorePct, machineBusyPct } = await measureCpu(async () => {
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      seeded.students.map(async (student, i) => {
        const orders = cursors.orders[i]!;
        while (performance.now() < deadline) {
          const k = cursors.slot[i]!;
          if (k >= limit)
            throw new Error("a teacher ran out of published time: raise DISTINCT_DAYS");
          const start = new Date(seeded.distinctStart + k * SLOT_MS);
          const started = performance.now();
          await bookLesson(db, student.id, { orderId: orders.current(), start, slots: 1 });
          latencies.push(performance.now() - started);
          cursors.slot[i] = k + 1;
          orders.spend();
          booked += 1;
        }
      }),
    );
  });
  const serverAfter = await backendCpuMs(db, BENCH_DATABASE);
  latencies.sort((a, b) => a - b);
  return {
    serverMsPerBooking:
      serverBefore === null || serverAfter === null ? null : (serverAfter - serverBefore) / booked,
    clientMsPerBooking: ((processCorePct / 100) * wallMs) / booked,
    booked,
    tps: booked / (wallMs / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    processCorePct,
    machineBusyPct,
  };
}

interface ContendedResult {
  attempts: number;
  wins: number;
  slots: number;
  tps: number;
  p99: number;
  roundsShort: number[];
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Rounds of 64 students racing for 8 half hours (10:00–14:00 UTC) of one teacher on a fresh
 * day: each student tries all 8, in its own random order, one booking after another. Every
 * attempt either wins or gets SlotTaken; anything else fails the benchmark.
 */
async function contendedPhase(db: Database, seeded: Seeded): Promise<ContendedResult> {
  const latencies: number[] = [];
  let attempts = 0;
  let wins = 0;
  const roundsShort: number[] = [];
  const started = performance.now();
  for (let round = 0; round < CONTENDED_ROUNDS; round++) {
    const dayStart = seeded.contendedStart + round * DAY_MS;
    const slots = Array.from(
      { length: CONTENDED_SLOTS },
      (_, i) => new Date(dayStart + (20 + i) * SLOT_MS),
    );
    let roundWins = 0;
    await Promise.all(
      seeded.students.map(async (student) => {
        for (const start of shuffled(slots)) {
          const t0 = performance.now();
          try {
            await bookLesson(db, student.id, {
              orderId: student.contendedOrder,
              start,
              slots: 1,
            });
            roundWins += 1;
          } catch (error) {
            if (!(error instanceof SlotTaken)) throw error;
          }
          latencies.push(performance.now() - t0);
          attempts += 1;
        }
      }),
    );
    wins += roundWins;
    if (roundWins !== CONTENDED_SLOTS) roundsShort.push(round);
  }
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    attempts,
    wins,
    slots: CONTENDED_ROUNDS * CONTENDED_SLOTS,
    tps: attempts / (wallMs / 1000),
    p99: percentile(latencies, 99),
    roundsShort,
  };
}

/**
 * Double bookings, counted straight from the tables: pairs of overlapping live lessons of one
 * teacher (a self-join on tstzrange overlap; the range bounds on starts_at only let the
 * (teacher_id, starts_at) index serve it), plus teacher half hours covered by more than one
 * live lesson.
 */
async function countDoubleBookings(db: Database): Promise<{ pairs: number; slots: number }> {
  const [pairs] = await queryRows<{ n: number }>(
    db,
    sql`
      SELECT count(*)::int AS n
      FROM lessons a
      JOIN lessons b
        ON b.teacher_id = a.teacher_id AND b.id <> a.id
       AND b.starts_at >= a.starts_at AND b.starts_at < a.ends_at
       AND (b.starts_at, b.id) > (a.starts_at, a.id)
       AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
      WHERE a.status IN ('held', 'booked') AND b.status IN ('held', 'booked')`,
  );
  const [slots] = await queryRows<{ n: number }>(
    db,
    sql`
      SELECT count(*)::int AS n FROM (
        SELECT l.teacher_id, h
        FROM lessons l,
             generate_series(extract(epoch FROM l.starts_at)::bigint / 1800,
                             extract(epoch FROM l.ends_at)::bigint / 1800 - 1) AS h
        WHERE l.status IN ('held', 'booked')
        GROUP BY l.teacher_id, h
        HAVING count(*) > 1
      ) x`,
  );
  return { pairs: pairs!.n, slots: slots!.n };
}

const run = promisify(execFile);

/** pgbench's connection flags from the admin URL, pointed at `database`. */
function pgbenchConnection(database: string) {
  const url = new URL(databaseUrl(database));
  const args = ["-h", url.hostname, "-p", url.port || "5432", "-U", url.username || "postgres"];
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(url.password) || undefined };
  return { args: [...args, database], env };
}

/**
 * `pgbench -i -s 10`, then the built-in TPC-B-like script: tps without connection time, and
 * the server CPU per transaction (pgbench's backends polled in /proc while it runs; null when
 * they cannot be read).
 */
async function pgbenchTpcb(
  database: string,
): Promise<{ tps: number; serverMsPerTx: number | null }> {
  const { args, env } = pgbenchConnection(database);
  await run("pgbench", ["-i", "-q", "-s", "10", ...args], { env });
  await adminRun("CHECKPOINT");
  const monitor = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const lastTicks = new Map<number, number | null>();
  let running = true;
  const polling = (async () => {
    while (running) {
      const rows = await monitor<{ pid: number }[]>`
        SELECT pid FROM pg_stat_activity WHERE datname = ${database}`;
      for (const { pid } of rows) lastTicks.set(pid, await processCpuTicks(pid));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  let stdout: string;
  try {
    ({ stdout } = await run(
      "pgbench",
      [
        "-c",
        String(PGBENCH_CLIENTS),
        "-j",
        "2",
        "-T",
        String(PGBENCH_SECONDS),
        "-b",
        "tpcb-like",
        ...args,
      ],
      { env },
    ));
  } finally {
    running = false;
    await polling.catch(() => {});
    await monitor.end();
  }
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  const processed = /number of transactions actually processed: (\d+)/.exec(stdout);
  if (!tps || !processed) throw new Error(`could not read tps from pgbench output:\n${stdout}`);
  const ticks = [...lastTicks.values()];
  const serverMsPerTx =
    ticks.length === 0 || ticks.includes(null)
      ? null
      : (ticks.reduce<number>((a, b) => a + (b ?? 0), 0) * 10) / Number(processed[1]);
  return { tps: Number(tps[1]), serverMsPerTx };
}

export async function runBookingBench(): Promise<void> {
  const app = await freshAppDatabase(BENCH_DATABASE, POOL);
  let closed = false;
  try {
    say(
      `booking benchmark on ${new URL(databaseUrl(BENCH_DATABASE)).host}, database ${BENCH_DATABASE}`,
    );
    say(
      `  machine: ${cpus().length} cores, load average ${loadAverage()} (timings are noisy if busy)`,
    );

    const seedStarted = performance.now();
    const seeded = await seed(app.db);
    say(
      `\nseeded ${CLIENTS + 1} teachers, ${CLIENTS} students, ` +
        `${CLIENTS * (ORDERS_PER_STUDENT + 1)} paid 100-hour orders (placeOrder + confirmOrderPaid), ` +
        `${CLIENTS * DISTINCT_DAYS + CONTENDED_ROUNDS} published teacher-days ` +
        `in ${fixed((performance.now() - seedStarted) / 1000, 1)} s`,
    );
    await app.db.execute(sql`ANALYZE`);
    await Promise.all(Array.from({ length: POOL }, () => app.db.execute(sql`SELECT 1`)));

    say(`\n1. distinct: ${CLIENTS} students, each booking its own teacher's next free half hour`);
    const cursors = {
      slot: seeded.students.map(() => 0),
      orders: seeded.students.map((s) => new OrderCursor(s.orders)),
    };
    const warm = await distinctPhase(app.db, seeded, cursors, WARMUP_SECONDS);
    say(`  warm-up ${WARMUP_SECONDS} s: ${warm.booked} booked (${fixed(warm.tps)} tps)`);
    // Through the pool: a 65th connection may not be there on a shared server.
    await app.db.execute(sql`CHECKPOINT`);
    const distinct = await distinctPhase(app.db, seeded, cursors, SECONDS);
    say(
      `  ${SECONDS} s: ${distinct.booked} booked, ${fixed(distinct.tps)} tps; latency p50 ` +
        `${fixed(distinct.p50, 2)} ms, p99 ${fixed(distinct.p99, 2)} ms`,
    );
    say(
      `  CPU: node ${fixed(distinct.processCorePct)}% of one core, machine ` +
        `${fixed(distinct.machineBusyPct)}% busy (all cores); per booking: node ` +
        `${fixed(distinct.clientMsPerBooking, 2)} ms, Postgres backends ` +
        `${distinct.serverMsPerBooking === null ? "n/a" : `${fixed(distinct.serverMsPerBooking, 2)} ms`}`,
    );

    say(
      `\n2. contended: ${CLIENTS} students × ${CONTENDED_SLOTS} half hours of one teacher, ` +
        `${CONTENDED_ROUNDS} rounds`,
    );
    await app.db.execute(sql`CHECKPOINT`);
    const contended = await contendedPhase(app.db, seeded);
    say(
      `  ${contended.attempts} attempts, ${contended.wins} won of ${contended.slots} slots: ` +
        `${fixed(contended.tps)} attempts/s, p99 ${fixed(contended.p99, 2)} ms`,
    );
    if (contended.roundsShort.length > 0) {
      say(
        `  WRONG: rounds ${contended.roundsShort.join(", ")} did not sell exactly ${CONTENDED_SLOTS}`,
      );
    }

    say("\n3. independent checks");
    const doubles = await countDoubleBookings(app.db);
    const doubleBookings = doubles.pairs + doubles.slots;
    say(
      `  overlapping live lesson pairs per teacher: ${doubles.pairs}; ` +
        `half hours under more than one live lesson: ${doubles.slots}`,
    );
    const checkStarted = performance.now();
    const violations = await checkTradeInvariants(app.db);
    say(
      `  trade invariants (overlaps, bits = lessons, order hours): ${violations.length} violations ` +
        `(${fixed(performance.now() - checkStarted)} ms)`,
    );
    for (const v of violations.slice(0, 10)) say(`    ${v.invariant}: ${v.detail}`);
    const [lessonCount] = await queryRows<{ n: number }>(
      app.db,
      sql`SELECT count(*)::int AS n FROM lessons WHERE status = 'booked'`,
    );
    say(`  booked lessons in the table: ${lessonCount!.n}`);
    await app.close();
    closed = true;

    say(
      `\n4. pgbench tpcb-like, scale 10, ${PGBENCH_CLIENTS} clients, 2 threads, ${PGBENCH_SECONDS} s`,
    );
    await recreateDatabase(PGBENCH_DATABASE);
    const pgbench = await pgbenchTpcb(PGBENCH_DATABASE);
    const pgbenchTps = pgbench.tps;
    say(`  ${fixed(pgbenchTps)} tps (without initial connection time)`);
    if (pgbench.serverMsPerTx !== null && distinct.serverMsPerBooking !== null) {
      say(
        `  Postgres backend CPU per transaction: ${fixed(pgbench.serverMsPerTx, 2)} ms ` +
          `(a booking: ${fixed(distinct.serverMsPerBooking, 2)} ms, ` +
          `${fixed(distinct.serverMsPerBooking / pgbench.serverMsPerTx, 2)}×)`,
      );
    }

    const ratio = distinct.tps / pgbenchTps;
    const ok =
      doubleBookings === 0 && violations.length === 0 && contended.wins === contended.slots;
    say(`\nload average at the end: ${loadAverage()}`);
    say(
      `\nratio distinct_tps/pgbench_tps=${fixed(ratio, 2)} (target >= 0.40: ` +
        `${ratio >= 0.4 ? "met" : "NOT MET"}; double_bookings must be 0: ` +
        `${doubleBookings === 0 ? "met" : "NOT MET"})`,
    );
    say(
      `BENCH booking distinct_tps=${Math.round(distinct.tps)} contended_tps=${Math.round(contended.tps)} ` +
        `contended_wins=${contended.wins} contended_slots=${contended.slots} ` +
        `double_bookings=${doubleBookings} p99_ms=${fixed(distinct.p99, 1)} ` +
        `pgbench_tps=${Math.round(pgbenchTps)}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    if (!closed) await app.close();
    await dropDatabase(BENCH_DATABASE);
    await dropDatabase(PGBENCH_DATABASE);
  }
}
