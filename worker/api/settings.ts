/**
 * /api/settings/*: settings an admin changes in the console. Today the approval
 * notifications (docs/operations.md#approval-notifications): their webhook URL and HMAC
 * secret are write-only, answered as the URL's origin and whether it signs.
 */
import { WEBHOOK_FORMATS } from "../config";
import { database } from "../db";
import { json } from "../http";
import {
  activeWebhook,
  deleteNotificationSettings,
  deliverNotification,
  notificationBody,
  notificationSettingsView,
  saveNotificationSettings,
  summarizeArguments,
  type NotificationSettingsInput,
} from "../notifications";
import type { Route } from "./route";
import { NOTIFICATION_SETTINGS, NOTIFICATION_TEST } from "./schemas";

const PATH = "/api/settings/notifications";

export const SETTINGS_ROUTES: Route[] = [
  {
    method: "GET",
    path: PATH,
    summary: "Where approval notifications go: the console's setting and the Worker's (admins)",
    admin: true,
    response: { status: 200, description: "The console's setting, the Worker's, and which applies", schema: NOTIFICATION_SETTINGS },
    handler: async (request, env) => json(await notificationSettingsView(database(env.DB), request.caller.config)),
  },
  {
    method: "PATCH",
    path: PATH,
    summary: "Save the console's notification setting; absent fields keep their value (admins)",
    admin: true,
    response: { status: 200, description: "The settings after the change", schema: NOTIFICATION_SETTINGS },
    body: {
      type: "object",
      additionalProperties: false,
      properties: {
        enabled: { type: "boolean", description: "false: no notifications, whatever the Worker's settings say" },
        url: { type: "string", minLength: 1, maxLength: 2048, description: "The webhook URL (https); never returned" },
        format: { enum: [...WEBHOOK_FORMATS], description: "Empty: guessed from the URL's host" },
        secret: { type: ["string", "null"], maxLength: 512, description: "HMAC-SHA256 key for X-Executor-Signature; null removes it; never returned" },
      },
    },
    handler: async (request, env) => {
      const { config, identity } = request.caller;
      return json(await saveNotificationSettings(database(env.DB), config, request.input as NotificationSettingsInput, identity, Date.now()));
    },
  },
  {
    method: "DELETE",
    path: PATH,
    summary: "Remove the console's notification setting; the Worker's settings apply again (admins)",
    admin: true,
    response: { status: 204, description: "Removed" },
    handler: async (_request, env) => {
      await deleteNotificationSettings(database(env.DB));
      return new Response(null, { status: 204 });
    },
  },
  {
    method: "POST",
    path: `${PATH}/test`,
    summary: "Send a sample notification now → {status, attempts, error?} (admins)",
    admin: true,
    response: { status: 200, description: "How the sample went", schema: NOTIFICATION_TEST },
    handler: async (request, env) => {
      const { config, identity } = request.caller;
      const active = await activeWebhook(database(env.DB), config);
      if (!active.webhook) return json({ status: "skipped", attempts: 0, error: active.reason });
      const origin = new URL(request.url).origin;
      const sample = {
        executionId: "ex_test",
        callId: 0,
        tool: "example.items.create",
        connection: null,
        requester: { id: identity.id, label: identity.email ?? identity.id },
        arguments: summarizeArguments({ name: "A test notification from Executor" }, []),
        approvalUrl: `${origin}/executions`,
        expiresAt: new Date(Date.now() + config.approvalTtlMs).toISOString(),
        requestedAt: new Date().toISOString(),
      };
      return json(await deliverNotification(active.webhook, JSON.stringify(notificationBody(active.webhook.format, sample)), { allowLocalNetwork: config.allowLocalNetwork }));
    },
  },
];
