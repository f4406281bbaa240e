/** Small measuring tools shared by the benchmarks: timing, percentiles, closed-loop load. */

export interface LatencyStats {
  n: number;
  medianMs: number;
  p95Ms: number;
  meanMs: number;
}

/** Runs `fn` `warmup` times untimed, then `n` times sequentially, timing each. */
export async function latency(n: number, warmup: number, fn: () => Promise<void>): Promise<LatencyStats> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

/** `clients` concurrent loops calling `fn` for `seconds`; completed calls per second. */
export async function throughput(clients: number, seconds: number, fn: () => Promise<void>): Promise<{ perSecond: number; stats: LatencyStats }> {
  const deadline = performance.now() + seconds * 1000;
  const samples: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await fn();
        samples.push(performance.now() - started);
      }
    }),
  );
  return { perSecond: samples.length / seconds, stats: stats(samples) };
}

export function stats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    n: sorted.length,
    medianMs: round(at(0.5)),
    p95Ms: round(at(0.95)),
    meanMs: round(sorted.reduce((sum, x) => sum + x, 0) / sorted.length),
  };
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
