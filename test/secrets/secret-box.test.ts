/** Secrets at rest: the real SecretBox, and the store against a real D1 with the migrations. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "../../worker/db";
import { SecretDecryptionError, deleteSecret, putSecret, readSecret, secretBox } from "../../worker/secrets";
import { TEST_SECRET_KEY, startWorker, type TestWorker } from "../harness/worker";

const OTHER_KEY = "another-secret-key-that-is-long-enough-000";

describe("SecretBox", () => {
  it("round-trips and never repeats a ciphertext (random IV)", async () => {
    const box = await secretBox(TEST_SECRET_KEY);
    const first = await box.encrypt("ghp_supersecret", "secret:a");
    const second = await box.encrypt("ghp_supersecret", "secret:a");
    expect(first).not.toBe(second);
    expect(first.startsWith("v1.")).toBe(true);
    expect(await box.decrypt(first, "secret:a")).toBe("ghp_supersecret");
    expect(await box.decrypt(second, "secret:a")).toBe("ghp_supersecret");
  });

  it("a different key fails loudly", async () => {
    const sealed = await (await secretBox(TEST_SECRET_KEY)).encrypt("value", "secret:a");
    await expect((await secretBox(OTHER_KEY)).decrypt(sealed, "secret:a")).rejects.toThrow(SecretDecryptionError);
  });

  it("a ciphertext moved to another record fails", async () => {
    const box = await secretBox(TEST_SECRET_KEY);
    const sealed = await box.encrypt("value", "secret:a");
    await expect(box.decrypt(sealed, "secret:b")).rejects.toThrow(SecretDecryptionError);
  });

  it.each([
    ["flipped byte", (s: string) => s.slice(0, -3) + (s.at(-3) === "A" ? "B" : "A") + s.slice(-2)],
    ["unknown version", (s: string) => s.replace(/^v1\./, "v9.")],
    ["truncated", (s: string) => s.split(".").slice(0, 2).join(".")],
    ["not base64url", (s: string) => s.replace(/\.[^.]+$/, ".***")],
    ["plaintext", () => "hunter2"],
  ])("tampered data (%s) fails with a clear error", async (_name, tamper) => {
    const box = await secretBox(TEST_SECRET_KEY);
    const sealed = await box.encrypt("value", "secret:a");
    await expect(box.decrypt(tamper(sealed), "secret:a")).rejects.toThrow(SecretDecryptionError);
  });
});

describe("secret store in D1", () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(() => worker.close());

  it("stores only ciphertext, reads back the plaintext, and refuses a different key", async () => {
    const db = database(worker.db as never);
    const box = await secretBox(TEST_SECRET_KEY);
    const plaintext = "sk_live_very_secret_value_123";
    await putSecret(db, box, "conn-1", plaintext, Date.now());

    const raw = await worker.db.prepare("SELECT * FROM secrets").all();
    expect(JSON.stringify(raw.results)).not.toContain(plaintext);
    expect(JSON.stringify(raw.results)).not.toContain(btoa(plaintext).slice(0, 12));

    expect(await readSecret(db, box, "conn-1")).toBe(plaintext);
    await expect(readSecret(db, await secretBox(OTHER_KEY), "conn-1")).rejects.toThrow(SecretDecryptionError);

    await putSecret(db, box, "conn-1", "rotated", Date.now());
    expect(await readSecret(db, box, "conn-1")).toBe("rotated");
    await deleteSecret(db, "conn-1");
    expect(await readSecret(db, box, "conn-1")).toBeNull();
  });
});
