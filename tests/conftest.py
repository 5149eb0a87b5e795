"""Shared pytest fixtures for ccm-scorm: real clients only, no mocks.

Fixtures (see tests/support/ for the helpers behind them):
  shared_dir        Path of ../shared (reference material, XSDs, seeds)
  browser           one headless Debian Chromium per session (playwright)
  page              fresh context + page per test; page.ccm_errors collects
                    console errors and uncaught page errors from every frame
  context           that page's BrowserContext
  new_page          factory: new_page() -> another page in its own context
  http_server       factory: http_server(root=None, *, files=None, mounts=None,
                    routes=None) -> ServedSite (a str: "http://127.0.0.1:<port>/");
                    root may be a directory or a package .zip
  axe_check         axe_check(page_or_frame, context=None, *, tags=None,
                    rules=None) -> list of axe violations
  format_violations format_violations(violations) -> str
  scorm_lms         scorm_lms(sco_url, edition="12", **options) -> ScormLms
  ralph             the Ralph LRS (running at the start of every test)
  validate_statement  Ralph's pydantic validator: (stmt|list) -> [errors]
  xapi_validation     npm xapi-validation: (stmt|list) -> [warnings]

Prerequisites are installed by ./scripts/test; a missing one fails the test
with that hint, it is never skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_TESTS_DIR = Path(__file__).resolve().parent
if str(_TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(_TESTS_DIR))

from support import browser as _browser  # noqa: E402
from support import http_server as _http  # noqa: E402
from support import lrs as _ralph  # noqa: E402
from support import scorm_lms as _scorm  # noqa: E402
from support.paths import INSTALL_HINT, REPO_ROOT  # noqa: E402

_BROWSER_FIXTURES = {"browser", "context", "page", "new_page", "scorm_lms", "axe_check"}
_LRS_FIXTURES = {"ralph", "adl_lrs", "cts"}
_MOODLE_FIXTURES = {"moodle"}


def pytest_collection_modifyitems(config, items):
    """Tag tests by the real clients they use, so `-m "not browser and not lrs"` is the fast lane.

    A test on the real Moodle site or the CTS counts as a browser test too: both are driven
    through Chromium, and both take far longer than a unit test.
    """
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        uses_moodle = bool(names & _MOODLE_FIXTURES)
        uses_lrs = bool(names & _LRS_FIXTURES)
        if uses_moodle:
            item.add_marker(pytest.mark.moodle)
        if "cts" in names:
            item.add_marker(pytest.mark.cts)
        if names & _BROWSER_FIXTURES or uses_moodle or "cts" in names:
            item.add_marker(pytest.mark.browser)
        if uses_lrs:
            item.add_marker(pytest.mark.lrs)


# ------------------------------------------------------------------ paths
@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repository (reference docs, XSDs, seeds)."""
    path = (REPO_ROOT.parent / "shared").resolve()
    if not path.is_dir():
        pytest.fail(
            f"shared material is missing: expected the directory {path} (../shared beside the "
            f"repository at {REPO_ROOT}); CI clones the repo with /work/shared beside it",
            pytrace=False,
        )
    return path


# ---------------------------------------------------------------- browser
@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"Python playwright is not installed; {INSTALL_HINT}", pytrace=False)
    manager = sync_playwright().start()
    yield manager
    manager.stop()


@pytest.fixture(scope="session")
def browser(_playwright):
    """One headless /usr/bin/chromium for the whole session."""
    instance = _browser.launch_chromium(_playwright)
    yield instance
    instance.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context()
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A fresh page in its own context.  page.ccm_errors: list of "console:
    ..." / "pageerror: ..." strings; page.ccm_console: every console message;
    page.ccm_failed_requests: requests that failed at network level."""
    pg = context.new_page()
    _browser.attach_error_collectors(pg)
    yield pg


@pytest.fixture
def new_page(browser):
    """Factory: new_page() -> a page in a new, isolated context (its own
    cookies and storage), with the same error collectors as `page`.  For a
    second learner or a fresh browser session within one test."""
    contexts = []

    def make():
        ctx = browser.new_context()
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        pg = ctx.new_page()
        _browser.attach_error_collectors(pg)
        return pg

    yield make
    for ctx in contexts:
        ctx.close()


# ------------------------------------------------------------ http server
@pytest.fixture
def http_server():
    """Factory: http_server(root=None, *, files=None, mounts=None, routes=None)
    -> ServedSite.  `root`: a directory or a package .zip (served extracted).
    ServedSite is the base URL "http://127.0.0.1:<port>/" (a str) with
    .url(path), .add_file(path, content), .add_route(path, handler),
    .requests, .posts, .port.  /__lms/ serves tests/support and /__node/
    serves node_modules.  Servers stop at teardown."""
    sites: list[_http.ServedSite] = []

    def start(root=None, *, files=None, mounts=None, routes=None) -> _http.ServedSite:
        site = _http.serve(root, files=files, mounts=mounts, routes=routes)
        sites.append(site)
        return site

    yield start
    for site in sites:
        site.stop()


# -------------------------------------------------------------------- axe
@pytest.fixture(scope="session")
def axe_check():
    """axe_check(page_or_frame, context=None, *, tags=None, rules=None) -> list of violations."""
    return _browser.axe_check


@pytest.fixture(scope="session")
def format_violations():
    return _browser.format_violations


# ------------------------------------------------------------------ SCORM
@pytest.fixture
def scorm_lms(page):
    """Factory: scorm_lms(sco_url, edition="12", *, seed=None, learner=None,
    commit_url=None, faults=None, setup_js=None, settings=None,
    wait_for="load", page=None) -> ScormLms (opened on the test's page
    unless another page is given)."""

    def launch(sco_url: str, edition: str = "12", *, page=None, **options) -> _scorm.ScormLms:
        return _scorm.open_sco(page or _default_page, sco_url, edition, **options)

    _default_page = page
    return launch


# -------------------------------------------------------------------- LRS
@pytest.fixture(scope="session")
def _ralph_session():
    lrs = _ralph.RalphLrs()
    try:
        lrs.start()
        yield lrs
    finally:
        lrs.close()


@pytest.fixture
def ralph(_ralph_session):
    """The session's Ralph LRS, restarted if a previous test stopped it."""
    _ralph_session.start()
    return _ralph_session


@pytest.fixture(scope="session")
def validate_statement():
    """validate_statement(statement_or_list) -> list of error strings (Ralph's pydantic model)."""
    yield _ralph.validate_statement
    _ralph.close_validators()


@pytest.fixture(scope="session")
def xapi_validation():
    """xapi_validation(statement_or_list) -> list of warning strings (npm xapi-validation)."""
    yield _ralph.xapi_validation
    _ralph.close_validators()


# ----------------------------------------------------------------- Moodle
@pytest.fixture(scope="session")
def moodle():
    """The real Moodle 5.1 site of ../shared/clients/moodle (tests/support/moodle_site.py),
    started once per session; fails, never skips, when it cannot start."""
    from support.moodle_site import MoodleSite

    return MoodleSite.start()
