"""`ccm issue` fails closed: links only once the LRS has shown the credential writes and cannot
read (or with --unchecked, said on every handout), only safe addresses, rosters as Excel saves
them, a re-issue that keeps what was printed, and a QR code that holds a short link."""

# The fake LRS fixtures are imported, then named as test arguments:
# ruff: noqa: F811
from __future__ import annotations

import csv
import html as html_lib
import re
import urllib.parse

import pytest
from click.testing import CliRunner
from support.course_source import write_course
from support.fake_lrs import FakeLrs, away, lrs, nothing_reaches_the_second_origin, unused_port  # noqa: F401 (fixtures)

from ccm_scorm.cli import main
from ccm_scorm.issuing.roster import RosterError, read_roster

LAUNCH = "https://learning.example.org/starter/index.html"
ROSTER = "name,email,id,start_date\nAda Lovelace,ada@example.org,,2026-11-20\nBen Okafor,,v-002,24/11/2026\n"
CREDENTIAL = "writer:secret"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return write_course(tmp_path_factory.mktemp("issue"))


def issue(course, tmp_path, endpoint, *extra, roster=ROSTER, launch=LAUNCH, out=None, encoding="utf-8"):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster.encode(encoding)) if isinstance(roster, str) else path.write_bytes(roster)
    out = out or tmp_path / "issued"
    result = CliRunner().invoke(
        main,
        [
            "issue",
            str(path),
            "--pathway",
            "starter",
            "--lrs",
            endpoint,
            "--launch-url",
            launch,
            "--out",
            str(out),
            "--source",
            str(course),
            *extra,
        ],
        env={"CCM_LRS_WRITE_AUTH": CREDENTIAL},
    )
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def issued_rows(tmp_path):
    return list(csv.DictReader((tmp_path / "issued" / "roster-issued.csv").open(encoding="utf-8")))


def test_a_write_only_credential_gets_links(lrs, course, tmp_path):
    result = issue(course, tmp_path, lrs.url("write-only"))
    assert result.exit_code == 0, result.output
    assert [s.method for s in lrs.requests("write-only")][-2:] == ["POST", "GET"]
    html = (tmp_path / "issued" / "handouts.html").read_text(encoding="utf-8")
    assert "showed it to be" in html and "not checked" not in html.lower()


@pytest.mark.parametrize(
    "behaviour, message",
    [
        ("wrong-password", "does not know the credential in CCM_LRS_WRITE_AUTH (401)"),
        ("write-denied", "does not let the credential in CCM_LRS_WRITE_AUTH write statements (403)"),
        ("can-read", "can read statements from the LRS"),
        ("error-500", "answered 500 when asked whether the credential may write"),
        ("nowhere", "no xAPI statements resource"),  # a wrong address on a real server: 404
        ("redirect-away", "refused"),
    ],
)
def test_no_links_unless_the_lrs_shows_write_and_not_read(lrs, course, tmp_path, behaviour, message):
    result = issue(course, tmp_path, lrs.url(behaviour))
    assert result.exit_code == 2, result.output
    assert message in result.output and "nothing was written" in result.output
    assert not (tmp_path / "issued").exists()


def test_an_unreachable_lrs_gives_no_links(course, tmp_path):
    result = issue(course, tmp_path, f"http://127.0.0.1:{unused_port()}/xAPI/")
    assert result.exit_code == 2
    assert "could not check the credential" in result.output and "--unchecked" in result.output
    assert not (tmp_path / "issued").exists()


def test_unchecked_links_say_so_on_every_handout(course, tmp_path):
    result = issue(course, tmp_path, f"http://127.0.0.1:{unused_port()}/xAPI/", "--unchecked")
    assert result.exit_code == 0, result.output
    assert "warning: the credential was not checked" in result.output
    html = (tmp_path / "issued" / "handouts.html").read_text(encoding="utf-8")
    handouts = html.split('<section class="handout"')[1:]
    assert len(handouts) == 2 and all("Not checked:" in page for page in handouts)
    assert "showed it to be" not in html


def test_plain_http_to_another_computer_is_refused(course, tmp_path):
    result = issue(course, tmp_path, "http://lrs.example.org/xAPI/")
    assert result.exit_code == 2 and "clear text" in result.output and "--insecure" in result.output
    allowed = issue(course, tmp_path, "http://lrs.example.org/xAPI/", "--insecure", "--unchecked")
    assert allowed.exit_code == 0, allowed.output


@pytest.mark.parametrize(
    "launch",
    [
        "javascript:alert(1)//index.html",
        "http://learning.example.org/index.html",
        "file:///srv/index.html",
        "index.html",
    ],
)
def test_launch_urls_must_be_https(lrs, course, tmp_path, launch):
    result = issue(course, tmp_path, lrs.url("write-only"), launch=launch)
    assert result.exit_code == 2 and "must be the https:// address" in result.output
    assert not (tmp_path / "issued").exists()


def test_loopback_http_launch_is_allowed_for_trying_out(lrs, course, tmp_path):
    result = issue(course, tmp_path, lrs.url("write-only"), launch="http://127.0.0.1:8000/index.html")
    assert result.exit_code == 0, result.output


