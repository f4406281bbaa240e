/**
 * A small GraphQL schema for the GraphQL source's tests, with the shapes GitHub's schema has:
 * an interface, a union whose members disagree on a field's type, a connection, a recursive
 * input object, a custom scalar, deprecated fields and fields with required arguments. Its
 * introspection result comes from graphql-js itself, the way a real endpoint would answer.
 */
import { buildSchema, graphqlSync, type GraphQLSchema } from "graphql";
import { INTROSPECTION_QUERY } from "../../../worker/sources/graphql";

export const FIXTURE_SDL = /* GraphQL */ `
  type Query {
    "Look up a repository by its owner and name."
    repository(owner: String!, name: String!, followRenames: Boolean = true): Repository
    "Search issues."
    search(query: String!, first: Int = 10, kinds: [Kind!], filter: IssueFilter, after: String): IssueConnection!
    node(id: ID!): Node
    item(id: ID!): Item
    issueCount(since: DateTime, labels: [String]!): Int!
    opaque: Opaque
    oldSearch(query: String): [Issue!]! @deprecated(reason: "Use search.")
  }

  type Mutation {
    "Creates an issue."
    createIssue(input: CreateIssueInput!): CreateIssuePayload
    deleteIssue(id: ID!): Boolean!
  }

  type Subscription {
    issueCreated: Issue
  }

  "An ISO-8601 date and time."
  scalar DateTime

  enum Kind {
    BUG
    FEATURE
  }

  enum IssueState {
    OPEN
    CLOSED
  }

  input IssueFilter {
    kinds: [Kind!]
    since: DateTime
    any: [IssueFilter!]
    not: IssueFilter
    label: String = "triage"
  }

  input CreateIssueInput {
    repositoryId: ID!
    title: String!
    body: String
    kind: Kind = BUG
    filter: IssueFilter
  }

  input UnusedInput {
    x: Int
  }

  interface Node {
    id: ID!
  }

  type Repository implements Node {
    id: ID!
    stars: Int!
    name: String!
    score: Float
    private: Boolean!
    kind: Kind
    createdAt: DateTime!
    oldName: String @deprecated(reason: "Use name.")
    state: String
    owner: User!
    issue(number: Int!): Issue
    issues(first: Int, after: String): IssueConnection!
    parent: Repository
    topics: [Topic!]!
  }

  type User implements Node {
    id: ID!
    login: String!
    repository: Repository
  }

  type Topic {
    name: String!
  }

  type Issue implements Node {
    id: ID!
    number: Int!
    title: String!
    state: IssueState!
    repository: Repository!
  }

  type IssueConnection {
    totalCount: Int!
    nodes: [Issue]
    edges: [IssueEdge]
    pageInfo: PageInfo!
  }

  type IssueEdge {
    cursor: String!
    node: Issue
  }

  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }

  union Item = Issue | Repository

  type Opaque {
    secret(key: String!): String
  }

  type CreateIssuePayload {
    issue: Issue
    clientMutationId: String
  }
`;

/** The fixture schema, built fresh. */
export function fixtureSchema(): GraphQLSchema {
  return buildSchema(FIXTURE_SDL);
}

/** The fixture's introspection result, as `{data: {__schema}}`. */
export function fixtureIntrospection(): { data: Record<string, unknown> } {
  const result = graphqlSync({ schema: fixtureSchema(), source: INTROSPECTION_QUERY });
  if (result.errors || !result.data) throw new Error(`introspection failed: ${result.errors?.join("; ")}`);
  return { data: result.data as Record<string, unknown> };
}
