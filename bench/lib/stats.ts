/** Nearest-rank percentile of already sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const round = (value: number, digits: number) => Number(value.toFixed(digits));

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/** Busy and total jiffies of the whole machine (Linux), to tell client- from server-bound runs. */
export async function machineCpu(): Promise<{ busy: number; total: number } | null> {
  try {
    const { readFile } = await import("node:fs/promises");
    const line = (await readFile("/proc/stat", "utf8")).split("\n")[0]!;
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** CPU use while `run` runs: this process (share of one core) and the machine (all cores). */
export async function measureCpu<T>(run: () => Promise<T>) {
  const machineBefore = await machineCpu();
  const processBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(processBefore);
  const machineAfter = await machineCpu();
  const processCorePct = ((used.user + used.system) / 1000 / wallMs) * 100;
  const machineBusyPct =
    machineBefore && machineAfter
      ? ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) *
        100
      : Number.NaN;
  return { result, wallMs, processCorePct, machineBusyPct };
}
