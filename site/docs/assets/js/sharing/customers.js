/* A producer's customers (members/customers/): requests and links, giving access, the access log. */
import { api } from "../kit/api.js";
import { byId, el, focusOn, showMessage } from "../kit/dom.js";
import { bindForm, showFieldErrors, textOf } from "../kit/form.js";
import { formatDate, formatDateTime, nameOf } from "../kit/format.js";
import { hasText, t } from "../kit/i18n.js";
import { loadBusy, pagedList } from "../kit/list.js";
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

/** An access-log row: what a customer did, and what it looked at, in the reader's words. */
function logRow(item, siteNames) {
  const action = String(item.action || "");
  const known = hasText(`customers.log.action.${action}`);
  const site = siteNames.get(item.site_id) || item.site_name || item.site_id || "";
  const subject = item.audit_type
    ? t("customers.log.subject.audit", { type: item.audit_type_name || "", site, date: formatDate(item.audit_date) || "" })
    : item.subject || site || "–";
  return el("tr", { "data-action": action }, [
    formatDateTime(item.at) || "",
    item.buyer_name || "",
    known ? t(`customers.log.action.${action}`) : t("customers.log.action_other"),
    subject,
  ].map((cell) => el("td", {}, cell)));
}

function initLog(sites) {
  const siteNames = new Map(sites.map((site) => [site.id, site.name]));
  pagedList({
    path: (cursor) => `producer/access-log${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`,
    render: (item) => logRow(item, siteNames),
    body: byId("access-log").tBodies[0],
    more: byId("access-log-more"),
    status: byId("access-log-message"),
    empty: byId("access-log-empty"),
    announceMore: (count) => t("customers.log.more_shown", { count }),
  }).load(true);
}

membersPage(async () => {
  const region = byId("customers-message");
  const [{ reference }, answer] = await Promise.all([loadReference(region), loadBusy(byId("customer-add-form"), "producer/sites", region)]);
  const sites = (answer && answer.items) || [];
  initLog(sites);
  if (!reference || !answer) {
    byId("customer-add-form").hidden = true; // it needs the levels and the sites
    return;
  }
  const customers = customerList(reference, sites);
  initAdd(reference, sites, customers);
  await customers.load();
});
