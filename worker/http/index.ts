/** HTTP plumbing shared by every surface: JSON answers, capped bodies, paging, the cross-site check, media types. */
export { json, errorResponse } from "./json";
export { readJsonObject, readJsonText, MAX_BODY_BYTES } from "./read-body";
export { refuseCrossSite } from "./cross-site";
export { pageOf, type Page } from "./paging";
export { mediaKind, baseMediaType, type MediaKind } from "./media-type";
