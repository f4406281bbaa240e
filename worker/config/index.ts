export {
  loadConfig,
  parseConfig,
  isLoopbackHost,
  slugify,
  MIN_SECRET_KEY_LENGTH,
  type Config,
  type ConfigResult,
  type AccessSettings,
  type ConfigVars,
} from "./load-config";
export { DEFAULT_SANDBOX_LIMITS, DEFAULT_APPROVAL_TTL_MS, DEFAULT_EXECUTION_RETENTION_MS, type SandboxLimits } from "./limits";
export { requireConfig } from "./require-config";
export {
  parseApprovalWebhook,
  guessFormat,
  webhookUrlHint,
  WEBHOOK_FORMATS,
  MIN_WEBHOOK_SECRET_LENGTH,
  type ApprovalWebhook,
  type WebhookFormat,
  type WebhookInput,
} from "./approval-webhook";
