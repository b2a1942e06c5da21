/**
 * 64-bit time-ordered ids (seed 004): 41 bits of milliseconds since 2026-01-01 UTC (~69
 * years), 10 bits of worker, 12 bits of sequence. Ids sort by creation time, index well in
 * a b-tree, and do not reveal row counts the way a serial would. Rendered as decimal strings.
 */
export const SNOWFLAKE_EPOCH_MS = Date.UTC(2026, 0, 1);
const WORKER_BITS = 10n;
const SEQUENCE_BITS = 12n;
const MAX_WORKER = (1 << Number(WORKER_BITS)) - 1;
const MAX_SEQUENCE = (1 << Number(SEQUENCE_BITS)) - 1;

/** Worker 1023 is reserved for the demo seed, so seeded ids never meet live ones. */
export const SEED_WORKER = MAX_WORKER;

export function composeSnowflake(msSinceEpoch: number, worker: number, sequence: number): string {
  if (!Number.isInteger(msSinceEpoch) || msSinceEpoch < 0 || msSinceEpoch >= 2 ** 41) {
    throw new RangeError(`snowflake time out of range: ${msSinceEpoch}`);
  }
  if (!Number.isInteger(worker) || worker < 0 || worker > MAX_WORKER) {
    throw new RangeError(`snowflake worker out of range: ${worker}`);
  }
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > MAX_SEQUENCE) {
    throw new RangeError(`snowflake sequence out of range: ${sequence}`);
  }
  const id =
    (BigInt(msSinceEpoch) << (WORKER_BITS + SEQUENCE_BITS)) |
    (BigInt(worker) << SEQUENCE_BITS) |
    BigInt(sequence);
  return id.toString();
}

export function decomposeSnowflake(id: string): {
  createdAt: Date;
  worker: number;
  sequence: number;
} {
  const n = BigInt(id);
  return {
    createdAt: new Date(Number(n >> (WORKER_BITS + SEQUENCE_BITS)) + SNOWFLAKE_EPOCH_MS),
    worker: Number((n >> SEQUENCE_BITS) & BigInt(MAX_WORKER)),
    sequence: Number(n & BigInt(MAX_SEQUENCE)),
  };
}

/**
 * A generator for one process. The worker number comes from `HALFHOUR_WORKER_ID` when a
 * deployment assigns one, otherwise it is random; the unique primary key is the backstop.
 */
export function snowflakeGenerator(worker: number, now: () => number = Date.now) {
  let lastMs = -1;
  let sequence = 0;
  return function next(): string {
    let ms = now() - SNOWFLAKE_EPOCH_MS;
    if (ms < lastMs) ms = lastMs; // the clock stepped back: keep ids increasing
    if (ms === lastMs) {
      sequence = (sequence + 1) & MAX_SEQUENCE;
      if (sequence === 0) ms = lastMs + 1; // 4096 ids in one ms: borrow the next ms
    } else {
      sequence = 0;
    }
    lastMs = ms;
    return composeSnowflake(ms, worker, sequence);
  };
}

function processWorker(): number {
  const configured = Number(process.env.HALFHOUR_WORKER_ID);
  if (Number.isInteger(configured) && configured >= 0 && configured < SEED_WORKER)
    return configured;
  return Math.floor(Math.random() * SEED_WORKER);
}

export const newId = snowflakeGenerator(processWorker());

/** Deterministic ids for the demo seed: stable URLs across re-seeds. */
export function seedId(n: number): string {
  return composeSnowflake(Math.floor(n / (MAX_SEQUENCE + 1)), SEED_WORKER, n % (MAX_SEQUENCE + 1));
}

const MAX_ID = 2n ** 63n - 1n;

/** True for an id this module can issue: a positive decimal that fits Postgres' bigint. */
export function isSnowflakeId(value: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) <= MAX_ID;
}
