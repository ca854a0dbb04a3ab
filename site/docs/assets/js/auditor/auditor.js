/* An audit company's assignments (members/auditor/): the sites it is invited to, by producer, with
 * accept and decline for the company's admins, each active site leading to its upload page; and the
 * auditor's own APSCA number, shown with every audit they lead. */
import { api, pageUrl } from "../kit/api.js";
import { byId, el, fillTable, focusOn, link, showMessage } from "../kit/dom.js";
import { bindForm, fillForm, setBusy } from "../kit/form.js";
import { t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { membersPage } from "../kit/members.js";
import { badge, contextButton } from "../kit/view.js";

export const siteUrl = (siteId) => pageUrl(`members/auditor-site/?id=${encodeURIComponent(siteId)}`);

function actions(item, admin, reload) {
  const region = byId("auditor-message");
  if (item.status === "active") return link(siteUrl(item.site_id), [t("auditor.open_site"), el("span", { class: "ieh-sr-only" }, ` ${item.site_name}`)]);
  if (item.status !== "pending" || !admin) return "";
  const answer = (verb) => async (button) => {
    setBusy(button, true, t("kit.saving"));
    const result = await api(`auditor/invitations/${encodeURIComponent(item.id)}/${verb}`, { method: "POST" });
    setBusy(button, false);
    if (result.status !== 200) {
      showMessage(region, t("auditor.answer_failed"), "error");
      return;
    }
    showMessage(region, t(verb === "accept" ? "auditor.accepted" : "auditor.declined", { producer: item.producer_name, site: item.site_name }), "success");
    await reload();
    focusOn(region);
  };
  const context = ` ${item.producer_name}, ${item.site_name}`;
  return el("span", { class: "ieh-actions" }, [
    contextButton(t("auditor.accept"), context, answer("accept"), { "data-accept": item.id, class: "md-button md-button--primary ieh-button--small" }),
    " ",
    contextButton(t("auditor.decline"), context, answer("decline"), { "data-decline": item.id, class: "md-button ieh-button--small" }),
  ]);
}

async function loadInvitations(admin) {
  const reload = () => loadInvitations(admin);
  const answer = await loadBusy(byId("auditor-table"), "auditor/invitations", byId("auditor-message"));
  if (!answer) return;
  const rows = (answer.items || []).map((item) =>
    el("tr", { "data-invitation-id": item.id, "data-status": item.status }, [
      el("td", {}, item.producer_name),
      el("td", {}, `${item.site_name} (${item.site_id})`),
      el("td", {}, badge(t(`audits.invitation.${item.status}`), item.status === "pending" ? "warning" : null)),
      el("td", {}, actions(item, admin, reload)),
    ]),
  );
  fillTable(byId("auditor-table").tBodies[0], rows, byId("auditor-empty"));
}

async function initApsca(me) {
  const form = byId("apsca-form");
  const status = byId("apsca-message");
  const team = await loadBusy(form, "auditor/auditors", status);
  const mine = ((team && team.items) || []).find((auditor) => auditor.id === me.user_id);
  if (mine && mine.apsca) fillForm(form, { apsca_number: `APSCA ${mine.apsca}` });
  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    collect: () => ({ apsca_number: form.elements.apsca_number.value.trim() || null }),
    send: (data) => api("auditor/me", { method: "PUT", body: data }),
    done: (saved) => showMessage(status, saved.apsca ? t("auditor.apsca_saved", { number: saved.apsca }) : t("auditor.apsca_removed"), "success"),
  });
}

membersPage(async (me) => {
  await Promise.all([loadInvitations(me.role === "admin"), initApsca(me)]);
});
