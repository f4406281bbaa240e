/**
 * A real HTTP server on 127.0.0.1 for the outbound tests: it records every request it gets
 * (method, URL, headers, body) and the connections made, and answers with the test's route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface TestServer {
  origin: string;
  received: Received[];
  connections: number;
  close(): Promise<void>;
}

export type Route = (request: IncomingMessage, response: ServerResponse, body: string) => void;

export async function startServer(route: Route): Promise<TestServer> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      state.received.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
      route(request, response, body);
    });
  });
  server.on("connection", () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const state: TestServer = {
    origin: `http://127.0.0.1:${port}`,
    received: [],
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return state;
}
