/**
 * Approval notifications: when an execution pauses for a human, a POST to a webhook (Slack,
 * Microsoft Teams or signed generic JSON) with what is asked and the approval link.
 * docs/operations.md#approval-notifications.
 */
export { notifyPause, type PauseNotice } from "./notify-pause";
export { deliverNotification, DELIVERY_ATTEMPTS, type Delivery } from "./deliver";
export { notificationBody, type ApprovalRequest } from "./payloads";
export { summarizeArguments, SUMMARY_MAX_KEYS, SUMMARY_MAX_VALUE_CHARS, type ArgumentSummary } from "./argument-summary";
export { signatureHeader, SIGNATURE_HEADER } from "./signature";
export {
  activeWebhook,
  notificationSettingsView,
  saveNotificationSettings,
  deleteNotificationSettings,
  type NotificationSettingsView,
  type NotificationSettingsInput,
} from "./settings";
