/**
 * GET /api/docs: the interactive reference for /api/openapi.json. Swagger UI, served from
 * this Worker's own assets (worker/console/public/swagger-ui/, copied from the
 * swagger-ui-dist package at build time) behind the same Access gate as everything else;
 * no CDN, and the page cannot reach any other origin. It is the one HTML answer under /api;
 * its refusals stay JSON like every /api answer. The page is static: nothing in it comes
 * from the request or the database.
 */

/**
 * The console's policy (console/html.ts) with one relaxation, on this page only:
 * `img-src data:`, because Swagger UI's stylesheet draws its icons (arrows, locks, "copy")
 * as `data:` SVG images. An image runs no code and sends nothing anywhere; scripts, styles
 * and requests stay `'self'`. (Swagger UI sets its inline styles through the DOM, which
 * `style-src 'self'` allows; test/browser/api-docs.test.ts fails on any CSP violation.)
 */
export const REFERENCE_PAGE_CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference · Executor</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/swagger-ui/swagger-ui.css"><link rel="stylesheet" href="/api-docs.css"></head>
<body><header class="api-docs"><a href="/">← Executor console</a><span>HTTP API reference · <a href="/api/openapi.json">openapi.json</a></span></header>
<main id="swagger-ui" data-testid="api-reference"></main>
<script src="/swagger-ui/swagger-ui-bundle.js"></script><script type="module" src="/api-docs.js"></script></body></html>`;

/** The reference page. */
export function referencePage(): Response {
  return new Response(HTML, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": REFERENCE_PAGE_CSP,
      "x-content-type-options": "nosniff",
    },
  });
}
