/**
 * Reads a JSON request body with a size cap, so a huge body is refused
 * before it is buffered whole.
 */
import { ExecutorError } from "../errors";

/** The cap for ordinary bodies (docs/api.md). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Parses the request body as a JSON object, or throws `invalid_request` / `payload_too_large`. */
export async function readJsonObject(request: Request, maxBytes = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readTextCapped(request, maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ExecutorError("invalid_request", "Request body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ExecutorError("invalid_request", "Request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

/** The request body as text, refused with `payload_too_large` past `maxBytes`. */
export async function readTextCapped(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function tooLarge(maxBytes: number): ExecutorError {
  return new ExecutorError("payload_too_large", `Request body exceeds ${Math.round(maxBytes / 1024)} KiB`);
}
