"""`ccm report`: learner results (LRS, statement files, Moodle exports) -> a learner x competency matrix.

`build_report(course, ReportOptions(...))` reads every input and returns a `Report`;
`ccm_scorm.report.outputs` writes it as CSV, JSON, XLSX and HTML. Bad input raises
`ReportError` with a message that says what to check and the exit code to use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EXIT_STRICT
from ..model import Course
from .catalogue import Catalogue
from .errors import EXIT_USAGE, ReportError
from .learners import LearnerResolver, RosterEntry, read_mapping, read_roster
from .lrs import LrsClient, read_lrs
from .matrix import ACHIEVED, ATTEMPTED, DEFAULT_RULE, NOT_ASSESSED, NOT_STARTED, RULES, STATUSES, Matrix
from .moodle import ModuleMap, MoodleReader
from .xapi import StatementReader, iter_statement_file

__all__ = ["ReportOptions", "Report", "ReportError", "build_report", "RULES", "DEFAULT_RULE"]


@dataclass
class ReportOptions:
    statements: tuple[Path, ...] = ()
    moodle: tuple[Path, ...] = ()
    moodle_modules: tuple[str, ...] = ()
    lrs_url: str | None = None
    lrs_auth: str | None = None
    lrs_timeout: float = 300  # seconds for the whole LRS read
    lrs_insecure: bool = False  # allow plain http to a non-loopback LRS
    lrs_page_size: int = 500
    since: str | None = None
    match: str = "email"
    learner_map: Path | None = None
    roster: Path | None = None
    rule: str = DEFAULT_RULE
    timezone: str = "Europe/London"
    as_of: dt.date | None = None
    pathways: tuple[str, ...] = ()  # limit the pathway view to these; () means every pathway
    strict: bool = False  # evidence that could not be used is an error (EXIT_STRICT), not a note
    moodle_site: str | None = None  # read the course's results live from this Moodle site...
    moodle_course: int | None = None  # ...this course of it
    moodle_token: str | None = None  # from the environment (CCM_MOODLE_TOKEN), never an option
    moodle_insecure: bool = False  # allow plain http to a non-loopback Moodle site


@dataclass
class PathwayRow:
    pathway_id: str
    learner: str
    state: str  # completed | part-way | not started
    modules_left: list[str]
    issued: dt.date | None = None
    days_since_issue: int | None = None
    missing: bool = False  # on the roster, and no result at all in any source


@dataclass
class Report:
    course: Course
    catalogue: Catalogue
    matrix: Matrix
    resolver: LearnerResolver
    options: ReportOptions
    roster: list[RosterEntry] = field(default_factory=list)
    as_of: dt.date = field(default_factory=dt.date.today)

    @property
    def notes(self):
        return self.matrix.notes

    def learner_keys(self) -> list[str]:
        keys = list(self.matrix.learners)
        return sorted(keys, key=lambda k: (self.person(k)[0].casefold() or k, k))

    def person(self, key: str) -> tuple[str, str, str]:
        name, email, user_id = self.resolver.people.get(key, ["", "", ""])
        return name, email, user_id

    def competency_summary(self) -> list[dict]:
        counts = {cid: dict.fromkeys(STATUSES, 0) for cid in self.catalogue.competency_ids}
        for key in self.matrix.learners:
            for cid, view in zip(self.catalogue.competency_ids, self.matrix.row(key), strict=False):
                counts[cid][view.status] += 1
        total = len(self.matrix.learners)
        rows = []
        for cid in self.catalogue.competency_ids:
            c = counts[cid]
            rows.append(
                {
                    "competency": cid,
                    "title": self.course.framework.competency(cid).title,
                    "learners": total,
                    "achieved": c[ACHIEVED],
                    "attempted": c[ATTEMPTED],
                    "not_assessed": c[NOT_ASSESSED],
                    "not_started": c[NOT_STARTED],
                    "percent_achieved": round(100 * c[ACHIEVED] / total, 1) if total else 0.0,
                    "modules": list(self.catalogue.mapped[cid]),
                }
            )
        return rows

    def pathway_rows(self) -> list[PathwayRow]:
        rows = []
        roster: dict[str, list] = {}
        for entry in self.roster:
            roster.setdefault(entry.key, []).append(entry)
        chosen = set(self.options.pathways)
        for pathway in self.course.pathways:
            if chosen and pathway.id not in chosen:
                continue
            modules = [m for m in pathway.module_ids if m in self.catalogue.module_index]
            for key in self.learner_keys():
                entries = [e for e in roster.get(key, []) if not e.pathway or e.pathway == pathway.id]
                if self.roster and not entries and key in roster:
                    continue  # on the roster for other pathways only
                done = [m for m in modules if self.matrix.module_status(key, m) == 2]
                touched = [m for m in modules if self.matrix.module_status(key, m) >= 1]
                left = [m for m in modules if m not in done]
                state = "completed" if modules and not left else "part-way" if touched else "not started"
                issued = min((e.issued for e in entries if e.issued), default=None)
                record = self.matrix.learners.get(key)
                rows.append(
                    PathwayRow(
                        pathway.id,
                        key,
                        state,
                        left if state != "not started" else modules,
                        issued,
                        (self.as_of - issued).days if issued else None,
                        bool(entries) and (record is None or not record.cells),
                    )
                )
        return rows


def read_moodle_site(options: ReportOptions, reader: MoodleReader) -> None:
    from .moodle_ws import TOKEN_VARIABLE, MoodleSiteClient, read_course, token_from_environment

    if options.moodle_course is None:
        raise ReportError(
            "--moodle-site needs --moodle-course ID (the number in the course page's address, course/view.php?id=ID)",
            EXIT_USAGE,
        )
    token = options.moodle_token or token_from_environment()
    if not token:
        raise ReportError(
            f"no Moodle token: set {TOKEN_VARIABLE} in the environment (a web-service token; "
            "docs/report.md says which functions and capabilities it needs); it is never taken "
            "from the command line",
            EXIT_USAGE,
        )
    assert options.moodle_site, "build_report reads a Moodle site only when one was given"
    client = MoodleSiteClient(options.moodle_site, token, timeout=options.lrs_timeout, insecure=options.moodle_insecure)
    try:
        read_course(client, options.moodle_course, reader)
    finally:
        client.http.close()


def build_report(course: Course, options: ReportOptions) -> Report:
    if not (options.statements or options.moodle or options.lrs_url or options.moodle_site):
        raise ReportError(
            "nothing to report on: give --lrs URL, --statements FILE, --moodle FILE or "
            "--moodle-site URL --moodle-course ID (any mix, each as often as needed)",
            EXIT_USAGE,
        )
    if options.rule not in RULES:
        raise ReportError(f"unknown rule {options.rule!r}: use one of {', '.join(RULES)}", EXIT_USAGE)
    unknown = [p for p in options.pathways if p not in {pathway.id for pathway in course.pathways}]
    if unknown:
        raise ReportError(
            f"unknown pathway '{unknown[0]}': the course has "
            f"{', '.join(p.id for p in course.pathways) or 'no pathways'}",
            EXIT_USAGE,
        )
    catalogue = Catalogue(course)
    mapping = read_mapping(options.learner_map) if options.learner_map else None
    resolver = LearnerResolver(options.match, mapping)
    matrix = Matrix(catalogue, options.rule)
    report = Report(course, catalogue, matrix, resolver, options, as_of=options.as_of or dt.date.today())
    if options.roster:
        report.roster = read_roster(options.roster, resolver, {p.id for p in course.pathways})
        for entry in report.roster:
            matrix.learner(entry.key)
    if options.moodle or options.moodle_site:
        reader = MoodleReader(
            catalogue, matrix, resolver, ModuleMap(catalogue, options.moodle_modules), options.timezone
        )
        for path in options.moodle:
            reader.read(Path(path))
        if options.moodle_site:
            read_moodle_site(options, reader)
        reader.finish()
    statements = StatementReader(catalogue, matrix, resolver)
    for path in options.statements:
        statements.read(iter_statement_file(Path(path)), f"statements file {Path(path).name}")
    if options.lrs_url:
        if not options.lrs_auth:
            raise ReportError(
                "no LRS credentials: set CCM_LRS_AUTH (or CCM_LRS_USERNAME and CCM_LRS_PASSWORD) "
                "in the environment; they are never taken from the command line",
                EXIT_USAGE,
            )
        client = LrsClient(
            options.lrs_url,
            options.lrs_auth,
            timeout=options.lrs_timeout,
            page_size=options.lrs_page_size,
            insecure=options.lrs_insecure,
        )
        read_lrs(client, statements, options.since)
        matrix.notes.count(matrix.notes.read, "LRS pages", client.pages)
    if resolver.unmatched:
        matrix.notes.drop(
            f"records without a {options.match} to match the learner by (use --match or --learner-map)",
            n=resolver.unmatched,
        )
    if options.strict and matrix.notes.problems():
        raise ReportError(
            "--strict: some of the evidence could not be used: " + "; ".join(matrix.notes.problems()), EXIT_STRICT
        )
    matrix.notes.close()
    return report
