/** read-response.ts: a GraphQL response body to the root field's value, or an error listing the messages. */
import { describe, expect, it } from "vitest";
import { GraphqlResponseError, readGraphqlResponse } from "../../../worker/sources/graphql";

function messagesOf(body: unknown): string[] {
  try {
    readGraphqlResponse(body, "repository");
  } catch (error) {
    if (error instanceof GraphqlResponseError) return error.messages;
    throw error;
  }
  throw new Error("no GraphqlResponseError");
}

describe("readGraphqlResponse", () => {
  it.each([
    ["an object", { data: { repository: { id: "R1" } } }, { id: "R1" }],
    ["null", { data: { repository: null } }, null],
    ["a scalar", { data: { repository: 3 } }, 3],
    ["an empty errors list", { data: { repository: "x" }, errors: [] }, "x"],
  ])("returns the field's value: %s", (_case, body, expected) => {
    expect(readGraphqlResponse(body, "repository")).toEqual(expected);
  });

  it("lists every error's message with its path", () => {
    const body = {
      data: { repository: null },
      errors: [{ message: "Could not resolve to a Repository.", path: ["repository"], type: "NOT_FOUND" }, { message: "Second" }],
    };
    expect(messagesOf(body)).toEqual(["Could not resolve to a Repository. (at repository)", "Second"]);
    expect(() => readGraphqlResponse(body, "repository")).toThrow("Could not resolve to a Repository. (at repository); Second");
  });

  it("fails on errors even beside partial data", () => {
    const body = { data: { repository: { id: "R1", secret: null } }, errors: [{ message: "Forbidden", path: ["repository", "secret"] }] };
    expect(messagesOf(body)).toEqual(["Forbidden (at repository.secret)"]);
  });

  it.each([
    ["not an object", "<html>Bad gateway</html>", /not a GraphQL response/],
    ["no data", {}, /neither `data` nor `errors`/],
    ["data without the field", { data: { other: 1 } }, /no `repository`/],
    ["a malformed error", { errors: ["boom"] }, /"boom"/],
  ])("fails on a body with %s", (_case, body, message) => {
    expect(() => readGraphqlResponse(body, "repository")).toThrow(GraphqlResponseError);
    expect(() => readGraphqlResponse(body, "repository")).toThrow(message);
  });
});
