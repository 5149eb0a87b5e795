"""`ccm build --target moodle` against the real Moodle 5.1 site of ../shared/clients/moodle.

The course backups are built with the real CLI, restored with the kit's restore_course.php
(Moodle's own restore controller, as admin/cli/restore_backup.php), and everything is read back
from Moodle's database: what Moodle made of the backup, never what the build says it wrote.

- The bundled catalogue: every activity has the settings docs/lms-moodle-esr.md recommends,
  SCO rows equal to those Moodle's own SCORM parser makes from the same package, and links to
  the competencies its module evidences with "Complete the competency".
- A small course written here (a quiz module whose title needs escaping, a module without a
  quiz, one pathway) is restored from its pathway backup and played in Moodle's own player:
  activity completion, grades, competency ratings and course completion.
- Restored without its framework on the site, the course keeps its activities and loses every
  competency link (what the build's warning says).
- Two builds are byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from support.paths import REPO_ROOT
from support.scorm_helpers import read_pages, take_quiz

from ccm_scorm.cli import main
from ccm_scorm.source import load_course

CATALOGUE = REPO_ROOT / "modules"
COMPLETION_TASK = r"\core\task\completion_regular_task"

# Moodle's own values (mod/scorm/locallib.php, lib/completionlib.php, competency classes).
GRADE_HIGHEST = 1  # grademethod: highest grade of the learning objects
HIGHEST_ATTEMPT = 0  # whatgrade
UNLIMITED = 0  # maxattempt
NEW_ATTEMPT_WHEN_FINISHED = 1  # forcenewattempt: "When previous attempt completed, passed or failed"
STATUS_PASSED, STATUS_COMPLETED = 2, 4  # completionstatusrequired
COMPLETION_AUTOMATIC = 2  # course_modules.completion
COMPLETE_THE_COMPETENCY = 3  # competency_modulecomp.ruleoutcome

FRAMEWORK = """\
id: {framework}
title: Moodle course test framework
version: "1.0.0"
description: Competencies of the Moodle course tests.
provenance: Written for the test suite.
base_iri: https://ccm-scorm.example.org/moodle-course-test/
audience: [Care navigator]
domains:
  - id: {framework}.skills
    title: Skills
    description: Skills.
    competencies:
      - id: {framework}.listening
        title: Listening
        description: Listens first.
      - id: {framework}.speaking-up
        title: Speaking up
        description: Speaks up for the person.
      - id: {framework}.boundaries
        title: Boundaries
        description: Keeps to the role.
"""

LISTENING = """\
id: listening
version: "1.0.0"
title: "Listening & <speaking> up"
summary: Listening first, then speaking up.
competencies: [{framework}.listening, {framework}.speaking-up]
audience: [Care navigator]
minutes: 5
outcomes:
  - Ask an open question.
pass_mark: 80
attempts: 0
"""

LISTENING_QUIZ = """\
questions:
  - id: q1-open
    type: single
    prompt: Which question is open?
    options:
      - text: Are you well?
      - text: What matters to you?
        correct: true
    feedback: Open questions let the person lead.
  - id: q2-advocate
    type: true-false
    competency: {framework}.speaking-up
    prompt: An advocate makes decisions for the person.
    answer: false
    feedback: An advocate helps the person to be heard.
"""
RIGHT_ANSWERS = {"q1-open": ["b"], "q2-advocate": [False]}

BOUNDARIES = """\
id: boundaries
version: "1.0.0"
title: Keeping to your role
summary: What a volunteer does and does not do.
competencies: [{framework}.boundaries]
audience: [Volunteer]
minutes: 5
outcomes:
  - Say what is outside the role.
