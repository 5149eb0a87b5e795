"""`ccm issue`: roster in, personal launch links, handouts and an issued roster out."""

from __future__ import annotations

import csv
import json
import urllib.parse
from datetime import date

import pytest
from click.testing import CliRunner
from support.course_source import write_course

from ccm_scorm.cli import main
from ccm_scorm.issuing import CredentialError, issue
from ccm_scorm.issuing.roster import RosterError, read_roster
from ccm_scorm.source import load_course

LAUNCH = "https://learning.example.org/starter/index.html"
ROSTER = "name,email,id,start_date\nAda Lovelace,ada@example.org,,2026-11-20\nBen Okafor,,v-002,24/11/2026\n"


def write_roster(tmp_path, text=ROSTER):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def run_issue(tmp_path, roster_text, *extra, credential="writer:secret", pathway="starter"):
    course = write_course(tmp_path)
    env = {"CCM_LRS_WRITE_AUTH": credential} if credential else {}
    args = [
        "issue",
        str(write_roster(tmp_path, roster_text)),
        "--pathway",
        pathway,
        "--lrs",
        "http://127.0.0.1:9/xAPI",
        "--launch-url",
        LAUNCH,
        "--out",
        str(tmp_path / "issued"),
        "--source",
        str(course),
        "--no-check-credential",
        *extra,
    ]
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def test_each_volunteer_gets_a_link_with_their_actor_and_a_registration(tmp_path):
    course = load_course(write_course(tmp_path))
    result = issue(
        course,
        write_roster(tmp_path),
        "starter",
        "http://127.0.0.1:9/xAPI",
        LAUNCH,
        "writer:secret",
        tmp_path / "out",
        today=date(2026, 11, 24),
        check_credential=False,
    )
    rows = list(csv.DictReader(result.roster.open(encoding="utf-8")))
    assert [row["name"] for row in rows] == ["Ada Lovelace", "Ben Okafor"]
    ada, ben = rows
    assert ada["pathway"] == "starter" and ada["issued_on"] == "2026-11-24" and ben["start_date"] == "2026-11-24"
    assert ada["registration"] != ben["registration"]
    link = urllib.parse.urlsplit(ada["launch_link"])
    params = dict(urllib.parse.parse_qsl(link.query))
    assert f"{link.scheme}://{link.netloc}{link.path}" == LAUNCH
    assert params["endpoint"] == "http://127.0.0.1:9/xAPI/"
    assert params["auth"] == "Basic d3JpdGVyOnNlY3JldA=="  # base64 of writer:secret
    assert json.loads(params["actor"]) == {
        "objectType": "Agent",
        "name": "Ada Lovelace",
        "mbox": "mailto:ada@example.org",
    }
    assert params["registration"] == ada["registration"]
    assert params["activity_id"] == "https://ccm-scorm.example.org/test/pathway/starter"
    ben_actor = json.loads(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(ben["launch_link"]).query))["actor"])
    assert ben_actor["account"] == {"homePage": "https://ccm-scorm.example.org/test/", "name": "v-002"}


def test_handouts_hold_a_qr_code_and_plain_instructions_per_volunteer(tmp_path):
    result = run_issue(tmp_path, ROSTER)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "issued" / "handouts.html").read_text(encoding="utf-8")
    assert html.count('<section class="handout"') == 2
    assert html.count("<svg") == 2
    assert "Hello Ada Lovelace," in html and "Hello Ben Okafor," in html
    assert "write-only" in html and "Open the camera on your phone" in html


def test_reissuing_keeps_registrations(tmp_path):
    course = load_course(write_course(tmp_path))
    first = issue(
        course,
        write_roster(tmp_path),
        "starter",
        "http://127.0.0.1:9/xAPI/",
        LAUNCH,
        "w:s",
        tmp_path / "one",
        check_credential=False,
    )
    again = issue(
        course,
        first.roster,
        "starter",
        "http://127.0.0.1:9/xAPI/",
        LAUNCH,
        "w:s",
        tmp_path / "two",
        check_credential=False,
    )
    assert [v.registration for v in first.issued] == [v.registration for v in again.issued]


@pytest.mark.parametrize(
    "roster, messages",
    [
        (
            "name,email\nAda,ada@example.org\nAda again,ADA@example.org\n",
            [
                "roster.csv:3: the email 'ada@example.org' is also on line 2 — each volunteer needs their own, or their "
                "results would be mixed up"
            ],
        ),
        (
            "name,email\nAda,ada.example.org\n",
            ["roster.csv:2: 'ada.example.org' is not an email address — correct it, or leave it empty and give an id"],
        ),
        (
            "email,start_date\nada@example.org,2026-01-01\n",
            ["roster.csv:1: the roster has no 'name' column — add a column headed name"],
        ),
        (
            "name,start_date\nAda,2026-01-01\n",
            ["roster.csv:1: the roster needs an 'email' or an 'id' column to tell volunteers apart — add one"],
        ),
        (
            "name,email,start_date\nAda,ada@example.org,next week\n,bob@example.org,\n",
            [
                "roster.csv:2: the start date 'next week' is not a date — write it as 2026-11-24 or 24/11/2026",
                "roster.csv:3: the name is empty — write the volunteer's name",
            ],
        ),
    ],
)
def test_bad_rosters_name_the_row_and_write_nothing(tmp_path, roster, messages):
    path = write_roster(tmp_path, roster)
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    assert caught.value.messages == messages
    result = run_issue(tmp_path, roster)
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert not (tmp_path / "issued").exists()


def test_unknown_pathway_and_missing_credential(tmp_path):
    result = run_issue(tmp_path, ROSTER, pathway="nope")
    assert result.exit_code == 2
    assert "unknown pathway 'nope' — the course has: starter; nothing was written" in result.output
    result = run_issue(tmp_path / "b", ROSTER, credential=None)
    assert result.exit_code == 2
    assert "set CCM_LRS_WRITE_AUTH to a write-only LRS credential" in result.output
    assert not (tmp_path / "issued").exists() and not (tmp_path / "b" / "issued").exists()


def test_a_credential_that_can_read_is_refused_and_a_write_only_one_accepted(tmp_path, ralph):
    course = load_course(write_course(tmp_path))
    roster = write_roster(tmp_path)
    full = f"{ralph.USERS['full'][0]}:{ralph.USERS['full'][1]}"
    with pytest.raises(CredentialError, match="can read statements from the LRS"):
        issue(course, roster, "starter", ralph.url, LAUNCH, full, tmp_path / "refused")
    assert not (tmp_path / "refused").exists()
    write_only = f"{ralph.USERS['write'][0]}:{ralph.USERS['write'][1]}"
    result = issue(course, roster, "starter", ralph.url, LAUNCH, write_only, tmp_path / "ok")
    assert result.warnings == [] and len(result.issued) == 2
