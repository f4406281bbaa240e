/**
 * The sandbox as an agent meets it: programs sent to POST /api/executions on the built Worker,
 * run by the real QuickJS module with the real tool bridge and D1. Covers what a program can
 * do (TypeScript, logs, await, tools), how each limit ends it, and that nothing of the host
 * is reachable from inside. Every limit case also shows the Worker still runs the next program.
 *
 * It does not test replay, approvals or policies beyond what a program sees of them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type TestWorker } from "../harness/worker";

const ADMIN = "admin@example.com";

interface ExecutionBody {
  executionId: string;
  status: "completed" | "failed" | "paused";
  result?: unknown;
  logs: string[];
  error?: { code: string; message: string };
}

/** Runs `code` as the admin; asserts a 200 JSON answer and returns it. */
async function execute(worker: TestWorker, code: string): Promise<ExecutionBody> {
  const response = await worker.asUser(ADMIN, "/api/executions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as ExecutionBody;
}

/** Runs `code` and asserts it completed; returns its result. */
async function resultOf(worker: TestWorker, code: string): Promise<unknown> {
  const body = await execute(worker, code);
  expect(body.status, JSON.stringify(body.error)).toBe("completed");
  return body.result;
}

/** Runs `code` and asserts it failed with `code`; returns the error message. */
async function failureOf(worker: TestWorker, program: string, code: string): Promise<string> {
  const body = await execute(worker, program);
  expect(body.status).toBe("failed");
  expect(body.error?.code, body.error?.message).toBe(code);
  expect(body.error?.message).toEqual(expect.any(String));
  return body.error!.message;
}

/** The Worker still runs an ordinary program after whatever ran before. */
async function expectNextRunSucceeds(worker: TestWorker): Promise<void> {
  expect(await execute(worker, "return 1")).toMatchObject({ status: "completed", result: 1 });
}

/** A user's mistake is the user's: it never puts a stack trace of our code in the Worker's log. */
function expectNoStackTraceInLog(worker: TestWorker): void {
  const stackLines = worker.logs.join("\n").split("\n").filter((line) => /^\s*at /.test(line));
  expect(stackLines).toEqual([]);
}

describe("sandbox: programs", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { SANDBOX_TIMEOUT_MS: "3000" } });
  });
  afterAll(() => worker.close());

  it.each([
    ["arithmetic", "return 6*7", 42],
    ["top-level await", "return await Promise.resolve(5)", 5],
    ["an object", "return { a: [1, 'two', null], b: { c: true } }", { a: [1, "two", null], b: { c: true } }],
    [
      "TypeScript: annotations, interfaces, generics, enums and as casts",
      [
        "interface Point { x: number; y?: number }",
        "type Pair<T> = [T, T];",
        "enum Scale { Double = 2 }",
        "function first<T>(pair: Pair<T>): T { return pair[0]; }",
        "const p = { x: 21 } as Point;",
        "const n: number = first<number>([p.x, 0]);",
        "return (n * (Scale.Double as number)) as unknown as number;",
      ].join("\n"),
      42,
    ],
    ["an async function declared and awaited", "async function later(): Promise<string> { await null; return 'done'; }\nreturn await later();", "done"],
  ])("%s", async (_name, code, expected) => {
    expect(await resultOf(worker, code)).toEqual(expected);
  });

  it("returning undefined completes with no result", async () => {
    const body = await execute(worker, "const x = 1;");
    expect(body.status).toBe("completed");
    expect(body).not.toHaveProperty("result");
  });

  it("console levels reach the logs, non-log levels prefixed, objects as JSON", async () => {
    const body = await execute(
      worker,
      [
        "console.log('plain', { b: 1 }, [2, 3]);",
        "console.info('info');",
        "console.warn('careful');",
        "console.error('bad');",
        "console.debug('detail');",
        "console.log(new Error('oops'));",
        "console.log(42, null, undefined, true);",
      ].join("\n"),
    );
    expect(body.status).toBe("completed");
    expect(body.logs).toEqual(['plain {"b":1} [2,3]', "info", "[warn] careful", "[error] bad", "[debug] detail", "Error: oops", "42 null undefined true"]);
  });

  it("logs written before a failure are kept", async () => {
    const body = await execute(worker, "console.log('before'); throw new Error('after')");
    expect(body.status).toBe("failed");
    expect(body.logs).toEqual(["before"]);
  });

  it.each([
    ["a BigInt", "return 10n", /not JSON-serialisable.*BigInt/],
    ["a cyclic object", "const a: any = {}; a.self = a; return a", /not JSON-serialisable.*circular/],
  ])("returning %s fails as runtime_error, saying why", async (_name, code, message) => {
    expect(await failureOf(worker, code, "runtime_error")).toMatch(message);
  });

  it.each([
    ["a JavaScript syntax error", "return 1 +"],
    ["a broken TypeScript snippet", "const x: number = ;"],
    ["an unbalanced brace", "if (true) { return 1"],
    ["a TypeScript-only mistake", "let y: = 3;"],
  ])("%s → syntax_error in the engine's words", async (_name, code) => {
    const message = await failureOf(worker, code, "syntax_error");
    expect(message).toMatch(/^SyntaxError: \S/);
  });

  it.each([
    ["an uncaught Error", "throw new Error('boom')", "Error: boom"],
    ["a thrown string", "throw 'boom'", "boom"],
    ["a thrown TypeError", "null.x", "TypeError"],
    ["a rejected promise", "await Promise.reject(new RangeError('boom'))", "RangeError: boom"],
    ["an error thrown after an await", "await null; throw new Error('boom')", "Error: boom"],
  ])("%s → runtime_error", async (_name, code, fragment) => {
    expect(await failureOf(worker, code, "runtime_error")).toContain(fragment);
  });

  it("a caught error is the program's own business", async () => {
    expect(await resultOf(worker, "try { throw new Error('boom') } catch (e) { return e.message }")).toBe("boom");
  });

  it("a promise that never settles fails at once instead of hanging", async () => {
    expect(await failureOf(worker, "await new Promise(() => {})", "runtime_error")).toMatch(/never settle/);
    await expectNextRunSucceeds(worker);
  });

  it("user errors leave no stack trace of the Worker's code in its log", () => {
    expectNoStackTraceInLog(worker);
  });
});

