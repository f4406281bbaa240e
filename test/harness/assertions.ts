/** Assertions shared by the route tests: the error shape of docs/api.md and headers. */
import { expect } from "vitest";

/** Asserts a JSON error response with the given status and code; returns the body. */
export async function expectError(response: Response, status: number, code: string): Promise<{ error: { code: string; message: string; details?: unknown } }> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(text);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  return body;
}

/** A 401 as docs/security.md says: JSON body and the Bearer challenge. */
export async function expectUnauthorized(response: Response): Promise<void> {
  await expectError(response, 401, "unauthorized");
  expect(response.headers.get("www-authenticate")).toBe('Bearer realm="executor"');
}

/**
 * Sends a request whose body the Worker refuses before reading it (over its size cap). The
 * Worker answers 413 and closes the connection while the client may still be writing, so
 * the client sometimes sees its write reset instead of the answer; such an attempt is
 * repeated (up to eight, a little later each time: a loaded machine resets more often), as a
 * real client would. Returns the first answer received.
 */
export async function sendRefusedBody(send: () => Promise<Response>): Promise<Response> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      return await send();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 25 * (attempt + 1)));
    }
  }
  throw lastError;
}
