/**
 * Outbound calls: the only way the Worker talks to an upstream. Other folders import from
 * here, never from the files behind it.
 */
export { addressProblem } from "./address-check";
export { guardedFetch, type OutboundRequest, type OutboundResponse } from "./guarded-fetch";
export { guardedFetchFunction, guardedStreamingFetch, type StreamingFetch } from "./guarded-streaming-fetch";
export {
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type OutboundOptions,
} from "./options";
export { OutboundError, type OutboundFailure } from "./outbound-error";
