"""Modules and pathways that grow (issue 16): the bundled catalogue with more questions still fits
SCORM 1.2's 4096-character cmi.suspend_data, validates, builds for ESR and resumes exactly.

The grown catalogues are made from the bundled one in tmp_path (tests/support/grown.py):
- the foundations pathway with every module's bank doubled (24 questions, 8 drawn): worst case
  2521 characters (format p1 needed 7721);
- a 60-question module asked in written order, a quarter of it short text (15 at 40
  characters), 14 orderings and 14 matchings: worst case 1723 (format c1 needed 5725).
In the browser they play in scorm-again's SCORM 1.2 API (tests/support/lms.html), which refuses a
suspend_data longer than 4096 characters.
"""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner
from support import grown
from support.scorm_helpers import unzip

from ccm_scorm.cli import main
from ccm_scorm.package import zip_bytes
from ccm_scorm.render.state_size import (
    SCORM12_SUSPEND_DATA_LIMIT,
    worst_case_pathway_state_length,
    worst_case_progress_length,
    worst_case_state_length,
)
from ccm_scorm.source import load_course
from ccm_scorm.targets import BuildOptions, get_target


@pytest.fixture(scope="module")
def doubled(repo_root, tmp_path_factory):
    return grown.doubled_catalogue(repo_root, tmp_path_factory.mktemp("doubled"))


@pytest.fixture(scope="module")
def sixty(repo_root, tmp_path_factory):
    source = grown.copy_catalogue(repo_root, tmp_path_factory.mktemp("sixty"))
    grown.add_sixty_question_module(source)
    return source


def validate(source) -> str:
    result = CliRunner().invoke(main, ["validate", str(source)])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_doubled_foundations_pathway_validates_and_builds_for_esr(doubled, tmp_path):
    validate(doubled)
    course = load_course(doubled)
    pathway = next(p for p in course.pathways if p.id == grown.FOUNDATIONS)
    modules = [course.module(m) for m in pathway.module_ids]
    assert all(len(m.questions) == 24 and m.questions_per_attempt == 8 for m in modules)
    figure = worst_case_pathway_state_length(course, pathway)
    head = len("p2;") + 1 + len(";") + len(modules)  # the module open, the (empty) date, the separators
    assert figure == head + sum(worst_case_progress_length(m) for m in modules) == 2521
    assert figure <= SCORM12_SUSPEND_DATA_LIMIT
    package = get_target("scorm12").build_pathway(course, pathway, BuildOptions(lms="esr"))  # ESR refuses > 4096
    assert package.lms == "esr"


def test_a_sixty_question_module_without_a_draw_validates_and_builds_for_esr(sixty):
    validate(sixty)
    module = load_course(sixty).module(grown.SIXTY)
    kinds = [q.type.value for q in module.questions]
    assert len(kinds) == 60 and module.draw is None
    assert (kinds.count("short-text"), kinds.count("ordering"), kinds.count("matching")) == (15, 14, 14)
    assert worst_case_state_length(module) == 1723
    package = get_target("scorm12").build_module(load_course(sixty), module, BuildOptions(lms="esr"))
    assert package.lms == "esr"


def test_sixty_short_texts_really_cannot_fit_and_validate_says_where_and_what_to_do(repo_root, tmp_path):
    """60 short-text questions of 40 characters need 60 x 101 characters for their answers alone:
    refused, naming the file and what to do."""
    source = grown.copy_catalogue(repo_root, tmp_path)
    bank = grown.add_sixty_question_module(source)
    module = load_course(source).module(grown.SIXTY)
    text = next(q for q in module.questions if q.type.value == "short-text")
    figure = worst_case_state_length(dataclasses.replace(module, questions=(text,) * 60))
    # the answers; then results view "8" of 7 pages, seen "7f", attempt 999, question "1n" (59), no draw, score 100
    assert figure == 60 * 101 + len("c2|8|7f|999|1n|1|PPP|100") + 60  # PPP: the bank's print; a separator per answer
    written = next(q for q in bank if q["type"] == "short-text")
    grown.write_bank(source, grown.SIXTY, [{**written, "id": f"t{n:02d}"} for n in range(60)])
    result = CliRunner().invoke(main, ["validate", str(source)])
    assert result.exit_code == 1, result.output
    line = next(line for line in result.output.splitlines() if f"{grown.SIXTY}/quiz.yaml:1: error" in line)
    assert f"can reach {figure} characters" in line and figure > SCORM12_SUSPEND_DATA_LIMIT
    assert "keep at most 4096" in line and "draw fewer questions per attempt" in line, line


