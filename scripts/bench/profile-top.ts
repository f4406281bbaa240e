/**
 * Where the isolate spends its time, from a V8 CPU profile: self time with all of QuickJS's
 * wasm functions counted as one item (the release build has no names for them), and the
 * time spent inside each named JavaScript function, children included.
 */
import type { CpuProfile } from "../../test/harness/inspector";

export interface ProfileItem {
  name: string;
  /** Share of the sampled time, in per cent. */
  share: number;
}

const QUICKJS = "QuickJS (all wasm functions)";

/** The `count` items with the most self time. */
export function topSelfTime(profile: CpuProfile, count = 12): ProfileItem[] {
  const hits = hitsByNode(profile);
  const total = profile.samples?.length ?? 0;
  const byName = new Map<string, number>();
  for (const node of profile.nodes) byName.set(labelOf(node), (byName.get(labelOf(node)) ?? 0) + (hits.get(node.id) ?? 0));
  return top(byName, total, count);
}

/** The `count` named functions with the most time inside them (self and children, each sample counted once per function). */
export function topTotalTime(profile: CpuProfile, count = 12): ProfileItem[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byName = new Map<string, number>();
  for (const sample of profile.samples ?? []) {
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parentOf.get(id)) {
      const node = byId.get(id)!;
      const name = node.callFrame.functionName;
      if (!name || name.startsWith("wasm-function") || seen.has(name)) continue;
      seen.add(name);
      byName.set(name, (byName.get(name) ?? 0) + 1);
    }
  }
  return top(byName, profile.samples?.length ?? 0, count);
}

function labelOf(node: CpuProfile["nodes"][number]): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName.startsWith("wasm-function")) return QUICKJS;
  if (!functionName) return "(anonymous)";
  return url ? `${functionName} (${url.split("/").pop()}:${lineNumber + 1})` : functionName;
}

function hitsByNode(profile: CpuProfile): Map<number, number> {
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  return hits;
}

function top(counts: Map<string, number>, total: number, count: number): ProfileItem[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, n]) => ({ name, share: Math.round((n / Math.max(1, total)) * 1000) / 10 }));
}
