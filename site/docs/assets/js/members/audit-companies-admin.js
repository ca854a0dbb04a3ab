/* IEH staff's audit companies (members/admin/#audit-companies): the list, and adding one, which
 * invites its first auditor (an admin of the company) by e-mail. */
import { api } from "../kit/api.js";
import { byId, el, fillSelect, fillTable, focusOn, showMessage } from "../kit/dom.js";
import { bindForm } from "../kit/form.js";
import { nameOf } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { loadReference } from "../kit/reference.js";

async function loadCompanies(ref) {
  const answer = await loadBusy(byId("audit-companies-table"), "admin/audit-companies", byId("audit-companies-message"));
  if (!answer) return;
  const rows = (answer.items || []).map((company) =>
    el("tr", { "data-company-id": company.id }, [
      el("td", {}, company.name),
      el("td", {}, [company.accreditation_body, company.accreditation_number].filter(Boolean).join(", ")),
      el("td", {}, nameOf(ref.countries, company.country)),
    ]),
  );
  fillTable(byId("audit-companies-table").tBodies[0], rows, byId("audit-companies-empty"));
}

export async function initAuditCompanies() {
  const { reference: ref } = await loadReference(byId("audit-companies-message"));
  if (!ref) return;
  const form = byId("audit-company-form");
  const status = byId("audit-company-message");
  fillSelect(form.elements.country, ref.countries, t("admin.audit_company.choose_country"));
  bindForm(form, {
    status,
    send: (data) => api("admin/audit-companies", { method: "POST", body: data }),
    done: (company, _, data) => {
      form.reset();
      showMessage(status, t("admin.audit_company.added", { name: company.name, email: data.admin_email }), "success");
      focusOn(status);
      loadCompanies(ref);
    },
  });
  await loadCompanies(ref);
}
