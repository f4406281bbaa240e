/**
 * Outbound calls: the only way the Worker talks to an upstream. Other folders import from
 * here, never from the files behind it.
 */
export { addressProblem } from "./address-check";
export {
  guardedFetch,
  OutboundError,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type OutboundFailure,
  type OutboundOptions,
  type OutboundRequest,
  type OutboundResponse,
} from "./guarded-fetch";