describe("sandbox: time and randomness", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(() => worker.close());

  it("Date.now() is the execution's start time, close to the real time, and stands still", async () => {
    const before = Date.now();
    const [first, afterWork, constructed, epoch, asString] = (await resultOf(
      worker,
      "const first = Date.now(); let n = 0; for (let i = 0; i < 200000; i++) n += i; return [first, Date.now(), new Date().getTime(), new Date(0).toISOString(), typeof Date()];",
    )) as [number, number, number, string, string];
    const after = Date.now();
    // The Worker's clock and the test's are the same machine's; a second of slack for coarse timers.
    expect(first).toBeGreaterThanOrEqual(before - 1000);
    expect(first).toBeLessThanOrEqual(after + 1000);
    expect(afterWork).toBe(first);
    expect(constructed).toBe(first);
    expect(epoch).toBe("1970-01-01T00:00:00.000Z");
    expect(asString).toBe("string");
  });

  it("Math.random() gives numbers in [0, 1), seeded differently per execution", async () => {
    const program = "return Array.from({ length: 50 }, () => Math.random())";
    const first = (await resultOf(worker, program)) as number[];
    const second = (await resultOf(worker, program)) as number[];
    for (const value of [...first, ...second]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    expect(new Set(first).size).toBeGreaterThan(45);
    expect(second).not.toEqual(first);
  });
});

/** ECMAScript's global names (with Annex B's escape/unescape and QuickJS's InternalError). */
const STANDARD_GLOBALS = new Set([
  "AggregateError", "Array", "ArrayBuffer", "Atomics", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean", "DataView", "Date",
  "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "Error", "escape", "eval", "EvalError", "FinalizationRegistry",
  "Float16Array", "Float32Array", "Float64Array", "Function", "globalThis", "Infinity", "Int16Array", "Int32Array", "Int8Array",
  "InternalError", "isFinite", "isNaN", "Iterator", "JSON", "Map", "Math", "NaN", "Number", "Object", "parseFloat", "parseInt",
  "Promise", "Proxy", "RangeError", "ReferenceError", "Reflect", "RegExp", "Set", "SharedArrayBuffer", "String", "Symbol",
  "SyntaxError", "TypeError", "Uint16Array", "Uint32Array", "Uint8Array", "Uint8ClampedArray", "undefined", "unescape", "URIError",
  "WeakMap", "WeakRef", "WeakSet",
]);

