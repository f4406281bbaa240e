/** Replay: what a resumed run answers for a call the journal holds (pure, tables). */
import { describe, expect, it } from "vitest";
import type { NormalizedCall } from "../../worker/executions/host-call";
import { replayRecorded } from "../../worker/executions/journal-replay";
import type { JournalEntry } from "../../worker/executions/store";

const call: NormalizedCall = {
  kind: "tool",
  address: "api.items.create",
  args: { name: "a" },
  argsText: '{"name":"a"}',
  connection: null,
  optionsText: null,
  response: "data",
  optionsProblem: null,
};
const entry = (extra: Partial<JournalEntry>): JournalEntry => ({
  seq: 3,
  kind: "tool",
  address: "api.items.create",
  args: '{"name":"a"}',
  connection: null,
  options: null,
  binding: null,
  policy: "approve",
  status: "awaiting_approval",
  reply: null,
  decision: null,
  decidedBy: null,
  decidedAt: null,
  startedAt: 0,
  finishedAt: null,
  ...extra,
});

describe("replayRecorded", () => {
  it.each([
    ["another tool", { address: "api.items.delete" }],
    ["other arguments", { args: '{"name":"b"}' }],
    ["another connection", { connection: "work" }],
    ["another kind", { kind: "search" as const }],
    ["other call options (the journal had response: full)", { options: '{"response":"full"}' }],
  ])("stops the run when the program now makes %s", (_name, recorded) => {
    expect(replayRecorded(entry(recorded), call)).toMatchObject({ kind: "diverged", message: expect.stringContaining("Replay diverged at call 3") });
  });

  it("stops the run when the program now asks for the full response, which the journal did not record", () => {
    expect(replayRecorded(entry({}), { ...call, optionsText: '{"response":"full"}', response: "full" })).toMatchObject({ kind: "diverged" });
  });

  it("answers a call made with the same options as recorded", () => {
    const reply = { ok: true, value: { data: 1, status: 200, headers: {} } };
    const recorded = entry({ options: '{"response":"full"}', status: "ok", reply: JSON.stringify(reply) });
    expect(replayRecorded(recorded, { ...call, optionsText: '{"response":"full"}', response: "full" })).toEqual({ kind: "answer", reply });
  });

  it.each(["ok", "error", "declined"] as const)("answers a %s call as recorded", (status) => {
    const reply = { ok: status === "ok", value: 1 };
    expect(replayRecorded(entry({ status, reply: JSON.stringify(reply) }), call)).toEqual({ kind: "answer", reply });
  });

  it("answers a call in flight when its isolate stopped with `interrupted`, never sending it again", () => {
    expect(replayRecorded(entry({ status: "in_flight" }), call)).toMatchObject({ kind: "answer", status: "error", reply: { ok: false, error: { code: "interrupted" } } });
  });

  it.each([
    [null, { kind: "suspend" }],
    ["approved", { kind: "run_approved" }],
    ["declined", { kind: "answer", status: "declined", reply: { ok: false, error: { code: "declined", message: "A human declined api.items.create (ada@example.com)" } } }],
  ] as const)("a call awaiting approval, decision %s", (decision, expected) => {
    expect(replayRecorded(entry({ decision, decidedBy: decision ? "ada@example.com" : null }), call)).toEqual(expected);
  });
});
