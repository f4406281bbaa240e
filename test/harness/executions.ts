/** Helpers for tests that run programs through the HTTP API. */
import type { TestWorker } from "./worker";

export interface ExecutionView {
  executionId: string;
  status: string;
  result?: unknown;
  logs: string[];
  error?: { code: string; message: string };
  approval?: { callId: number; tool: string; args: unknown; connection?: string; url: string; expiresAt: string };
}

/** Runs `code` as `email` via POST /api/executions and returns the view. */
export async function execute(worker: TestWorker, code: string, email = "admin@example.com"): Promise<ExecutionView> {
  const response = await worker.asUser(email, "/api/executions", { method: "POST", body: JSON.stringify({ code }) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`execute answered ${response.status}: ${text}`);
  return JSON.parse(text) as ExecutionView;
}

/** Approves or declines as a human would from the console (same-origin browser fetch). */
export function decide(worker: TestWorker, id: string, callId: number, decision: "approve" | "decline", email = "admin@example.com", headers: Record<string, string> = {}): Promise<Response> {
  return worker.asUser(email, `/api/executions/${id}/${decision}`, {
    method: "POST",
    headers: { "sec-fetch-site": "same-origin", origin: "https://executor.test", ...headers },
    body: JSON.stringify({ callId }),
  });
}

/** POST /api/executions/:id/resume, waiting at most `waitSeconds` for a decision. */
export async function resume(worker: TestWorker, id: string, waitSeconds = 0, email = "admin@example.com"): Promise<ExecutionView> {
  const response = await worker.asUser(email, `/api/executions/${id}/resume`, { method: "POST", body: JSON.stringify({ waitSeconds }) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`resume answered ${response.status}: ${text}`);
  return JSON.parse(text) as ExecutionView;
}
