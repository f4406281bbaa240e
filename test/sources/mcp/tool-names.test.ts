/** Upstream MCP tool names as identifiers: the mapping and how collisions are settled. */
import { describe, expect, it } from "vitest";
import { identifierFor, IDENTIFIER, MAX_NAME_CHARS, nameTools } from "../../../worker/sources/mcp/tool-names";

describe("identifierFor", () => {
  it.each([
    ["get-weather", "getWeather"],
    ["get_weather", "get_weather"],
    ["getWeather", "getWeather"],
    ["a.b/c", "a_b_c"],
    ["list files", "listFiles"],
    ["git--status-", "gitStatus"],
    ["-leading", "leading"],
    ["ns:tool", "ns_tool"],
    ["/slash/", "slash"],
    ["_private", "_private"],
    ["2fa-check", "_2faCheck"],
    ["météo", "meteo"],
    ["天气", "tool"],
    ["weather.天气", "weather"],
    ["", "tool"],
    ["then", "_then"],
  ])("%j → %j", (upstream, expected) => {
    expect(identifierFor(upstream)).toBe(expected);
    expect(identifierFor(upstream)).toMatch(IDENTIFIER);
  });

  it("caps a very long name", () => {
    expect(identifierFor("x".repeat(500))).toHaveLength(MAX_NAME_CHARS);
  });
});

describe("nameTools", () => {
  it("keeps the order of its input and resolves collisions with suffixes", () => {
    expect(nameTools(["a/b", "a.b", "get-weather"])).toEqual(["a_b_2", "a_b", "getWeather"]);
  });

  it("settles collisions by the names alone, whatever order the server lists them in", () => {
    const names = ["a.b", "a/b", "a:b", "a_b", "a.b.2"];
    const forward = nameTools(names);
    const backward = nameTools([...names].reverse()).reverse();
    expect(forward).toEqual(backward);
    // A name that already is an identifier keeps it.
    expect(forward[3]).toBe("a_b");
    expect(new Set(forward).size).toBe(names.length);
    for (const name of forward) expect(name).toMatch(IDENTIFIER);
  });

  it("does not hand out a suffixed name another tool asks for", () => {
    expect(nameTools(["x.y", "x/y", "x_y_2"])).toEqual(["x_y", "x_y_3", "x_y_2"]);
  });

  it("gives equal upstream names the same identifier", () => {
    expect(nameTools(["echo", "echo"])).toEqual(["echo", "echo"]);
  });
});
