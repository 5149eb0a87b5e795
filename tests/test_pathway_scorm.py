"""Pathway SCORM packages (1.2 and 2004): one SCO with a module menu, against scorm-again in Chromium.

The pathway (tests/support/pathway_course.py, plus a third module here) has three short
modules without a draw, so every CMI value is exact. The learner passes two modules,
closes the window, comes back from another device (only what the LMS kept) and passes the
third: the SCO stays incomplete until then, each module's answers are interactions
"<module>.<question>", and the final status, score and one objective per competency are the
pathway-result's. Also: the manifests of the bundled pathways against the XSDs, and axe on the
module menu inside the LMS frame.
"""

from __future__ import annotations

import pytest
from lxml import etree
from support.paths import REPO_ROOT
from support.pathway_course import RIGHT_FIRST, RIGHT_SECOND
from support.pathway_learner import MODULES, QUESTIONS, RIGHT_THIRD, STARTED, do_module, three_module_course
from support.scorm_helpers import manifest_errors, unzip

from ccm_scorm.package import zip_bytes
from ccm_scorm.render.state_size import SCORM12_SUSPEND_DATA_LIMIT
from ccm_scorm.source import load_course
from ccm_scorm.targets import BuildOptions, get_target
from ccm_scorm.targets.scorm_manifest import IMSCP, IMSCP12, IMSSS

EDITIONS = ["12", "2004"]
TARGET = {"12": "scorm12", "2004": "scorm2004"}


@pytest.fixture(scope="module")
def course_and_pathway():
    return three_module_course()


def build(course, pathway, target, folder, lms="moodle"):
    package = get_target(target).build_pathway(course, pathway, BuildOptions(lms=lms))
    return package, unzip(zip_bytes(package.files), folder)


# ------------------------------------------------------------------ manifests


@pytest.mark.parametrize("edition", EDITIONS)
def test_bundled_pathway_manifests_validate(edition, tmp_path):
    course = load_course(REPO_ROOT / "modules")
    assert course.pathways
    for pathway in course.pathways:
        package = get_target(TARGET[edition]).build_pathway(course, pathway, BuildOptions())
        assert package.unit_kind == "pathway" and package.unit_id == pathway.id
        manifest = package.files["imsmanifest.xml"]
        assert manifest_errors(manifest, edition) == [], pathway.id
        root = etree.fromstring(manifest)
        cp = IMSCP12 if edition == "12" else IMSCP
        assert root.get("identifier") == f"ccm-pathway-{pathway.id}" and root.get("version") == pathway.version
        [item] = root.iterfind(f".//{{{cp}}}item")
        [resource] = root.iterfind(f".//{{{cp}}}resource")
        assert item.get("identifier") == f"ITEM-pathway-{pathway.id}"
        assert item.get("identifierref") == resource.get("identifier") == f"RES-pathway-{pathway.id}"
        assert item.findtext(f"{{{cp}}}title") == pathway.title
        assert root.findtext(f".//{{{cp}}}organization/{{{cp}}}title") == pathway.title
        assert pathway.description.split()[0] in etree.tostring(root.find(f".//{{{cp}}}metadata")).decode()
        listed = {f.get("href") for f in resource.iterfind(f"{{{cp}}}file")}
        assert listed == set(package.files) - {"imsmanifest.xml"}
        competencies = []
        for module_id in pathway.module_ids:
            competencies += [c for c in course.module(module_id).evidenced_competency_ids() if c not in competencies]
        assert package.competency_ids == tuple(competencies)
        if edition == "12":
            assert root.find(".//{*}masteryscore") is None  # passed = every module passed, not a score
        else:
            # No declared objective: Moodle would make any of them the pass mark of every module (1.0
            # without a measure); the runtime creates the pathway's and competencies' objectives itself.
            assert root.find(f".//{{{IMSSS}}}sequencing") is None


