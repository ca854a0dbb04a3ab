/* The home page's live figures (members, producers, sites, countries) from GET /stats. */
import { api } from "../kit/api.js";
import { formatDate, formatNumber } from "../kit/format.js";
import { t } from "../kit/i18n.js";

async function showStats(box) {
  const { status, body } = await api("stats");
  const ok = status === 200 && body && typeof body === "object";
  if (ok) {
    for (const node of box.querySelectorAll("[data-stat]")) {
      const value = body[node.dataset.stat];
      if (typeof value === "number") node.textContent = formatNumber(value);
    }
  }
  const updated = ok && body.updated_at ? formatDate(body.updated_at) : null;
  const line = box.querySelector("[data-stats-status]");
  if (line) line.textContent = ok ? (updated ? t("stats.updated", { date: updated }) : "") : t("stats.unavailable");
  box.setAttribute("aria-busy", "false");
}

const box = document.getElementById("live-stats");
if (box) showStats(box);
