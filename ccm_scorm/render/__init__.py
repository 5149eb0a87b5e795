"""Model -> the learner-facing files of a package: index.html, the runtime and the images.

Every target calls `render_module` with its own adapter; the HTML, the styles and the
tracking core are the same in every package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import Course, Module, Question, QuestionType

RUNTIME_CORE = ("core.js",)
RUNTIME_BOOT = "boot.js"
STYLESHEET = "ccm.css"
RUNTIME_DIR = "runtime"


@dataclass(frozen=True)
class RenderedPage:
    id: str
    title: str
    html: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("ccm_scorm.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def template(name: str):
    """A template from render/templates, autoescaped."""
    return _environment().get_template(name)


@lru_cache(maxsize=None)
def runtime_file(name: str) -> bytes:
    return resources.files("ccm_scorm.render").joinpath(RUNTIME_DIR, name).read_bytes()


def content_security_policy(needs_network: bool) -> str:
    connect = "http: https:" if needs_network else "'none'"
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"font-src 'self'; connect-src {connect}; base-uri 'none'; form-action 'none'")


def runtime_files(adapter: str, support_scripts: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The runtime files a package with this adapter carries, by their path in the package.

    `support_scripts` are runtime files an adapter builds on (e.g. the statement outbox
    shared by the xAPI and cmi5 adapters); they load after the core, before the adapter.
    """
    names = list(RUNTIME_CORE) + list(support_scripts) + [f"adapter-{adapter}.js", RUNTIME_BOOT, STYLESHEET]
    return {f"{RUNTIME_DIR}/{name}": runtime_file(name) for name in names}


def render_module(course: Course, module: Module, adapter: str, needs_network: bool = False,
                  extra_data: dict | None = None, support_scripts: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file of the module's learner content, by path in the package.

    `extra_data` adds target-specific keys to the course JSON (e.g. a SCORM edition).
    """
    runtime = runtime_files(adapter, support_scripts)
    data = course_data(course, module, adapter)
    if extra_data:
        data.update(extra_data)
    html = _environment().get_template("module.html.j2").render(
        lang=course.settings.language,
        title=module.title,
        csp=content_security_policy(needs_network),
        course_json=json_for_html(data),
        scripts=[path for path in runtime if path.endswith(".js")],
        stylesheet=f"{RUNTIME_DIR}/{STYLESHEET}",
        pages=[RenderedPage(page.id, page.title, page.html) for page in module.pages],
        module=module,
        organisation=course.settings.organisation.name,
    )
    files = {"index.html": html.encode("utf-8"), **runtime}
    for page in module.pages:
        for image in page.images:
            files[image.path] = image.data
    return files


def json_for_html(data: dict) -> str:
    """JSON that is safe inside a <script type="application/json"> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def course_data(course: Course, module: Module, adapter: str) -> dict:
    """The module as the runtime's course JSON (docs/runtime.md)."""
    framework = course.framework
    return {
        "format": 1,
        "adapter": adapter,
        "kind": "module",
        "id": module.id,
        "version": module.version,
        "title": module.title,
        "iri": course.module_iri(module.id),
        "language": course.settings.language,
        "passMark": module.pass_mark,
        "attempts": module.attempts,
        "draw": {"count": module.draw.count, "shuffle": module.draw.shuffle} if module.draw else None,
        "pages": [{"id": page.id, "title": page.title} for page in module.pages],
        "competencies": [
            {
                "id": competency_id,
                "title": framework.competency(competency_id).title,
                "iri": framework.competency_iri(competency_id),
                "primary": competency_id == module.primary_competency_id,
                # Named only by a question, not by the module: reported only when such a question is drawn.
                "crossLink": competency_id not in module.competency_ids,
            }
            for competency_id in module.evidenced_competency_ids()
        ],
        "questions": [question_data(course, module, question) for question in module.questions],
    }


def question_data(course: Course, module: Module, question: Question) -> dict:
    data = {
        "id": question.id,
        "iri": course.question_iri(module.id, question.id),
        "type": question.type.value,
        "competency": question.competency_id,
        "prompt": question.prompt,
        "feedback": {"correct": question.feedback_correct, "incorrect": question.feedback_incorrect},
    }
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        data["options"] = [{"id": o.id, "text": o.text, "feedback": o.feedback} for o in question.options]
        data["correct"] = [o.id for o in question.options if o.correct]
    elif question.type is QuestionType.TRUE_FALSE:
        data["correct"] = question.answer
    elif question.type is QuestionType.MATCHING:
        data["pairs"] = [{"id": p.id, "prompt": p.prompt, "match": p.match} for p in question.pairs]
    elif question.type is QuestionType.ORDERING:
        data["items"] = [{"id": i.id, "text": i.text} for i in question.items]
    elif question.type is QuestionType.SHORT_TEXT:
        data["answers"] = list(question.answers)
        data["caseSensitive"] = question.case_sensitive
        data["maxLength"] = question.max_length
    return data
