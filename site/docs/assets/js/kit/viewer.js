/* Read-only panels (a self-assessment, an audit): one open at a time, below its list. */
import { errorMessage } from "./api.js";
import { byId, el, showMessage } from "./dom.js";
import { t } from "./i18n.js";

/** The body of a successful answer, or null after saying why not in `region` (a 404 says only: no access). */
export function bodyOf(result, region) {
  if (result.status === 200 && result.body) return result.body;
  if (result.status === 404) showMessage(region, t("sharing.no_access"), "info");
  else if (result.status !== 401) showMessage(region, errorMessage(result), "error");
  return null;
}

/**
 * A panel (<section aria-labelledby="<id>-title">) that shows one thing at a time for the button
 * that opened it (aria-expanded); Close gives the focus back to that button. `name` is what the
 * panel shows ("saq": data-action="close-saq"), `key` the panel's dataset entry for its id ("siteId").
 */
export function viewer(view, name, key) {
  let opener = null;
  const titleId = view.getAttribute("aria-labelledby");

  function close() {
    view.hidden = true;
    view.replaceChildren();
    delete view.dataset[key];
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
    }
    opener = null;
  }

  /** Show `parts` under a focused title, for `button`, about the thing called `id`. */
  function show(button, id, title, parts) {
    if (opener && opener !== button) opener.setAttribute("aria-expanded", "false");
    opener = button;
    button.setAttribute("aria-expanded", "true");
    const closeButton = el("button", { type: "button", class: "md-button", "data-action": `close-${name}` }, t("kit.close"));
    closeButton.addEventListener("click", close);
    view.replaceChildren(el("h3", { id: titleId, tabindex: "-1" }, title), ...parts, closeButton);
    view.dataset[key] = id;
    view.hidden = false;
    byId(titleId).focus();
  }

  return { show };
}
