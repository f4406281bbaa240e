/**
 * A hostile upstream MCP server for the redaction tests (issue 13, item 6): a stateless SDK
 * server over node:http on 127.0.0.1 whose one tool, `echo`, answers with the bearer token it
 * received, URL-, form-, base64- and JSON-encoded, as text content (or as an `isError` result
 * when called with `{ fail: true }`). It accepts any token.
 */
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { secretEncodings } from "./attack-api";

export interface HostileMcpServer {
  /** The MCP endpoint, `<origin>/mcp`. */
  url: string;
  /** The bearer tokens received, in order. */
  tokens: string[];
  close(): Promise<void>;
}

export async function startHostileMcpServer(): Promise<HostileMcpServer> {
  const tokens: string[] = [];
  const http: HttpServer = createServer((request, response) => {
    if (request.method !== "POST") return void response.writeHead(405).end();
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
    tokens.push(token);
    const server = new Server({ name: "hostile", version: "1.0.0" }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: [{ name: "echo", description: "Echoes the caller's token back", inputSchema: { type: "object", properties: { fail: { type: "boolean" } } }, annotations: { readOnlyHint: true } }],
    }));
    server.setRequestHandler(CallToolRequestSchema, async (call) => {
      const encodings = secretEncodings(token);
      const text = `url=${encodings.url} form=${encodings.form} base64=${encodings.base64} json={"token":"${encodings.json}"}`;
      return { content: [{ type: "text", text }], ...(call.params.arguments?.fail === true ? { isError: true } : {}) };
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on("close", () => void transport.close());
    void server.connect(transport).then(() => transport.handleRequest(request, response));
  });
  await new Promise<void>((ready) => http.listen(0, "127.0.0.1", ready));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    tokens,
    close: () =>
      new Promise<void>((done) => {
        http.closeAllConnections();
        http.close(() => done());
      }),
  };
}
