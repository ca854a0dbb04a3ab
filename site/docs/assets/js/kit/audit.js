/* An audit's record as its producer and its customers read it: the standard (with who publishes it),
 * the report's reference, how it was announced, initial or follow-up, who audited, the rating; and
 * what a finding is about (its clause, or its pillar where the standard has no clause list). */
import { byId, el, fillSelect, link } from "./dom.js";
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
    ...fact(t("audit.version"), Number(audit.revision) > 1 ? el("span", { "data-fact": "version" }, t("audit.version_of", { number: audit.revision })) : ""),
  ];
}

const CHANGED = {
  audit_type: "audits.type",
  reference: "audits.reference",
  announcement: "audits.announcement",
  follows: "audit.kind",
  audit_date: "audits.audit_date",
  audit_company: "audits.company",
  lead_auditor: "audits.lead_auditor",
  ms_rating: "audits.ms_rating",
  pillars: "audits.pillars",
};

/** A stored value of the record (codes, a date, a followed audit) as a reader reads it. */
function valueText(name, value, ref) {
  if (name === "follows") return kind({ follows: value }, ref);
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return "–";
  if (name === "audit_type") return nameOf(ref.audit_types, value);
  if (name === "announcement") return nameOf(ref.announcements, value);
  if (name === "ms_rating") return nameOf(ref.ms_ratings, value);
  if (name === "audit_date") return formatDay(value);
  if (name === "pillars") return value.map((code) => nameOf(ref.pillars, code)).join(", ");
  return String(value);
}

/** The corrections made after a customer had seen the audit, newest first: "Versjon 2, rettet …: why", and what changed. */
export function historyItems(audit, ref) {
  return (audit.corrections || []).map((correction) =>
    el("li", { "data-version": String(correction.number) }, [
      el("p", {}, t("audit.version_line", { number: correction.number, date: formatDay(String(correction.corrected_at).slice(0, 10)), note: correction.note })),
      el(
        "ul",
        { class: "ieh-history__changes" },
        (correction.changes || []).map((change) =>
          el("li", {}, `${t(CHANGED[change.field] || "audit.changed_field")}: ${valueText(change.field, change.before, ref)} → ${valueText(change.field, change.after, ref)}`),
        ),
      ),
    ]),
  );
}

/** The clauses a finding of this audit is classified by ([] for a standard without a clause list). */
export function clausesOf(audit, ref) {
  const type = ref.audit_types.find((item) => item.code === audit.audit_type);
  return type && type.clauses ? ref.clauses.filter((item) => item.scheme === type.clauses) : [];
}

/** A finding form's grade, clause and pillar choices for its audit: a standard with a clause list
 * (SMETA) classifies by clause, and the clause names the pillar; any other by pillar. `fields` are
 * the ids of the clause's and the pillar's field groups. */
export function offerFindingChoices(form, audit, ref, fields) {
  fillSelect(form.elements.grade, ref.grades, t("audit.choose_grade"));
  const clauses = clausesOf(audit, ref);
  fillSelect(form.elements.clause, clauses, t("audit.choose_clause"));
  fillSelect(form.elements.pillar, ref.pillars, t("audit.choose_pillar"));
  byId(fields.clause).hidden = clauses.length === 0;
  byId(fields.pillar).hidden = clauses.length > 0;
}

/** "3 Arbeidsforholdene er trygge og hygieniske (Helse og sikkerhet)", or the pillar alone. */
export function findingTopic(finding, ref) {
  const pillar = nameOf(ref.pillars, finding.pillar);
  if (!finding.clause) return pillar;
  const clause = nameOf(ref.clauses, finding.clause);
  return clause.toLowerCase().endsWith(pillar.toLowerCase()) ? clause : `${clause} (${pillar})`; // not "10C Miljø (Miljø)"
}
