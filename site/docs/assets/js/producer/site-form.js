/* A site's fields (site/pages/_producer.j2), the same in the "add a site" form and the site's own
 * form: the choices from the reference lists, the values as the API takes them, the checks, and the
 * searchable list of goods. */
import { fillSelect } from "../kit/dom.js";
import { checkedValues, fillForm, formValues, textOf } from "../kit/form.js";
import { locale, t } from "../kit/i18n.js";
import { fillCheckboxes } from "./common.js";

const WORKFORCE = ["total", "women", "migrant", "temporary", "agency"];

/** Fill the choices of a site form from the reference lists. */
export function prepareSiteForm(form, ref) {
  fillSelect(form.elements.country, ref.countries, t("producer.choose_country"));
  fillSelect(form.elements.sector, ref.sectors, t("producer.choose_sector"));
  const goods = form.querySelector("[data-goods]");
  if (goods) initGoods(form, goods, ref.goods);
}

/** The site as the API takes it (the country too where it is fixed, the goods hidden by a search too). */
export function siteValues(form) {
  const data = formValues(form, { keepEmpty: true });
  data.country = textOf(form, "country");
  data.certifications = String(data.certifications || "")
    .split(/[\n,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
  if (form.querySelector("[data-goods]")) data.goods = checkedValues(form, "goods");
  else delete data.goods;
  return data;
}

/** Problems the API would find, found first: whole numbers, no group above the total, few enough goods. */
export function siteProblems(data, form) {
  const problems = {};
  const workforce = data.workforce || {};
  for (const key of WORKFORCE) {
    const value = workforce[key];
    const bad = form.elements[`workforce.${key}`].validity.badInput;
    if (bad || (value !== null && value !== undefined && !(Number.isSafeInteger(value) && value >= 0))) {
      problems[`workforce.${key}`] = t("site_form.whole_number");
    }
  }
  if (Number.isSafeInteger(workforce.total)) {
    for (const key of WORKFORCE.slice(1)) {
      if (workforce[key] > workforce.total && !problems[`workforce.${key}`]) {
        problems[`workforce.${key}`] = t("site_form.not_more_than_total", { total: workforce.total });
      }
    }
  }
  const goods = form.querySelector("[data-goods]");
  const max = goods ? Number(goods.dataset.max) : 0;
  if (goods && data.goods.length > max) problems.goods = t("site_form.too_many_goods", { max });
  return problems;
}

/** Show a stored site in its form. */
export function fillSiteForm(form, site) {
  fillForm(form, { ...site, goods: site.goods || [] });
  const goods = form.querySelector("[data-goods]");
  if (goods) goods.dispatchEvent(new Event("ieh:goods-set"));
}

/**
 * The goods of a site: a checkbox per good (about 160). So that the form stays short and the
 * keyboard does not have to pass 160 boxes, the list shows the goods chosen; typing in the search
 * field shows the goods that match, and a button shows the whole list. Goods hidden this way stay
 * chosen. A line under the list names the goods chosen.
 */
function initGoods(form, list, goods) {
  const filter = form.querySelector("[data-goods-filter]");
  const count = form.querySelector("[data-goods-count]");
  const chosen = form.querySelector("[data-goods-chosen]");
  const all = form.querySelector("[data-goods-all]");
  const names = new Map(goods.map((item) => [item.code, item.name]));
  const total = goods.length;
  let showAll = false;
  fillCheckboxes(list, goods, "goods", "site-good");

  function showChosen() {
    const picked = checkedValues(form, "goods").map((code) => names.get(code) || code);
    chosen.textContent = t("site_form.goods_chosen", { count: picked.length, names: picked.join(", ") });
  }

  /** Which goods the list shows: those that match the search, else all or the chosen ones. */
  function narrow() {
    const words = filter.value.trim().toLocaleLowerCase(locale).split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const choice of list.querySelectorAll(".ieh-choice")) {
      const match = words.length ? words.every((word) => choice.textContent.toLocaleLowerCase(locale).includes(word)) : showAll || choice.querySelector("input").checked;
      choice.hidden = !match;
      if (match) shown += 1;
    }
    list.hidden = shown === 0;
    all.textContent = showAll ? t("site_form.goods_only_chosen") : t("site_form.goods_show_all", { total });
    if (words.length) count.textContent = t("site_form.goods_found", { shown, total });
    else count.textContent = showAll ? t("site_form.goods_all", { total }) : t("site_form.goods_chosen_shown");
  }

  list.addEventListener("change", showChosen);
  list.addEventListener("ieh:goods-set", () => {
    narrow();
    showChosen();
  });
  filter.addEventListener("input", narrow);
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // searching, not sending the form
  });
  all.addEventListener("click", () => {
    showAll = !showAll;
    filter.value = "";
    narrow();
  });
  narrow();
  showChosen();
}
