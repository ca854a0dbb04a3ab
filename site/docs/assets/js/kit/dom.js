/* Building and changing the page: elements, messages in live regions, focus. */

/** The element with this id, or null. */
export const byId = (id) => document.getElementById(id);

/** A DOM element: attributes set as given (null/false left out), children as nodes or text. */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of [].concat(children)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function link(href, text, attributes = {}) {
  return el("a", { href, ...attributes }, text);
}

/** A button; `run` is called on click. Small by default (the look of buttons inside tables and cards). */
export function button(label, run, attributes = {}) {
  const node = el("button", { type: "button", class: "md-button ieh-button--small", ...attributes }, label);
  if (run) node.addEventListener("click", () => run(node));
  return node;
}

/** Focus something that is not focusable by itself (a heading or message) for screen readers. */
export function focusOn(node) {
  if (!node) return;
  if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
  node.focus();
}

/**
 * Put a message in a live region (role="status" or role="alert", class ieh-message): kind is
 * "success", "error" or "info" and only changes its look. An empty text clears the region.
 * Content may be text or nodes (for a message with a link). The region stays in the page when
 * empty (it takes no room then), so screen readers announce what is put in it later.
 */
export function showMessage(region, content, kind = "info") {
  if (!region) return;
  region.classList.remove("ieh-message--success", "ieh-message--error", "ieh-message--info");
  region.classList.add("ieh-message");
  const parts = [].concat(content).filter((part) => part !== null && part !== undefined && part !== "");
  if (!parts.length) {
    region.replaceChildren();
    return;
  }
  region.classList.add(`ieh-message--${kind}`);
  region.replaceChildren(...parts.map((part) => (part instanceof Node ? part : document.createTextNode(String(part)))));
  region.hidden = false;
}

/** Rows of a table body, or the "none yet" paragraph when there are none. */
export function fillTable(body, rows, empty = null) {
  body.replaceChildren(...rows);
  const table = body.closest("table");
  const wrap = table && table.closest(".ieh-table-wrap");
  if (wrap) wrap.hidden = rows.length === 0 && Boolean(empty);
  if (empty) empty.hidden = rows.length > 0;
}

/** A table row from cells (nodes or text); the first cell can be a row header with {th: true}. */
export function row(cells, attributes = {}) {
  return el(
    "tr",
    attributes,
    cells.map((cell) => (cell && cell.th ? el("th", { scope: "row" }, cell.th) : el("td", {}, cell))),
  );
}

/** A select's options ([{code, name}]) after a first, empty one (a placeholder or "all"); the choice
 * stays when it is still offered. */
export function fillSelect(select, items, placeholder) {
  const current = select.value;
  select.replaceChildren(el("option", { value: "" }, placeholder), ...items.map((item) => el("option", { value: item.code }, item.name)));
  select.value = items.some((item) => item.code === current) ? current : "";
}