describe("sandbox: no escape", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { SANDBOX_TIMEOUT_MS: "3000" } });
  });
  afterAll(() => worker.close());

  it.each([
    ["fetch", "undefined"],
    ["require", "undefined"],
    ["process", "undefined"],
    ["globalThis.__hostCall", "undefined"],
    ["hostCall", "undefined"],
    ["hostLog", "undefined"],
    ["installPrelude", "undefined"],
    ["WebAssembly", "undefined"],
    ["crypto", "undefined"],
    ["setTimeout", "undefined"],
    ["importScripts", "undefined"],
    ["tools", "object"],
    ["console", "object"],
  ])("typeof %s is %s", async (expression, type) => {
    expect(await resultOf(worker, `return typeof ${expression}`)).toBe(type);
  });

  it("the global object holds only standard JS globals plus tools and console", async () => {
    const names = (await resultOf(worker, "return Object.getOwnPropertyNames(globalThis)")) as string[];
    expect(names.filter((name) => /host|env|secret|DB|fetch/i.test(name))).toEqual([]);
    expect(names.filter((name) => !STANDARD_GLOBALS.has(name)).sort()).toEqual(["console", "tools"]);
  });

  it("import() finds no modules", async () => {
    const body = await execute(worker, "return await import('cloudflare:workers')");
    expect(body.status).toBe("failed");
  });

  it("the Function constructor's `this` is the sandbox's own global", async () => {
    expect(
      await resultOf(
        worker,
        "const g = (function () {}).constructor('return this')(); return [g === globalThis, typeof g.tools, typeof g.fetch, typeof g.process];",
      ),
    ).toEqual([true, "object", "undefined", "undefined"]);
    expect(await resultOf(worker, "return typeof constructor.constructor('return this')().fetch")).toBe("undefined");
  });

  it.each([
    ["tools.then (so `await tools` cannot hang)", "return typeof tools.then", "undefined"],
    ["await tools", "return (await tools) === tools", true],
    ["tools.search.constructor", "return tools.search.constructor('return typeof fetch')()", "undefined"],
    ["Object.getPrototypeOf(tools.search)", "return Object.getPrototypeOf(tools.search) === Function.prototype", true],
    ["Object.getPrototypeOf(tools)", "return Object.getPrototypeOf(tools) === Object.prototype", true],
    ["tools.__proto__ (only another tool address)", "try { await tools.__proto__.constructor('return this') } catch (e) { return e.code }", "tool_not_found"],
    ["tools.constructor called (a tool address, not the Function constructor)", "try { await tools.constructor('return this') } catch (e) { return e.code }", "tool_not_found"],
    ["a tool function's constructor", "return Object.getPrototypeOf(tools.executor.policies.list).constructor('return typeof process')()", "undefined"],
  ])("%s gives only sandbox objects", async (_name, code, expected) => {
    expect(await resultOf(worker, code)).toEqual(expected);
  });

  it("tampering with prototypes, tools and globals does not reach the next execution", async () => {
    const tamper = [
      "const attempts = [",
      "  () => { Object.prototype.polluted = 1 },",
      "  () => { Array.prototype.push = null },",
      "  () => { (tools as any).search = null },",
      "  () => { (globalThis as any).tools = 5 },",
      "  () => { Math.random = () => 0 },",
      "  () => { Date.now = () => 0 },",
      "  () => { (console as any).log = null },",
      "  () => { Object.defineProperty(Object.prototype, 'then', { get() { return (resolve: (v: number) => void) => resolve(1) } }) },",
      "];",
      "let failed = 0;",
      "for (let i = 0; i < attempts.length; i++) { try { attempts[i]() } catch { failed++ } }",
      // A string, not an array: the program's own Object.prototype.then would make an array a thenable.
      "return failed + ' ' + typeof tools.search;",
    ].join("\n");
    // tools and console are frozen: those assignments throw in strict mode and change nothing.
    expect(await resultOf(worker, tamper)).toBe("3 function");
    expect(
      await resultOf(
        worker,
        "const a: number[] = []; a.push(1); console.log('ok'); return [({} as any).polluted === undefined, ({} as any).then === undefined, a.length, typeof tools.search, typeof tools, Math.random() !== 0, Date.now() > 0];",
      ),
    ).toEqual([true, true, 1, "function", "object", true, true]);
  });

  it.each([
    ["return a value", "JSON.stringify = () => 'not json'; return 1"],
    ["throw", "JSON.stringify = () => 'not json'; throw new Error('x')"],
    ["throw (stringify answering null)", "(JSON as any).stringify = () => null; throw new Error('x')"],
    ["call a tool", "JSON.stringify = () => 'not json'; return await tools.search('policies')"],
  ])("replacing JSON.stringify and then trying to %s is answered without an internal error", async (_name, code) => {
    const body = await execute(worker, code);
    expect(body.error?.code, body.error?.message).not.toBe("internal");
    await expectNextRunSucceeds(worker);
  });
});

