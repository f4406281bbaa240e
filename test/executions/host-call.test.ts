/** host-call.ts: a program's tool call as the journal keeps it, call options included (pure, tables). */
import { describe, expect, it } from "vitest";
import { normalizeCall } from "../../worker/executions/host-call";

const toolCall = (options: unknown) => normalizeCall({ seq: 0, kind: "tool", payload: { address: "files.names.list", args: { page: 2 }, options } });

describe("normalizeCall options", () => {
  it.each([
    ["none", {}, { connection: null, optionsText: null, response: "data", optionsProblem: null }],
    ["a connection only (not part of optionsText)", { connection: "work" }, { connection: "work", optionsText: null, response: "data", optionsProblem: null }],
    ["the full response", { response: "full" }, { optionsText: '{"response":"full"}', response: "full", optionsProblem: null }],
    ["the data, said explicitly (kept as written, so replay tells it apart)", { response: "data" }, { optionsText: '{"response":"data"}', response: "data", optionsProblem: null }],
    ["both", { response: "full", connection: "work" }, { connection: "work", optionsText: '{"response":"full"}', response: "full", optionsProblem: null }],
    ["null options, as no options", null, { optionsText: null, optionsProblem: null }],
  ])("reads %s", (_case, options, expected) => {
    expect(toolCall(options)).toMatchObject(expected);
  });

  it.each([
    ["an unknown option", { respons: "full" }, '{"respons":"full"}', "unknown call option respons"],
    ["another response mode", { response: "headers" }, '{"response":"headers"}', 'response must be "data" or "full"'],
    ["options that are not an object", "full", '"full"', "must be an object"],
    ["an array", ["full"], '["full"]', "must be an object"],
  ])("refuses %s, keeping what was given for replay", (_case, options, text, problem) => {
    const call = toolCall(options);
    expect(call.optionsText).toBe(text);
    expect(call.response).toBe("data");
    expect(call.optionsProblem).toContain(problem);
  });

  it("keeps a marker, not the text, for options over 1 KiB", () => {
    const call = toolCall({ response: "full", padding: "x".repeat(5_000) });
    expect(call.optionsProblem).toContain("too large");
    expect(call.optionsText).toMatch(/^\{"\$tooLarge":\{"chars":\d+,"fingerprint":"[0-9a-f]+"\}\}$/);
  });

  it("search and describe carry no options", () => {
    expect(normalizeCall({ seq: 0, kind: "search", payload: { query: "x", options: { limit: 5 } } })).toMatchObject({ optionsText: null, optionsProblem: null, response: "data" });
  });
});
