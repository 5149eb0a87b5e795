"""The HTML report as a manager reads it, in Debian's Chromium: titles not ids, evidence in words, a summary
paragraph, charts as accessible SVG with whole-number axes, a matrix whose learner column stays in view,
pathway sections with only their learners; axe-core finds nothing at laptop and phone sizes and the file
asks for nothing from anywhere (not even its own folder)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.course_source import write_course

from ccm_scorm.cli import main
from ccm_scorm.source import load_course

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ADL = "http://adlnet.gov/expapi/verbs/"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SIZES = [(1366, 768), (360, 740)]
SECOND_MODULE = {
    "second/module.yaml": 'id: second\nversion: "1.0.0"\ntitle: Second steps\nsummary: Another.\n'
    "competencies: [ccm.person-centred]\naudience: [Care navigator]\nminutes: 5\n"
    "outcomes:\n  - Pass.\npass_mark: 80\nattempts: 0\n",
    "second/pages/01-page.md": "# Page\n\nText.\n",
    "pathways/later.yaml": "id: later\ntitle: Later pathway\ndescription: For tests.\naudience: [Volunteer]\n"
    "modules: [second]\n",
}


def passed(course, name: str, email: str, module_id: str, results: dict[str, int], when: str) -> dict:
    iri = course.module_iri(module_id)
    return {
        "actor": {"name": name, "mbox": f"mailto:{email}"},
        "verb": {"id": ADL + "passed"},
        "object": {"id": iri},
        "timestamp": when,
        "result": {
            "score": {"scaled": 0.9},
            "extensions": {
                iri + "/xapi/competency-results": [
                    {"competency": cid, "score": score, "status": "passed" if score >= 80 else "failed"}
                    for cid, score in results.items()
                ]
            },
        },
    }


def write_report(source: Path, statements: list[dict], out: Path, *extra: str) -> str:
    path = out.parent / "statements.jsonl"
    path.write_text("\n".join(json.dumps(s) for s in statements), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["report", str(source), "--statements", str(path), "-o", str(out), "-f", "html", *extra]
    )
    assert result.exit_code == 0, result.output
    return (out / "report.html").as_uri()


@pytest.fixture
def small_report(tmp_path):
    source = write_course(tmp_path, SECOND_MODULE)
    course = load_course(source)
    statements = [
        passed(
            course,
            "Alice Ames",
            "alice@example.org",
            "demo",
            {"ccm.communication": 90, "ccm.advocacy": 60},
            "2026-03-02T10:00:00Z",
        )
    ]
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,email,issued,pathway\nAlice Ames,alice@example.org,2026-03-01,starter\n"
        "Zed Zane,zed@example.org,2026-03-10,later\n",
        encoding="utf-8",
    )
    return write_report(source, statements, tmp_path / "out", "--roster", str(roster), "--as-of", "2026-03-20")


def test_a_manager_reads_titles_words_and_a_summary(page, small_report):
    page.goto(small_report)
    summary = page.locator("#summary-text").inner_text()
    assert summary.startswith("2 learners; 0 achieved every competency.")
    assert "Person-centred practice 0, Advocacy 0, Communication 1" in summary
    assert "nobody has achieved Person-centred practice, Advocacy" in summary
    assert "1 learner has not started anything" in summary
    headings = page.locator("#matrix-table thead th").all_inner_texts()
    assert [h.rstrip(" ⇅▲▼") for h in headings] == ["Learner", "Person-centred practice", "Advocacy", "Communication"]
    assert page.locator("#matrix-table thead th").nth(3).get_attribute("title") == "ccm.communication"
    matrix = page.locator("#matrix-table").inner_text()
    assert "ccm." not in matrix and "basis" not in matrix and "objective" not in matrix
    alice = page.locator("#matrix-table tbody tr", has_text="Alice Ames").inner_text()
    assert "own quiz result" in alice and "best 90, latest 90" in alice and "since 2026-03-02" in alice
    table = page.locator("section[aria-labelledby=per-competency] table").inner_text()
    assert "Demo module" in table and "demo" not in table.replace("Demo module", "")


def test_pathway_sections_list_only_their_learners(page, small_report):
    page.goto(small_report)
    starter = page.locator("table", has=page.locator("caption", has_text="Starter pathway")).inner_text()
    later = page.locator("table", has=page.locator("caption", has_text="Later pathway")).inner_text()
    assert "Alice Ames" in starter and "Zed Zane" not in starter
    assert "Zed Zane" in later and "Alice Ames" not in later
    assert "Second steps" in later  # modules left by title
    assert "\t10\t" in later.split("Zed Zane")[1]  # days since issue, to --as-of


def test_charts_are_accessible_svg_with_whole_number_axes(page, small_report):
    page.goto(small_report)
    for chart in ("bar", "heat"):
        svg = page.locator(f"svg[aria-labelledby='{chart}-title {chart}-desc']")
        assert svg.get_attribute("role") == "img"
        assert svg.locator(f"title#{chart}-title").count() == 1
        assert svg.locator(f"desc#{chart}-desc").text_content().strip()
    ticks = [int(t) for t in page.locator("svg text.tick").all_text_contents()]  # int() fails on "0.5"
    assert ticks[0] == 0 and ticks[-1] >= 2 and len({b - a for a, b in itertools.pairwise(ticks)}) == 1
    bar_desc = page.locator("#bar-desc").text_content()
    assert "Communication: 1 achieved, 0 attempted, 0 not assessed, 1 not started" in bar_desc


@pytest.fixture(scope="module")
def catalogue_report(tmp_path_factory):
    """The bundled catalogue (12 competencies, wider than a laptop) with a dozen learners."""
    tmp = tmp_path_factory.mktemp("catalogue")
    source = REPO / "modules"
    course = load_course(source)
    statements = []
    for n in range(12):
        for m, module in enumerate(course.modules):
            if (n + m) % 3:
                scores = {cid: 60 + 10 * ((n * m + len(cid)) % 5) for cid in module.evidenced_competency_ids()}
                statements.append(
                    passed(
                        course,
                        f"Learner number {n} with a long name",
                        f"l{n}@example.org",
                        module.id,
                        scores,
                        f"2026-03-{n + 1:02d}T10:00:00Z",
                    )
                )
    return write_report(source, statements, tmp / "out")


@pytest.mark.parametrize("width,height", SIZES)
def test_fits_the_screen_with_the_learner_column_in_view(
    page, catalogue_report, width, height, axe_check, format_violations
):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": width, "height": height})
    page.goto(catalogue_report)
    assert requests == [catalogue_report], "the report must load nothing but itself"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    wrap = page.locator(".matrix-wrap")
    assert page.evaluate("el => el.scrollWidth > el.clientWidth", wrap.element_handle())
    first = page.locator("#matrix-table tbody th").first
    before = first.bounding_box()["x"]
    page.evaluate("el => { el.scrollLeft = el.scrollWidth; }", wrap.element_handle())
    page.wait_for_function("el => el.scrollLeft > 0", arg=wrap.element_handle())
    assert abs(first.bounding_box()["x"] - before) < 1, "the learner column scrolled away"
    # The table scrolls inside the page: its region is at most the screen's width.
    assert wrap.bounding_box()["width"] <= width
    violations = axe_check(page, tags=AXE_TAGS)
    assert not violations, format_violations(violations)
    assert not page.ccm_errors
    page.screenshot(path=str(Path(catalogue_report[len("file://") :]).parent / f"report-{width}.png"))
