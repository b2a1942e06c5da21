import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Database } from "../../db/client";
import { SlotTaken } from "../../server/inventory/slotConflict";
import { compareAndSet } from "../../server/inventory/slotTransitions";
import { transitionSlots } from "../../server/inventory/transitionSlots";
import { measureCpu, percentile } from "../lib/stats";

export interface Reservable {
  teacherId: string;
  day: string;
  index: number;
  start: Date;
}

/**
 * Publishes every slot of `days` days for each teacher (setup, straight SQL) and returns the
 * slots in random order. Clients take the next one in turn, so two in flight at once almost
 * never share a teacher-day row: the run measures throughput, not lock waits.
 */
export async function publishReservableSlots(
  db: Database,
  teacherIds: string[],
  firstDay: string,
  days: number,
): Promise<Reservable[]> {
  await db.execute(sql`
    INSERT INTO teacher_days (teacher_id, day, slots)
    SELECT t::bigint, (${firstDay}::date + d)::date, repeat('01', 48)::bit(96)
    FROM unnest(${`{${teacherIds.join(",")}}`}::text[]) AS t, generate_series(0, ${days - 1}) AS d`);
  const slots: Reservable[] = [];
  const first = Date.parse(`${firstDay}T00:00:00Z`);
  for (const teacherId of teacherIds) {
    for (let d = 0; d < days; d++) {
      const dayStart = first + d * 86_400_000;
      const day = new Date(dayStart).toISOString().slice(0, 10);
      for (let index = 0; index < 48; index++) {
        slots.push({ teacherId, day, index, start: new Date(dayStart + index * 1_800_000) });
      }
    }
  }
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  return slots;
}

export interface ThroughputResult {
  reserved: number;
  taken: number;
  tps: number;
  latencyP50: number;
  latencyP99: number;
  processCorePct: number;
  machineBusyPct: number;
}

/** `clients` loops, each reserving the next slot in its own transaction, for `seconds`. */
async function drive(
  work: Reservable[],
  cursor: { next: number },
  clients: number,
  seconds: number,
  reserve: (slot: Reservable) => Promise<void>,
): Promise<ThroughputResult> {
  const latencies: number[] = [];
  let reserved = 0;
  let taken = 0;
  const { wallMs, processCorePct, machineBusyPct } = await measureCpu(async () => {
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < deadline) {
          const slot = work[cursor.next++];
          if (!slot) throw new Error("ran out of published slots: raise teachers × days");
          const started = performance.now();
          try {
            await reserve(slot);
            reserved += 1;
          } catch (error) {
            if (!(error instanceof SlotTaken)) throw error;
            taken += 1;
          }
          latencies.push(performance.now() - started);
        }
      }),
    );
  });
  latencies.sort((a, b) => a - b);
  return {
    reserved,
    taken,
    tps: reserved / (wallMs / 1000),
    latencyP50: percentile(latencies, 50),
    latencyP99: percentile(latencies, 99),
    processCorePct,
    machineBusyPct,
  };
}

/** Through the inventory service: `transitionSlots(tx, …, "reserve")` in `db.transaction`. */
export function reserveThroughService(
  db: Database,
  work: Reservable[],
  cursor: { next: number },
  options: { clients: number; seconds: number },
) {
  return drive(work, cursor, options.clients, options.seconds, (slot) =>
    db.transaction((tx) =>
      transitionSlots(tx, slot.teacherId, { start: slot.start, slots: 1 }, "reserve"),
    ),
  );
}

/**
 * Diagnostic only: the same compare-and-set UPDATE on bare postgres-js (no drizzle), to show
 * how much of the gap to pgbench is the query builder rather than the database. With
 * `prepare: false` it behaves as drizzle's postgres-js driver does for unnamed queries: each
 * parameterised statement is parsed, described (an extra round trip) and planned every time.
 */
export async function reserveThroughRawSql(
  url: string,
  work: Reservable[],
  cursor: { next: number },
  options: { clients: number; seconds: number; prepare: boolean },
) {
  const client = postgres(url, {
    max: options.clients,
    prepare: options.prepare,
    onnotice: () => {},
  });
  try {
    await Promise.all(Array.from({ length: options.clients }, () => client`SELECT 1`));
    return await drive(work, cursor, options.clients, options.seconds, async (slot) => {
      const cas = compareAndSet("reserve", [slot.index]);
      await client.begin(async (tx) => {
        const rows = await tx`
          UPDATE teacher_days
          SET slots = (slots & ~${cas.clear}::bit(96)) | ${cas.set}::bit(96),
              version = version + 1, updated_at = now()
          WHERE teacher_id = ${slot.teacherId} AND day = ${slot.day}
            AND slots & ${cas.mask}::bit(96) = ${cas.expected}::bit(96)
          RETURNING version`;
        if (rows.length === 0) throw new SlotTaken(slot.start);
      });
    });
  } finally {
    await client.end({ timeout: 5 });
  }
}
