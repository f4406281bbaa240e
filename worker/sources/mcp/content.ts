/**
 * Turns a `tools/call` result into the data a program gets back. `structuredContent`, when
 * the server sends it, is the data. Otherwise a single text item is that text, as a string,
 * even when it looks like JSON: the server chose text, and guessing would turn `"42"` or
 * `"true"` into another type for some answers and not others. Anything else becomes an array
 * of plain items. Annotations and `_meta` are dropped. The result is always JSON-serialisable.
 * It does not decode base64, fetch resource links or judge `isError` (client.ts does).
 */
import type { CallToolResult, ContentBlock } from "@modelcontextprotocol/sdk/types.js";

/** One content item as the program sees it. */
export type McpContentItem =
  | { type: "text"; text: string }
  | { type: "image"; mimeType: string; data: string }
  | { type: "audio"; mimeType: string; data: string }
  | { type: "resource"; uri: string; mimeType?: string; text: string }
  | { type: "resource"; uri: string; mimeType?: string; blob: string }
  | { type: "resource_link"; uri: string; name: string; mimeType?: string }
  | { type: string };

/**
 * The data of a successful call: `structuredContent` as given; else a lone text item's text;
 * null for no content; else an array of McpContentItem (a lone image is an array of one).
 */
export function resultData(result: CallToolResult): unknown {
  if (result.structuredContent !== undefined && result.structuredContent !== null) return result.structuredContent;
  const content = result.content ?? [];
  if (content.length === 0) return null;
  if (content.length === 1 && content[0].type === "text") return content[0].text;
  return content.map(contentItem);
}

/** The text items of a result joined by newlines, for an error message; "" when there are none. */
export function resultText(result: CallToolResult): string {
  return (result.content ?? [])
    .filter((item) => item.type === "text")
    .map((item) => item.text)
    .join("\n");
}

// --- private ---

function contentItem(item: ContentBlock): McpContentItem {
  switch (item.type) {
    case "text":
      return { type: "text", text: item.text };
    case "image":
    case "audio":
      return { type: item.type, mimeType: item.mimeType, data: item.data };
    case "resource": {
      const { uri, mimeType } = item.resource;
      const typed = mimeType === undefined ? {} : { mimeType };
      if ("text" in item.resource && typeof item.resource.text === "string") {
        return { type: "resource", uri, ...typed, text: item.resource.text };
      }
      return { type: "resource", uri, ...typed, blob: String((item.resource as { blob?: unknown }).blob ?? "") };
    }
    case "resource_link":
      return { type: "resource_link", uri: item.uri, name: item.name, ...(item.mimeType === undefined ? {} : { mimeType: item.mimeType }) };
    default:
      // A content type newer than this code: its kind is kept, its payload is not guessed at.
      return { type: String((item as { type?: unknown }).type) };
  }
}
