// @ts-check
/**
 * Building the console's DOM: elements from a tag, attributes and children, where every child
 * that is not already a node becomes a text node. Never innerHTML: tool descriptions,
 * arguments and upstream text are untrusted, and a text node cannot turn into markup.
 * Also the few small pieces every view shares (status badges, notices, error handling).
 * It does not fetch anything (api-client.js) or decide which view to show (console.js).
 */

/** @typedef {Node | string | number | boolean | null | undefined} Leaf */
/**
 * A child: a node, text, or nothing; or lists of them two deep (JSDoc typedefs cannot recurse).
 * @typedef {Leaf | Array<Leaf | Leaf[]>} Child
 */
/** @typedef {string | number | boolean | null | undefined | ((event: Event) => unknown)} AttributeValue */

/**
 * An element with attributes, listeners (`on<event>` keys) and children.
 * `null`, `undefined` and `false` attributes and children are left out.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttributeValue>} [attributes]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    const isListener = key.startsWith("on");
    // A string under an on* key would become an inline handler: only functions go there.
    if (isListener !== (typeof value === "function")) throw new TypeError(`attribute ${key}: listeners are functions under on* keys`);
    if (typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = String(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...flatten(children));
  return node;
}

/**
 * Children as nodes and text nodes, for `replaceChildren` and `append`.
 * @param {Array<Child | Child[]>} children
 * @returns {Node[]}
 */
export function flatten(children) {
  /** @type {Node[]} */
  const nodes = [];
  for (const child of children) {
    if (Array.isArray(child)) nodes.push(...flatten(/** @type {Child[]} */ (child)));
    else if (child instanceof Node) nodes.push(child);
    else if (child !== undefined && child !== null && child !== false) nodes.push(document.createTextNode(String(child)));
  }
  return nodes;
}

/**
 * JSON for a <pre>, two-space indented.
 * @param {unknown} value
 */
export const pretty = (value) => JSON.stringify(value, null, 2);

/**
 * A status word, coloured by its value (console.css `.status-<value>`).
 * @param {string} value
 */
export const status = (value) => h("span", { class: `status status-${value}` }, value);

/**
 * An ISO time in the reader's locale; empty for none.
 * @param {string | null | undefined} iso
 */
export const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

/**
 * A notice box; errors are announced as alerts.
 * @param {string} text
 * @param {boolean} [isError]
 */
export function notice(text, isError = false) {
  return h("div", { class: isError ? "notice error" : "notice", role: isError ? "alert" : "status" }, text);
}

/**
 * The message of anything thrown.
 * @param {unknown} thrown
 */
export function messageOf(thrown) {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/**
 * An event listener that runs `work` and shows its failure as a notice on top of `container`
 * (replacing the previous one). Default actions (form submits, link follows) are prevented.
 * @param {Element} container
 * @param {(event?: Event) => Promise<unknown>} work
 * @returns {(event?: Event) => Promise<void>}
 */
export function guard(container, work) {
  return async (event) => {
    event?.preventDefault();
    container.querySelector(":scope > .notice")?.remove();
    try {
      await work(event);
    } catch (thrown) {
      container.prepend(notice(messageOf(thrown), true));
    }
  };
}

/**
 * A table with a header row.
 * @param {string[]} headings
 * @param {Node[]} rows
 */
export function table(headings, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, headings.map((heading) => h("th", {}, heading)))), h("tbody", {}, rows));
}
