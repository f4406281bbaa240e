/**
 * What a Google Discovery import produces. Types only. The tools have the OpenAPI source's
 * shape (`OpenApiTool`: method, path template, parameters, JSON body), so the OpenAPI invoker
 * and `buildRequest` call them unchanged.
 */
import type { OpenApiTool, SecurityScheme } from "../openapi";

/** A converted Discovery document, shaped like `OpenApiImport` so it is stored the same way. */
export interface GoogleImport {
  /** The API's title, e.g. `Gmail API`. */
  title: string;
  /** The API's short name when it is a usable slug, e.g. `gmail`, `calendar`, `drive`. */
  apiName?: string;
  description?: string;
  /** The API version, e.g. `v1`. */
  version?: string;
  /** `rootUrl` + `servicePath` without a trailing slash, e.g. `https://www.googleapis.com/drive/v3`. */
  baseUrl: string;
  documentationLink?: string;
  /** Every OAuth scope the API declares (`auth.oauth2.scopes`), to offer when a connection is made. */
  scopes: string[];
  /** Google's OAuth 2 endpoints with those scopes, and the `key` query parameter for API keys. */
  securitySchemes: Record<string, SecurityScheme>;
  /** One tool per method, named by its resource path: `users.messages.list`. */
  tools: OpenApiTool[];
}