# ------------------------------------------------------------------ in the browser (scorm-again, SCORM 1.2)


def suspend_lengths(lms) -> list[int]:
    return [len(value) for element, value in lms.set_value_pairs() if element == "cmi.suspend_data"]


def test_the_doubled_foundations_pathway_resumes_exactly(doubled, tmp_path, http_server, scorm_lms, new_page):
    """One module passed, three (wrong) answers into the next, the window closed; back on another
    device with only what the LMS kept: the same module, question, draw and answers."""
    course = load_course(doubled)
    pathway = next(p for p in course.pathways if p.id == grown.FOUNDATIONS)
    package = get_target("scorm12").build_pathway(course, pathway, BuildOptions(lms="esr"))
    url = http_server(unzip(zip_bytes(package.files), tmp_path / "pkg")) + "index.html"
    lms = scorm_lms(url, "12", wait_for="initialize")
    frame = lms.frame
    grown.start_quiz(frame, 0)
    first_module, second_module = (course.module(m) for m in pathway.module_ids[:2])
    assert grown.answer_questions(frame, first_module, ["right"] * 8, 0) == "results"
    grown.back_to_menu(frame)
    grown.start_quiz(frame, 1)
    assert grown.answer_questions(frame, second_module, ["wrong"] * 3, 1) == "question"
    lms.unload_sco()
    lms.wait_for_finish()
    first = lms.cmi()
    assert first["cmi.core.exit"] == "suspend"
    before = frame_decode(lms.page, url, first["cmi.suspend_data"], new_page)
    assert before["open"] == 1 and before["modules"][0].get("result", {}).get("passed"), before["modules"][0]
    kept = before["modules"][1]["state"]
    assert kept["qpos"] == 3 and kept["seed"] is not None and len(kept["draw"]) == 8
    assert [a is not None for a in kept["answers"]] == [True] * 3 + [False] * 5

    seed = {
        "cmi.suspend_data": first["cmi.suspend_data"],
        "cmi.core.lesson_location": first["cmi.core.lesson_location"],
        "cmi.core.entry": "resume",
        "cmi.core.lesson_status": first["cmi.core.lesson_status"],
    }
    again = scorm_lms(url, "12", page=new_page(), seed=seed, wait_for="initialize")
    frame = again.frame
    form = frame.locator("form.ccm-question[data-pos='3']")
    form.wait_for()
    shown = form.get_attribute("data-question")
    asked = [second_module.questions[i].id for i in kept["draw"]]
    assert shown == asked[3], "the same draw, at the same question"
    assert grown.answer_questions(frame, second_module, ["right"] * 5, 1) == "results"
    after = frame.evaluate(grown.DECODE_PATHWAY_JS, again.value("cmi.suspend_data"))
    done = after["modules"][1]["state"]  # 5 of 8: failed, with attempts left, so still in progress
    assert done["submitted"] and done["score"] == 63 and done["seed"] == kept["seed"] and done["draw"] == kept["draw"]
    assert done["answers"][:3] == kept["answers"][:3], "the answers given before leaving are the attempt's"
    results_text = frame.inner_text("#ccm-results-body")
    for question_id in asked:  # the results list the questions of that draw
        prompt = next(q.prompt for q in second_module.questions if q.id == question_id)
        assert prompt in results_text
    assert max(suspend_lengths(lms) + suspend_lengths(again)) <= SCORM12_SUSPEND_DATA_LIMIT
    assert not lms.page.ccm_errors and not again.page.ccm_errors


def frame_decode(page, url, text, new_page) -> dict:
    """The runtime's own decoder on a saved pathway state (in a page of the package, nothing saved)."""
    reader = new_page()
    reader.goto(url)
    reader.wait_for_function("() => !!window.CCM && !!CCM.pathwayState")
    return reader.evaluate(grown.DECODE_PATHWAY_JS, text)


