"""Results on the real Moodle site for `ccm report`: learners play packages in Moodle's own
player, then a teacher downloads each SCORM report and the gradebook over HTTP, as Moodle
writes them, with Moodle's default report options or with every option on.

  ReportCourse.create(site, packages, name)   a course with the activities, a teacher per option set
  play_quiz(site, page, cmid, tries)          one attempt: each try's number of right answers
  play_pathway(site, page, cmid, right)       the quiz module with `right` answers, then the reading module
  download(page, site, cmid, mode, fmt)       one report download (mode basic|interactions|objectives)
  gradebook(page, site, course_id)            Gradebook > Export > Plain text file
  tries_in_database(site, scormid)            what Moodle stored, per learner, attempt and try

The report options are a teacher's user preferences, saved when the report's options form
is posted: `save_options` posts that form as the browser does (sesskey, the form's _qf__
marker and its fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import moodle_player as mp
from .moodle_site import MoodleSite

EXTENSIONS = {"CSV": ".txt", "ODS": ".ods", "Excel": ".xlsx"}
# Every option each report's form has, on (the defaults are: basic not detailed; interactions
# responses only; objectives without scores).
FULL_OPTIONS = {
    "basic": ("mod_scorm_report_settings", {"detailedrep": "1"}),
    "interactions": (
        "mod_scorm_report_interactions_settings",
        {"qtext": "1", "resp": "1", "right": "1", "result": "1"},
    ),
    "objectives": ("mod_scorm_report_objectives_settings", {"objectivescore": "1"}),
}
SAVE_TIMEOUT_S = 30


@dataclass
class Activity:
    unit: str
    edition: str
    cmid: int
    scormid: int


@dataclass
class ReportCourse:
    site: MoodleSite
    course_id: int
    activities: dict[str, Activity] = field(default_factory=dict)  # unit id -> activity

    @classmethod
    def create(
        cls,
        site: MoodleSite,
        packages: Path,
        name: str,
        edition: str,
        units: tuple[str, ...],
        other_package: Path | None = None,
    ) -> ReportCourse:
        """A course holding one activity per unit (named with the unit id), and optionally a SCORM
        activity of another package, which the course source knows nothing about."""
        course = cls(site, site.new_course(name))
        for unit in units:
            settings = ["--completion", "passed", "--forcenewattempt", "oncomplete"]
            made = site.helper(
                "add_scorm",
                "--course",
                course.course_id,
                "--zip",
                packages / edition / f"{unit}.zip",
                "--name",
                unit,
                *settings,
            )
            course.activities[unit] = Activity(unit, edition, int(made["cmid"]), int(made["scormid"]))
        if other_package is not None:
            site.helper("add_scorm", "--course", course.course_id, "--zip", other_package, "--name", "Fire safety")
        return course

    def teacher(self, label: str) -> tuple[str, str]:
        username, password = self.site.new_user(f"teacher{label}", self.course_id)
        self.site.enrol(username, self.course_id, role="editingteacher")
        return username, password


# ------------------------------------------------------------------ learners
def play_quiz(site: MoodleSite, page, cmid: int, tries: tuple[int, ...]) -> None:
    """One attempt of the quiz module: the first try with tries[0] right answers, each retry
    (the results' "Try again", inside the same Moodle attempt) with the next; then finish."""
    frame = site.open_player(page, cmid)
    mp.take_quiz(frame, right=tries[0])
    for right in tries[1:]:
        frame.click("#ccm-results button[data-action=retry]")
        mp.answer_questions(frame, right=right)
    frame.click("#ccm-results button[data-action=exit]")
    frame.locator("#ccm-end:not([hidden])").wait_for()


def play_pathway(site: MoodleSite, page, cmid: int, right: int) -> None:
    """The pathway: its quiz module with `right` answers, then every page of the reading module."""
    frame = site.open_player(page, cmid)
    frame.click("#ccm-menu-open-0")
    mp.take_quiz(frame, right=right)
    frame.get_by_role("button", name="Back to all modules").click()
    frame.click("#ccm-menu-open-1")
    mp.read_pages(frame)
    frame.click("#ccm-next")  # the last page's "Back to all modules"
    frame.locator("#ccm-menu:not([hidden])").wait_for()
    frame.click("button[data-action=exit-pathway]")
    frame.locator("#ccm-end:not([hidden])").wait_for()


def wait_saved(site: MoodleSite, scormid: int, username: str, attempt: int = 1) -> None:
    """Wait until Moodle holds what the learner's leaving wrote in `attempt`: the session time
    (cmi.core.total_time in SCORM 1.2; cmi.session_time in 2004), written on exit after the results."""

    def saved():
        return site.sql(
            """
            SELECT 1 FROM mdl_scorm_attempt a
              JOIN mdl_user u ON u.id = a.userid
              JOIN mdl_scorm_scoes_value v ON v.attemptid = a.id
              JOIN mdl_scorm_element e ON e.id = v.elementid
             WHERE a.scormid = %s AND u.username = %s AND a.attempt = %s
               AND e.element IN ('cmi.core.total_time', 'cmi.session_time', 'cmi.total_time')""",
            (scormid, username, attempt),
        )

    site.wait_until(saved, f"attempt {attempt} of SCORM {scormid} by {username} saved on leaving", SAVE_TIMEOUT_S)


# ------------------------------------------------------------------ teachers
def save_options(page, site: MoodleSite, cmid: int, mode: str) -> None:
    """Post the report's options form with every option on, as the browser does."""
    form_class, fields = FULL_OPTIONS[mode]
    url = f"{site.url}/mod/scorm/report.php?id={cmid}&mode={mode}"
    page.goto(url)
    sesskey = page.evaluate("() => M.cfg.sesskey")
    form = {
        "sesskey": sesskey,
        f"_qf__{form_class}": "1",
        "attemptsmode": "0",
        "pagesize": "100",
        "submitbutton": "Save preferences",
        **fields,
    }
    response = page.context.request.post(url, form=form)
    assert response.ok, f"saving the {mode} report options answered {response.status}"


def download(page, site: MoodleSite, cmid: int, mode: str, fmt: str, folder: Path) -> Path:
    """One report download, saved under the name Moodle gives it (with the extension of its content)."""
    response = page.context.request.get(
        f"{site.url}/mod/scorm/report.php?id={cmid}&mode={mode}&download={fmt}&attemptsmode=0"
    )
    assert response.ok, f"the {mode} {fmt} download answered {response.status}"
    return _save(response, folder, EXTENSIONS[fmt], f"{mode}-{cmid}")


def gradebook(page, site: MoodleSite, course_id: int, folder: Path) -> Path:
    """Gradebook > Export > Plain text file, with the form's defaults (every grade item)."""
    page.goto(f"{site.url}/grade/export/txt/index.php?id={course_id}")
    with page.expect_download() as event:
        page.click("#id_submitbutton")
    name = event.value.suggested_filename
    path = folder / name
    event.value.save_as(path)
    return path


def _save(response, folder: Path, extension: str, fallback: str) -> Path:
    disposition = response.headers.get("content-disposition", "")
    match = re.search(r"filename\*?=(?:UTF-8'')?\"?([^\";]+)", disposition)
    name = Path(match.group(1) if match else fallback).stem
    body = response.body()
    assert body and not body.lstrip().startswith(b"<!DOCTYPE"), f"{name}: Moodle answered a page, not a file"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name.replace('%20', ' ')}{extension}"
    path.write_bytes(body)
    return path


