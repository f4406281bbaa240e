export { ApiError, ERROR_STATUS, errorBody, toApiError, type ErrorCode } from "./api-error";
export { json, errorResponse } from "./json";
export { readJsonObject, readTextCapped, MAX_BODY_BYTES } from "./read-body";
export { refuseCrossSite } from "./cross-site";
export { readPage, pageOf, type Page } from "./paging";