def test_out_an_existing_file(lrs, course, tmp_path):
    target = tmp_path / "issued.txt"
    target.write_text("keep me", encoding="utf-8")
    result = issue(course, tmp_path, lrs.url("write-only"), out=target)
    assert result.exit_code == 2 and "is a file, not a folder" in result.output
    assert target.read_text(encoding="utf-8") == "keep me"


def test_excel_windows_1252_roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("name,email\r\nZoë Brontë,zoe@example.org\r\nJosé Núñez,jose@example.org\r\n".encode("cp1252"))
    assert [v.name for v in read_roster(path)] == ["Zoë Brontë", "José Núñez"]


@pytest.mark.parametrize(
    "written, iso",
    [("20/11/26", "2026-11-20"), ("20/11/2026", "2026-11-20"), ("2/3/27", "2027-03-02"), ("20.11.2026", "2026-11-20")],
)
def test_uk_dates(tmp_path, written, iso):
    path = tmp_path / "roster.csv"
    path.write_text(f"name,email,start_date\nAda,ada@example.org,{written}\n", encoding="utf-8")
    assert read_roster(path)[0].start_date == iso


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_rosters(tmp_path, separator):
    path = tmp_path / "roster.csv"
    path.write_text(
        f"name{separator}email{separator}start_date\nOkafor, Ben{separator}ben@example.org{separator}20/11/26\n",
        encoding="utf-8",
    )
    [ben] = read_roster(path)
    assert (ben.name, ben.email, ben.start_date) == ("Okafor, Ben", "ben@example.org", "2026-11-20")


def test_a_long_name_is_named_by_its_line(lrs, course, tmp_path):
    roster = ROSTER + "A" * 3000 + ",long@example.org,,\n"
    with pytest.raises(RosterError) as caught:
        path = tmp_path / "long.csv"
        path.write_text(roster, encoding="utf-8")
        read_roster(path)
    assert caught.value.messages == [
        "long.csv:4: the name is 3,000 characters long; a name can have up to 200 — "
        "shorten it (perhaps the cells of this line ran together)"
    ]
    result = issue(course, tmp_path, lrs.url("write-only"), roster=roster)
    assert result.exit_code == 1 and "roster.csv:4: the name is 3,000 characters long" in result.output
    assert "segno" not in result.output.lower() and "DataOverflow" not in result.output


def test_reissue_keeps_every_printed_registration_and_adds_the_new(lrs, course, tmp_path):
    assert issue(course, tmp_path, lrs.url("write-only")).exit_code == 0
    first = {row["name"]: row for row in issued_rows(tmp_path)}
    again = issue(
        course, tmp_path, lrs.url("write-only"), roster="name,email,id\nBen Okafor,,v-002\nCai Jones,cai@example.org,\n"
    )
    assert again.exit_code == 0, again.output
    assert "1 new volunteers (2 issued here before kept their links)" in again.output
    second = {row["name"]: row for row in issued_rows(tmp_path)}
    assert set(second) == {"Ada Lovelace", "Ben Okafor", "Cai Jones"}
    for name in ("Ada Lovelace", "Ben Okafor"):
        assert (second[name]["registration"], second[name]["code"], second[name]["launch_link"]) == (
            first[name]["registration"],
            first[name]["code"],
            first[name]["launch_link"],
        )
    assert second["Cai Jones"]["registration"] not in {row["registration"] for row in first.values()}


def test_roster_cells_cannot_run_as_formulas_and_read_back_unchanged(lrs, course, tmp_path):
    roster = 'name,email\n=HYPERLINK("https://evil.example"),eve@example.org\n'
    assert issue(course, tmp_path, lrs.url("write-only"), roster=roster).exit_code == 0
    [row] = issued_rows(tmp_path)
    assert row["name"] == '\'=HYPERLINK("https://evil.example")'
    [eve] = read_roster(tmp_path / "issued" / "roster-issued.csv")
    assert eve.name == '=HYPERLINK("https://evil.example")'


def test_the_qr_code_holds_a_short_link_to_a_page_that_opens_the_full_link(lrs, course, tmp_path):
    assert issue(course, tmp_path, lrs.url("write-only")).exit_code == 0
    rows = issued_rows(tmp_path)
    html = (tmp_path / "issued" / "handouts.html").read_text(encoding="utf-8")
    for row in rows:
        short = f"https://learning.example.org/starter/go/{row['code']}.html"
        assert short in html and len(short) < 80
        assert row["launch_link"] not in html  # the 500-character link is only in the roster file
        assert re.fullmatch(r"[a-z2-7]{16}", row["code"])
        page = (tmp_path / "issued" / "go" / f"{row['code']}.html").read_text(encoding="utf-8")
        refresh = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page).group(1)
        assert html_lib.unescape(refresh) == row["launch_link"]
        assert urllib.parse.urlsplit(row["launch_link"]).path == "/starter/index.html"
    # A QR symbol's side in modules: version 1 is 21, each version adds 4. A ~75-character link needs
    # version 5 at level M (37 modules); the old 500-character link needed version 17 (85).
    sides = [int(float(w)) for w in re.findall(r'<svg[^>]*\bwidth="([\d.]+)"', html)]
    assert len(sides) == 2 and all(side // 4 - 4 <= 41 for side in sides), sides  # scale 4, border 2 each side
