// @ts-check
/**
 * Starts Swagger UI on /api/docs (worker/api/reference-page.ts), after its bundle
 * (/swagger-ui/swagger-ui-bundle.js, a classic script) has defined `SwaggerUIBundle`.
 * It reads this Worker's own /api/openapi.json, and "Try it out" calls this same origin,
 * where the browser's Access session goes with every request.
 */

/** The global the bundle defines; it ships no types. @type {any} */
const { SwaggerUIBundle } = /** @type {any} */ (window);

SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  // The plain layout: no top bar with a box to load any other document's URL.
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  deepLinking: true,
  // Never `?url=` or `?configUrl=` from the address bar: a link could otherwise point this
  // page, with the reader's session, at a document written by someone else.
  queryConfigEnabled: false,
  // No validity badge: it is an image fetched from validator.swagger.io.
  validatorUrl: null,
  // The page is already the whole reference; models are listed under each operation.
  defaultModelsExpandDepth: 0,
  docExpansion: "list",
});
