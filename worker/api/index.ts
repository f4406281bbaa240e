export { handleApi } from "./router";
export { handleWellKnown } from "./well-known";
export type { ApiRequest, ApiHandler } from "./context";
