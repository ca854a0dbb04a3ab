/* An audit's record as its producer and its customers read it: the standard (with who publishes it),
 * the report's reference, how it was announced, initial or follow-up, who audited, the rating; and
 * what a finding is about (its clause, or its pillar where the standard has no clause list). */
import { el, link } from "./dom.js";
import { nameOf } from "./format.js";
import { t } from "./i18n.js";
import { fact, formatDay } from "./view.js";

/** "SMETA 7.0 4-pilar (Sedex, versjon 7.0)", linked to the publisher's page when the data names one. */
function standard(audit, ref) {
  const name = nameOf(ref.audit_types, audit.audit_type);
  const about = audit.standard || {};
  const owner = about.owner ? t("audit.standard_owner", { owner: about.owner, version: about.version || "" }) : "";
  const parts = [name, owner ? ` (${owner})` : ""];
  return about.source ? [...parts, " – ", link(about.source, t("audit.standard_source"), { rel: "noopener", "data-standard-source": "" })] : parts;
}

function kind(audit, ref) {
  if (!audit.follows) return t("audit.initial");
  return t("audit.follow_up_of", { audit: nameOf(ref.audit_types, audit.follows.audit_type), date: formatDay(audit.follows.audit_date) });
}

/** The terms and values of the record, for a <dl class="ieh-facts">; what an older record lacks is left out. */
export function recordFacts(audit, ref) {
  return [
    ...fact(t("audit.standard"), el("span", { "data-fact": "standard" }, standard(audit, ref))),
    ...fact(t("audits.reference"), audit.reference),
    ...fact(t("audits.announcement"), audit.announcement ? nameOf(ref.announcements, audit.announcement) : ""),
    ...fact(t("audit.kind"), el("span", { "data-fact": "kind" }, kind(audit, ref))),
    ...fact(t("audits.audit_date"), formatDay(audit.audit_date)),
    ...fact(t("audits.company"), audit.audit_company),
    ...fact(t("audits.lead_auditor"), audit.lead_auditor),
    ...fact(t("audits.ms_rating"), audit.ms_rating ? nameOf(ref.ms_ratings, audit.ms_rating) : ""),
  ];
}

/** The clauses a finding of this audit is classified by ([] for a standard without a clause list). */
export function clausesOf(audit, ref) {
  const type = ref.audit_types.find((item) => item.code === audit.audit_type);
  return type && type.clauses ? ref.clauses.filter((item) => item.scheme === type.clauses) : [];
}

/** "3 Arbeidsforholdene er trygge og hygieniske (Helse og sikkerhet)", or the pillar alone. */
export function findingTopic(finding, ref) {
  const pillar = nameOf(ref.pillars, finding.pillar);
  return finding.clause ? `${nameOf(ref.clauses, finding.clause)} (${pillar})` : pillar;
}
