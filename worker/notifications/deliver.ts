/**
 * Sends one notification: a JSON POST through the outbound guard (the webhook URL is checked
 * like any upstream; no redirects are followed, since the URL is a credential the Worker
 * should hand to no one else), with a short deadline per attempt and up to three attempts.
 * A timeout, a network failure, 408, 425, 429 or a 5xx is retried after a pause; any other
 * answer is final. Errors name the host only, never the webhook's path.
 * It never throws: the outcome is data, recorded on the execution by the caller.
 */
import type { ApprovalWebhook } from "../config";
import { guardedFetch, OutboundError } from "../outbound";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";

export const DELIVERY_ATTEMPTS = 3;
/** Pauses before the second and third attempts. */
export const RETRY_DELAYS_MS = [500, 2_000] as const;
/** One attempt's deadline: three attempts and their pauses fit well inside `waitUntil`'s time. */
export const ATTEMPT_TIMEOUT_MS = 5_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
const RETRIED_STATUSES = new Set([408, 425, 429]);

/** How a delivery went. */
export interface Delivery {
  status: "sent" | "failed";
  attempts: number;
  /** Why the last attempt failed (host and status or failure, never a path). */
  error?: string;
}

/** Posts `body` to the webhook; signs it when the webhook has a secret. */
export async function deliverNotification(webhook: ApprovalWebhook, body: string, options: { allowLocalNetwork: boolean }): Promise<Delivery> {
  const host = new URL(webhook.url).host;
  let error = "";
  for (let attempt = 1; attempt <= DELIVERY_ATTEMPTS; attempt += 1) {
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Executor-Notifications/1" };
    if (webhook.secret) headers[SIGNATURE_HEADER] = await signatureHeader(webhook.secret, body, Date.now());
    let retry: boolean;
    try {
      const response = await guardedFetch(
        { url: webhook.url, method: "POST", headers, body },
        { allowLocalNetwork: options.allowLocalNetwork, timeoutMs: ATTEMPT_TIMEOUT_MS, maxRedirects: 0, maxResponseBytes: MAX_RESPONSE_BYTES },
      );
      if (response.status >= 200 && response.status < 300) return { status: "sent", attempts: attempt };
      error = `${host} answered ${response.status}`;
      retry = response.status >= 500 || RETRIED_STATUSES.has(response.status);
    } catch (thrown) {
      if (!(thrown instanceof OutboundError)) {
        error = `${host}: the request could not be sent`;
        console.error("notification failed", thrown);
        retry = false;
      } else {
        error = thrown.message;
        retry = thrown.reason === "timeout" || thrown.reason === "unreachable";
      }
    }
    if (!retry || attempt === DELIVERY_ATTEMPTS) return { status: "failed", attempts: attempt, error };
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt - 1]));
  }
  return { status: "failed", attempts: DELIVERY_ATTEMPTS, error };
}
