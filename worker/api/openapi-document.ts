/**
 * GET /api/openapi.json: the OpenAPI 3.1 document of this API, built from the route table so
 * it cannot drift from what the router serves and checks: every route with its path and query
 * parameters, its body's schema, its answer's schema, who may call it, and the errors the
 * router itself can answer (docs/api.md). Shared schemas (schemas.ts `NAMED_SCHEMAS`) appear
 * once under `components/schemas` and are referenced elsewhere. Pure: routes in, document out.
 */
import { version } from "../../package.json";
import type { JsonSchema, Route } from "./route";
import { ERROR_BODY, NAMED_SCHEMAS } from "./schemas";

/** What each path parameter names, for the reader. */
const PATH_PARAMETERS: Record<string, string> = {
  slug: "The integration's slug",
  name: "The connection's name",
  address: "The tool's address, e.g. `github.issues.create` (percent-encoded as needed)",
  id: "The record's id",
};

/** The error answers, by status, with the codes that use it (docs/api.md#errors). */
const ERRORS = {
  "400": "invalid_request: bad input (body, query or path), naming each bad field in `details`; invalid_source",
  "401": "unauthorized: no valid Access assertion",
  "403": "forbidden: a cross-site write, a role the caller lacks",
  "404": "not_found: no such record, or the organization selector does not match",
  "413": "payload_too_large: the body is over the route's limit",
  "503": "not_configured: the Worker's settings are missing or invalid",
  default: "Any other error a route may answer: conflict (409), expired (410), internal (500), upstream_unreachable (502), ...",
} as const;

type ErrorStatus = keyof typeof ERRORS;

/** The OpenAPI 3.1 document for the given routes. */
export function apiDocument(routes: readonly Route[]): Record<string, unknown> {
  const names = new Map<object, string>(Object.entries(NAMED_SCHEMAS).map(([name, schema]) => [schema, name]));
  const ref = (schema: JsonSchema) => linked(schema, names);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const templated = route.path.replace(/:(\w+)/g, "{$1}");
    paths[templated] ??= {};
    paths[templated]![route.method.toLowerCase()] = operation(route, ref);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Executor for Cloudflare",
      version,
      description:
        "The HTTP API of Executor (docs/api.md). Every request passes Cloudflare Access, which adds its assertion " +
        "(Cf-Access-Jwt-Assertion) after a person signs in or a service token (CF-Access-Client-Id / CF-Access-Client-Secret) is accepted.",
    },
    components: {
      schemas: Object.fromEntries(Object.entries(NAMED_SCHEMAS).map(([name, schema]) => [name, linked(schema, names, schema)])),
      responses: Object.fromEntries(
        Object.entries(ERRORS).map(([status, description]) => [errorName(status as ErrorStatus), { description, content: { "application/json": { schema: ref(ERROR_BODY) } } }]),
      ),
      securitySchemes: { access: { type: "apiKey", in: "header", name: "Cf-Access-Jwt-Assertion", description: "Added by Cloudflare Access in front of the Worker" } },
    },
    security: [{ access: [] }],
    paths,
  };
}

function operation(route: Route, ref: (schema: JsonSchema) => unknown): Record<string, unknown> {
  const { method, path, summary, admin, body, query = [], response } = route;
  const parameters = [
    ...[...path.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name,
      in: "path",
      required: true,
      schema: { type: "string" },
      ...(PATH_PARAMETERS[name!] ? { description: PATH_PARAMETERS[name!] } : {}),
    })),
    ...query.map(({ name, schema, description }) => ({ name, in: "query", required: false, description, schema: ref(schema) })),
  ];
  const success = "schema" in response
    ? { description: response.description, content: { "application/json": { schema: ref(response.schema) } } }
    : "html" in response
      ? { description: response.description, content: { "text/html": { schema: { type: "string" } } } }
      : "ndjson" in response
      ? { description: `${response.description} One JSON value per line, each matching the schema.`, content: { "application/x-ndjson": { schema: ref(response.ndjson) } } }
      : response.status === 302
        ? { description: response.description, headers: { location: { description: "Where to go", schema: { type: "string" } } } }
        : { description: response.description };
  return {
    operationId: operationId(method, path),
    summary,
    ...(admin ? { description: "Admins only." } : {}),
    tags: [tagOf(path)],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: { "application/json": { schema: ref(body) } } } } : {}),
    responses: {
      [String(response.status)]: success,
      ...Object.fromEntries(errorStatuses(route).map((status) => [status, { $ref: `#/components/responses/${errorName(status)}` }])),
    },
  };
}

/**
 * The errors the router itself may answer on this route: the gate's on every route; 400 when
 * input is checked (every write parses its body, declared query parameters are checked);
 * 403 for a write (the cross-site refusal) or an admin route; 413 for a write's body.
 * A handler may answer others (409, 410, 502, ...): docs/api.md lists them all.
 */
function errorStatuses(route: Route): ErrorStatus[] {
  const write = route.method !== "GET";
  return (Object.keys(ERRORS) as ErrorStatus[]).filter((status) => {
    if (status === "400") return write || (route.query?.length ?? 0) > 0;
    if (status === "403") return write || route.admin === true;
    if (status === "413") return write;
    return true;
  });
}

function errorName(status: ErrorStatus): string {
  return status === "default" ? "OtherError" : `Error${status}`;
}

/** `GET /api/integrations/:slug/connections` → `getIntegrationsSlugConnections`. */
function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\//, "")
    .split(/[/.:_-]+/)
    .filter((word) => word !== "");
  return method.toLowerCase() + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
}

/** First path segments that share a group with another. */
const TAG_OF_SEGMENT: Record<string, string> = { "openapi.json": "reference", docs: "reference", me: "caller", status: "caller", oauth: "integrations" };

/** `/api/integrations/:slug` → `integrations`: the reference groups routes by their first segment. */
function tagOf(path: string): string {
  const segment = path.split("/")[2] ?? "api";
  return TAG_OF_SEGMENT[segment] ?? segment;
}

/** A copy of `schema` where each named schema inside it (but `self`) is a `$ref` to its component. */
function linked(schema: unknown, names: ReadonlyMap<object, string>, self?: object): unknown {
  if (schema === null || typeof schema !== "object") return schema;
  const name = schema !== self ? names.get(schema) : undefined;
  if (name !== undefined) return { $ref: `#/components/schemas/${name}` };
  if (Array.isArray(schema)) return schema.map((item) => linked(item, names));
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, linked(value, names)]));
}
