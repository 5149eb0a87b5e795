"""The offline web pathway, end to end, as a volunteer on a phone or shared tablet uses it:
the package opened from file:// with the network switched off, progress kept on the
device across reloads, the certificate (name typed on the device) printed to one A4 page
of PDF and downloaded as one self-contained HTML file; axe-core on the menu and certificate."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader
from support.pathway_course import ORGANISATION, PATHWAY_TITLE, RIGHT_FIRST, RIGHT_SECOND, make_pathway_course
from test_pathway_runtime import STARTED, do_module, focused

from ccm_scorm.package import zip_bytes
from ccm_scorm.targets import BuildOptions, get_target

NAME = "Priya Shah"
COMPETENCIES = ("Communication", "Person-centred practice", "Working as a team")
A4_POINTS = (595, 842)


def offline(context, page):
    """No network at all: the context is offline and anything but file:// is aborted and noted."""
    context.set_offline(True)
    asked = []

    def guard(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page.on(
        "request",
        lambda request: None if request.url.startswith(("file:", "blob:", "data:")) else asked.append(request.url),
    )
    return asked


def unzip_web_package(tmp_path):
    course, pathway = make_pathway_course()
    package = get_target("web").build_pathway(course, pathway, BuildOptions())
    assert package.unit_kind == "pathway" and package.unit_id == "befriending-basics"
    folder = tmp_path / "pkg"
    with zipfile.ZipFile(io.BytesIO(zip_bytes(package.files))) as archive:
        assert "organisation/logo.png" in archive.namelist()
        archive.extractall(folder)
    return folder / "index.html"


def test_offline_file_url_pathway_to_printed_certificate(context, page, tmp_path, axe_check, format_violations):
    index = unzip_web_package(tmp_path)
    asked = offline(context, page)
    page.goto(index.as_uri())
    page.wait_for_function(STARTED)
    assert page.inner_text("#ccm-menu-title") == PATHWAY_TITLE

    do_module(page, 0, 3, RIGHT_FIRST)
    page.get_by_role("button", name="Back to all modules").click()
    # progress survives a reload (localStorage, per pathway id and version)
    page.reload()
    page.wait_for_function(STARTED)
    assert page.inner_text("#ccm-menu-status-0") == "Passed"
    assert page.inner_text("#ccm-menu-detail-0") == "Score 100%."
    assert page.inner_text("#ccm-menu-status-1") == "Not started"
    do_module(page, 1, 1, RIGHT_SECOND)
    page.get_by_role("button", name="Back to all modules").click()
    assert page.ccm_errors == []
    summary = page.inner_text("#ccm-menu-summary")
    assert "You have passed this pathway, with an overall score of 100%." in summary
    violations = axe_check(page)
    assert violations == [], format_violations(violations)

    # the certificate asks for the name first (web mode: kept on this device)
    page.get_by_role("button", name="See your certificate").click()
    assert focused(page, "#ccm-certificate-title")
    page.get_by_role("button", name="Save my name").click()
    assert page.is_visible("#ccm-name-error")
    assert focused(page, "#ccm-learner-name")
    page.fill("#ccm-learner-name", NAME)
    page.get_by_role("button", name="Save my name").click()
    assert focused(page, "#ccm-certificate-title")
    text = " ".join(page.inner_text("#ccm-cert").split())
    assert f"This is a record that {NAME} completed the pathway “{PATHWAY_TITLE}” on" in text
    assert "It is not a qualification, and it cannot prove who took the quiz." in text
    assert ORGANISATION in text and page.locator("#ccm-cert img.ccm-cert-logo").evaluate("i => i.naturalWidth") == 1
    violations = axe_check(page)
    assert violations == [], format_violations(violations)

    # after a reload the name is still there
    page.reload()
    page.wait_for_function(STARTED)
    page.get_by_role("button", name="See your certificate").click()
    assert NAME in page.inner_text("#ccm-cert")

    # download: one self-contained HTML file
    with page.expect_download() as info:
        page.get_by_role("link", name="Download a copy (HTML file)").click()
    download = info.value
    assert download.suggested_filename == "certificate-befriending-basics.html"
    html = open(download.path(), encoding="utf-8").read()
    assert NAME in html and PATHWAY_TITLE in html and "<style>" in html
    assert "data:image/png;base64," in html and "runtime/" not in html and "<script" not in html

    # print: one A4 page, with the name, the pathway and the competencies, nothing else
    page.emulate_media(media="print")
    for hidden in (".ccm-header", ".ccm-cert-actions", "#ccm-menu", "#ccm-toc"):
        assert not page.is_visible(hidden), hidden
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    printed = " ".join(pdf.pages[0].extract_text().split())
    for expected in (NAME, PATHWAY_TITLE, ORGANISATION) + COMPETENCIES:
        assert expected in printed, expected
    assert "Save my name" not in printed and "Download" not in printed
    # axe-core reads the stylesheet with a request of its own, which the package's CSP rightly blocks
    errors = [e for e in page.ccm_errors if not ("connect-src" in e and e.count("ccm.css"))]
    assert asked == [] and errors == []