# ------------------------------------------------------------------ what Moodle stored
def tries_in_database(site: MoodleSite, scormid: int) -> dict[tuple[str, int], dict]:
    """{(email, attempt): {"tries": {try: [(interaction id, result)]}, "objectives": {id: {field: value}},
    "elements": {element: value}}} straight from mdl_scorm_attempt / scorm_scoes_value."""
    rows = site.sql(
        """
        SELECT u.email, a.attempt, e.element, v.value FROM mdl_scorm_attempt a
          JOIN mdl_user u ON u.id = a.userid
          JOIN mdl_scorm_scoes_value v ON v.attemptid = a.id
          JOIN mdl_scorm_element e ON e.id = v.elementid
         WHERE a.scormid = %s""",
        (scormid,),
    )
    found: dict[tuple[str, int], dict] = {}
    for row in rows:
        entry = found.setdefault((row["email"], row["attempt"]), {"elements": {}})
        entry["elements"][row["element"]] = row["value"]
    for entry in found.values():
        elements = entry["elements"]
        entry["tries"] = _interactions(elements)
        entry["objectives"] = _objectives(elements)
    return found


def _indexed(elements: dict[str, str], kind: str) -> dict[int, dict[str, str]]:
    """cmi.<kind>_N.field (SCORM 1.2) or cmi.<kind>.N.field (2004) -> {N: {field: value}}."""
    pattern = re.compile(rf"^cmi\.{kind}[._](\d+)\.(.+)$")
    out: dict[int, dict[str, str]] = {}
    for element, value in elements.items():
        match = pattern.match(element)
        if match:
            out.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return out


def _interactions(elements: dict[str, str]) -> dict[int, list[tuple[str, str]]]:
    tries: dict[int, list[tuple[str, str]]] = {}
    for _, fields in sorted(_indexed(elements, "interactions").items()):
        suffix = re.search(r"\.a(\d+)$", fields["id"])
        tries.setdefault(int(suffix.group(1)) if suffix else 1, []).append((fields["id"], fields.get("result", "")))
    return tries


def _objectives(elements: dict[str, str]) -> dict[str, dict[str, str]]:
    return {fields["id"]: fields for fields in _indexed(elements, "objectives").values() if "id" in fields}
