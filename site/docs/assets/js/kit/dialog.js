/* A question to answer before something that cannot be undone: a modal <dialog> (the browser keeps
 * the focus inside it and Escape cancels), and the focus goes back to where it was. */
import { el } from "./dom.js";
import { t } from "./i18n.js";

/** Ask; resolves to true when the member confirms, false on Cancel or Escape. */
export function confirmDialog({ title, text, confirm, cancel = t("kit.cancel") }) {
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const yes = el("button", { type: "button", class: "md-button md-button--primary", "data-action": "confirm" }, confirm);
    const no = el("button", { type: "button", class: "md-button", "data-action": "cancel" }, cancel);
    const parts = [el("h2", { id: "ieh-dialog-title" }, title), el("p", { id: "ieh-dialog-text" }, text), el("div", { class: "ieh-actions" }, [yes, no])];
    const dialog = el("dialog", { class: "ieh-dialog md-typeset", "aria-labelledby": "ieh-dialog-title", "aria-describedby": "ieh-dialog-text" }, parts);
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      if (opener && opener.focus) opener.focus();
      resolve(answer);
    };
    yes.addEventListener("click", () => close(true));
    no.addEventListener("click", () => close(false));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