describe("sandbox: tools bridge", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { SANDBOX_TIMEOUT_MS: "3000" } });
  });
  afterAll(() => worker.close());

  it("tools.search finds the built-in policy tools", async () => {
    const found = (await resultOf(worker, "return await tools.search('policies')")) as { items: { address: string; requiresApproval: boolean }[]; total: number };
    const addresses = found.items.map((item) => item.address);
    expect(addresses).toContain("executor.policies.list");
    expect(addresses).toContain("executor.policies.create");
    expect(found.total).toBeGreaterThanOrEqual(found.items.length);
  });

  it("tools.describe gives a TypeScript signature", async () => {
    const described = (await resultOf(worker, "return await tools.describe('executor.policies.create')")) as { address: string; typescript: string; requiresApproval: boolean };
    expect(described.address).toBe("executor.policies.create");
    expect(described.typescript.startsWith("(args:")).toBe(true);
    expect(described.typescript).toContain("pattern: string");
    expect(described.requiresApproval).toBe(true);
  });

  it("a tool call returns its value", async () => {
    expect(await resultOf(worker, "const page = await tools.executor.policies.list(); return Array.isArray(page.items)")).toBe(true);
  });

  it("bad arguments throw a catchable Error with code invalid_arguments listing each problem", async () => {
    const caught = (await resultOf(
      worker,
      "try { await tools.executor.policies.create({ pattern: 5 }); return 'no throw' } catch (e) { return { isError: e instanceof Error, name: e.name, code: e.code, message: e.message, details: e.details } }",
    )) as { isError: boolean; name: string; code: string; message: string; details: { path: string }[] };
    expect(caught).toMatchObject({ isError: true, code: "invalid_arguments" });
    expect(caught.message).toContain("executor.policies.create");
    expect(caught.message).toContain("action");
    expect(caught.message).toContain("/pattern");
    expect(caught.details.map((detail) => detail.path).sort()).toEqual(["/", "/pattern"]);
  });

  it.each([
    ["a tool", "await tools.nope.x()", "tool_not_found"],
    ["describe", "await tools.describe('nope.x')", "tool_not_found"],
    ["a tool with bad arguments", "await tools.executor.policies.create({})", "invalid_arguments"],
  ])("an uncaught error from %s fails the execution with its code", async (_name, code, errorCode) => {
    await failureOf(worker, code, errorCode);
  });

  it("an unknown tool throws tool_not_found, catchable", async () => {
    expect(await resultOf(worker, "try { await tools.nope.x(); return 'no throw' } catch (e) { return [e instanceof Error, e.code, e.message] }")).toEqual([
      true,
      "tool_not_found",
      expect.stringContaining("nope.x"),
    ]);
  });

  it.each([
    ["a function as the arguments", "tools.executor.policies.list(() => 1)"],
    ["a function inside the arguments", "tools.executor.tools.list({ integration: () => 'executor' } as any)"],
    ["a BigInt as the arguments", "tools.executor.policies.list(1n as any)"],
    ["a BigInt inside the arguments", "tools.executor.tools.list({ limit: 5n } as any)"],
    ["a BigInt search option", "tools.search('policies', { limit: 5n } as any)"],
  ])("%s throws invalid_arguments", async (_name, call) => {
    const caught = await resultOf(worker, `try { await ${call}; return 'no throw' } catch (e) { return [e instanceof Error, e.code] }`);
    expect(caught).toEqual([true, "invalid_arguments"]);
  });

  it("tool errors leave no stack trace of the Worker's code in its log", () => {
    expectNoStackTraceInLog(worker);
  });
});

