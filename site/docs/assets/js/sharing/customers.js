/* A producer's customers (members/customers/): requests and links, giving access, the access log. */
import { api, errorMessage } from "../kit/api.js";
import { byId, el, focusOn, showMessage } from "../kit/dom.js";
import { bindForm, showFieldErrors, textOf } from "../kit/form.js";
import { formatDateTime, nameOf } from "../kit/format.js";
import { hasText, t } from "../kit/i18n.js";
import { pagedList } from "../kit/list.js";
import { membersPage } from "../kit/members.js";
import { loadReference } from "../kit/reference.js";
import { accessFields } from "./access.js";
import { customerList } from "./customer-list.js";

const ORGANISATION_NUMBER = /^\d{9}$/;

/** Giving a customer access without a request (admins only: the form is for them). */
function initAdd(ref, sites, customers) {
  const form = byId("customer-add-form");
  const status = byId("customer-add-message");
  const fields = accessFields(form, "customer-add", ref, sites, status);
  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    collect: () => ({ organisation_number: textOf(form, "organisation_number").replace(/\s+/g, ""), ...fields.read() }),
    check: ({ organisation_number: number, problems }) => ({
      ...(number && !ORGANISATION_NUMBER.test(number) ? { organisation_number: t("customers.number_format") } : {}),
      ...problems,
    }),
    send: ({ problems, ...body }) => api("producer/customers", { method: "POST", body }),
    done: (body, result, data) => {
      form.reset();
      fields.refresh();
      customers.upsert(body);
      showMessage(status, t("customers.accepted", { name: body.name || data.organisation_number, level: nameOf(ref.link_levels, body.level || data.level) }), "success");
      focusOn(status);
    },
    failed: (result) => {
      if (result.status !== 404) return false;
      showFieldErrors(form, { organisation_number: t("customers.no_such_buyer") });
      return true;
    },
  });
}

function logRow(item) {
  const action = String(item.action || "");
  return el("tr", { "data-action": action }, [
    formatDateTime(item.at) || "",
    item.buyer_name || "",
    hasText(`customers.log.action.${action}`) ? t(`customers.log.action.${action}`) : action.replace(/_/g, " "),
    item.subject || "–",
  ].map((cell) => el("td", {}, cell)));
}

membersPage(async () => {
  pagedList({
    path: (cursor) => `producer/access-log${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`,
    render: logRow,
    body: byId("access-log").tBodies[0],
    more: byId("access-log-more"),
    status: byId("access-log-message"),
    empty: byId("access-log-empty"),
    announceMore: (count) => t("customers.log.more_shown", { count }),
  }).load(true);
  const [{ reference, result: failed }, sites] = await Promise.all([loadReference(), api("producer/sites")]);
  if (!reference || sites.status !== 200 || !sites.body) {
    const result = reference ? sites : failed;
    if (result.status !== 401) showMessage(byId("customers-message"), errorMessage(result), "error");
    byId("customer-add-form").hidden = true; // it needs the levels and the sites
    return;
  }
  const customers = customerList(reference, sites.body.items || []);
  initAdd(reference, sites.body.items || [], customers);
  await customers.load();
});