def test_esr_refuses_scorm2004_pathways_and_takes_scorm12(course_and_pathway):
    from ccm_scorm.targets import BuildRefused

    course, pathway = course_and_pathway
    with pytest.raises(BuildRefused, match="SCORM 1.2"):
        get_target("scorm2004").build_pathway(course, pathway, BuildOptions(lms="esr"))
    assert get_target("scorm12").build_pathway(course, pathway, BuildOptions(lms="esr")).lms == "esr"


def test_ccm_build_pathway_writes_one_package_per_target(tmp_path, course_and_pathway):
    from ccm_scorm.build import build as ccm_build

    course, pathway = course_and_pathway
    result = ccm_build(course, ["scorm12", "scorm2004"], tmp_path, BuildOptions(), pathway_ids=(pathway.id,))
    paths = sorted(record.path for record in result.records)
    assert paths == [f"scorm12/{pathway.id}.zip", f"scorm2004/{pathway.id}.zip"]
    assert all(record.runtime_gzip_bytes < 30_000 for record in result.records)


# ------------------------------------------------------------------ in the browser


def prefix(edition: str, name: str) -> str:
    names = {
        "status": ("cmi.core.lesson_status", "cmi.completion_status"),
        "raw": ("cmi.core.score.raw", "cmi.score.raw"),
        "exit": ("cmi.core.exit", "cmi.exit"),
        "location": ("cmi.core.lesson_location", "cmi.location"),
        "entry": ("cmi.core.entry", "cmi.entry"),
    }
    return names[name][0 if edition == "12" else 1]


def objectives(cmi: dict) -> dict:
    rows, ids = {}, {}
    for key, value in cmi.items():
        parts = key.split(".")
        if parts[:2] == ["cmi", "objectives"] and len(parts) == 4 and parts[3] == "id":
            ids[parts[2]] = value
    for n, objective_id in ids.items():
        p = f"cmi.objectives.{n}."
        rows[objective_id] = {
            k[len(p) :]: v for k, v in cmi.items() if k.startswith(p) and k != p + "id" and v not in ("", "unknown")
        }
    return rows


def interactions(cmi: dict) -> list[tuple[str, str, str]]:
    out, n = [], 0
    while f"cmi.interactions.{n}.id" in cmi:
        p = f"cmi.interactions.{n}."
        out.append((cmi[p + "id"], cmi[p + "objectives.0.id"], cmi[p + "result"]))
        n += 1
    return out


def suspend_lengths(lms) -> list[int]:
    return [len(value) for element, value in lms.set_value_pairs() if element == "cmi.suspend_data"]


def row(edition: str, score: int | None, status: str) -> dict:
    if edition == "12":
        if score is None:
            return {"status": status}
        return {"status": status, "score.raw": str(score), "score.min": "0", "score.max": "100"}
    out = {"completion_status": status if status in ("completed", "incomplete") else "completed"}
    if score is not None:
        out.update(
            {
                "success_status": status,
                "score.raw": str(score),
                "score.min": "0",
                "score.max": "100",
                "score.scaled": str(score / 100).rstrip("0").rstrip("."),
            }
        )
    return out


