/**
 * The two errors the MCP source throws. McpSourceError means the upstream server as a whole
 * cannot be used (wrong URL, refused credentials, not speaking MCP); its message is shown to
 * whoever registered the integration. McpToolError means one call failed on the upstream's
 * side (an `isError` result or a JSON-RPC error); it carries the upstream's text as it came,
 * so the caller can redact secrets from the whole of it before cleaning and cutting it. Neither maps itself to an HTTP answer.
 */

/** Why an MCP server could not be used. */
export type McpSourceFailure = "unreachable" | "protocol" | "unauthorized" | "stdio_unsupported";

/** The MCP server cannot be used; `reason` says how, `message` says why in plain words. */
export class McpSourceError extends Error {
  readonly reason: McpSourceFailure;

  constructor(reason: McpSourceFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "McpSourceError";
    this.reason = reason;
  }
}

/** One tool call failed upstream; `upstreamText` is the upstream's own text, uncut and uncleaned. */
export class McpToolError extends Error {
  readonly upstreamText: string;

  constructor(upstreamText: string) {
    super("the upstream tool reported an error");
    this.name = "McpToolError";
    this.upstreamText = upstreamText;
  }
}
