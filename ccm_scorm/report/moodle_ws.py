"""Live from Moodle: `ccm report --moodle-site URL --moodle-course ID`, through Moodle's REST web services.

For the course: its SCORM activities (`mod_scorm_get_scorms_by_courses`) and their SCOs
(`mod_scorm_get_scorm_scoes`), its enrolled users (`core_enrol_get_enrolled_users`), and for
every learner and activity the number of attempts (`mod_scorm_get_scorm_attempt_count`) and
each attempt's tracks per SCO (`mod_scorm_get_scorm_sco_tracks`): everything the package
stored, including the objective values and SCORM 2004 interactions that Moodle's downloads
leave out. The tracks go into the same per-attempt evidence as the downloads (moodle.py).
Moodle's own competency ratings in the course (`core_competency_list_course_competencies`,
`tool_lp_data_for_user_competency_summary_in_course`) are read when the token may, and
counted in the notes.

The token comes from the environment (CCM_MOODLE_TOKEN), never from an option.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import urllib.parse
from typing import Any

from ..http import HttpClient, HttpError, address_problem
from .errors import EXIT_LRS, EXIT_USAGE, ReportError
from .learners import Identity
from .matrix import iso_utc
from .moodle import MoodleReader

TOKEN_VARIABLE = "CCM_MOODLE_TOKEN"
REST_PATH = "webservice/rest/server.php"
UNMATCHED_ACTIVITY = (
    "SCORM activities of the Moodle course that match no module or pathway (name them with "
    "--moodle-module 'ACTIVITY=ID')"
)
# What each function needs (mod/scorm/db/services.php, lib/db/services.php): docs/report.md repeats it.
CAPABILITIES = {
    "mod_scorm_get_scorms_by_courses": "mod/scorm:view",
    "mod_scorm_get_scorm_scoes": "mod/scorm:view",
    "mod_scorm_get_scorm_attempt_count": "mod/scorm:viewreport (for other users' attempts)",
    "mod_scorm_get_scorm_sco_tracks": "mod/scorm:viewreport (for other users' tracks)",
    "core_enrol_get_enrolled_users": "moodle/course:viewparticipants (and moodle/course:useremail for emails)",
}


def flatten(params: dict, prefix: str = "") -> list[tuple[str, str]]:
    """Moodle's REST encoding of nested parameters: courseids[0]=2."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, dict):
            pairs += flatten(value, name)
        elif isinstance(value, (list, tuple)):
            pairs += flatten(dict(enumerate(value)), name)
        elif isinstance(value, bool):
            pairs.append((name, "1" if value else "0"))
        else:
            pairs.append((name, str(value)))
    return pairs


class MoodleSiteClient:
    """Calls of web-service functions on one Moodle site with one token."""

    def __init__(self, url: str, token: str, *, timeout: float = 300, insecure: bool = False):
        base = url.rstrip("/") + "/"
        problem = address_problem(base, "--moodle-site", "https://moodle.example.org", insecure)
        if problem:
            raise ReportError(problem, EXIT_USAGE)
        self.endpoint = base + REST_PATH + "?moodlewsrestformat=json"
        self.site = base
        self.token = token
        self.http = HttpClient(base, "", seconds=timeout, insecure=insecure)
        self.calls = 0

    def call(self, function: str, **params: Any) -> Any:
        body = urllib.parse.urlencode([("wstoken", self.token), ("wsfunction", function)] + flatten(params))
        self.calls += 1
        try:
            with self.http.request(
                "POST",
                self.endpoint,
                content=body.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ) as answer:
                status, raw = answer.status, answer.body.read()
        except HttpError as error:
            raise ReportError(
                f"the Moodle site {self.site} could not be read ({function}): {error}", EXIT_LRS
            ) from None
        if status != 200:
            raise ReportError(
                f"the Moodle site {self.site} answered {status} to {function}: check --moodle-site is "
                "the site's address (the page you log in at, without /login/...)",
                EXIT_LRS,
            )
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ReportError(
                f"the Moodle site {self.site} did not answer {function} with JSON: is web services' "
                "REST protocol on (Site administration > Server > Web services)?",
                EXIT_LRS,
            ) from None
        if isinstance(data, dict) and "exception" in data:
            raise ReportError(self._refusal(function, data), EXIT_LRS)
        return data

    def _refusal(self, function: str, data: dict) -> str:
        code = data.get("errorcode", "")
        text = f"the Moodle site refused {function}: {code}: {data.get('message', '')}"
        if code in ("invalidtoken", "invalidlogin"):
            return text + f" (check {TOKEN_VARIABLE})"
        if code in ("accessexception", "servicenotavailable", "webservicenotavailable"):
            return text + f" (the token's service must include {function})"
        if code in ("nopermissions", "requireloginerror", "notingroup") or "capability" in code:
            needed = CAPABILITIES.get(function, "the capability named")
            return text + f" (the token's user needs {needed} in the course)"
        return text


def token_from_environment(environ=os.environ) -> str | None:
    return environ.get(TOKEN_VARIABLE, "").strip() or None


