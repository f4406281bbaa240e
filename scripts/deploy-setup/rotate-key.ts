/**
 * The steps of `deploy:setup --rotate-key` (docs/security.md#rotating-the-secret-key) that
 * differ from a normal run: get the current EXECUTOR_SECRET_KEY from the person (wrangler
 * cannot read a secret back), prove it is the Worker's key against the stored secrets, then
 * put it as EXECUTOR_SECRET_KEY_PREVIOUS and a new random key as EXECUTOR_SECRET_KEY. The
 * order the steps run in, and the deploy before the keys change, are deploy-setup.ts's.
 *
 * The key never comes from the command line (shell history, `ps`): it is read from the
 * environment or typed at a hidden prompt, and goes to wrangler on stdin only.
 */
import { randomBytes } from "node:crypto";
import { MIN_SECRET_KEY_LENGTH } from "../../worker/config";
import { keyIdOf, secretBox } from "../../worker/secrets";
import type { Ask, StepContext } from "./steps";
import { requireSuccess, runWrangler } from "./wrangler-cli";
import { parseJsonOutput, parseQueryRows } from "./wrangler-output";

export const CURRENT_KEY = "EXECUTOR_SECRET_KEY";
export const PREVIOUS_KEY = "EXECUTOR_SECRET_KEY_PREVIOUS";
const NEW_KEY_BYTES = 32;

/**
 * The stored secrets grouped by the key that sealed them: `v2.<key id>.` per key, `v1` for the
 * older form (which names no key: one sample of it is opened instead). Read-only.
 */
export const SEALED_FORMS_QUERY =
  "SELECT form, count(*) AS n, id AS sample_id, min(ciphertext) AS sample FROM " +
  "(SELECT id, ciphertext, CASE WHEN substr(ciphertext, 1, 3) = 'v2.' THEN substr(ciphertext, 1, 20) ELSE 'v1' END AS form FROM secrets) " +
  "GROUP BY form ORDER BY form";

/** The current key, from $EXECUTOR_SECRET_KEY or a hidden prompt; never from argv. */
export async function readCurrentKey(environment: NodeJS.ProcessEnv, askHidden: Ask | null): Promise<string> {
  let key = environment[CURRENT_KEY] ?? "";
  if (key === "" && askHidden !== null) key = (await askHidden(`Current ${CURRENT_KEY} (input hidden): `)).trim();
  if (key === "") {
    throw new Error(
      `--rotate-key needs the Worker's current ${CURRENT_KEY} (wrangler cannot read a secret back): ` +
        `set it in the environment (${CURRENT_KEY}=… npm run deploy:setup -- --rotate-key) or run at a terminal to be asked.`,
    );
  }
  if (key.length < MIN_SECRET_KEY_LENGTH) throw new Error(`the ${CURRENT_KEY} given is shorter than ${MIN_SECRET_KEY_LENGTH} characters: it cannot be the Worker's key`);
  return key;
}

/**
 * Proves `key` is the one the stored secrets are sealed under, before anything changes:
 * a wrong key put as the previous one would leave every credential unreadable. Refuses too
 * while secrets remain under another key (an earlier rotation not finished), since a new
 * rotation would strand them.
 */
export async function checkCurrentKey(ctx: StepContext, key: string): Promise<void> {
  const output = requireSuccess(await runWrangler(ctx.wrangler, ["d1", "execute", "DB", "--remote", "--json", "--command", SEALED_FORMS_QUERY]));
  const rows = parseQueryRows(parseJsonOutput(output)).map((row) => ({ form: String(row.form), n: Number(row.n), sampleId: String(row.sample_id), sample: String(row.sample) }));
  if (rows.length === 0) {
    ctx.report("no stored secrets yet: nothing to check the key against");
    return;
  }
  const mine = `v2.${await keyIdOf(key)}.`;
  for (const row of rows) {
    if (row.form === mine) continue;
    if (row.form === "v1") {
      try {
        await (await secretBox(key)).decrypt(row.sample, `secret:${row.sampleId}`);
        continue;
      } catch {
        throw new Error(`the ${CURRENT_KEY} given does not open the stored secrets: it is not the Worker's key. Nothing was changed.`);
      }
    }
    throw new Error(
      `${row.n} stored secret(s) are sealed under another key: either the ${CURRENT_KEY} given is not the Worker's key, ` +
        `or an earlier rotation is not finished (GET /api/status shows secrets.remaining; POST /api/admin/rotate-secrets re-seals). Nothing was changed.`,
    );
  }
  const total = rows.reduce((sum, row) => sum + row.n, 0);
  ctx.report(`the key given opens the ${total} stored secret(s)`);
}

/** Puts the current key as EXECUTOR_SECRET_KEY_PREVIOUS, so values sealed under it keep opening. */
export async function putPreviousKey(ctx: StepContext, key: string): Promise<void> {
  if (ctx.dryRun) return ctx.report(`would set ${PREVIOUS_KEY} to the current key`);
  requireSuccess(await runWrangler(ctx.wrangler, ["secret", "put", PREVIOUS_KEY], key));
  ctx.report(`set ${PREVIOUS_KEY} to the current key`);
}

/**
 * Generates the new key, shows it once (before it is put, so a failure after the put cannot
 * lose it) and puts it as EXECUTOR_SECRET_KEY. Returns it, or null in a dry run.
 */
export async function putNewKey(ctx: StepContext, show: (key: string) => void): Promise<string | null> {
  if (ctx.dryRun) {
    ctx.report(`would set ${CURRENT_KEY} to a new random key (32 bytes, hex)`);
    return null;
  }
  const key = randomBytes(NEW_KEY_BYTES).toString("hex");
  show(key);
  requireSuccess(await runWrangler(ctx.wrangler, ["secret", "put", CURRENT_KEY], key));
  ctx.report(`set ${CURRENT_KEY} to the new key`);
  return key;
}

/** Reads one line at the terminal without echoing it. */
export function askHiddenAtTerminal(question: string): Promise<string> {
  const input = process.stdin;
  process.stdout.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = () => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stdout.write("\n");
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") {
          finish();
          return resolve(value);
        }
        if (char === "\u0003") {
          finish();
          return reject(new Error("cancelled"));
        }
        value = char === "\u007f" || char === "\b" ? value.slice(0, -1) : value + char;
      }
    };
    input.on("data", onData);
  });
}

/** What to do once the keys are in place. */
export function describeRotationFollowUp(workerUrl: string | null): string[] {
  const status = `${workerUrl ?? "https://<your Worker>"}/api/status`;
  return [
    "The Worker now seals with the new key and still opens what the old one sealed.",
    "Stored secrets are re-sealed under the new key by the daily cron (17 3 * * *), or at once by an admin:",
    "the console's Settings page (Re-seal now), or POST /api/admin/rotate-secrets.",
    `Watch ${status}: once "secrets" shows keyRotation "done" (remaining 0), remove the old key:`,
    `  npx wrangler secret delete ${PREVIOUS_KEY}`,
  ];
}
