/** Secrets at rest: the real SecretBox and keyring, and the store against a real D1 with the migrations. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "../../worker/db";
import { SecretDecryptionError, deleteSecret, keyIdOf, putSecret, readSecret, secretBox, secretKeyring } from "../../worker/secrets";
import { TEST_SECRET_KEY, startWorker, type TestWorker } from "../harness/worker";

const OTHER_KEY = "another-secret-key-that-is-long-enough-000";

describe("SecretBox", () => {
  it("round-trips and never repeats a ciphertext (random IV)", async () => {
    const box = await secretBox(TEST_SECRET_KEY);
    const first = await box.encrypt("ghp_supersecret", "secret:a");
    const second = await box.encrypt("ghp_supersecret", "secret:a");
    expect(first).not.toBe(second);
    expect(first.startsWith(`v2.${box.keyId}.`)).toBe(true);
    expect(box.keyId).toMatch(/^[0-9a-f]{16}$/);
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
    ["unknown version", (s: string) => s.replace(/^v2\./, "v9.")],
    ["another key id", (s: string) => s.replace(/^v2\.[0-9a-f]{16}\./, "v2.0123456789abcdef.")],
    ["truncated", (s: string) => s.split(".").slice(0, 2).join(".")],
    ["not base64url", (s: string) => s.replace(/\.[^.]+$/, ".***")],
    ["plaintext", () => "hunter2"],
  ])("tampered data (%s) fails with a clear error", async (_name, tamper) => {
    const box = await secretBox(TEST_SECRET_KEY);
    const sealed = await box.encrypt("value", "secret:a");
    await expect(box.decrypt(tamper(sealed), "secret:a")).rejects.toThrow(SecretDecryptionError);
  });
});

/**
 * A value sealed by the code before key ids existed (the v1 form), with this key and record.
 * Made once with that code; it must keep opening.
 */
const LEGACY = {
  key: "legacy-key-0123456789abcdef-0123456789",
  context: "secret:legacy",
  plaintext: "legacy plaintext",
  sealed: "v1.a0a594qHkL_DqQr4.c8GA7x7GqjX1pK3iLp5MJga3PrJWPiOSJNgwOetD15w",
};

describe("key ids and the keyring", () => {
  it("a key id is a stable fingerprint: the same for the same key, different for another", async () => {
    expect(await keyIdOf(TEST_SECRET_KEY)).toBe((await secretBox(TEST_SECRET_KEY)).keyId);
    expect(await keyIdOf(OTHER_KEY)).not.toBe(await keyIdOf(TEST_SECRET_KEY));
    expect(TEST_SECRET_KEY).not.toContain(await keyIdOf(TEST_SECRET_KEY));
  });

  it("a v1 value still opens with the key that sealed it, as current or as previous key", async () => {
    expect(await (await secretBox(LEGACY.key)).decrypt(LEGACY.sealed, LEGACY.context)).toBe(LEGACY.plaintext);
    expect(await (await secretKeyring({ current: LEGACY.key, previous: null })).decrypt(LEGACY.sealed, LEGACY.context)).toBe(LEGACY.plaintext);
    expect(await (await secretKeyring({ current: OTHER_KEY, previous: LEGACY.key })).decrypt(LEGACY.sealed, LEGACY.context)).toBe(LEGACY.plaintext);
    await expect((await secretKeyring({ current: OTHER_KEY, previous: TEST_SECRET_KEY })).decrypt(LEGACY.sealed, LEGACY.context)).rejects.toThrow(SecretDecryptionError);
  });

  const A = TEST_SECRET_KEY;
  const B = OTHER_KEY;
  const C = "a-third-secret-key-that-is-long-enough-000";
  it.each([
    // sealed with, opened by current/previous, opens?
    ["A", A, { current: A, previous: null }, true],
    ["A", A, { current: B, previous: A }, true],
    ["B", B, { current: B, previous: A }, true],
    ["A", A, { current: B, previous: null }, false],
    ["C", C, { current: B, previous: A }, false],
    ["A", A, { current: C, previous: B }, false],
  ] as const)("sealed under %s, opened with %o: %s", async (_name, sealer, keys, opens) => {
    const sealed = await (await secretBox(sealer)).encrypt("value", "secret:x");
    const ring = await secretKeyring(keys);
    if (opens) expect(await ring.decrypt(sealed, "secret:x")).toBe("value");
    else await expect(ring.decrypt(sealed, "secret:x")).rejects.toThrow(SecretDecryptionError);
  });

  it("seals under the current key only, and tells what is current", async () => {
    const ring = await secretKeyring({ current: B, previous: A });
    const sealed = await ring.encrypt("value", "secret:x");
    expect(sealed.startsWith(`v2.${await keyIdOf(B)}.`)).toBe(true);
    expect(ring.isCurrent(sealed)).toBe(true);
    expect(ring.isCurrent(await (await secretBox(A)).encrypt("value", "secret:x"))).toBe(false);
    expect(ring.isCurrent(LEGACY.sealed)).toBe(false);
    expect(ring.tag).toBe(`${await keyIdOf(B)}:${await keyIdOf(A)}`);
    expect((await secretKeyring({ current: B, previous: null })).tag).toBe(`${await keyIdOf(B)}:-`);
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
