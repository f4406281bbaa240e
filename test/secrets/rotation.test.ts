/**
 * Re-sealing after a key rotation, against a real D1 with the migrations: batches, the
 * deadline, and the compare-and-swap that lets a concurrent write (an OAuth refresh) win.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { database } from "../../worker/db";
import { putSecret, readSecret, resealSecrets, sealStatus, secretBox, secretKeyring, type Keyring } from "../../worker/secrets";
import { startWorker, type TestWorker } from "../harness/worker";

const A = "rotation-unit-key-a-0123456789abcdef-01234";
const B = "rotation-unit-key-b-0123456789abcdef-01234";

let worker: TestWorker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(() => worker.close());
beforeEach(async () => {
  await worker.db.prepare("DELETE FROM secrets").run();
});

const db = () => database(worker.db as never);

async function sealUnderA(ids: string[]): Promise<void> {
  const box = await secretBox(A);
  for (const id of ids) await putSecret(db(), box, id, `value of ${id}`, Date.now());
}

it("re-seals every value in small batches and counts what remains in SQL", async () => {
  await sealUnderA(["s1", "s2", "s3", "s4", "s5"]);
  const ring = await secretKeyring({ current: B, previous: A });
  expect(await sealStatus(db(), ring)).toEqual({ remaining: 5, unreadable: 0 });

  const report = await resealSecrets(db(), ring, { deadline: Date.now() + 10_000, batchSize: 2 });
  expect(report).toEqual({ resealed: 5, remaining: 0, unreadable: 0 });
  const onlyB = await secretKeyring({ current: B, previous: null });
  for (const id of ["s1", "s5"]) expect(await readSecret(db(), onlyB, id)).toBe(`value of ${id}`);
});

it("stops at the deadline; the next pass continues", async () => {
  await sealUnderA(["s1", "s2", "s3"]);
  const ring = await secretKeyring({ current: B, previous: A });
  expect(await resealSecrets(db(), ring, { deadline: Date.now() - 1 })).toEqual({ resealed: 0, remaining: 3, unreadable: 0 });
  expect(await resealSecrets(db(), ring, { deadline: Date.now() + 10_000 })).toEqual({ resealed: 3, remaining: 0, unreadable: 0 });
});

it("a value replaced while the pass holds it (a token refresh) keeps the newer value", async () => {
  await sealUnderA(["connection:c1", "other"]);
  const ring = await secretKeyring({ current: B, previous: A });
  // The real keyring; opening `connection:c1` lets another writer store a refreshed token first.
  const racing: Keyring = {
    ...ring,
    async decrypt(stored, context) {
      const opened = await ring.decrypt(stored, context);
      if (context === "secret:connection:c1") await putSecret(db(), ring, "connection:c1", "refreshed token", Date.now());
      return opened;
    },
  };
  expect(await resealSecrets(db(), racing, { deadline: Date.now() + 10_000 })).toEqual({ resealed: 1, remaining: 0, unreadable: 0 });
  expect(await readSecret(db(), ring, "connection:c1")).toBe("refreshed token");
  expect(await readSecret(db(), ring, "other")).toBe("value of other");
});

it("a value neither key opens is marked once, reported, and left as it was", async () => {
  await sealUnderA(["lost"]);
  const ring = await secretKeyring({ current: B, previous: null });
  const before = await worker.db.prepare("SELECT ciphertext FROM secrets WHERE id = 'lost'").first<{ ciphertext: string }>();
  const reported: string[][] = [];
  const onUnreadable = async (ids: string[]) => void reported.push(ids);
  expect(await resealSecrets(db(), ring, { deadline: Date.now() + 10_000, onUnreadable })).toEqual({ resealed: 0, remaining: 0, unreadable: 1 });
  expect(await resealSecrets(db(), ring, { deadline: Date.now() + 10_000, onUnreadable })).toEqual({ resealed: 0, remaining: 0, unreadable: 1 });
  expect(reported).toEqual([["lost"]]);
  expect(await worker.db.prepare("SELECT ciphertext FROM secrets WHERE id = 'lost'").first()).toEqual(before);

  // Writing the secret again clears the mark.
  await putSecret(db(), ring, "lost", "entered again", Date.now());
  expect(await sealStatus(db(), ring)).toEqual({ remaining: 0, unreadable: 0 });
});
