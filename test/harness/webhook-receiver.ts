/**
 * A real webhook receiver on 127.0.0.1 for the notification tests. It verifies
 * `X-Executor-Signature` exactly as docs/operations.md tells a receiver to (HMAC-SHA256 of
 * "<t>.<raw body>", constant-time compare, at most five minutes old), records every delivery
 * with the verdict, and answers with the status the test sets for each attempt.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Delivery {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: unknown;
  /** The signature checked with the receiver's secret: valid, invalid, or absent. */
  signature: "valid" | "invalid" | "absent";
}

export interface WebhookReceiver {
  origin: string;
  deliveries: Delivery[];
  /** Statuses for the next requests, in order; then `fallback`. */
  answers: number[];
  fallback: number;
  close(): Promise<void>;
}

/** The verification a receiver runs, as documented. */
export function verifySignature(header: string | undefined, rawBody: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300 || !parts.v1) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const state: Omit<WebhookReceiver, "origin" | "close"> = { deliveries: [], answers: [], fallback: 200 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const header = request.headers["x-executor-signature"] as string | undefined;
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // recorded as null
      }
      state.deliveries.push({
        path: request.url ?? "",
        headers: request.headers,
        body,
        json,
        signature: header === undefined ? "absent" : verifySignature(header, body, secret) ? "valid" : "invalid",
      });
      const status = state.answers.shift() ?? state.fallback;
      response.writeHead(status, { "content-type": "text/plain" });
      response.end(status < 300 ? "ok" : "nope");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
