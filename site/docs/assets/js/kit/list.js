/* Lists the API gives a page at a time ({items, next_cursor}): the first page, "show more", and
 * what a screen reader hears when rows come or filters change. */
import { api, errorMessage } from "./api.js";
import { focusOn, showMessage } from "./dom.js";
import { setBusy } from "./form.js";
import { t } from "./i18n.js";

/** GET `path` while `node` (a table or list) is marked busy: the answer's body, or null after saying
 * why in `region` (a 401 is left to the page's session-ended message). */
export async function loadBusy(node, path, region) {
  node.setAttribute("aria-busy", "true");
  const result = await api(path);
  node.setAttribute("aria-busy", "false");
  if (result.status === 200 && result.body) return result.body;
  if (result.status !== 401) showMessage(region, errorMessage(result), "error");
  return null;
}

/**
 * options:
 *   path(cursor)   → the API path of a page (cursor null for the first).
 *   render(item)   → its row (a <tr> or <li>), or a list of rows (a row and its detail row).
 *   items(body)    → the items of an answer (default body.items).
 *   body           → where the rows go (a <tbody> or a list); its table/.ieh-table-wrap hides when empty.
 *   more           → the "show more" button; status → a live region; empty → shown when there are none.
 *   announceMore(n)→ what is said when n more rows came (default kit.more_shown).
 *   loaded(body, fromStart) → after each page (e.g. to say how many a filter found).
 *   failed(result, fromStart) → return true when it has shown a failed page itself.
 * Returns {load(fromStart)}. The newest request wins when the list is asked for again quickly.
 */
export function pagedList(options) {
  const { body, more, status, empty } = options;
  const table = body.closest("table") || body;
  const wrap = table.closest(".ieh-table-wrap");
  let cursor = null;
  let sequence = 0;

  async function load(fromStart = true) {
    const current = ++sequence;
    if (fromStart) {
      cursor = null;
      if (more) more.hidden = true;
    } else setBusy(more, true, t("kit.loading"));
    table.setAttribute("aria-busy", "true");
    const result = await api(options.path(fromStart ? null : cursor));
    if (!fromStart) setBusy(more, false);
    if (current !== sequence) return null; // a newer list has been asked for
    table.setAttribute("aria-busy", "false");
    if (!result.ok || !result.body) {
      if (!fromStart && more) more.hidden = false;
      if (result.status !== 401 && !(options.failed && options.failed(result, fromStart))) showMessage(status, errorMessage(result), "error");
      return null;
    }
    const items = (options.items ? options.items(result.body) : result.body.items) || [];
    const rows = items.flatMap((item) => options.render(item));
    if (fromStart) body.replaceChildren(...rows);
    else body.append(...rows);
    cursor = result.body.next_cursor || null;
    if (more) more.hidden = !cursor;
    const any = body.children.length > 0;
    (wrap || table).hidden = !any;
    if (empty) empty.hidden = any;
    if (!fromStart) {
      showMessage(status, options.announceMore ? options.announceMore(items.length) : t("kit.more_shown", { count: items.length }), "info");
      if (rows.length && !cursor) focusOn(rows[0]); // the button is gone: the focus goes to what came
    } else if (status && !options.loaded) showMessage(status, "");
    if (options.loaded) options.loaded(result.body, fromStart, rows);
    return result.body;
  }

  if (more) more.addEventListener("click", () => cursor && !more.disabled && load(false));
  return { load };
}