# ------------------------------------------------------------------ the course
def read_course(client: MoodleSiteClient, course_id: int, reader: MoodleReader) -> None:
    """Every learner's every attempt of every SCORM activity of the course, into `reader`."""
    learners = _learners(client, course_id, reader)
    found = client.call("mod_scorm_get_scorms_by_courses", courseids=[course_id]).get("scorms", [])
    notes = reader.notes
    bit = reader.matrix.source(f"Moodle site {client.site} course {course_id}")
    for scorm in found:
        scos = [
            s
            for s in client.call("mod_scorm_get_scorm_scoes", scormid=scorm["id"]).get("scoes", [])
            if s.get("scormtype") == "sco"
        ]
        for sco in scos:
            unit, _ = reader.module_map.find(sco.get("title", ""))
            if unit is None:
                unit, _ = reader.module_map.find(scorm.get("name", ""))
            if unit is None:
                notes.drop(UNMATCHED_ACTIVITY, f"{scorm.get('name')} (SCO {sco.get('title')!r})")
                continue
            for user_id, key in learners.items():
                _read_attempts(client, reader, scorm, sco, unit, user_id, key, bit)
    notes.count(notes.read, f"Moodle site {client.site} course {course_id} (web-service calls)", client.calls)
    _competency_ratings(client, course_id, learners, reader)


def _learners(client: MoodleSiteClient, course_id: int, reader: MoodleReader) -> dict[int, str]:
    """Enrolled users with a student role: Moodle user id -> matrix key."""
    users = client.call("core_enrol_get_enrolled_users", courseid=course_id)
    learners = {}
    for user in users:
        roles = {role.get("shortname") for role in user.get("roles", [])}
        if roles and "student" not in roles:
            continue
        who = Identity(
            email=user.get("email", ""),
            user_id=user.get("idnumber") or user.get("username", ""),
            name=user.get("fullname", ""),
        )
        key = reader.resolver.key(who)
        if key is None:
            continue  # counted by the resolver, reported with the other unmatched records
        reader.matrix.learner(key)
        learners[int(user["id"])] = key
    return learners


def _read_attempts(
    client, reader: MoodleReader, scorm: dict, sco: dict, unit: str, user_id: int, key: str, bit: int
) -> None:
    # ignoremissingcompletion=1 would leave out the attempts that have no score yet
    count = client.call(
        "mod_scorm_get_scorm_attempt_count", scormid=scorm["id"], userid=user_id, ignoremissingcompletion=0
    ).get("attemptscount", 0)
    for number in range(1, int(count) + 1):
        data = client.call("mod_scorm_get_scorm_sco_tracks", scoid=sco["id"], userid=user_id, attempt=number)
        tracks = {t["element"]: t["value"] for t in data.get("data", {}).get("tracks", [])}
        if tracks:
            apply_tracks(reader, key, unit, f"scorm {scorm['id']} sco {sco['id']}", number, tracks, bit)


def apply_tracks(
    reader: MoodleReader, key: str, unit: str, activity: str, number: int, tracks: dict[str, str], bit: int
) -> None:
    """One attempt's stored elements (either SCORM edition) as evidence of `unit`."""
    when = _when(tracks.get("timemodified"))
    attempt = reader.attempt(key, unit, activity, number, bit, when)
    score = tracks.get("cmi.core.score.raw", tracks.get("cmi.score.raw", ""))
    if reader._number(score) is not None:
        attempt.score = reader._number(score)
    success = tracks.get("cmi.success_status", "")
    status = (
        tracks.get("cmi.core.lesson_status")
        or (success if success in ("passed", "failed") else "")
        or tracks.get("cmi.completion_status", "")
    )
    attempt.status = status.lower() or None
    where = f"Moodle attempt {number} of {activity}"
    for fields in _indexed(tracks, "interactions").values():
        if fields.get("id"):
            reader.answer(attempt, fields["id"], fields.get("result"), where)
    for fields in _indexed(tracks, "objectives").values():
        if not fields.get("id"):
            continue
        result = fields.get("status") or (
            fields.get("success_status")
            if fields.get("success_status") in ("passed", "failed")
            else fields.get("completion_status", "")
        )
        reader.objective(attempt, fields["id"], (result or "").lower(), reader._number(fields.get("score.raw", "")))


def _indexed(tracks: dict[str, str], kind: str) -> dict[int, dict[str, str]]:
    """cmi.<kind>_N.field (SCORM 1.2) or cmi.<kind>.N.field (2004) -> {N: {field: value}}."""
    pattern = re.compile(rf"^cmi\.{kind}[._](\d+)\.(.+)$")
    out: dict[int, dict[str, str]] = {}
    for element, value in tracks.items():
        match = pattern.match(element)
        if match:
            out.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return out


def _when(unix: str | None) -> str | None:
    try:
        return iso_utc(dt.datetime.fromtimestamp(int(unix), dt.UTC)) if unix else None
    except (TypeError, ValueError, OverflowError):
        return None


def _competency_ratings(
    client: MoodleSiteClient, course_id: int, learners: dict[int, str], reader: MoodleReader
) -> None:
    """Moodle's own ratings (proficient or not) of the course's competencies, as a note: they rest on
    Moodle's activity completion rules, not on the learners' answers, so they are not evidence here."""
    try:
        linked = client.call("core_competency_list_course_competencies", id=course_id)
    except ReportError as error:
        reader.notes.say(f"Moodle's competency ratings were not read: {error}")
        return
    proficient = rated = 0
    for item in linked:
        competency = item.get("competency", {})
        for user_id in learners:
            summary = client.call(
                "tool_lp_data_for_user_competency_summary_in_course",
                userid=user_id,
                competencyid=competency.get("id"),
                courseid=course_id,
            )
            course_rating = summary.get("usercompetencysummary", {}).get("usercompetencycourse") or {}
            if course_rating.get("grade"):
                rated += 1
                proficient += bool(course_rating.get("proficiency"))
    if linked:
        reader.notes.say(
            f"Moodle itself rated {rated} learner competencies in course {course_id} "
            f"({proficient} proficient), from its activity completion rules"
        )