pass_mark: 80
attempts: 0
"""

EXTRA = BOUNDARIES.replace("id: boundaries", "id: extra").replace("Keeping to your role", "An extra module")

PATHWAY = """\
id: first-steps
title: First steps
description: Listening, then the role's limits.
audience: [Volunteer]
modules: [listening, boundaries]
"""

PAGE = "# {title}\n\nListen first; then say what you can and cannot do.\n"


def write_source(root: Path, framework: str) -> Path:
    files = {
        "course.yaml": "title: Moodle course test\n",
        "framework.yaml": FRAMEWORK,
        "listening/module.yaml": LISTENING,
        "listening/pages/01-listen.md": PAGE.replace("{title}", "Listen"),
        "listening/pages/02-speak.md": PAGE.replace("{title}", "Speak up"),
        "listening/quiz.yaml": LISTENING_QUIZ,
        "boundaries/module.yaml": BOUNDARIES,
        "boundaries/pages/01-role.md": PAGE.replace("{title}", "Your role"),
        "boundaries/pages/02-limits.md": PAGE.replace("{title}", "Its limits"),
        "extra/module.yaml": EXTRA,
        "extra/pages/01-extra.md": PAGE.replace("{title}", "Extra"),
        "pathways/first-steps.yaml": PATHWAY,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("{framework}", framework), encoding="utf-8")
    return root


def ccm(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stderr


def build_moodle(source: Path, out: Path) -> str:
    """`ccm build --target moodle`; its warnings (stderr)."""
    return ccm("build", source, "--target", "moodle", "--out", out, "--force")


def import_framework(moodle, source: Path, folder: Path) -> dict:
    csv = folder / "framework.csv"
    ccm("framework", "export", source, "--format", "moodle-csv", "--out", csv)
    return moodle.helper("import_framework", "--csv", csv)


def restore(moodle, backup: Path) -> int:
    return int(moodle.helper("restore_course", "--file", backup)["courseid"])


def restore_with_moodles_cli(moodle, backup: Path) -> int:
    """admin/cli/restore_backup.php, as docs/moodle-course.md tells administrators to run it."""
    output = moodle.cli("restore_backup.php", f"--file={backup}", "--categoryid=1")
    found = re.search(r"Restored course ID: (\d+)", output)
    assert found, output
    return int(found.group(1))


def scorm_activities(moodle, course_id: int) -> list[dict]:
    return moodle.sql(
        "SELECT s.*, cm.id AS cmid, cm.completion, cm.completionview, cm.completionpassgrade,"
        "       cm.idnumber AS cmidnumber, cs.name AS sectionname"
        "  FROM mdl_scorm s"
        "  JOIN mdl_course_modules cm ON cm.instance = s.id"
        "  JOIN mdl_modules m ON m.id = cm.module AND m.name = 'scorm'"
        "  JOIN mdl_course_sections cs ON cs.id = cm.section"
        " WHERE s.course = %s ORDER BY cs.section, cm.id",
        (course_id,),
    )


def module_links(moodle, cmid: int) -> dict[str, int]:
    rows = moodle.sql(
        "SELECT c.idnumber, f.idnumber AS framework, mc.ruleoutcome FROM mdl_competency_modulecomp mc"
        "  JOIN mdl_competency c ON c.id = mc.competencyid"
        "  JOIN mdl_competency_framework f ON f.id = c.competencyframeworkid"
        " WHERE mc.cmid = %s",
        (cmid,),
    )
    return {f"{row['framework']}/{row['idnumber']}": row["ruleoutcome"] for row in rows}


def sco_rows(moodle, scorm_id: int) -> list[tuple]:
    """A SCORM activity's scorm_scoes rows and their scorm_scoes_data, without database ids."""
    scoes = moodle.sql(
        "SELECT id, manifest, organization, parent, identifier, launch, scormtype, title"
        "  FROM mdl_scorm_scoes WHERE scorm = %s ORDER BY sortorder, id",
        (scorm_id,),
    )
    rows = []
    for sco in scoes:
        data = moodle.sql("SELECT name, value FROM mdl_scorm_scoes_data WHERE scoid = %s ORDER BY name", (sco["id"],))
        rows.append(
            (
                sco["manifest"],
                sco["organization"],
                sco["parent"],
                sco["identifier"],
                sco["launch"],
                sco["scormtype"],
                sco["title"],
                tuple((d["name"], d["value"]) for d in data),
            )
        )
    return rows


