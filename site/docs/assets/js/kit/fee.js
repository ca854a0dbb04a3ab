/* A membership fee in words ({basis, annual_fee_nok, min_nok, max_nok, first_year_share,
 * first_year_fee_nok, note, year, source}, as the fee quote and an application give it). */
import { el } from "./dom.js";
import { formatNok, formatNokRange, formatPercent } from "./format.js";
import { t } from "./i18n.js";

const SHARES = { 0.5: "half", 0.25: "quarter" }; // joining after 1 July, after 1 October

/** One line: the annual fee (or its range), and what the first year costs when it is a share. */
export function describeFee(fee) {
  const exact = fee.basis !== "range" && typeof fee.annual_fee_nok === "number";
  const amount = exact ? formatNok(fee.annual_fee_nok) : formatNokRange(fee.min_nok, fee.max_nok);
  let line = t("fee.annual", { amount, basis: exact ? fee.basis : "range" });
  const share = Number(fee.first_year_share);
  if (share > 0 && share < 1) {
    const parts = { percent: formatPercent(share), when: t("fee.when", { share: SHARES[share] || "other" }) };
    if (typeof fee.first_year_fee_nok === "number") line += t("fee.this_year", { ...parts, amount: formatNok(fee.first_year_fee_nok) });
    else line += t("fee.this_year_share", parts);
  }
  return line;
}

/** The fee in `container`: the amount line, then the note (which names the rates' year) and a link
 * to the source. */
export function renderFee(container, fee) {
  container.replaceChildren(el("p", { class: "ieh-fee__amount" }, describeFee(fee)));
  const details = el("p", { class: "ieh-fee__note" });
  if (fee.note) details.append(`${fee.note} `);
  if (typeof fee.source === "string" && /^https?:\/\//.test(fee.source)) {
    details.append(el("a", { href: fee.source, rel: "noopener" }, t("fee.source")));
  }
  if (details.childNodes.length) container.append(details);
}
