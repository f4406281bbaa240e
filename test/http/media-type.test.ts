/** media-type.ts: how a media type's bytes are read, for uploads and answers alike (pure, table). */
import { describe, expect, it } from "vitest";
import { mediaKind } from "../../worker/http";

describe("mediaKind", () => {
  it.each([
    ["application/json", "json"],
    ["Application/JSON; charset=utf-8", "json"],
    ["application/problem+json", "json"],
    ["application/x-ndjson", "json"],
    ["text/plain", "text"],
    ["text/html; charset=iso-8859-1", "text"],
    ["text/csv", "text"],
    ["application/xml", "text"],
    ["image/svg+xml", "text"],
    ["application/atom+xml", "text"],
    ["application/javascript", "text"],
    ["application/yaml", "text"],
    ["application/x-www-form-urlencoded", "form"],
    ["multipart/form-data; boundary=x", "multipart"],
    ["multipart/byteranges", "multipart"],
    ["application/octet-stream", "binary"],
    ["image/png", "binary"],
    ["application/pdf", "binary"],
    ["application/zip", "binary"],
    ["audio/mpeg", "binary"],
    ["*/*", "binary"],
    ["", "none"],
    ["  ", "none"],
  ])("%s is %s", (type, kind) => {
    expect(mediaKind(type)).toBe(kind);
  });
});