# ------------------------------------------------------------------ the bundled catalogue
@pytest.fixture(scope="module")
def catalogue_course(moodle, tmp_path_factory):
    """The catalogue's course backup restored into the site, with the framework imported first."""
    folder = tmp_path_factory.mktemp("moodle-catalogue")
    warnings = build_moodle(CATALOGUE, folder / "out")
    import_framework(moodle, CATALOGUE, folder)
    course = load_course(CATALOGUE)
    backup = folder / "out" / "moodle" / "coordinated-care-catalogue.mbz"
    return {"course": course, "course_id": restore(moodle, backup), "folder": folder, "warnings": warnings}


def test_catalogue_activities_are_set_as_the_docs_recommend(moodle, catalogue_course):
    course, course_id = catalogue_course["course"], catalogue_course["course_id"]
    activities = scorm_activities(moodle, course_id)
    by_module = {row["cmidnumber"]: row for row in activities}
    assert sorted(by_module) == sorted(module.id for module in course.modules)
    for module in course.modules:
        row = by_module[module.id]
        assert row["name"] == module.title
        assert row["version"] == "SCORM_1.2"
        assert (row["grademethod"], float(row["maxgrade"]), row["whatgrade"], row["maxattempt"]) == (
            GRADE_HIGHEST,
            100.0,
            HIGHEST_ATTEMPT,
            UNLIMITED,
        ), module.id
        assert row["forcenewattempt"] == NEW_ATTEMPT_WHEN_FINISHED, module.id
        assert (row["masteryoverride"], row["forcecompleted"], row["lastattemptlock"], row["popup"]) == (1, 0, 0, 0)
        assert row["completion"] == COMPLETION_AUTOMATIC, module.id
        assert row["completionstatusrequired"] == (STATUS_PASSED if module.has_quiz else STATUS_COMPLETED), module.id
        assert row["completionview"] == 0 and row["completionpassgrade"] == 0
        grade_item = moodle.sql(
            "SELECT grademax, gradepass FROM mdl_grade_items WHERE itemtype = 'mod'"
            " AND itemmodule = 'scorm' AND iteminstance = %s",
            (row["id"],),
        )
        assert [(float(g["grademax"]), float(g["gradepass"])) for g in grade_item] == [
            (100.0, float(module.pass_mark) if module.has_quiz else 0.0)
        ], module.id
        assert (
            row["launch"]
            and moodle.sql("SELECT launch FROM mdl_scorm_scoes WHERE id = %s", (row["launch"],))[0]["launch"]
            == "index.html"
        )
    # A section per pathway, in the course file's order, each module in the first pathway that lists it.
    placed: list[str] = []
    for pathway in course.pathways:
        in_section = [row["cmidnumber"] for row in activities if row["sectionname"] == pathway.title]
        assert in_section == [m for m in pathway.module_ids if m not in placed]
        placed += in_section


def test_catalogue_course_completes_on_every_activity(moodle, catalogue_course):
    course_id = catalogue_course["course_id"]
    assert moodle.sql("SELECT enablecompletion FROM mdl_course WHERE id = %s", (course_id,))[0]["enablecompletion"] == 1
    criteria = moodle.sql(
        "SELECT moduleinstance FROM mdl_course_completion_criteria"
        " WHERE course = %s AND criteriatype = 4 AND module = 'scorm'",
        (course_id,),
    )
    assert sorted(row["moduleinstance"] for row in criteria) == sorted(
        row["cmid"] for row in scorm_activities(moodle, course_id)
    )
    methods = moodle.sql(
        "SELECT criteriatype, method FROM mdl_course_completion_aggr_methd WHERE course = %s", (course_id,)
    )
    assert {(row["criteriatype"], row["method"]) for row in methods} == {(4, 1), (None, 1)}  # all of them