def test_sixty_questions_with_the_longest_answers_fit_and_resume(sixty, tmp_path, http_server, scorm_lms, new_page):
    course = load_course(sixty)
    module = course.module(grown.SIXTY)
    package = get_target("scorm12").build_module(course, module, BuildOptions(lms="esr"))
    url = http_server(unzip(zip_bytes(package.files), tmp_path / "pkg")) + "index.html"
    lms = scorm_lms(url, "12", wait_for="initialize")
    grown.start_quiz(lms.frame)
    assert grown.answer_questions(lms.frame, module, ["longest"] * 60) == "results"
    lms.frame.wait_for_selector("#ccm-results:not([hidden])")
    state = lms.value("cmi.suspend_data")
    # every answer as long as it can be: only the attempt (1, not 999) and the score are shorter
    assert worst_case_state_length(module) - 4 <= len(state) <= worst_case_state_length(module)
    texts = [token for token in state.split("|")[8:] if token.startswith("!")]
    assert len(texts) == 15 and all(len(t) == 101 for t in texts)
    shown = lms.frame.inner_text("#ccm-results-body")
    lms.unload_sco()
    lms.wait_for_finish()
    kept = lms.cmi()
    seed = {
        "cmi.suspend_data": kept["cmi.suspend_data"],
        "cmi.core.entry": "resume",
        "cmi.core.lesson_location": kept["cmi.core.lesson_location"],
        "cmi.core.lesson_status": kept["cmi.core.lesson_status"],
    }
    again = scorm_lms(url, "12", page=new_page(), seed=seed, wait_for="initialize")
    grown.leave_cover(again.frame)
    again.frame.wait_for_selector("#ccm-results:not([hidden])")
    assert again.frame.inner_text("#ccm-results-body") == shown  # the same questions, each right or wrong as before
    answers = again.frame.evaluate(grown.DECODE_MODULE_JS, kept["cmi.suspend_data"])["answers"]
    assert [a for a in answers if isinstance(a, str)] == ["\u20ac" * 40] * 15
    assert max(suspend_lengths(lms)) <= SCORM12_SUSPEND_DATA_LIMIT
    assert not lms.page.ccm_errors and not again.page.ccm_errors


def test_a_module_grown_after_the_learner_started_it_starts_again_alone(
    repo_root, tmp_path, http_server, scorm_lms, new_page
):
    """The trust doubles one module's bank and replaces the pathway package while a learner is half
    way through that module: that module starts again, and the learner is told; the module already
    passed is kept."""
    source = grown.copy_catalogue(repo_root, tmp_path / "catalogue")

    def package_url(folder: str) -> str:
        course = load_course(source)
        pathway = next(p for p in course.pathways if p.id == grown.FOUNDATIONS)
        package = get_target("scorm12").build_pathway(course, pathway, BuildOptions(lms="esr"))
        return http_server(unzip(zip_bytes(package.files), tmp_path / folder)) + "index.html"

    course = load_course(source)
    first_id, second_id = next(p for p in course.pathways if p.id == grown.FOUNDATIONS).module_ids[:2]
    lms = scorm_lms(package_url("before"), "12", wait_for="initialize")
    grown.start_quiz(lms.frame, 0)
    assert grown.answer_questions(lms.frame, course.module(first_id), ["right"] * 8, 0) == "results"
    grown.back_to_menu(lms.frame)
    grown.start_quiz(lms.frame, 1)
    assert grown.answer_questions(lms.frame, course.module(second_id), ["right"] * 2, 1) == "question"
    lms.unload_sco()
    lms.wait_for_finish()
    kept = lms.cmi()

    bank = grown.read_bank(source, second_id)
    grown.write_bank(source, second_id, bank + [{**q, "id": f"{q['id']}-local"} for q in bank])
    seed = {key: kept[key] for key in ("cmi.suspend_data", "cmi.core.lesson_location", "cmi.core.lesson_status")}
    again = scorm_lms(
        package_url("after"), "12", page=new_page(), seed={**seed, "cmi.core.entry": "resume"}, wait_for="initialize"
    )
    frame = again.frame
    notice = frame.locator("#ccm-notices p").first
    notice.wait_for()
    title = course.module(second_id).title
    assert f"Your saved progress in “{title}” could not be read" in notice.inner_text()
    assert "your other modules are kept" in notice.inner_text()
    frame.click("a[data-menu]")  # back to the pathway's page, which saves
    frame.wait_for_selector("#ccm-menu:not([hidden])")
    now = frame.evaluate(grown.DECODE_PATHWAY_JS, again.value("cmi.suspend_data"))
    assert now["modules"][0]["result"]["passed"]
    assert now["modules"][1]["state"]["attempt"] == 0 and now["modules"][1]["state"]["answers"] == []  # afresh
    assert not again.page.ccm_errors
