"""The coordinator's CORS recipe (docs/volunteer-induction.md), tested on a real LRS: Ralph
started with RALPH_RUNSERVER_CORS_ALLOW_ORIGINS naming the package's origin, the curl check
from the guide, a volunteer opening their short link (the QR code's) in Chromium and their
records reaching the LRS; and what a volunteer sees when the LRS does not allow the origin."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess

import pytest
from support.lrs import RalphLrs
from support.pathway_course import RIGHT_FIRST, make_pathway_course
from support.pathway_learner import STARTED, do_module
from support.scorm_helpers import unzip

from ccm_scorm.issuing import issue
from ccm_scorm.package import zip_bytes
from ccm_scorm.targets import BuildOptions, get_target

ROSTER = "name,email\nAda Volunteer,ada.cors@example.org\n"
STATUS = "() => document.getElementById('ccm-status').textContent"


@pytest.fixture
def published(tmp_path, http_server):
    """The pathway's xAPI package on a web server: (course, pathway, site)."""
    course, pathway = make_pathway_course(logo=False)
    package = get_target("xapi").build_pathway(course, pathway, BuildOptions())
    return course, pathway, http_server(unzip(zip_bytes(package.files), tmp_path / "pkg"))


@pytest.fixture
def cors_ralph(published):
    """Ralph allowing exactly the package's origin, as the guide says to set it up."""
    site = published[2]
    lrs = RalphLrs()
    lrs.env["RALPH_RUNSERVER_CORS_ALLOW_ORIGINS"] = json.dumps([site.rstrip("/")])
    lrs.start()
    yield lrs
    lrs.close()


def issue_into_site(course, pathway, lrs, site, tmp_path):
    """`ccm issue`, then the go/ folder put beside the package's index.html, as the guide says."""
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    write_only = f"{lrs.USERS['write'][0]}:{lrs.USERS['write'][1]}"
    result = issue(
        course,
        roster,
        pathway.id,
        lrs.url,
        site + "index.html",
        write_only,
        tmp_path / "issued",
        today=dt.date(2026, 11, 24),
    )
    for page in result.go_folder.iterdir():
        site.add_file(f"go/{page.name}", page.read_bytes())
    [row] = csv.DictReader(result.roster.open(encoding="utf-8"))
    return row, site + f"go/{row['code']}.html"


def preflight(lrs, origin: str) -> str:
    """The guide's curl check: the Access-Control-Allow-Origin the LRS answers for the package's origin."""
    answer = subprocess.run(
        [
            "curl",
            "-s",
            "-i",
            "-X",
            "OPTIONS",
            lrs.url + "statements",
            "-H",
            f"Origin: {origin}",
            "-H",
            "Access-Control-Request-Method: POST",
            "-H",
            "Access-Control-Request-Headers: authorization,content-type,x-experience-api-version",
        ],
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    ).stdout
    return next(
        (
            line.split(":", 1)[1].strip()
            for line in answer.splitlines()
            if line.lower().startswith("access-control-allow-origin:")
        ),
        "",
    )


def test_with_cors_set_up_the_short_link_records_in_the_lrs(page, published, cors_ralph, tmp_path):
    course, pathway, site = published
    assert preflight(cors_ralph, site.rstrip("/")) == site.rstrip("/")
    row, short = issue_into_site(course, pathway, cors_ralph, site, tmp_path)
    page.goto(short)
    page.wait_for_function(STARTED)
    assert page.url.startswith(site + "index.html?")  # the go page sent her on to her full link
    do_module(page, 0, RIGHT_FIRST)
    page.get_by_role("button", name="Finish for now").click()
    page.wait_for_function("() => document.getElementById('ccm-status').dataset.ccmSave === 'saved'")
    statements = cors_ralph.statements(registration=row["registration"])
    assert statements and {s["actor"]["mbox"] for s in statements} == {"mailto:ada.cors@example.org"}


def test_without_cors_the_volunteer_sees_offline(page, published, cors_ralph, tmp_path, http_server):
    course, pathway, _allowed = published
    elsewhere = http_server(tmp_path / "pkg")  # the same package at an origin the LRS does not allow
    assert preflight(cors_ralph, elsewhere.rstrip("/")) == ""
    _row, short = issue_into_site(course, pathway, cors_ralph, elsewhere, tmp_path)
    page.goto(short)
    page.wait_for_function(STARTED)
    page.wait_for_function("() => document.getElementById('ccm-status').dataset.ccmSave === 'offline'", timeout=30_000)
    assert page.evaluate(f"({STATUS})()") == "Not sent yet: kept on this device"
