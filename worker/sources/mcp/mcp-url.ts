/**
 * Decides whether a registered MCP server address is one a Worker can talk to: an http(s)
 * URL, spoken to over streamable HTTP or SSE. A stdio server (a command line, a package
 * name, a file path) needs a process to spawn, which a Worker does not have, so it is
 * refused with a message that says what to do instead. Pure: it does not judge the host
 * (the outbound guard does, at every request) and does not connect.
 */
import { McpSourceError } from "./errors";

/** Where an MCP server listens and what to send it. */
export interface McpEndpoint {
  /** The streamable HTTP endpoint (`…/mcp`) or, for an older server, its SSE endpoint (`…/sse`). */
  url: string;
  /** Sent with every request, and only to the URL's origin (the connection's credentials). */
  headers: Record<string, string>;
  /** ALLOW_LOCAL_NETWORK: lets the guard call private and loopback addresses. */
  allowLocalNetwork: boolean;
}

/** The message for every stdio-looking address. */
export const STDIO_UNSUPPORTED_MESSAGE =
  "stdio MCP servers cannot run inside a Cloudflare Worker; expose it over streamable HTTP " +
  "(for example behind a stdio-to-HTTP bridge) and register that https:// URL";

/**
 * Returns when `url` is an http(s) URL; throws McpSourceError `stdio_unsupported` for an
 * address that names a stdio server, and `unreachable` for anything else that is not one.
 * The text is never echoed back: it may hold a token.
 */
export function checkMcpUrl(url: string): void {
  const text = url.trim();
  const parsed = parseUrl(text);
  if (parsed?.protocol === "http:" || parsed?.protocol === "https:") return;
  if (namesStdioServer(text, parsed)) throw new McpSourceError("stdio_unsupported", STDIO_UNSUPPORTED_MESSAGE);
  if (parsed?.protocol === "ws:" || parsed?.protocol === "wss:") {
    throw new McpSourceError("unreachable", "WebSocket MCP servers are not supported; use the server's streamable HTTP (or SSE) URL");
  }
  throw new McpSourceError("unreachable", "the MCP server address must be an http:// or https:// URL");
}

// --- private ---

/** Programs that start a stdio server when a client config names them as its command. */
const LAUNCHERS = new Set([
  "npx", "npm", "pnpm", "pnpx", "yarn", "bunx", "bun", "deno", "node",
  "uvx", "uv", "pipx", "python", "python3", "docker", "podman", "java", "go", "cargo",
  "sh", "bash", "zsh", "cmd", "powershell", "pwsh",
]);

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function namesStdioServer(text: string, parsed: URL | null): boolean {
  if (text === "") return false;
  if (parsed !== null) {
    // `stdio:` and `file:` name a process or a program on disk; a one-letter scheme is
    // a Windows drive (`C:\servers\weather.exe`) that the URL parser took for a scheme.
    if (parsed.protocol === "stdio:" || parsed.protocol === "file:") return true;
    if (/^[a-z]:$/i.test(parsed.protocol)) return true;
  }
  // A command line: a launcher as its first word, or a program with arguments.
  const firstWord = text.split(/\s+/)[0].toLowerCase();
  if (LAUNCHERS.has(firstWord.replace(/\.exe$/, ""))) return true;
  if (/\s/.test(text) && !text.includes("://")) return true;
  // A path to a program, or an npm package name (`@scope/server`).
  if (/^(\/|\.{1,2}[\\/]|~[\\/]|\\|@)/.test(text)) return true;
  return /\.(m?js|cjs|ts|py|exe|sh|bat|cmd|jar)$/i.test(text) && !text.includes("://");
}
