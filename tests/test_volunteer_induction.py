"""Roster to completion list: `ccm issue` links, a volunteer completing the xAPI pathway in
Chromium against Ralph, then the report against the issued roster."""

from __future__ import annotations

import csv
import datetime as dt
import json
import urllib.parse

from support.pathway_course import RIGHT_FIRST, RIGHT_SECOND, make_pathway_course
from support.pathway_learner import STARTED, do_module
from support.scorm_helpers import unzip

from ccm_scorm.issuing import issue
from ccm_scorm.package import zip_bytes
from ccm_scorm.report import ReportOptions, build_report
from ccm_scorm.targets import BuildOptions, get_target

ROSTER = (
    "name,email,id,start_date\n"
    "Ada Volunteer,ada.induction@example.org,,2026-11-20\n"
    "Ben Volunteer,,vol-0002,2026-11-20\n"
    "Cai Volunteer,cai.induction@example.org,,\n"
)


def test_issue_complete_and_report_by_roster(page, tmp_path, http_server, ralph):
    course, pathway = make_pathway_course(logo=False)
    package = get_target("xapi").build_pathway(course, pathway, BuildOptions())
    site = http_server(unzip(zip_bytes(package.files), tmp_path / "pkg"))
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    write_only = f"{ralph.USERS['write'][0]}:{ralph.USERS['write'][1]}"
    issued = issue(
        course,
        roster,
        pathway.id,
        ralph.url,
        site + "index.html",
        write_only,
        tmp_path / "issued",
        today=dt.date(2026, 11, 24),
    )
    assert issued.warnings == []
    rows = {row["name"]: row for row in csv.DictReader(issued.roster.open(encoding="utf-8"))}

    # Ada opens her personal link and completes both modules.
    ada = rows["Ada Volunteer"]
    page.goto(ada["launch_link"])
    page.wait_for_function(STARTED)
    do_module(page, 0, RIGHT_FIRST)
    do_module(page, 1, RIGHT_SECOND)
    page.get_by_role("button", name="Finish for now").click()
    page.wait_for_function("() => document.getElementById('ccm-status').dataset.ccmSave === 'saved'")

    statements = ralph.statements(registration=ada["registration"])
    assert statements
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(ada["launch_link"]).query))
    assert {json.dumps(s["actor"], sort_keys=True) for s in statements} == {
        json.dumps(json.loads(params["actor"]), sort_keys=True)
    }
    assert {s["context"]["registration"] for s in statements} == {ada["registration"]}

    report = build_report(
        course,
        ReportOptions(lrs_url=ralph.url, lrs_auth=ralph.auth_header, roster=issued.roster, as_of=dt.date(2026, 11, 30)),
    )
    states = {
        row.learner: (row.state, row.days_since_issue) for row in report.pathway_rows() if row.pathway_id == pathway.id
    }
    assert states["ada.induction@example.org"] == ("completed", 6)
    assert states["vol-0002"] == ("not started", 6)
    assert states["cai.induction@example.org"] == ("not started", 6)


def test_report_pathway_option_lists_the_roster(tmp_path):
    """`ccm report --pathway X --roster R`: the completion list is printed; an unknown pathway is wrong use."""
    from click.testing import CliRunner
    from support.course_source import write_course

    from ccm_scorm.cli import main

    course_dir = write_course(tmp_path)
    statements = tmp_path / "none.jsonl"
    statements.write_text("", encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email,issued_on\nAda Volunteer,ada@example.org,2026-11-20\n", encoding="utf-8")
    common = [
        "report",
        str(course_dir),
        "--statements",
        str(statements),
        "--roster",
        str(roster),
        "--as-of",
        "2026-11-24",
        "--out",
        str(tmp_path / "out"),
        "--format",
        "csv",
    ]
    result = CliRunner().invoke(main, common + ["--pathway", "starter"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "starter: Ada Volunteer — not started, issued 4 days ago" in result.output
    wrong = CliRunner().invoke(main, common + ["--pathway", "nope"], catch_exceptions=False)
    assert wrong.exit_code == 2
    assert "unknown pathway 'nope': the course has starter" in wrong.output
