/* A membership fee in one line: the annual fee (or its range) and what is due in the first year. */
import { formatNok, formatNokRange, formatPercent } from "./format.js";
import { t } from "./i18n.js";

const JOINED_LATE = { 0.5: "half", 0.25: "quarter" }; // the share of the first year's fee → when it applies

/** "Årskontingent: kr 12 000 · I år: kr 6 000 (50 % ved innmelding etter 1. juli)" from the API's fee. */
export function describeFee(fee) {
  const hasAmount = fee.basis !== "range" && typeof fee.annual_fee_nok === "number";
  const amount = hasAmount ? formatNok(fee.annual_fee_nok) : formatNokRange(fee.min_nok, fee.max_nok);
  const line = t("fee.annual", { amount, basis: hasAmount ? fee.basis : "range" });
  const share = Number(fee.first_year_share);
  if (!(share > 0 && share < 1)) return line;
  const when = t(`fee.when.${JOINED_LATE[share] || "other"}`);
  const percent = formatPercent(share);
  const firstYear = typeof fee.first_year_fee_nok === "number"
    ? t("fee.this_year", { amount: formatNok(fee.first_year_fee_nok), percent, when })
    : t("fee.this_year_share", { percent, when });
  return `${line} · ${firstYear}`;
}
