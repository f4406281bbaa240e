/** HTML escaping for every value the console puts in a page: upstream text is untrusted. */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for use in HTML content and quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/**
 * A complete page. `body` must already be escaped HTML; `bootData`, already escaped, becomes
 * the body's `data-boot` attribute for the client code.
 */
export function page(title: string, body: string, status = 200, bootData?: string): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Executor</title><link rel="stylesheet" href="/console.css"></head>
<body${bootData ? ` data-boot="${bootData}"` : ""}>${body}</body></html>`;
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      "x-content-type-options": "nosniff",
    },
  });
}
