/** request-path.ts: flatPath or path, and reserved expansion, for a Discovery method. */
import { describe, expect, it } from "vitest";
import { chooseRequestPath } from "../../../worker/sources/google/request-path";

describe("chooseRequestPath", () => {
  it.each([
    ["flatPath when its placeholders are the path parameters", "gmail/v1/users/{userId}/drafts/{id}", "gmail/v1/users/{userId}/drafts/{id}", ["userId", "id"], "gmail/v1/users/{userId}/drafts/{id}", []],
    ["path with {+name} when flatPath names other placeholders", "v1/spaces/{spacesId}/messages", "v1/{+parent}/messages", ["parent"], "v1/{parent}/messages", ["parent"]],
    ["path when there is no flatPath", undefined, "calendars/{calendarId}/events", ["calendarId"], "calendars/{calendarId}/events", []],
    ["path when flatPath misses a parameter", "v1/things", "v1/things/{id}", ["id"], "v1/things/{id}", []],
    ["a reserved placeholder before a verb", undefined, "v1/{+name}:cancel", ["name"], "v1/{name}:cancel", ["name"]],
  ])("uses %s", (_case, flatPath, path, parameters, template, reserved) => {
    const chosen = chooseRequestPath(flatPath, path, new Set(parameters));
    expect(chosen?.template).toBe(template);
    expect([...(chosen?.reserved ?? [])]).toEqual(reserved);
  });

  it.each([
    ["another RFC 6570 operator", "v1/items{?query}"],
    ["a fragment expansion", "v1/{#section}"],
    ["an unbalanced brace", "v1/{name"],
    ["an empty expression", "v1/{}"],
  ])("refuses %s", (_case, path) => {
    expect(chooseRequestPath(undefined, path, new Set())).toBeNull();
  });
});
