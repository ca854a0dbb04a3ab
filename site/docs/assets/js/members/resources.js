/* Documents for members: the list, and a short-lived download link per document. */
import { api, errorMessage } from "../kit/api.js";
import { button, byId, el, fillTable, showMessage } from "../kit/dom.js";
import { download } from "../kit/download.js";
import { formatBytes, formatDate } from "../kit/format.js";
import { hasText, t } from "../kit/i18n.js";
import { membersPage } from "../kit/members.js";

membersPage(async () => {
  const status = byId("resources-message");
  const table = byId("resources-table");
  table.setAttribute("aria-busy", "true");
  const result = await api("resources");
  table.setAttribute("aria-busy", "false");
  if (!result.ok || !result.body) {
    if (result.status !== 401) showMessage(status, errorMessage(result), "error");
    return;
  }
  const rows = (result.body.items || []).map((item) => {
    const kind = String(item.kind || "").toLowerCase();
    const get = button([t("kit.download"), el("span", { class: "ieh-sr-only" }, ` ${item.title}`)], (node) =>
      download(`resources/${encodeURIComponent(item.id)}/download`, node, status),
    );
    get.dataset.action = "download";
    get.dataset.resourceId = item.id;
    return el("tr", { "data-resource-id": item.id }, [
      el("td", {}, [el("strong", {}, item.title), item.description ? el("p", { class: "ieh-muted" }, item.description) : null]),
      el("td", {}, hasText(`resources.kind.${kind}`) ? t(`resources.kind.${kind}`) : item.kind),
      el("td", { class: "ieh-number" }, formatBytes(item.size_bytes)),
      el("td", {}, formatDate(item.updated_at) || ""),
      el("td", {}, get),
    ]);
  });
  fillTable(table.tBodies[0], rows, byId("resources-empty"));
});
