/**
 * Rotating EXECUTOR_SECRET_KEY through the built Worker, with one D1 database kept across
 * Worker instances that differ only in their keys: key A, then B with A as previous (the cron
 * re-seals), then B alone; a second rotation to C through `POST /api/admin/rotate-secrets`;
 * then a key that opens nothing (connections need new credentials, nothing is garbled or a
 * 500), and the rescue once the right previous key is configured.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyIdOf } from "../../worker/secrets";
import { AccessIssuer } from "../harness/access-issuer";
import { expectError } from "../harness/assertions";
import { execute } from "../harness/executions";
import { CREDENTIALS, startItemsApi, type ItemsApi } from "../harness/items-api";
import { startWorker, type TestWorker } from "../harness/worker";

// Key A is the one the v1 fixture below was sealed with, so the legacy form is covered too.
const A = "legacy-key-0123456789abcdef-0123456789";
const B = "rotation-key-b-0123456789abcdef-0123456789";
const C = "rotation-key-c-0123456789abcdef-0123456789";
const D = "rotation-key-d-0123456789abcdef-0123456789";
/** Sealed with key A by the code before key ids (the v1 form), for the record `legacy`. */
const LEGACY_V1 = "v1.a0a594qHkL_DqQr4.c8GA7x7GqjX1pK3iLp5MJga3PrJWPiOSJNgwOetD15w";

interface SecretsStatus {
  keyRotation: string;
  remaining: number;
  unreadable: number;
}

