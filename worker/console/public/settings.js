// @ts-check
/**
 * The Settings view (/settings), for admins: where approval notifications go (the console's
 * setting, which wins over the Worker's APPROVAL_WEBHOOK_* settings), a form to change it,
 * a test send, and the secret key's rotation as /api/status reports it, with a button that
 * re-seals now instead of waiting for the daily cron. The webhook URL and
 * its secret are write-only: the page shows the URL's origin and whether it signs, and its
 * inputs start empty ("leave empty to keep"). docs/operations.md#approval-notifications.
 */
import * as api from "./api-client.js";
import { guard, h, notice, status, when } from "./dom.js";

/** @type {import("./console.js").View} */
export async function settingsView(context) {
  if (!context.isAdmin) return [h("h1", {}, "Settings"), notice("Only admins can see and change the settings.")];
  const [settings, health] = await Promise.all([api.getNotificationSettings(), api.getStatus()]);
  const container = h("div", {});
  container.append(
    h("h1", {}, "Settings"),
    notificationsSection(container, context, settings),
    health.secrets ? secretKeySection(container, context, health.secrets) : "");
  return container;
}

/**
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 * @param {api.NotificationSettings} settings
 */
function notificationsSection(container, context, settings) {
  const saved = settings.console;
  const env = settings.environment;
  const enabled = h("input", { type: "checkbox", name: "enabled", checked: saved ? saved.enabled : true });
  const url = h("input", { name: "url", type: "url", size: 48, autocomplete: "off",
    placeholder: saved ? `saved: ${saved.urlHint} (leave empty to keep)` : "https://hooks.slack.com/services/…" });
  const format = h("select", { name: "format" },
    h("option", { value: "" }, "from the URL's host"),
    api.WEBHOOK_FORMATS.map((name) => h("option", { value: name, selected: saved?.format === name }, name)));
  const secret = h("input", { name: "secret", type: "password", size: 32, autocomplete: "new-password",
    placeholder: saved?.signed ? "saved (leave empty to keep)" : "HMAC secret (generic: required)" });
  const removeSecret = h("input", { type: "checkbox", name: "removeSecret" });
  const testResult = h("span", { class: "muted", "data-testid": "test-result" });

  const save = guard(container, async () => {
    /** @type {api.NotificationSettingsChange} */
    const change = { enabled: enabled.checked };
    if (url.value.trim() !== "") change.url = url.value.trim();
    if (format.value !== "") change.format = /** @type {api.WebhookFormat} */ (format.value);
    if (removeSecret.checked) change.secret = null;
    else if (secret.value !== "") change.secret = secret.value;
    await api.saveNotificationSettings(change);
    await context.refresh();
  });
  const sendTest = guard(container, async () => {
    testResult.textContent = "sending…";
    const outcome = await api.sendTestNotification();
    testResult.replaceChildren(status(outcome.status), outcome.attempts > 0 ? ` after ${outcome.attempts} attempt(s)` : "", outcome.error ? ` \u00b7 ${outcome.error}` : "");
  });
  const useWorkerSettings = guard(container, async () => {
    await api.deleteNotificationSettings();
    await context.refresh();
  });

  return h("section", { class: "card", "data-testid": "notifications" },
    h("h2", {}, "Approval notifications"),
    h("p", { class: "muted" }, "When an execution pauses for approval, a POST goes to this webhook: a Slack or Microsoft Teams message, or JSON signed with HMAC-SHA256 (X-Executor-Signature). Arguments are summarized and secrets left out."),
    h("p", { "data-testid": "notifications-now" }, "Now: ", describeSource(settings)),
    h("form", { class: "inline", "data-testid": "notification-form", onsubmit: save },
      h("label", {}, enabled, "Send notifications"), url, format, secret,
      saved?.signed ? h("label", {}, removeSecret, "remove the secret") : "",
      h("button", { type: "submit" }, "Save")),
    h("p", {},
      h("button", { class: "secondary", onclick: sendTest }, "Send a test"), " ", testResult,
      saved ? [" ", h("button", { class: "secondary", onclick: useWorkerSettings }, env ? "Use the Worker's settings instead" : "Remove")] : ""),
    saved ? h("p", { class: "muted" }, `Saved by ${saved.updatedBy}, ${when(saved.updatedAt)}.`) : "");
}

/** @param {api.NotificationSettings} settings */
function describeSource(settings) {
  const signed = (/** @type {boolean} */ on) => (on ? "signed" : "unsigned");
  if (settings.console) {
    const { enabled, format, urlHint, signed: isSigned } = settings.console;
    if (!enabled) return "turned off in the console (nothing is sent).";
    return `${format} to ${urlHint}, ${signed(isSigned)} (this console's setting${settings.environment ? ", used instead of the Worker's" : ""}).`;
  }
  if (settings.environment) {
    const { format, urlHint, signed: isSigned } = settings.environment;
    return `${format} to ${urlHint}, ${signed(isSigned)} (the Worker's APPROVAL_WEBHOOK_* settings).`;
  }
  return "no webhook: pauses are not announced.";
}

/**
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 * @param {api.SecretKeyStatus} secrets
 */
function secretKeySection(container, context, secrets) {
  const reseal = guard(container, async () => {
    await api.rotateSecrets();
    await context.refresh();
  });
  const next = {
    none: "No rotation under way (no EXECUTOR_SECRET_KEY_PREVIOUS).",
    in_progress: "Stored secrets are being re-sealed under the new key; keep EXECUTOR_SECRET_KEY_PREVIOUS until none remain.",
    done: "Every secret is sealed under the current key: EXECUTOR_SECRET_KEY_PREVIOUS can be deleted.",
  }[secrets.keyRotation];
  return h("section", { class: "card", "data-testid": "secret-key" },
    h("h2", {}, "Secret key"),
    h("p", {}, "Rotation: ", status(secrets.keyRotation), ` \u00b7 ${secrets.remaining} left to re-seal`,
      secrets.unreadable > 0 ? ` \u00b7 ${secrets.unreadable} unreadable with the configured keys` : ""),
    h("p", { class: "muted" }, next),
    secrets.remaining > 0 ? h("button", { class: "secondary", onclick: reseal }, "Re-seal now") : "");
}
