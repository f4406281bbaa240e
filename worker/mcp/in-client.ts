/**
 * Approvals and set-up inside the MCP client (docs/agents.md, Approvals in the client), for a
 * client whose session says it can send its user to a URL. Within the one `tools/call`:
 *
 * - A call that needs approval: the client is asked (`elicitation/create`, mode `url`) to open
 *   the approval page; the call then waits for the human's decision in D1, up to
 *   ELICITATION_WAIT_SECONDS, with progress notifications, and runs the program on in the
 *   same call. The human still decides in the console; the client only opens the page.
 * - A call that has no connection (or needs re-authorising): the client is asked to open the
 *   page that sets it up (the authorization URL of the owner's own OAuth connection, else the
 *   integration's console page); once the connections change, the call is retried once.
 *
 * If the user declines or dismisses the prompt, or the wait ends, the answer is what it would
 * have been without: `paused` (resume works as always), or the failure with its `details.url`.
 * Nothing here is kept in memory between requests: the decision, the connections and the
 * client's answers are all read from D1, so any isolate can serve the client's other requests.
 */
import type { AuthorizationCodeSettings } from "../connections";
import { listConnections, resolveConnection, SHARED_OWNER, startAuthorization } from "../connections";
import { database, type Database } from "../db";
import { executeCode, resumeExecution, type ExecutionView, type RunContext, type RunOptions, type SetUpNeed } from "../executions";
import type { ClientChannel } from "./client-channel";

/** How often the decision, the connections and the client's answer are looked at (D1 reads). */
const POLL_MS = 1_000;
/** How often the client hears that the call still waits. */
const PROGRESS_EVERY_MS = 5_000;

/** `execute`, with approvals and set-up through the client. */
export async function executeInClient(context: RunContext, channel: ClientChannel, waitMs: number, code: unknown): Promise<ExecutionView> {
  const options = setUpOptions(context, channel, waitMs);
  return awaitDecisions(context, channel, waitMs, await executeCode(context, code, options), options);
}

/** `resume`, with approvals and set-up through the client: still undecided, the user is asked again. */
export async function resumeInClient(context: RunContext, channel: ClientChannel, waitMs: number, executionId: unknown, resumeWaitMs: number): Promise<ExecutionView> {
  const options = setUpOptions(context, channel, waitMs);
  return awaitDecisions(context, channel, waitMs, await resumeExecution(context, executionId, resumeWaitMs, options), options);
}

function setUpOptions(context: RunContext, channel: ClientChannel, waitMs: number): RunOptions {
  return { setUp: (need) => awaitSetUp(context, channel, waitMs, need) };
}

/**
 * While the execution is paused for a decision: ask the client to open the approval page,
 * then wait for the decision and run on. A later call that needs approval asks again, with a
 * wait of its own.
 */
async function awaitDecisions(context: RunContext, channel: ClientChannel, waitMs: number, first: ExecutionView, options: RunOptions): Promise<ExecutionView> {
  let view = first;
  for (;;) {
    const approval = view.approval;
    if (view.status !== "paused" || !approval) return view;
    const id = await channel.elicitUrl(approvalMessage(approval), approval.url);
    const deadline = Date.now() + waitMs;
    const progress = progressEvery(channel, `Waiting for a decision on ${approval.tool} in the Executor console`);
    let next = view;
    for (;;) {
      const answer = await channel.answer(id);
      // Declined or dismissed: the user will not decide now; the agent gets `paused`.
      if (answer === "decline" || answer === "cancel") return next;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        if (answer === null) await channel.withdraw(id);
        return next;
      }
      // Waits up to POLL_MS for the decision; once there, runs the program on.
      next = await resumeExecution(context, view.executionId, Math.min(POLL_MS, remaining), options);
      if (next.status !== "paused" || next.approval?.callId !== approval.callId) break;
      await progress();
    }
    await channel.complete(id);
    view = next;
  }
}

/**
 * Asks the owner to set up the connection a call lacks, and waits until their connections
 * for that integration change (one added, one authorised again), they decline, or the wait
 * ends. Only the owner: a connection set up by whoever resumed would be theirs, not the
 * owner's, and would not help.
 */
async function awaitSetUp(context: RunContext, channel: ClientChannel, waitMs: number, need: SetUpNeed): Promise<void> {
  const identity = context.caller.identity;
  if (need.ownerId !== identity.id) return;
  const db = database(context.env.DB);
  const before = await connectionState(db, need, context);
  const id = await channel.elicitUrl(setUpMessage(need), await setUpUrl(db, need, context));
  const deadline = Date.now() + waitMs;
  const progress = progressEvery(channel, `Waiting for a connection to ${need.integration}`);
  for (;;) {
    if ((await connectionState(db, need, context)) !== before) {
      await channel.complete(id);
      return;
    }
    const answer = await channel.answer(id);
    if (answer === "decline" || answer === "cancel") return;
    if (Date.now() >= deadline) {
      if (answer === null) await channel.withdraw(id);
      return;
    }
    await progress();
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Where the owner sets the connection up: the authorization URL when the call resolves to
 * their own OAuth authorization-code connection (a fresh, single-use `state` bound to them),
 * else the integration's console page, where they add one.
 */
async function setUpUrl(db: Database, need: SetUpNeed, context: RunContext): Promise<string> {
  if (need.code !== "oauth_reauth_required") return need.url;
  const { identity, config } = context.caller;
  let connection;
  try {
    connection = await resolveConnection(db, need.integration, need.connection, identity);
  } catch {
    return need.url;
  }
  const settings = connection?.settings as Partial<AuthorizationCodeSettings> | undefined;
  if (!connection || connection.owner === SHARED_OWNER || connection.authType !== "oauth2" || settings?.grant !== "authorization_code") return need.url;
  return startAuthorization(db, config.secretKeys, connection.id, settings as AuthorizationCodeSettings, identity, config.allowLocalNetwork, Date.now());
}

/** What the owner's and the shared connections of the integration look like: a change means the person did something. */
async function connectionState(db: Database, need: SetUpNeed, context: RunContext): Promise<string> {
  const connections = await listConnections(db, need.integration, context.caller.identity);
  return JSON.stringify(connections.map((connection) => [connection.id, connection.status]));
}

/** A progress sender that speaks at most every PROGRESS_EVERY_MS. */
function progressEvery(channel: ClientChannel, message: string): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < PROGRESS_EVERY_MS) return;
    last = Date.now();
    await channel.progress(message);
  };
}

/** One line naming the tool and what it will act with. */
function approvalMessage(approval: NonNullable<ExecutionView["approval"]>): string {
  const target = approval.connection ? `${approval.connectionShared ? "the shared" : "your"} connection "${approval.connection}"` : "no connection";
  return `Approve ${approval.tool} (with ${target}) in the Executor console; the agent waits for your decision.`;
}

function setUpMessage(need: SetUpNeed): string {
  return need.code === "oauth_reauth_required"
    ? `${need.tool} needs you to authorise ${need.integration} again; the agent retries once you are done.`
    : `${need.tool} needs a connection to ${need.integration}: add one in the Executor console; the agent retries once you are done.`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
