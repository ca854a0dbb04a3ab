/* Who an audit comes from, and what the producer said about it: the "uploaded by" line every audit
 * page shows (the producer's, the audit company's, a customer's) and the producer's comments and
 * disputes, each with who wrote it and when. */
import { el } from "./dom.js";
import { formatDateTime } from "./format.js";
import { t } from "./i18n.js";

/** "Lastet opp av Nordic Audit AS, ledende revisor Sofie Lind (APSCA 21700123)" or "Lastet opp av produsenten". */
export function uploadedByText(uploadedBy) {
  const source = uploadedBy || {};
  if (source.kind !== "audit_company") return t("audit_source.producer");
  const lead = source.lead_auditor || {};
  const params = { company: source.organisation || "", auditor: lead.name || "", apsca: lead.apsca || "" };
  return t(lead.apsca ? "audit_source.company_apsca" : "audit_source.company", params);
}

/** The uploaded-by line with the company's accreditation beneath it, as a <p>. */
export function uploadedByLine(uploadedBy, attributes = {}) {
  const source = uploadedBy || {};
  return el("p", { class: "ieh-audit-source", "data-uploaded-by": source.kind || "producer", ...attributes }, [
    el("strong", {}, uploadedByText(source)),
    source.accreditation ? el("span", { class: "ieh-muted" }, [" – ", t("audit_source.accreditation", { accreditation: source.accreditation })]) : null,
  ]);
}

/** The remarks (all, or only those about one finding) as a list; null when there are none. */
export function remarkList(remarks, findingId = null) {
  const chosen = (remarks || []).filter((remark) => (findingId ? remark.finding_id === findingId : !remark.finding_id));
  if (!chosen.length) return null;
  return el(
    "ul",
    { class: "ieh-remarks", "data-remarks": findingId ? "dispute" : "comment" },
    chosen.map((remark) =>
      el("li", { class: "ieh-remark", "data-remark-kind": remark.kind }, [
        el("p", { class: "ieh-remark__who" }, [
          el("strong", {}, t(remark.kind === "dispute" ? "audit_source.disputed" : "audit_source.commented")),
          " ",
          t("audit_source.by", { name: remark.by || "", organisation: remark.organisation || "", when: formatDateTime(remark.at) }),
        ]),
        el("p", { class: "ieh-remark__text" }, remark.text || ""),
      ]),
    ),
  );
}
