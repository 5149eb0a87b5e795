"""`ccm report --lrs` against a misbehaving LRS (tests/support/fake_lrs.py): the credential
never reaches a second origin, every read ends within its time limit, bad answers and bad
option values are clear errors with the documented exit code, never a traceback."""

# The fake LRS fixtures are imported, then named as test arguments:
# ruff: noqa: F811
from __future__ import annotations

import subprocess
import time

import pytest
from click.testing import CliRunner
from support.course_source import write_course
from support.fake_lrs import FakeLrs, away, lrs, nothing_reaches_the_second_origin, unused_port  # noqa: F401 (fixtures)

from ccm_scorm.cli import main
from ccm_scorm.http import HttpClient
from ccm_scorm.report.errors import EXIT_LRS, EXIT_USAGE

CREDENTIAL = "reader:secret"
SECONDS = "3"  # --lrs-timeout of the reads that would otherwise never end


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return write_course(tmp_path_factory.mktemp("hostile"))


def report(source, tmp_path, url, *extra):
    started = time.monotonic()
    result = CliRunner().invoke(
        main,
        ["report", str(source), "--lrs", url, "-o", str(tmp_path / "out"), "-f", "csv", *extra],
        env={"CCM_LRS_AUTH": CREDENTIAL},
    )
    result.seconds = time.monotonic() - started
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def test_a_working_endpoint_reads_and_a_same_origin_redirect_is_followed(lrs, source, tmp_path):
    result = report(source, tmp_path, lrs.url("ok"))
    assert result.exit_code == 0, result.output
    followed = report(source, tmp_path, lrs.url("redirect-here"))
    assert followed.exit_code == 0, followed.output
    assert lrs.requests("ok")[-1].authorization == "Basic cmVhZGVyOnNlY3JldA=="


@pytest.mark.parametrize("behaviour", ["redirect-away", "more-away"])
def test_the_credential_never_follows_a_redirect_or_more_link_to_another_origin(lrs, away, source, tmp_path, behaviour):
    result = report(source, tmp_path, lrs.url(behaviour))
    assert result.exit_code == EXIT_LRS, result.output
    assert "refused" in result.output
    assert lrs.origin in result.output and away.origin in result.output  # names both hosts
    assert away.seen == []  # not even a request without the credential
    assert not (tmp_path / "out").exists()


def test_a_file_more_link_is_not_read(lrs, source, tmp_path):
    result = report(source, tmp_path, lrs.url("more-file"))
    assert result.exit_code == EXIT_LRS
    assert "file: address" in result.output and "not followed" in result.output
    assert "root:" not in result.output


def test_a_more_link_that_is_not_an_address(lrs, source, tmp_path):
    result = report(source, tmp_path, lrs.url("more-broken"))
    assert result.exit_code == EXIT_LRS
    assert "not an address" in result.output or "not an http or https address" in result.output


def test_a_repeated_more_link_stops_the_read(lrs, source, tmp_path):
    result = report(source, tmp_path, lrs.url("more-repeat"))
    assert result.exit_code == EXIT_LRS
    assert "the same 'more' link twice" in result.output
    assert len(lrs.requests("more-repeat")) == 2


@pytest.mark.parametrize(
    "behaviour, message",
    [
        ("more-endless", "did not answer within 3 s"),
        ("drip", "did not answer within 3 s"),
    ],
)
def test_endless_answers_end_within_the_time_limit(lrs, source, tmp_path, behaviour, message):
    result = report(source, tmp_path, lrs.url(behaviour), "--lrs-timeout", SECONDS)
    assert result.exit_code == EXIT_LRS, result.output
    assert message in result.output
    assert result.seconds < float(SECONDS) + 3
    assert not (tmp_path / "out").exists()


def test_an_endless_page_stops_at_the_size_cap(lrs, source, tmp_path):
    """Stopped by the 64 MB cap, well before its (generous) time limit: the cap holds on its own."""
    result = report(source, tmp_path, lrs.url("huge-page"), "--lrs-timeout", "120")
    assert result.exit_code == EXIT_LRS, result.output
    assert "too large to read" in result.output and result.seconds < 120