describe("sandbox: limits", () => {
  const MAX_RESULT_KB = 64;
  const MAX_LOG_KB = 64;
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({
      bindings: { SANDBOX_TIMEOUT_MS: "2000", SANDBOX_MAX_RESULT_KB: String(MAX_RESULT_KB), SANDBOX_MAX_LOG_KB: String(MAX_LOG_KB) },
    });
  });
  afterAll(() => worker.close());

  it.each([
    ["an infinite loop", "timeout", "for (;;) {}", /time limit \(2000 ms/],
    ["an infinite loop in an async function after an await", "timeout", "async function spin() { await null; while (true) {} }\nawait spin();", /time limit/],
    ["an infinite loop in a promise callback", "timeout", "await Promise.resolve().then(() => { for (;;) {} })", /time limit/],
    ["a growing array of objects", "memory_limit", "const a: object[] = []; for (;;) a.push({ i: a.length, s: 'x' + a.length });", /out of memory/],
    ["a 100 MB string", "memory_limit", "const s = 'x'.repeat(100 * 1024 * 1024); return s.length;", /out of memory/],
    // Many 1 MB strings: each allocation is small enough for QuickJS's own accounting, so only
    // the cap on the sandbox heap stops it (it once grew the isolate to 2 GB).
    ["many 1 MB strings", "memory_limit", "const c: string[] = []; for (;;) c.push('x'.repeat(1 << 20) + c.length);", /out of memory/],
    // QuickJS concatenates lazily, so doubling hits the engine's string length cap before memory.
    ["a string doubling forever", "runtime_error", "let s = 'x'; for (;;) s += s;", /string too long/],
    ["a log flood", "output_limit", "for (;;) console.log('x'.repeat(1000));", /logs exceed/],
    ["a log flood caught and ignored", "output_limit", "for (;;) { try { console.log('x'.repeat(1000)) } catch {} }", /logs exceed/],
    ["a result over the limit", "output_limit", `return 'x'.repeat(${MAX_RESULT_KB + 1} * 1024);`, /result exceeds/],
    ["unbounded recursion", "runtime_error", "function f(): number { return f() }\nf();", /stack overflow/i],
    ["unbounded recursion with arguments", "runtime_error", "function f(n: number): number { return f(n + 1) + 1 }\nreturn f(0);", /stack overflow/i],
  ])("%s → %s, and the next execution runs", async (_name, errorCode, code, message) => {
    expect(await failureOf(worker, code, errorCode)).toMatch(message);
    await expectNextRunSucceeds(worker);
  });

  it("a stack overflow is catchable by the program", async () => {
    expect(await resultOf(worker, "function f(): number { return f() }\ntry { f() } catch (e) { return String(e) }")).toMatch(/stack overflow/i);
  });

  it("a flood keeps the logs written before the limit, within it", async () => {
    const body = await execute(worker, "for (;;) console.log('x'.repeat(1000));");
    expect(body.error?.code).toBe("output_limit");
    expect(body.logs.length).toBeGreaterThan(0);
    expect(body.logs.join("").length).toBeLessThanOrEqual(MAX_LOG_KB * 1024);
  });

  it("a result just under the limit completes", async () => {
    const result = await resultOf(worker, `return 'x'.repeat(${MAX_RESULT_KB - 1} * 1024);`);
    expect(result).toHaveLength((MAX_RESULT_KB - 1) * 1024);
  });

  it("limit failures leave no stack trace of the Worker's code in its log", () => {
    expectNoStackTraceInLog(worker);
  });
});

describe("sandbox: interrupt budget", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    // The wall clock alone would allow ten minutes; only the count of interrupt checks can stop these.
    worker = await startWorker({ bindings: { SANDBOX_TIMEOUT_MS: "600000", SANDBOX_INTERRUPT_BUDGET: "2000" } });
  });
  afterAll(() => worker.close());

  it.each([
    ["for (;;) {}", "for (;;) {}"],
    ["while (true) {} after an await", "async function spin() { await null; while (true) {} }\nawait spin();"],
  ])("%s → timeout by interrupt count, and the next execution runs", async (_name, code) => {
    expect(await failureOf(worker, code, "timeout")).toMatch(/2000 interrupt checks/);
    await expectNextRunSucceeds(worker);
  });
});
