/**
 * workerd's inspector (Chrome DevTools Protocol) for the Worker under test: the subrequests it
 * makes, in order (D1 queries show as `http://d1/...`, upstream calls as their own URLs), the
 * isolate's V8 heap, and the QuickJS wasm memory (found with `Runtime.queryObjects`, so the
 * Worker needs no debugging hook). Start the Worker with `inspectorPort` to use it, or point
 * it at `wrangler dev --inspector-port`.
 * It uses the `ws` package: wrangler's dev proxy refuses Node's own WebSocket client.
 */
import WebSocket from "ws";

export interface SubrequestEvent {
  url: string;
  method: string;
  /** workerd's monotonic clock, seconds. */
  timestamp: number;
  /** The answer's body, once it has been read (the inspector reports it at the end). */
  responseBody?: string;
}

export interface HeapUsage {
  usedSize: number;
  totalSize: number;
  /** ArrayBuffer backing stores outside the V8 heap (not the wasm memory). */
  backingStorageSize?: number;
}

/** V8's CPU profile (the Chrome DevTools Protocol's Profiler.Profile). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface Inspector {
  /** Every subrequest seen since connecting, in order. */
  readonly subrequests: SubrequestEvent[];
  /** Resolves once every event the Worker emitted before this call has arrived. */
  barrier(): Promise<void>;
  heapUsage(): Promise<HeapUsage>;
  /**
   * The heap right after a full collection, both asked for at once so the isolate answers
   * them at the same pause between its tasks: what is live there, without garbage.
   */
  liveHeapUsage(): Promise<HeapUsage>;
  /** The byte length of every WebAssembly.Memory alive in the isolate (the QuickJS module's). */
  wasmMemoryBytes(): Promise<number[]>;
  /** Runs `work` under V8's sampling CPU profiler; answers the profile (Profiler.stop's). */
  cpuProfile(work: () => Promise<void>): Promise<CpuProfile>;
  /**
   * A full garbage collection (for a resting measurement). workerd never answers
   * `HeapProfiler.collectGarbage`, so this takes a heap snapshot, which collects first; the
   * snapshot's chunks are dropped.
   */
  collectGarbage(): Promise<void>;
  close(): void;
}

/** Connects to the Worker's isolate (`core:user:<name>`) on `port`. */
export async function connectInspector(port: number, host = "127.0.0.1"): Promise<Inspector> {
  const targets = (await (await fetch(`http://${host}:${port}/json/list`)).json()) as { id: string; webSocketDebuggerUrl: string }[];
  // workerd lists its isolates as `core:user:<name>`; wrangler dev's proxy lists only the Worker's.
  const target = targets.find((candidate) => candidate.id.startsWith("core:user:")) ?? (targets.length === 1 ? targets[0] : undefined);
  if (!target) throw new Error(`no user worker among the inspector's targets: ${targets.map((t) => t.id).join(", ")}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const subrequests: SubrequestEvent[] = [];
  const byRequestId = new Map<string, SubrequestEvent>();
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let contextId: number | undefined;
  let nextId = 0;
  socket.on("message", (data) => {
    const text = String(data);
    if (text.startsWith('{"method":"HeapProfiler.addHeapSnapshotChunk"')) return;
    const message = JSON.parse(text) as { id?: number; method?: string; params?: any; result?: unknown; error?: { message: string } };
    if (message.id !== undefined) {
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
    } else if (message.method === "Network.requestWillBeSent") {
      const event: SubrequestEvent = { url: message.params.request.url, method: message.params.request.method, timestamp: message.params.timestamp };
      subrequests.push(event);
      byRequestId.set(message.params.requestId, event);
    } else if (message.method === "Network.loadingFinished" && typeof message.params.cfResponse?.body === "string") {
      const event = byRequestId.get(message.params.requestId);
      if (event) event.responseBody = Buffer.from(message.params.cfResponse.body, "base64").toString("utf8");
    } else if (message.method === "Runtime.executionContextCreated") {
      contextId = message.params.context.id;
    }
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send("Network.enable");
  await send("Runtime.enable");

  return {
    subrequests,
    barrier: async () => {
      await send("Runtime.getHeapUsage");
    },
    heapUsage: () => send<HeapUsage>("Runtime.getHeapUsage"),
    async liveHeapUsage() {
      const collected = send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      const usage = send<HeapUsage>("Runtime.getHeapUsage");
      await collected;
      return usage;
    },
    async wasmMemoryBytes() {
      // Every handle the inspector hands out keeps its object alive until its group is
      // released: without that, measuring would keep a dropped module's memory alive.
      const objectGroup = "executor-wasm-memory";
      try {
        const prototype = await send<{ result: { objectId: string } }>("Runtime.evaluate", { expression: "WebAssembly.Memory.prototype", contextId, objectGroup });
        const found = await send<{ objects: { objectId: string } }>("Runtime.queryObjects", { prototypeObjectId: prototype.result.objectId, objectGroup });
        const sizes = await send<{ result: { value: number[] } }>("Runtime.callFunctionOn", {
          objectId: found.objects.objectId,
          functionDeclaration: "function () { return this.map((memory) => memory.buffer.byteLength); }",
          returnByValue: true,
          objectGroup,
        });
        return sizes.result.value;
      } finally {
        await send("Runtime.releaseObjectGroup", { objectGroup });
      }
    },
    async cpuProfile(work) {
      await send("Profiler.enable");
      await send("Profiler.setSamplingInterval", { interval: 100 });
      await send("Profiler.start");
      await work();
      const { profile } = await send<{ profile: CpuProfile }>("Profiler.stop");
      return profile;
    },
    async collectGarbage() {
      await send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
    },
    close: () => socket.close(),
  };
}

/** Subrequests to the local D1 (each is one query or one batch). */
export function isD1(event: { url: string }): boolean {
  return event.url.startsWith("http://d1/");
}

/**
 * True when a D1 subrequest only wrote (every statement of it changed rows), judged from its
 * answer; undefined while the answer has not arrived.
 */
export function isD1Write(event: SubrequestEvent): boolean | undefined {
  if (event.responseBody === undefined) return undefined;
  const results = JSON.parse(event.responseBody) as { meta?: { changes?: number } }[];
  return results.every((result) => (result.meta?.changes ?? 0) > 0);
}