def test_a_deeply_nested_page_is_refused_without_using_up_memory(lrs, source, tmp_path):
    """ijson builds a longer event prefix at every level; without a depth limit a page nested a million
    levels deep takes memory quadratic in its depth."""
    result = report(source, tmp_path, lrs.url("deep-page"), "--lrs-timeout", "60")
    assert result.exit_code == EXIT_LRS, result.output
    assert "nested more than" in result.output


def test_a_huge_string_is_refused(lrs, source, tmp_path):
    result = report(source, tmp_path, lrs.url("huge-string"))
    assert result.exit_code == EXIT_LRS
    assert "a text of 2,000,000 characters" in result.output


@pytest.mark.parametrize(
    "behaviour, message",
    [
        ("error-500", "answered 500"),
        ("wrong-password", "refused the credentials (401)"),
    ],
)
def test_error_answers(lrs, source, tmp_path, behaviour, message):
    result = report(source, tmp_path, lrs.url(behaviour))
    assert result.exit_code == EXIT_LRS and message in result.output


def test_an_unreachable_port(source, tmp_path):
    result = report(source, tmp_path, f"http://127.0.0.1:{unused_port()}/xAPI/")
    assert result.exit_code == EXIT_LRS and "connection refused" in result.output


def test_plain_http_to_another_computer_is_refused_unless_insecure(source, tmp_path):
    result = report(source, tmp_path, "http://lrs.example.org/xAPI/")
    assert result.exit_code == EXIT_USAGE
    assert "clear text" in result.output and "--insecure" in result.output
    # With --insecure the address is tried (and fails: the name does not resolve on this machine).
    tried = report(source, tmp_path, "http://lrs.invalid/xAPI/", "--insecure", "--lrs-timeout", SECONDS)
    assert tried.exit_code == EXIT_LRS and "clear text" not in tried.output


@pytest.mark.parametrize("value", ["nan", "-1", "0", "inf", "soon"])
def test_bad_time_limits_are_usage_errors(lrs, source, tmp_path, value):
    result = report(source, tmp_path, lrs.url("ok"), "--lrs-timeout", value)
    assert result.exit_code == EXIT_USAGE
    assert "--lrs-timeout" in result.output
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    server = FakeLrs(certificate=(str(cert), str(key)))
    yield server, cert
    server.close()


def test_tls_certificates_are_verified(self_signed, source, tmp_path):
    server, cert = self_signed
    result = report(source, tmp_path, server.url("ok"))
    assert result.exit_code == EXIT_LRS and "certificate" in result.output
    assert server.authorizations == []  # the handshake failed before any request
    trusted = CliRunner().invoke(
        main,
        ["report", str(source), "--lrs", server.url("ok"), "-o", str(tmp_path / "out"), "-f", "csv"],
        env={"CCM_LRS_AUTH": CREDENTIAL, "SSL_CERT_FILE": str(cert)},
    )
    assert trusted.exit_code == 0, trusted.output


def test_no_credential_means_no_authorization_header(lrs):
    with HttpClient(lrs.url("ok"), "", seconds=5) as http, http.request("GET", lrs.url("ok") + "statements") as answer:
        assert answer.status == 200
    assert lrs.requests("ok")[-1].authorization is None


@pytest.mark.parametrize("url", ["ftp://lrs.example.org/xAPI/", "file:///etc/", "lrs.example.org/xAPI/"])
def test_an_lrs_that_is_not_a_web_address_is_a_usage_error(source, tmp_path, url):
    result = report(source, tmp_path, url)
    assert result.exit_code == EXIT_USAGE and "is not a web address" in result.output


@pytest.mark.parametrize("url", ["ftp://moodle.example.org/", "moodle.example.org", "http://moodle.example.org/"])
def test_a_moodle_site_that_is_not_a_safe_web_address_is_a_usage_error(source, tmp_path, url):
    """The same address check as --lrs: a web address, and no token in clear text to another computer."""
    result = CliRunner().invoke(
        main,
        ["report", str(source), "--moodle-site", url, "--moodle-course", "2", "-o", str(tmp_path / "out")],
        env={"CCM_MOODLE_TOKEN": "token"},
    )
    assert "Traceback" not in result.output
    assert result.exit_code == EXIT_USAGE, result.output
    assert "--moodle-site" in result.output
