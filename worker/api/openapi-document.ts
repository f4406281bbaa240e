/**
 * GET /api/openapi.json: the OpenAPI document of this API, built from the route table so it
 * cannot drift from what the router serves: every route, its parameters, its body's schema,
 * its auth and the error shape (docs/api.md).
 */
import { version } from "../../package.json";
import type { Route } from "./route";

const ERROR = {
  description: "Error",
  content: {
    "application/json": {
      schema: {
        type: "object",
        required: ["error"],
        properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" }, details: {} } } },
      },
    },
  },
};

/** The OpenAPI 3.1 document for the given routes. */
export function apiDocument(routes: readonly Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, summary, body } of routes) {
    const templated = path.replace(/:(\w+)/g, "{$1}");
    const parameters = [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: "path", required: true, schema: { type: "string" } }));
    paths[templated] ??= {};
    paths[templated]![method.toLowerCase()] = {
      summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { "application/json": { schema: body } } } } : {}),
      responses: { "200": { description: "OK", content: { "application/json": { schema: {} } } }, default: ERROR },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Executor for Cloudflare", version, description: "Requests are authenticated by Cloudflare Access (Cf-Access-Jwt-Assertion)." },
    components: { securitySchemes: { access: { type: "apiKey", in: "header", name: "Cf-Access-Jwt-Assertion" } } },
    security: [{ access: [] }],
    paths,
  };
}
