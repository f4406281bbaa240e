export { authenticate, ASSERTION_HEADER, ORG_SELECTOR_HEADER, type Caller } from "./gate";
export { isAdmin, identityFromId, type Identity, type IdentityKind, type Role } from "./identity";
export { requireAdmin, requireApprover } from "./roles";