@pytest.mark.parametrize("edition", EDITIONS)
def test_two_modules_close_resume_finish(
    edition, course_and_pathway, tmp_path, http_server, scorm_lms, new_page, axe_check, format_violations
):
    course, pathway = course_and_pathway
    _, folder = build(course, pathway, TARGET[edition], tmp_path / "pkg")
    url = http_server(folder) + "index.html"
    lms = scorm_lms(url, edition, wait_for="initialize")
    frame = lms.frame
    frame.wait_for_function(STARTED)
    violations = axe_check(lms.page, frame)  # the module menu, inside the LMS's frame
    assert not violations, format_violations(violations)
    assert lms.value(prefix(edition, "status")) == "incomplete"

    do_module(frame, 0, RIGHT_FIRST)
    do_module(frame, 1, RIGHT_SECOND)
    cmi = lms.cmi()
    assert cmi[prefix(edition, "status")] == "incomplete"  # not every module finished yet
    assert cmi.get(prefix(edition, "raw"), "") == ""
    assert [i[0] for i in interactions(cmi)] == [f"{m}.{q}" for m in MODULES[:2] for q in QUESTIONS[m]]
    rows = objectives(cmi)
    competencies = ["ccm.communication", "ccm.person-centred", "ccm.teamwork"]
    field = "status" if edition == "12" else "completion_status"
    assert {k: rows[k][field] for k in competencies} == {k: "incomplete" for k in competencies}
    assert not any("score.raw" in rows[k] or "success_status" in rows[k] for k in competencies)
    assert cmi[prefix(edition, "location")] == "menu"
    assert cmi["cmi.suspend_data"].startswith("p2;;;=100p,")

    lms.unload_sco()  # the learner closes the window
    lms.wait_for_finish()
    first = lms.cmi()
    assert first[prefix(edition, "exit")] == "suspend"
    assert max(suspend_lengths(lms)) <= SCORM12_SUSPEND_DATA_LIMIT

    # Back on another device: only what the LMS kept (2004: objectives preloaded in another order).
    seed = {
        "cmi.suspend_data": first["cmi.suspend_data"],
        prefix(edition, "location"): first[prefix(edition, "location")],
        prefix(edition, "entry"): "resume",
        prefix(edition, "status"): first[prefix(edition, "status")],
    }
    if edition == "2004":
        for n, objective_id in enumerate(["ccm.teamwork", pathway.id, "ccm.communication", "ccm.person-centred"]):
            seed[f"cmi.objectives.{n}.id"] = objective_id
    again = scorm_lms(url, edition, page=new_page(), seed=seed, wait_for="initialize")
    frame = again.frame
    frame.wait_for_function(STARTED)
    assert frame.inner_text("#ccm-menu-status-0") == frame.inner_text("#ccm-menu-status-1") == "Passed"
    assert frame.inner_text("#ccm-menu-detail-0") == frame.inner_text("#ccm-menu-detail-1") == "Score 100%."
    assert frame.inner_text("#ccm-menu-status-2") == "Not started"
    do_module(frame, 2, RIGHT_THIRD)
    cmi = again.cmi()
    score = round((100 + 100 + 50) / 3)
    assert cmi[prefix(edition, "raw")] == str(score)
    if edition == "12":
        assert cmi["cmi.core.lesson_status"] == "passed"
    else:
        assert (cmi["cmi.completion_status"], cmi["cmi.success_status"]) == ("completed", "passed")
        assert cmi["cmi.score.scaled"] == str(score / 100)
    assert [i[0] for i in interactions(cmi)] == [f"first-visit.{q}" for q in QUESTIONS["first-visit"]]
    assert [(i[1], i[2]) for i in interactions(cmi)] == [
        ("ccm.communication", "correct"),
        ("ccm.communication", "wrong" if edition == "12" else "incorrect"),
    ]
    want = {
        "ccm.communication": row(edition, 75, "passed"),  # mean of 100 (module 1) and 50 (module 3)
        "ccm.person-centred": row(edition, 100, "passed"),
        "ccm.teamwork": row(edition, 100, "passed"),
    }
    if edition == "2004":
        want[pathway.id] = row(edition, score, "passed")
        assert cmi["cmi.objectives.0.id"] == "ccm.teamwork" and "cmi.objectives.4.id" not in cmi
        assert all(call["result"] == "true" for call in again.set_values())
    assert objectives(cmi) == want
    frame.get_by_role("button", name="Finish for now").click()
    again.wait_for_finish()
    cmi = again.cmi()
    assert cmi[prefix(edition, "exit")] == ("" if edition == "12" else "normal")
    assert max(suspend_lengths(again)) <= SCORM12_SUSPEND_DATA_LIMIT
    assert again.finish_count() == 1
    assert not lms.page.ccm_errors and not again.page.ccm_errors
