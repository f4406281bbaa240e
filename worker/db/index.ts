export { database, type Database } from "./client";
export { recordIdentity } from "./identities";
export { migrationStatus, BUNDLED_MIGRATIONS, type MigrationStatus } from "./migrations";
export { packLargeText, unpackLargeText, deleteLargeTexts } from "./large-text";
export { readRevisions, bumpRevision, type RevisionName, type Revisions } from "./revisions";
export * as schema from "./schema";
export { MAX_BOUND_PARAMETERS, inGroupsOf } from "./limits";
export type {
  CallBinding,
  CallStatus,
  ConnectionRow,
  ConnectionStatus,
  ExecutionError,
  ExecutionStatus,
  IntegrationKind,
  IntegrationRow,
  NotificationOutcome,
  OAuthAppRow,
  OAuthProviderId,
  ToolRow,
  ToolkitMembers,
  ToolkitRow,
  ToolkitRule,
} from "./schema";