describe("secret key rotation", () => {
  const persist = mkdtempSync(join(tmpdir(), "executor-rotation-"));
  const issuer = new AccessIssuer();
  let api: ItemsApi;
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    api = await startItemsApi();
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
    rmSync(persist, { recursive: true, force: true });
  });

  async function runWith(current: string, previous?: string, first = false): Promise<TestWorker> {
    await worker?.close();
    worker = await startWorker({
      d1Persist: persist,
      issuer,
      migrate: first,
      bindings: { EXECUTOR_SECRET_KEY: current, EXECUTOR_SECRET_KEY_PREVIOUS: previous, ALLOW_LOCAL_NETWORK: "true" },
    });
    return worker;
  }
  const admin = (path: string, init?: Parameters<TestWorker["fetch"]>[1]) => worker!.asUser("admin@example.com", path, init);
  const status = async (): Promise<SecretsStatus> => ((await (await admin("/api/status")).json()) as { secrets: SecretsStatus }).secrets;
  const prefixes = async (): Promise<string[]> =>
    ((await worker!.db.prepare("SELECT substr(ciphertext, 1, 20) AS prefix FROM secrets ORDER BY id").all<{ prefix: string }>()).results).map((row) => row.prefix);
  const listItems = (connection: string) => execute(worker!, `return await tools.items_api.items.listItems({}, { connection: "${connection}" })`);
  const connectionStatus = async (name: string) =>
    ((await (await admin("/api/integrations/items_api/connections")).json()) as { items: { name: string; status: string }[] }).items.find((item) => item.name === name)?.status;

  it("key A: connections work; the older v1 form counts as left to re-seal", async () => {
    await runWith(A, undefined, true);
    const added = await admin("/api/integrations", { method: "POST", body: JSON.stringify({ kind: "openapi", url: `${api.origin}/openapi.json` }) });
    expect(added.status, await added.clone().text()).toBe(201);
    for (const [name, auth] of [
      ["work", { type: "bearer", token: CREDENTIALS.bearer }],
      ["keyed", { type: "apiKey", key: CREDENTIALS.headerKey }],
    ] as const) {
      const response = await admin("/api/integrations/items_api/connections", { method: "POST", body: JSON.stringify({ name, shared: true, auth }) });
      expect(response.status, await response.clone().text()).toBe(201);
    }
    await worker!.db.prepare("INSERT INTO secrets (id, ciphertext, created_at, updated_at) VALUES ('legacy', ?, 0, 0)").bind(LEGACY_V1).run();

    expect(await listItems("work")).toMatchObject({ status: "completed", result: [{ id: 1 }] });
    expect(await listItems("keyed")).toMatchObject({ status: "completed" });
    expect(await status()).toEqual({ keyRotation: "none", remaining: 1, unreadable: 0 });
  });

  it("key B with previous A: everything still opens; the daily cron re-seals it under B", async () => {
    await runWith(B, A);
    expect(await status()).toEqual({ keyRotation: "in_progress", remaining: 3, unreadable: 0 });
    expect(await listItems("work")).toMatchObject({ status: "completed" });
    // A connection added now is sealed under B at once.
    const later = await admin("/api/integrations/items_api/connections", {
      method: "POST",
      body: JSON.stringify({ name: "later", shared: true, auth: { type: "bearer", token: CREDENTIALS.bearer } }),
    });
    expect(later.status).toBe(201);
    expect(await status()).toMatchObject({ remaining: 3 });

    expect((await (await worker!.mf.getWorker()).scheduled({ cron: "17 3 * * *" })).outcome).toBe("ok");
    await expect.poll(status, { timeout: 5_000 }).toEqual({ keyRotation: "done", remaining: 0, unreadable: 0 });
    expect(new Set(await prefixes())).toEqual(new Set([`v2.${await keyIdOf(B)}.`]));
    expect(worker!.logs.join("\n")).toContain('"resealed":3');
  });

  it("key B alone: the old key is gone and nothing needed it", async () => {
    await runWith(B);
    expect(await status()).toEqual({ keyRotation: "none", remaining: 0, unreadable: 0 });
    expect(await listItems("work")).toMatchObject({ status: "completed" });
    expect(await listItems("keyed")).toMatchObject({ status: "completed" });
  });

  it("a second rotation, to C, by an admin's POST /api/admin/rotate-secrets", async () => {
    await runWith(C, B);
    expect(await status()).toEqual({ keyRotation: "in_progress", remaining: 4, unreadable: 0 });
    await expectError(await worker!.asUser("someone@example.com", "/api/admin/rotate-secrets", { method: "POST" }), 403, "forbidden");
    const rotated = await admin("/api/admin/rotate-secrets", { method: "POST" });
    expect(rotated.status).toBe(200);
    expect(await rotated.json()).toEqual({ resealed: 4, remaining: 0, unreadable: 0 });
    expect(await status()).toEqual({ keyRotation: "done", remaining: 0, unreadable: 0 });

    await runWith(C);
    expect(await listItems("later")).toMatchObject({ status: "completed" });
  });

  it("a key that opens nothing: connections need new credentials; calls fail cleanly, never garbled, never a 500", async () => {
    await runWith(D);
    expect(await status()).toEqual({ keyRotation: "none", remaining: 4, unreadable: 0 });
    const failed = await execute(
      worker!,
      `try { await tools.items_api.items.listItems({}, { connection: "work" }); return "served" } catch (error) { return { code: error.code, message: error.message } }`,
    );
    expect(failed.result).toMatchObject({ code: "no_connection", message: expect.stringContaining("cannot be decrypted") });
    expect(await connectionStatus("work")).toBe("needs_reauth");
    expect(api.requests.filter((request) => request.auth === null)).toEqual([]);

    // The re-sealing pass marks the rest and moves on; nothing is rewritten.
    const before = await prefixes();
    expect(await (await admin("/api/admin/rotate-secrets", { method: "POST" })).json()).toEqual({ resealed: 0, remaining: 0, unreadable: 4 });
    expect(await prefixes()).toEqual(before);
    expect(await connectionStatus("keyed")).toBe("needs_reauth");
    expect(await status()).toEqual({ keyRotation: "none", remaining: 0, unreadable: 4 });
  });

  it("the right previous key, configured late, still rescues what was marked unreadable", async () => {
    await runWith(D, C);
    expect(await status()).toEqual({ keyRotation: "in_progress", remaining: 4, unreadable: 0 });
    expect(await (await admin("/api/admin/rotate-secrets", { method: "POST" })).json()).toEqual({ resealed: 4, remaining: 0, unreadable: 0 });
    expect(await listItems("work")).toMatchObject({ status: "completed" });
  });
});

describe("EXECUTOR_SECRET_KEY_PREVIOUS is checked like the key", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker({ bindings: { EXECUTOR_SECRET_KEY_PREVIOUS: "too-short" } });
  });
  afterAll(() => worker.close());

  it("a value that is set but shorter than 32 characters is 503 everywhere", async () => {
    const body = await expectError(await worker.asUser("admin@example.com", "/api/status"), 503, "not_configured");
    expect(body.error.message).toContain("EXECUTOR_SECRET_KEY_PREVIOUS");
  });
});
