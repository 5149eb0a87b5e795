"""Helpers for the SCORM tests: offline XSD validation against ../shared/schemas, building
packages into served folders, and answering the runtime's quiz from Python (keyboard only).

The schema files are read where they are (../shared/schemas); they are never copied.
"""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

from .answer_key import target_index
from .cover import pass_cover
from .paths import REPO_ROOT

SCHEMAS = REPO_ROOT.parent / "shared" / "schemas"

_NS12 = (
    ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
    ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
    ("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "imsmd_rootv1p2p1.xsd"),
)
_NS2004 = (
    ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
    ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
    ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
    ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
    ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
)
XML_NS = "http://www.w3.org/XML/1998/namespace"


def _driver(imports: list[tuple[str, Path]]) -> str:
    lines = "".join(f'<xs:import namespace="{ns}" schemaLocation="{path.as_uri()}"/>' for ns, path in imports)
    return f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{lines}</xs:schema>'


@functools.cache
def manifest_schema(edition: str):
    """The xmlschema object for "12" or "2004", built once, offline (allow='local').

    Quirks (../shared/schemas/README.md): SCORM 1.2's ims_xml.xsd binds a reserved prefix, so the
    XML namespace is imported first from the 2004 folder's W3C xml.xsd; imsmd_rootv1p2p1.xsd breaks
    the unique-particle rule, so the 1.2 schema is built in lax mode (instances are still validated
    strictly).
    """
    import xmlschema

    if edition == "12":
        folder = SCHEMAS / "scorm12"
        imports = [(XML_NS, SCHEMAS / "scorm2004-4th" / "xml.xsd")] + [(ns, folder / name) for ns, name in _NS12]
        return xmlschema.XMLSchema(_driver(imports), allow="local", base_url=str(folder), validation="lax")
    folder = SCHEMAS / "scorm2004-4th"
    return xmlschema.XMLSchema(
        _driver([(ns, folder / name) for ns, name in _NS2004]), allow="local", base_url=str(folder)
    )


def manifest_errors(manifest: bytes, edition: str) -> list[str]:
    return [str(error) for error in manifest_schema(edition).iter_errors(manifest.decode("utf-8"))]


def unzip(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    return folder


# ------------------------------------------------------------------ building and serving


def build_package(course, module_id: str, target: str, folder: Path, lms: str = "moodle") -> Path:
    """Build one package with the real target, zip it, unzip it under `folder`; returns the folder."""
    from ccm_scorm.package import zip_bytes
    from ccm_scorm.targets import BuildOptions, get_target

    package = get_target(target).build_module(course, course.module(module_id), BuildOptions(lms=lms))
    folder.mkdir(parents=True, exist_ok=True)
    return unzip(zip_bytes(package.files), folder)


# ------------------------------------------------------------------ driving the learner runtime


def course_data(frame) -> dict:
    return frame.evaluate("() => JSON.parse(document.getElementById('ccm-course').textContent)")


def _activate(frame, selector: str, keyboard: bool, key: str = "Space") -> None:
    if keyboard:
        frame.focus(selector)
        frame.page.keyboard.press(key)
    else:
        frame.click(selector)


def tab_to(frame, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (keyboard-only runs)."""
    page = frame.page
    for _ in range(limit):
        if frame.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def press(frame, selector: str, keyboard: bool, key: str = "Enter") -> None:
    if keyboard:
        tab_to(frame, selector)
        frame.page.keyboard.press(key)
    else:
        frame.click(selector)


def read_pages(frame, keyboard: bool = False) -> None:
    """From the cover or the first page, go through every content page to the quiz (or the end)."""
    pass_cover(frame)
    count = len(course_data(frame)["pages"])
    for _ in range(count):
        if frame.is_hidden("#ccm-pager") or frame.is_hidden("#ccm-next"):
            return
        press(frame, "#ccm-next", keyboard)


def current_position(frame) -> int:
    return int(frame.get_attribute("form.ccm-question", "data-pos"))


def answer(frame, question: dict, response: list, keyboard: bool = False) -> None:
    """Answer the question on screen with `response` (ids, as in the runtime's answer events) and check it."""
    pos = current_position(frame)
    base = f"#ccm-q{pos}"
    kind = question["type"]
    if kind == "multiple":
        ids = [o["id"] for o in question["options"]]
        for choice in response:
            press(frame, f"{base}-{ids.index(choice)}", keyboard, "Space")
    elif kind in ("single", "true-false"):
        if kind == "single":
            selector = f"{base}-{[o['id'] for o in question['options']].index(response[0])}"
        else:
            selector = f"{base}-{'t' if response[0] else 'f'}"
        if keyboard:  # a radio group is one Tab stop; the arrow keys move and check
            tab_to(frame, f"input[name='ccm-q{pos}']")
            frame.page.keyboard.press("Space")
            for _ in range(len(question.get("options", [0, 0])) + 1):
                if frame.evaluate("(s) => document.querySelector(s).checked", selector):
                    break
                frame.page.keyboard.press("ArrowDown")
        else:
            frame.click(selector)
    elif kind == "matching":
        ids = [p["id"] for p in question["pairs"]]
        for source, target in response:
            s, t = ids.index(source), target_index(question, target)
            if keyboard:
                tab_to(frame, f"{base}-{s}")
                for _ in range(len(question["targets"]) + 1):
                    if frame.evaluate("(sel) => document.querySelector(sel).value", f"{base}-{s}") == str(t):
                        break
                    frame.page.keyboard.press("ArrowDown")
            else:
                frame.select_option(f"{base}-{s}", str(t))
    elif kind == "ordering":
        ids = [i["id"] for i in question["items"]]
        wanted = [ids.index(i) for i in response]
        for place, item in enumerate(wanted):
            while True:
                order = frame.eval_on_selector_all(
                    f"{base}-order button[data-dir='-1']", "(bs) => bs.map((b) => +b.getAttribute('data-item'))"
                )
                at = order.index(item)
                if at <= place:
                    break
                press(frame, f"{base}-order button[data-item='{item}'][data-dir='-1']", keyboard, "Enter")
    elif kind == "short-text":
        if keyboard:
            tab_to(frame, f"{base}-text")
            frame.page.keyboard.type(response[0])
        else:
            frame.fill(f"{base}-text", response[0])
    press(frame, f"{base}-form button[type=submit]", keyboard, "Enter")
    frame.wait_for_selector(f"{base}-form .ccm-feedback")


def take_quiz(frame, answers: dict, keyboard: bool = False, count: int | None = None) -> None:
    """Start (or retry) the quiz and answer `count` questions (default all) from `answers` {question id: response};
    submits when the last one is checked."""
    data = course_data(frame)
    questions = {q["id"]: q for q in data["questions"]}
    if frame.locator("button[data-action=begin]").count():
        press(frame, "button[data-action=begin]", keyboard)
    elif frame.locator("button[data-action=retry]").count():
        press(frame, "button[data-action=retry]", keyboard)
    order = frame.evaluate("() => null")  # the test course has no draw: questions come in written order
    done = 0
    while True:
        frame.wait_for_selector("form.ccm-question")
        pos = current_position(frame)
        question = data["questions"][pos] if order is None else questions[order[pos]]
        if frame.locator(f"#ccm-q{pos}-form .ccm-feedback").count() == 0:
            answer(frame, question, answers[question["id"]], keyboard)
            done += 1
        if count is not None and done >= count:
            return
        if frame.locator("button[data-action=next-question]").count():
            press(frame, "button[data-action=next-question]", keyboard)
            continue
        press(frame, "button[data-action=submit]", keyboard)
        frame.wait_for_selector("#ccm-results:not([hidden])")
        return
