/* The audit companies a producer has invited to its sites (members/audits/#audit-companies): the
 * list, with "end" for what still counts, and the invitation form (an approved company from the
 * list, or one not in the portal yet, which IEH is asked to add). */
import { api } from "../kit/api.js";
import { byId, el, fillSelect, fillTable, focusOn, showMessage } from "../kit/dom.js";
import { bindForm, setBusy } from "../kit/form.js";
import { t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { currentMember } from "../kit/members.js";
import { badge, contextButton } from "../kit/view.js";

const OTHER = "other"; // the company select's last choice: one not in the portal
const OPEN = ["pending", "active"];

function statusBadge(status) {
  return badge(t(`audits.invitation.${status}`), status === "active" ? "success" : status === "pending" ? "info" : null);
}

async function loadInvitations() {
  const region = byId("invitations-message");
  const answer = await loadBusy(byId("invitations-table"), "producer/audit-invitations", region);
  if (!answer) return;
  const admin = (currentMember() || {}).role === "admin";
  const rows = (answer.items || []).map((item) => {
    const end = async (button) => {
      setBusy(button, true, t("kit.saving"));
      const result = await api(`producer/audit-invitations/${encodeURIComponent(item.id)}/end`, { method: "POST" });
      setBusy(button, false);
      if (result.status !== 200) {
        showMessage(region, t("audits.end_failed"), "error");
        return;
      }
      showMessage(region, t("audits.ended", { company: item.company_name, site: item.site_name }), "success");
      await loadInvitations();
      focusOn(region);
    };
    const action = admin && OPEN.includes(item.status) ? contextButton(t("audits.end"), ` ${item.company_name}, ${item.site_name}`, end, { "data-end-invitation": item.id }) : "";
    return el("tr", { "data-invitation-id": item.id, "data-status": item.status }, [
      el("td", {}, `${item.site_name} (${item.site_id})`),
      el("td", {}, item.company_name),
      el("td", {}, statusBadge(item.status)),
      el("td", {}, action),
    ]);
  });
  fillTable(byId("invitations-table").tBodies[0], rows, byId("invitations-empty"));
}

async function initInviteForm(sites) {
  const form = byId("invite-form");
  const status = byId("invite-message");
  if (!sites.length || byId("invite-section").hidden) return;
  fillSelect(form.elements.site_id, sites.map((site) => ({ code: site.id, name: `${site.name} (${site.id})` })), t("audits.choose_site"));
  const companies = await loadBusy(form, "producer/audit-companies", status);
  const choices = ((companies && companies.items) || []).map((company) => ({ code: company.id, name: company.accreditation ? `${company.name} (${company.accreditation})` : company.name }));
  fillSelect(form.elements.company_id, [...choices, { code: OTHER, name: t("audits.other_company") }], t("audits.choose_company"));
  const other = byId("invite-other");
  form.elements.company_id.addEventListener("change", () => (other.hidden = form.elements.company_id.value !== OTHER));
  bindForm(form, {
    status,
    collect: () => {
      const data = { site_id: form.elements.site_id.value, company_id: form.elements.company_id.value };
      if (data.company_id !== OTHER) return data;
      return { site_id: data.site_id, company_name: form.elements.company_name.value.trim(), email: form.elements.email.value.trim() };
    },
    send: (data) => api("producer/audit-invitations", { method: "POST", body: data }),
    done: (answer, result) => {
      const text = result.status === 202 ? t("audits.ieh_asked", { company: answer.company_name }) : t("audits.invited", { company: answer.company_name, site: answer.site_name });
      form.reset();
      other.hidden = true;
      showMessage(status, text, "success");
      focusOn(status);
      loadInvitations();
    },
  });
}

/** Start the section, with the producer's sites (already loaded for the audit form). */
export async function initAuditCompanies(sites) {
  await Promise.all([loadInvitations(), initInviteForm(sites)]);
}
