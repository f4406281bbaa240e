/**
 * OpenAPI source: turns an OpenAPI 3.0 / 3.1 or Swagger 2.0 spec into tools, and a tool call
 * into an HTTP request. Pure functions only; fetching specs, storing tools, attaching
 * credentials and sending requests belong to the callers.
 */
export { buildRequest, type HttpRequest } from "./build-request";
export { FILE_INPUT_SCHEMA, BINARY_BODY_SCHEMA } from "./input-schema";
export { importOpenApi, type ImportOptions } from "./import-openapi";
export { parseSpecText } from "./parse-spec";
export { compilePathFilter, PathFilterError, type PathFilter } from "./path-filter";
export { checkPathValue, type PathValueCheck, type PathValueProblem } from "./path-value";
export { SpecError } from "./spec-error";
export type { InvocationParameter, OpenApiImport, OpenApiInvocation, OpenApiTool, ParameterLocation, SecurityScheme } from "./tool";
export { authHintsOf, oauthEndpointsOf } from "./auth-hints";
