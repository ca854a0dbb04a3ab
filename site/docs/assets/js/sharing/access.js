/* What a producer gives a customer: the access level and the sites, as fields of a form. */
import { el } from "../kit/dom.js";
import { checkedValues } from "../kit/form.js";
import { hasText, t } from "../kit/i18n.js";
import { domId } from "../kit/view.js";

/** A radio or checkbox with its label; given a hint (even null), label and hint share a box. */
export function choice(type, id, name, value, label, { hint, ...attributes } = {}) {
  const input = el("input", { type, id, name, value, "aria-describedby": hint ? `${id}-hint` : null, ...attributes });
  if (hint === undefined) return el("div", { class: "ieh-choice" }, [input, el("label", { for: id }, label)]);
  const text = [el("label", { for: id }, label), hint ? el("p", { class: "ieh-field__hint", id: `${id}-hint` }, hint) : null];
  return el("div", { class: "ieh-choice" }, [input, el("div", {}, text)]);
}

function fieldset(legend, attribute, choices) {
  return el("fieldset", { class: "ieh-field ieh-fieldset", [attribute]: "" }, [el("legend", {}, legend), el("div", { class: "ieh-choices__list", [attribute.replace("choices", "list")]: "" }, choices)]);
}

/**
 * The level radios and the site choice ("all sites" or the ones ticked), put into `form` before
 * `before`; `prefix` makes the ids. Returns {read() → {level, sites, problems}, write(level, sites), refresh()}.
 */
export function accessFields(form, prefix, ref, sites, before) {
  const levelLabel = t("sharing.level");
  const sitesLabel = t("sharing.sites");
  const levels = ref.link_levels.map((level) =>
    choice("radio", `${prefix}-level-${domId(level.code)}`, "level", level.code, level.name, {
      "data-error-label": levelLabel,
      hint: hasText(`customers.level_hint.${level.code}`) ? t(`customers.level_hint.${level.code}`) : null,
    }),
  );
  let siteChoices = [el("p", { class: "ieh-field__hint" }, t("customers.no_sites_yet"))];
  if (sites.length) {
    const ticks = sites.map((site) =>
      choice("checkbox", `${prefix}-site-${domId(site.id)}`, "sites", site.id, `${site.name || site.id} (${site.id})`, { "data-error-label": sitesLabel }),
    );
    siteChoices = [
      choice("radio", `${prefix}-sites-all`, "sites_scope", "all", t("customers.all_sites"), { checked: true }),
      choice("radio", `${prefix}-sites-chosen`, "sites_scope", "chosen", t("customers.chosen_sites")),
      el("fieldset", { class: "ieh-site-choice", "data-chosen-sites": "" }, [el("legend", {}, t("customers.which_sites")), el("div", { class: "ieh-choices__list" }, ticks)]),
    ];
  }
  const siteList = fieldset(sitesLabel, "data-site-choices", siteChoices);
  form.insertBefore(fieldset(levelLabel, "data-level-choices", levels), before);
  form.insertBefore(siteList, before);

  const chosen = () => sites.length > 0 && checkedValues(form, "sites_scope")[0] === "chosen";
  /** Show the site checkboxes only when "only the sites I choose" is picked. */
  function refresh() {
    const box = form.querySelector("[data-chosen-sites]");
    if (box) box.hidden = !chosen();
  }
  siteList.addEventListener("change", refresh);
  refresh();

  return {
    refresh,
    read() {
      const level = checkedValues(form, "level")[0] || null;
      const picked = chosen() ? checkedValues(form, "sites") : "all";
      const problems = {};
      if (!level) problems.level = t("customers.choose_level");
      if (Array.isArray(picked) && !picked.length) problems.sites = t("customers.choose_sites");
      return { level, sites: picked, problems };
    },
    write(level, list) {
      const ids = Array.isArray(list) ? list.map(String) : null;
      for (const input of form.querySelectorAll('input[name="level"]')) input.checked = input.value === level;
      for (const input of form.querySelectorAll('input[name="sites_scope"]')) input.checked = input.value === (ids ? "chosen" : "all");
      for (const input of form.querySelectorAll('input[name="sites"]')) input.checked = Boolean(ids && ids.includes(input.value));
      refresh();
    },
  };
}
