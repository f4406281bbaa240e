// @ts-check
/**
 * The Policies view (/policies): the ordered rules with how many tools each matches, and for
 * admins move up/down, delete and the add form. Below them, a person's own rules, which only
 * tighten the policy of their own executions: listed, added and deleted here (deleting is
 * allowed only from the console, since it loosens). "Matches N tools" is the server's answer
 * (`GET /api/tools?pattern=`), computed by the matcher that applies the rules, so the
 * browser keeps no copy of the pattern syntax. Typing is debounced, and a late answer for
 * an older pattern never overwrites a newer one.
 */
import * as api from "./api-client.js";
import { guard, h, messageOf, status, table } from "./dom.js";

/** How long typing must pause before the preview asks the server. */
const PREVIEW_DEBOUNCE_MS = 250;

/** @type {import("./console.js").View} */
export async function policiesView(context) {
  const [list, personal] = await Promise.all([api.listPolicies(), api.listPersonalPolicies()]);
  const container = h("div", {});
  const last = list.items.length - 1;
  /**
   * @param {api.Policy} policy
   * @param {number} position
   */
  const move = (policy, position) => guard(container, async () => {
    await api.updatePolicy(policy.id, { position });
    await context.refresh();
  });
  const rows = list.items.map((policy, index) => {
    const matches = h("td", { class: "muted", "data-testid": "rule-matches" }, "…");
    void showMatches(matches, policy.pattern);
    return h("tr", {},
      h("td", {}, policy.position), h("td", {}, h("code", {}, policy.pattern)), h("td", {}, status(policy.action)), matches,
      h("td", {}, !context.isAdmin ? "" : [
        h("button", { class: "secondary", disabled: index === 0, onclick: move(policy, policy.position - 1) }, "\u2191"), " ",
        h("button", { class: "secondary", disabled: index === last, onclick: move(policy, policy.position + 1) }, "\u2193"), " ",
        h("button", { class: "danger", onclick: guard(container, async () => {
          await api.deletePolicy(policy.id);
          await context.refresh();
        }) }, "Delete"),
      ]));
  });
  container.append(h("h1", {}, "Policies"),
    h("p", { class: "muted" }, "The first rule whose pattern matches a tool decides; * matches one segment, a trailing * the rest. Without a match, reads run and writes need approval."),
    table(["#", "Pattern", "Action", "", ""], rows));
  if (context.isAdmin) container.append(addPolicyForm(container, context));
  if (context.isHuman) container.append(personalRules(container, context, personal.items));
  return container;
}

/**
 * The caller's own rules: approve or block only, for the executions they own.
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 * @param {api.PersonalPolicy[]} rules
 */
function personalRules(container, context, rules) {
  const rows = rules.map((rule) =>
    h("tr", {}, h("td", {}, h("code", {}, rule.pattern)), h("td", {}, status(rule.action)),
      h("td", {}, h("button", { class: "danger", onclick: guard(container, async () => {
        await api.deletePersonalPolicy(rule.id);
        await context.refresh();
      }) }, "Delete"))));
  const pattern = h("input", { name: "pattern", placeholder: "github.*", required: true });
  const action = h("select", { name: "action" }, ["approve", "block"].map((name) => h("option", { value: name }, name)));
  const submit = guard(container, async () => {
    await api.createPersonalPolicy({ pattern: pattern.value, action: /** @type {"approve" | "block"} */ (action.value) });
    await context.refresh();
  });
  return h("section", { class: "card", "data-testid": "personal-rules" },
    h("h2", {}, "Your rules"),
    h("p", { class: "muted" }, "Rules for your own executions only, and only stricter than the rules above: approve makes your agents ask before a call, block forbids it."),
    rows.length > 0 ? table(["Pattern", "Action", ""], rows) : h("p", { class: "muted" }, "None yet."),
    h("form", { class: "inline", "data-testid": "add-personal-rule", onsubmit: submit }, pattern, action, h("button", { type: "submit" }, "Add my rule")));
}

/**
 * @param {HTMLElement} container
 * @param {import("./console.js").ViewContext} context
 */
function addPolicyForm(container, context) {
  const pattern = h("input", { name: "pattern", placeholder: "github.issues.*", required: true });
  const preview = h("span", { class: "muted", "data-testid": "policy-preview" });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  pattern.addEventListener("input", () => {
    clearTimeout(timer);
    const value = pattern.value.trim();
    preview.textContent = "";
    if (value) timer = setTimeout(() => void showMatches(preview, value, () => pattern.value.trim() === value), PREVIEW_DEBOUNCE_MS);
  });
  const action = h("select", { name: "action" }, api.POLICY_ACTIONS.map((name) => h("option", { value: name }, name)));
  const submit = guard(container, async () => {
    await api.createPolicy({ pattern: pattern.value, action: /** @type {api.PolicyAction} */ (action.value) });
    await context.refresh();
  });
  return h("section", { class: "card" }, h("h2", {}, "Add a rule"),
    h("form", { class: "inline", "data-testid": "add-policy", onsubmit: submit },
      pattern, action, h("button", { type: "submit" }, "Add rule"), preview));
}

/**
 * Asks the server how many tools `pattern` matches and writes the answer into `target`,
 * unless `stillWanted` says the answer has gone stale meanwhile. A malformed pattern shows
 * the server's reason.
 * @param {HTMLElement} target
 * @param {string} pattern
 * @param {() => boolean} [stillWanted]
 */
async function showMatches(target, pattern, stillWanted = () => true) {
  let text;
  try {
    text = `matches ${await api.countToolsMatching(pattern)} tools`;
  } catch (thrown) {
    text = messageOf(thrown);
  }
  if (stillWanted()) target.textContent = text;
}
