/**
 * `executor integrations list` and `integrations add` as child processes against the built
 * Worker (ALLOW_LOCAL_NETWORK, so it may fetch from 127.0.0.1) behind the Access edge
 * stand-in, with a real OpenAPI server (the items API) to add. Adding is for admins: an
 * admin's token comes from the fake cloudflared; the service token is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCliTarget, type CliTarget } from "../harness/executor-cli";
import { startItemsApi, type ItemsApi } from "../harness/items-api";

let target: CliTarget;
let api: ItemsApi;
beforeAll(async () => {
  api = await startItemsApi();
  target = await startCliTarget({ bindings: { ALLOW_LOCAL_NETWORK: "true" } });
});
afterAll(async () => {
  await target.close();
  await api.close();
});

describe("integrations", () => {
  it("lists the built-in integration", async () => {
    const result = await runCli(["integrations", "list"], target.serviceEnv());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^executor +builtin +\d+ tools +Executor\n$/);
  });

  it("an admin adds one by URL: the kind is detected, then it is listed and its tools searchable", async () => {
    const env = await target.userEnv("admin@example.com");
    const added = await runCli(["integrations", "add", `${api.origin}/openapi.json`, "--slug", "items"], env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toMatch(/^Detected openapi: \S/);
    expect(added.stdout).toMatch(/^Added items: .+ \(openapi, [1-9]\d* tools\)\n$/);

    const list = await runCli(["integrations", "list", "--json"], target.serviceEnv());
    expect(JSON.parse(list.stdout).items).toContainEqual(expect.objectContaining({ slug: "items", kind: "openapi" }));
    const tools = await runCli(["tools", "search", "--integration", "items"], target.serviceEnv());
    expect(tools.stdout).toMatch(/^items\./);
  });

  it("--kind skips detection; --json prints the answer", async () => {
    const seen = target.edge.requests.length;
    const added = await runCli(["integrations", "add", `${api.origin}/openapi.json`, "--kind", "openapi", "--slug", "items_two", "--name", "Items again", "--json"], await target.userEnv("admin@example.com"));
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toBe("");
    expect(JSON.parse(added.stdout)).toMatchObject({ slug: "items_two", kind: "openapi", name: "Items again" });
    expect(target.edge.requests.slice(seen).map((request) => `${request.method} ${request.path}`)).toEqual(["POST /api/integrations"]);
  });

  it("a service token may not add (exit 1, forbidden); a taken slug is a conflict", async () => {
    const refused = await runCli(["integrations", "add", `${api.origin}/openapi.json`, "--kind", "openapi"], target.serviceEnv());
    expect(refused).toEqual({ code: 1, stdout: "", stderr: "error forbidden: Only an admin may do this (see ADMIN_EMAILS)\n" });
    const taken = await runCli(["integrations", "add", `${api.origin}/openapi.json`, "--kind", "openapi", "--slug", "items"], await target.userEnv("admin@example.com"));
    expect(taken).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error conflict: /) });
  });
});
