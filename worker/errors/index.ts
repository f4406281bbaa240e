export { API_ERROR_STATUS, TOOL_ERROR_CODES, isToolErrorCode, type ApiErrorCode, type ErrorCode, type ToolErrorCode } from "./codes";
export { ExecutorError, invalidRequest, toExecutorError, type ExecutorErrorOptions, type FieldProblem } from "./executor-error";
export { httpError, type HttpErrorBody } from "./to-http";
export { toolFailure, type ToolFailure } from "./to-tool";
