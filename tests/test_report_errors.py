"""Bad input to `ccm report`: a clear message, the documented exit code, never a traceback.

Exit codes are the numbers docs/report.md documents: 2 wrong use, 4 a malformed input, 5 the LRS.
"""

from __future__ import annotations

import json
import socket
import threading

import pytest
from click.testing import CliRunner
from support.course_source import write_course
from support.moodle_fixture_course import write_moodle_fixture_course

from ccm_scorm.cli import main


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return write_course(tmp_path_factory.mktemp("errors"))


def report(*args, env=None):
    result = CliRunner().invoke(
        main, ["report", *map(str, args)], env=env or {"CCM_LRS_AUTH": "", "CCM_LRS_USERNAME": ""}
    )
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_no_input_at_all(source, tmp_path):
    result = report(source, "-o", tmp_path)
    assert result.exit_code == 2 and "nothing to report on" in result.output


def test_malformed_json_lines_names_the_line(source, tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"actor": {}}\n\n{"verb": oops}\n', encoding="utf-8")
    result = report(source, "--statements", path, "-o", tmp_path / "out")
    assert result.exit_code == 4
    assert f"{path}:3:" in result.output and "malformed JSON" in result.output


def test_malformed_json_array_names_the_line(source, tmp_path):
    path = tmp_path / "s.json"
    path.write_text('[\n {"id": "a"},\n {"id": "b",,}\n]\n', encoding="utf-8")
    result = report(source, "--statements", path, "-o", tmp_path / "out")
    assert result.exit_code == 4
    assert f"{path}:3" in result.output and "malformed JSON" in result.output


def test_missing_file(source, tmp_path):
    result = report(source, "--statements", tmp_path / "nope.json", "-o", tmp_path / "out")
    assert result.exit_code == 4 and "cannot read this file" in result.output


def test_statements_outside_the_catalogue_are_counted_not_fatal(source, tmp_path):
    path = tmp_path / "s.jsonl"
    other = {
        "actor": {"mbox": "mailto:a@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
        "object": {"id": "https://other.example.org/course/1"},
    }
    path.write_text("\n".join(json.dumps(other) for _ in range(3)), encoding="utf-8")
    result = report(source, "--statements", path, "-o", tmp_path / "out", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "3 statements or interactions were for activities not in the catalogue" in result.output


def test_malformed_moodle_csv_names_the_line(source, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        'Name\t"Email address"\tAttempt\t"Started on"\t"Last accessed on"\tScore\tDemo module\n'
        '"Stu Dent\tstudent1@example.invalid\t1\n',
        encoding="utf-8",
    )
    result = report(source, "--moodle", path, "-o", tmp_path / "out")
    assert result.exit_code == 4
    assert f"{path}:" in result.output and "malformed tab-separated" in result.output


def test_not_a_moodle_report(source, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    result = report(source, "--moodle", path, "-o", tmp_path / "out")
    assert result.exit_code == 4 and f"{path}:1: not a Moodle SCORM report" in result.output


def test_unknown_competency_in_an_objectives_report(shared_dir, tmp_path):
    # The Moodle fixtures' course without ccm.person-centred: its objective column is unknown.
    course = write_moodle_fixture_course(tmp_path)
    framework = course / "framework.yaml"
    text = framework.read_text(encoding="utf-8")
    text = text.replace(
        "      - id: ccm.person-centred\n        title: Person-centred practice\n"
        "        description: Puts the person at the centre.\n",
        "",
    )
    framework.write_text(text, encoding="utf-8")
    module = course / "ccm-check" / "module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace(", ccm.person-centred", ""), encoding="utf-8")
    fixture = shared_dir / "fixtures" / "moodle" / "objectives_fixed_query" / "scorm12_objectives_CSV.txt"
    result = report(course, "--moodle", fixture, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output  # counted and named, never dropped silently
    assert (
        "3 objective records whose id is neither a competency nor a module or pathway of the course: ccm.person-centred"
    ) in result.output
    strict = report(course, "--moodle", fixture, "-o", tmp_path / "strict", "--strict")
    assert strict.exit_code == 6 and "3 objective records" in strict.output, strict.output


def test_unknown_module_for_moodle(shared_dir, tmp_path):
    course = write_moodle_fixture_course(tmp_path)
    fixture = shared_dir / "fixtures" / "moodle" / "scorm12_basic_CSV.txt"
    result = report(course, "--moodle", fixture, "--moodle-module", "nope", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "there is no module 'nope'" in result.output


def test_lrs_without_credentials(source, tmp_path):
    result = report(source, "--lrs", "http://127.0.0.1:9/xAPI/", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "CCM_LRS_AUTH" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lrs_connection_refused(source, tmp_path):
    url = f"http://127.0.0.1:{_free_port()}/xAPI/"
    result = report(source, "--lrs", url, "-o", tmp_path / "out", env={"CCM_LRS_AUTH": "key:secret"})
    assert result.exit_code == 5
    assert "connection refused" in result.output and "check the --lrs URL" in result.output


def test_lrs_timeout(source, tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    held = []
    stop = threading.Event()

    def accept():  # accept and never answer
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.getsockname()[1]}/xAPI/"
        result = report(
            source, "--lrs", url, "--lrs-timeout", "0.5", "-o", tmp_path / "out", env={"CCM_LRS_AUTH": "key:secret"}
        )
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()
    assert result.exit_code == 5
    assert "did not answer within 0.5 s" in result.output


def test_lrs_wrong_credentials_and_wrong_path(ralph, source, tmp_path):
    bad = report(
        source,
        "--lrs",
        ralph.url,
        "-o",
        tmp_path / "out",
        env={"CCM_LRS_USERNAME": ralph.username, "CCM_LRS_PASSWORD": "wrong"},
    )
    assert bad.exit_code == 5
    assert "refused the credentials (401)" in bad.output and "statements/read" in bad.output
    missing = report(
        source,
        "--lrs",
        ralph.base_url + "/nothing-here/",
        "-o",
        tmp_path / "out",
        env={"CCM_LRS_USERNAME": ralph.username, "CCM_LRS_PASSWORD": ralph.password},
    )
    assert missing.exit_code == 5
    assert "(404" in missing.output and "/xAPI/" in missing.output


def test_credentials_are_never_an_option(source):
    result = CliRunner().invoke(main, ["report", str(source), "--lrs-auth", "key:secret"])
    assert result.exit_code == 2  # click: no such option


def test_bad_roster(source, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email,issued\nAnn,ann@example.org,31/31/2026\n", encoding="utf-8")
    statements = tmp_path / "s.jsonl"
    statements.write_text("", encoding="utf-8")
    result = report(source, "--statements", statements, "--roster", roster, "-o", tmp_path / "out")
    assert result.exit_code == 4 and f"{roster}:2: cannot read the date" in result.output