def test_catalogue_activities_have_the_sco_rows_moodle_itself_makes(moodle, catalogue_course):
    """Restore never parses the manifest: each restored activity's SCO rows must equal those Moodle's own
    parser makes when the same SCORM 1.2 package is added by hand, and the package must play from its files."""
    course, course_id, folder = catalogue_course["course"], catalogue_course["course_id"], catalogue_course["folder"]
    ccm("build", CATALOGUE, "--target", "scorm12", "--out", folder / "scorm")
    by_hand = moodle.new_course("Catalogue added by hand")
    restored = {row["cmidnumber"]: row for row in scorm_activities(moodle, course_id)}
    for module in course.modules:
        package = folder / "scorm" / "scorm12" / f"{module.id}.zip"
        added = moodle.helper("add_scorm", "--course", by_hand, "--zip", package, "--name", module.id)
        assert sco_rows(moodle, restored[module.id]["id"]) == sco_rows(moodle, added["scormid"]), module.id
        stored = moodle.sql(
            "SELECT f.filearea, f.filepath, f.filename, f.contenthash FROM mdl_files f"
            "  JOIN mdl_context x ON x.id = f.contextid AND x.contextlevel = 70 AND x.instanceid = %s"
            " WHERE f.component = 'mod_scorm' AND f.filename <> '.'",
            (restored[module.id]["cmid"],),
        )
        package_rows = [row for row in stored if row["filearea"] == "package"]
        assert [row["filename"] for row in package_rows] == [f"{module.id}.zip"]
        assert package_rows[0]["contenthash"] == restored[module.id]["sha1hash"]
        content = {row["filepath"] + row["filename"] for row in stored if row["filearea"] == "content"}
        assert {"/imsmanifest.xml", "/index.html"} <= content


def test_catalogue_activities_are_linked_to_their_competencies(moodle, catalogue_course):
    course, course_id = catalogue_course["course"], catalogue_course["course_id"]
    framework = course.framework.id
    evidenced: set[str] = set()
    for row in scorm_activities(moodle, course_id):
        module = course.module(row["cmidnumber"])
        evidenced.update(module.evidenced_competency_ids())
        assert module_links(moodle, row["cmid"]) == {
            f"{framework}/{cid}": COMPLETE_THE_COMPETENCY for cid in module.evidenced_competency_ids()
        }, module.id
    in_course = moodle.sql(
        "SELECT c.idnumber FROM mdl_competency_coursecomp cc"
        "  JOIN mdl_competency c ON c.id = cc.competencyid WHERE cc.courseid = %s",
        (course_id,),
    )
    assert {row["idnumber"] for row in in_course} == evidenced


def test_the_build_warns_that_the_framework_goes_in_first(catalogue_course, tmp_path):
    warnings = catalogue_course["warnings"]
    assert "warning: moodle: import the competency framework" in warnings
    assert "moodle-csv" in warnings
    report = json.loads((catalogue_course["folder"] / "out" / "build-report.json").read_text(encoding="utf-8"))
    assert any("import the competency framework" in w for w in report["warnings"])


# ------------------------------------------------------------------ a small course, played
@pytest.fixture(scope="module")
def small_course(moodle, tmp_path_factory):
    folder = tmp_path_factory.mktemp("moodle-small")
    source = write_source(folder / "source", "ccm-moodle-course-test")
    build_moodle(source, folder / "out")
    import_framework(moodle, source, folder)
    return {"source": source, "course": load_course(source), "out": folder / "out"}


def finish_in_player(moodle, page) -> None:
    """Leave the player as a learner does (the package commits and finishes on pagehide)."""
    page.goto(f"{moodle.url}/my/")
    page.wait_for_load_state("load")


def completion_state(moodle, cmid: int, user_id: int) -> int:
    rows = moodle.sql(
        "SELECT completionstate FROM mdl_course_modules_completion WHERE coursemoduleid = %s AND userid = %s",
        (cmid, user_id),
    )
    return rows[0]["completionstate"] if rows else 0


