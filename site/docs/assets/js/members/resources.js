/* Documents for members: the list, and a short-lived download link per document. */
import { button, byId, el, fillTable } from "../kit/dom.js";
import { download } from "../kit/download.js";
import { formatBytes, formatDate } from "../kit/format.js";
import { hasText, t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { membersPage } from "../kit/members.js";

membersPage(async () => {
  const status = byId("resources-message");
  const table = byId("resources-table");
  const answer = await loadBusy(table, "resources", status);
  if (!answer) return;
  const rows = (answer.items || []).map((item) => {
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
