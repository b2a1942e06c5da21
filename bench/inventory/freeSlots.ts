import type { Database } from "../../db/client";
import { listFreeSlots } from "../../server/inventory/freeSlots";
import { percentile } from "../lib/stats";

/** Sequential `listFreeSlots` for 14 days, as a student opening a teacher's page would. */
export async function benchFreeSlots(db: Database, teacherId: string, calls: number) {
  const read = () => listFreeSlots(db, teacherId, { now: new Date(), days: 14 });
  for (let i = 0; i < 50; i++) await read(); // warm-up: connection, prepared statement, JIT
  const samples = new Array<number>(calls);
  let slots = 0;
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    slots = (await read()).length;
    samples[i] = performance.now() - started;
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), slots };
}