def test_a_learner_completes_the_pathway_course_in_moodles_player(moodle, small_course, new_page):
    course = small_course["course"]
    course_id = restore(moodle, small_course["out"] / "moodle" / "first-steps.mbz")
    activities = {row["cmidnumber"]: row for row in scorm_activities(moodle, course_id)}
    assert activities["listening"]["name"] == "Listening & <speaking> up"  # escaped in the backup, intact in Moodle
    assert [row["sectionname"] for row in activities.values()] == ["First steps", "First steps"]
    username, password = moodle.new_user("pathway", course_id)
    user_id = moodle.sql("SELECT id FROM mdl_user WHERE username = %s", (username,))[0]["id"]
    page = new_page()
    moodle.login(page, username, password)

    frame = moodle.open_player(page, activities["listening"]["cmid"])
    read_pages(frame)
    take_quiz(frame, RIGHT_ANSWERS)
    finish_in_player(moodle, page)
    moodle.wait_until(
        lambda: completion_state(moodle, activities["listening"]["cmid"], user_id) == 1,
        "the quiz module complete (Require status: Passed)",
    )

    frame = moodle.open_player(page, activities["boundaries"]["cmid"])
    read_pages(frame)
    finish_in_player(moodle, page)
    moodle.wait_until(
        lambda: completion_state(moodle, activities["boundaries"]["cmid"], user_id) == 1,
        "the module without a quiz complete (Require status: Completed)",
    )

    grade = moodle.sql(
        "SELECT gg.finalgrade FROM mdl_grade_grades gg JOIN mdl_grade_items gi ON gi.id = gg.itemid"
        " WHERE gi.itemmodule = 'scorm' AND gi.iteminstance = %s AND gg.userid = %s",
        (activities["listening"]["id"], user_id),
    )
    assert [float(row["finalgrade"]) for row in grade] == [100.0]

    ratings = moodle.sql(
        "SELECT c.idnumber, uc.proficiency FROM mdl_competency_usercompcourse uc"
        "  JOIN mdl_competency c ON c.id = uc.competencyid"
        " WHERE uc.userid = %s AND uc.courseid = %s",
        (user_id, course_id),
    )
    evidenced = {cid for module in course.modules for cid in module.evidenced_competency_ids()}
    assert {row["idnumber"]: row["proficiency"] for row in ratings} == {cid: 1 for cid in evidenced}

    assert_a_failed_quiz_rates_nothing(moodle, new_page(), course_id, activities["listening"])

    moodle.run_task(COMPLETION_TASK)
    completed = moodle.sql(
        "SELECT timecompleted FROM mdl_course_completions WHERE course = %s AND userid = %s", (course_id, user_id)
    )
    assert completed and completed[0]["timecompleted"], "the course is not complete after both activities"


def assert_a_failed_quiz_rates_nothing(moodle, page, course_id: int, activity: dict) -> None:
    """Another learner fails the quiz: the activity is not complete, the grade is the score, and no linked
    competency is rated proficient."""
    username, password = moodle.new_user("failing", course_id)
    user_id = moodle.sql("SELECT id FROM mdl_user WHERE username = %s", (username,))[0]["id"]
    moodle.login(page, username, password)
    frame = moodle.open_player(page, activity["cmid"])
    read_pages(frame)
    take_quiz(frame, {"q1-open": ["a"], "q2-advocate": [False]})  # one of two right: 50 %, under the 80 % pass mark
    finish_in_player(moodle, page)
    grade_sql = (
        "SELECT gg.finalgrade FROM mdl_grade_grades gg JOIN mdl_grade_items gi ON gi.id = gg.itemid"
        " WHERE gi.itemmodule = 'scorm' AND gi.iteminstance = %s AND gg.userid = %s"
        "   AND gg.finalgrade IS NOT NULL"
    )
    grades = moodle.wait_until(lambda: moodle.sql(grade_sql, (activity["id"], user_id)), "the failed attempt's grade")
    assert [float(row["finalgrade"]) for row in grades] == [50.0]
    assert completion_state(moodle, activity["cmid"], user_id) == 0
    proficient = moodle.sql(
        "SELECT competencyid FROM mdl_competency_usercompcourse"
        " WHERE userid = %s AND courseid = %s AND proficiency = 1",
        (user_id, course_id),
    )
    assert proficient == []


