/* The members area's first page: who is logged in and what needs attention (logging out is in the header). */
import { sameOriginHref } from "../kit/api.js";
import { byId, el, link } from "../kit/dom.js";
import { hasText, t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { membersPage } from "../kit/members.js";

membersPage(async (me) => {
  const org = me.organisation || {};
  const type = hasText(`dashboard.org_type.${org.type}`) ? t(`dashboard.org_type.${org.type}`) : null;
  const role = hasText(`dashboard.role_name.${me.role}`) ? t(`dashboard.role_name.${me.role}`) : me.role;
  byId("dashboard-greeting").textContent = t("dashboard.greeting", { name: me.name || me.email });
  byId("dashboard-organisation").textContent = type && org.type !== "ieh" ? `${org.name} (${type})` : org.name || "";
  byId("dashboard-role").textContent = [role, me.is_staff ? t("dashboard.staff") : null].filter(Boolean).join(" · ");
  byId("dashboard-email").textContent = me.email || "";
  byId("dashboard-mfa-notice").hidden = !me.mfa_setup_required;

  const list = byId("dashboard-attention");
  const body = await loadBusy(list, "me/attention", byId("dashboard-attention-message"));
  if (!body) return;
  const items = Array.isArray(body.items) ? body.items : [];
  list.replaceChildren(
    ...items.map((item) => {
      const href = sameOriginHref(item.link);
      return el("li", { "data-kind": item.kind || null }, href ? link(href, item.message) : item.message);
    }),
  );
  list.hidden = items.length === 0;
  byId("dashboard-attention-empty").hidden = items.length > 0;
});
