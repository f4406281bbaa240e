/**
 * What an OpenAPI import produces: the integration's metadata, its security schemes and one
 * tool per operation, each with what `buildRequest` needs to call it. Types only; the catalog
 * stores these as the `Tool` rows of an integration.
 */
import type { SourceTool } from "../../catalog";

/** How a request proves who it is, as far as Executor can act on it. */
export type SecurityScheme =
  | { type: "apiKey"; name: string; in: "header" | "query" | "cookie" }
  | { type: "http"; scheme: "bearer" | "basic" }
  | { type: "oauth2"; tokenUrl?: string; authorizationUrl?: string; scopes: string[] }
  | { type: "unsupported"; description: string };

export type ParameterLocation = "path" | "query" | "header" | "cookie";

/** One spec parameter and the input property that carries it. */
export interface InvocationParameter {
  /** The name on the wire (path placeholder, query key, header or cookie name). */
  name: string;
  in: ParameterLocation;
  /**
   * The input property holding the value. Usually `name`; on a clash between locations
   * (an `id` in the path and another in the query) the non-path one is renamed `query_id`.
   */
  arg: string;
  /** OpenAPI serialisation style (`form`, `simple`, `deepObject`, ...); absent means the location's default. */
  style?: string;
  explode?: boolean;
  required: boolean;
  /**
   * Path parameters only: reserved expansion (RFC 6570 `{+name}`, as Google's `v1/{+parent}/messages`).
   * Slashes in the value stay path separators; every segment is still percent-encoded, and a
   * value with a `.`, `..` or empty segment is refused. Absent means a plain `{name}`, where a
   * slash is encoded like any other character.
   */
  allowReserved?: boolean;
}

/** Everything needed to turn validated arguments into an HTTP request. */
export interface OpenApiInvocation {
  /** Upper-case HTTP method. */
  method: string;
  /** The spec's path template, e.g. `/repos/{owner}/{repo}/issues`. */
  path: string;
  parameters: InvocationParameter[];
  /** The request body, carried by the input property `body`. */
  body?: {
    contentType: string;
    required: boolean;
    /** multipart/form-data: the fields that take files (`{base64, filename?, contentType?}`, or an array of them). */
    files?: string[];
    /** The body is raw bytes, given as `{base64, contentType?}`. */
    binary?: boolean;
  };
  /**
   * Alternatives, each a list of scheme names that must all be satisfied. `[]` means the
   * operation is public; an empty alternative beside others means credentials are optional.
   */
  security: string[][];
}

/**
 * One operation as a tool: named `<tag>.<operationId>`, one input property per parameter (and
 * `body`), the first 2xx JSON response as output; GET/HEAD/OPTIONS run, anything else waits
 * for approval.
 */
export type OpenApiTool = SourceTool<OpenApiInvocation>;

/** A converted spec. */
export interface OpenApiImport {
  title: string;
  description?: string;
  version?: string;
  /** Absolute http(s) URL without a trailing slash; null when the spec gives none that can be resolved. */
  baseUrl: string | null;
  securitySchemes: Record<string, SecurityScheme>;
  tools: OpenApiTool[];
}