def test_without_the_framework_restore_drops_every_competency_link(moodle, small_course, tmp_path):
    """The build's warning is true: restored with a framework the site does not have, the course keeps its
    activities (a section per pathway, then the modules in none) and loses every link to a competency,
    with no error."""
    absent = f"ccm-absent-{secrets.token_hex(4)}"
    source = write_source(tmp_path / "source", absent)
    build_moodle(source, tmp_path / "out")
    assert not moodle.sql("SELECT id FROM mdl_competency_framework WHERE idnumber = %s", (absent,))
    course_id = restore_with_moodles_cli(moodle, tmp_path / "out" / "moodle" / "moodle-course-test.mbz")
    activities = scorm_activities(moodle, course_id)
    assert [(row["sectionname"], row["cmidnumber"]) for row in activities] == [
        ("First steps", "listening"),
        ("First steps", "boundaries"),
        ("More modules", "extra"),
    ]
    assert all(module_links(moodle, row["cmid"]) == {} for row in activities)
    assert moodle.sql("SELECT id FROM mdl_competency_coursecomp WHERE courseid = %s", (course_id,)) == []


def restore_in_the_ui(moodle, page, backup: Path) -> int:
    """Site administration > Courses > Restore course, as an administrator does it: upload, confirm, a new
    course in the default category, the default settings, perform. Moodle 5.1 restores in the background
    (an ad hoc task that cron would run); it is run here, and the new course's id returned."""
    newest = moodle.sql("SELECT COALESCE(MAX(id), 0) AS id FROM mdl_course")[0]["id"]
    moodle.login(page, moodle.admin_user, moodle.admin_password)
    page.goto(f"{moodle.url}/backup/restorefile.php?contextid=1")
    page.get_by_role("button", name="Choose a file...").click()
    page.get_by_text("Upload a file").click()
    page.set_input_files("input[name=repo_upload_file]", str(backup))
    page.get_by_role("button", name="Upload this file").click()
    page.locator(".filepicker-filename").filter(has_text=backup.name).wait_for()
    page.get_by_role("button", name="Restore").click()
    page.get_by_role("button", name="Continue").click()  # 1. Confirm
    new_course = page.locator("form").filter(has=page.locator("input[name=target][value='2']"))
    new_course.locator("input[name=targetid]").first.check()
    new_course.get_by_role("button", name="Continue").click()  # 2. Destination: a new course
    page.get_by_role("button", name="Next").click()  # 3. Settings
    page.get_by_role("button", name="Next").click()  # 4. Schema
    page.get_by_role("button", name="Perform restore").click()  # 5. Review
    page.get_by_text("Return to course").wait_for()
    moodle.run_adhoc_tasks(r"\core\task\asynchronous_restore_task")
    rows = moodle.wait_until(
        lambda: moodle.sql("SELECT id FROM mdl_course WHERE id > %s AND fullname LIKE %s", (newest, "First steps%")),
        "the course restored in the UI",
    )
    return int(rows[-1]["id"])


def test_the_course_restores_through_moodles_restore_page(moodle, small_course, new_page):
    course_id = restore_in_the_ui(moodle, new_page(), small_course["out"] / "moodle" / "first-steps.mbz")
    activities = {row["cmidnumber"]: row for row in scorm_activities(moodle, course_id)}
    assert sorted(activities) == ["boundaries", "listening"]
    assert activities["listening"]["completionstatusrequired"] == STATUS_PASSED
    assert activities["boundaries"]["completionstatusrequired"] == STATUS_COMPLETED
    framework = "ccm-moodle-course-test"
    assert module_links(moodle, activities["boundaries"]["cmid"]) == {
        f"{framework}/{framework}.boundaries": COMPLETE_THE_COMPETENCY
    }


