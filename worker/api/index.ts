/** The HTTP API (/api/*) and /mcp behind the gate, and the /.well-known answers. docs/api.md. */
export { handleApi, ROUTES } from "./router";
export { handleWellKnown } from "./well-known";
export type { ApiRequest, ApiHandler, Route } from "./route";