# ------------------------------------------------------------------ reproducible, well formed
def test_two_builds_are_byte_identical(tmp_path):
    """From two copies of the source in different folders, in parallel and one at a time."""
    build_moodle(write_source(tmp_path / "source", "ccm-moodle-course-test"), tmp_path / "one")
    ccm(
        "build",
        write_source(tmp_path / "elsewhere" / "copy", "ccm-moodle-course-test"),
        "--target",
        "moodle",
        "--out",
        tmp_path / "two",
        "--jobs",
        "1",
    )
    one = sorted((tmp_path / "one" / "moodle").glob("*.mbz"))
    assert [p.name for p in one] == ["first-steps.mbz", "moodle-course-test.mbz"]
    for path in one:
        assert (
            hashlib.sha256(path.read_bytes()).digest()
            == hashlib.sha256((tmp_path / "two" / "moodle" / path.name).read_bytes()).digest()
        ), path.name


def test_every_xml_file_of_the_backup_parses(tmp_path):
    source = write_source(tmp_path / "source", "ccm-moodle-course-test")
    build_moodle(source, tmp_path / "out")
    with tarfile.open(tmp_path / "out" / "moodle" / "moodle-course-test.mbz") as archive:
        members = archive.getmembers()
        assert all(m.isfile() and m.uid == 0 and m.mtime == members[0].mtime for m in members)
        for member in members:
            if member.name.endswith(".xml"):
                data = archive.extractfile(member).read()
                assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
                etree.fromstring(data)


def test_the_framework_mapping_names_the_backups_the_build_wrote(tmp_path):
    source = write_source(tmp_path / "source", "ccm-moodle-course-test")
    build_moodle(source, tmp_path / "out")
    mapping = CliRunner().invoke(main, ["framework", "mapping", str(source), "-t", "moodle"], catch_exceptions=False)
    named = {line.split(",", 1)[0] for line in mapping.stdout.splitlines()[1:]}
    written = {f"moodle/{path.name}" for path in (tmp_path / "out" / "moodle").iterdir()}
    assert named == written


def test_a_title_longer_than_moodle_keeps_is_refused(moodle, tmp_path):
    """Moodle's own column width (read from its database) is the limit: a pathway title that fills the course's
    full name restores intact, one character more is refused before anything is written."""
    width = moodle.sql(
        "SELECT character_maximum_length AS width FROM information_schema.columns"
        " WHERE table_name = 'mdl_course' AND column_name = 'fullname'"
    )[0]["width"]
    source = write_source(tmp_path / "source", "ccm-moodle-course-test")
    pathway_file = source / "pathways" / "first-steps.yaml"
    unique = f"long-{secrets.token_hex(4)}"  # names the site has not seen, so Moodle adds no " copy N"
    written = pathway_file.read_text(encoding="utf-8").replace("id: first-steps", f"id: {unique}")
    longest = f"First steps {unique} " + "x" * (width - len(f"First steps {unique} "))
    pathway_file.write_text(written.replace("title: First steps", f"title: {longest}"), encoding="utf-8")
    build_moodle(source, tmp_path / "fits")
    course_id = restore(moodle, tmp_path / "fits" / "moodle" / f"{unique}.mbz")
    assert moodle.sql("SELECT fullname FROM mdl_course WHERE id = %s", (course_id,))[0]["fullname"] == longest

    pathway_file.write_text(written.replace("title: First steps", f"title: {longest}x"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "--target", "moodle", "--out", str(tmp_path / "over")])
    assert result.exit_code == 3
    assert f"Moodle keeps at most {width}" in result.stderr
    assert not (tmp_path / "over" / "moodle" / f"{unique}.mbz").exists()
