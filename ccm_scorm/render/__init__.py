"""Model -> the learner-facing files of a package: index.html, the runtime and the images.

Every target calls `render_module` (or `render_pathway`) with its own adapter; the HTML,
the styles and the tracking core are the same in every package.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import PurePosixPath

import rcssmin
from calmjs.parse import es5
from calmjs.parse.unparsers.es5 import minify_print
from jinja2 import Environment, PackageLoader, select_autoescape

from ..colours import theme_css
from ..model import Course, Image, Module, Page, Pathway, Question
from . import answer_key

# The runtime's files in load order (docs/runtime.md): each one adds its part to window.CCM
# and uses only the parts above it. Then the package's own part, the adapter's support scripts,
# the adapter and boot.js; a package carries them as one script (runtime_sources).
RUNTIME_CORE = (
    "base.js",
    "answer-key.js",
    "scoring.js",
    "state.js",
    "dom.js",
    "session.js",
    "quiz.js",
    "results.js",
    "module-view.js",
    "certificate.js",
)
RUNTIME_PACKAGE = {  # by course.kind: a module package never needs the pathway's menu, nor a pathway module-package.js
    "module": ("module-package.js",),
    "pathway": ("pathway-results.js", "pathway-menu.js", "pathway.js"),
}
RUNTIME_BOOT = "boot.js"
RUNTIME_SCRIPT = "ccm.js"  # the one script a package carries: the runtime's files for its adapter, minified together
STYLESHEET = "ccm.css"
RUNTIME_DIR = "runtime"
RUNTIME_GZIP_BUDGET = 30 * 1024  # bytes of runtime a package may send, gzipped (build report: runtime_gzip_bytes)
ORGANISATION_DIR = "organisation"
THEME_DIR = "theme"
THEME_STYLESHEET = "theme.css"  # generated from course.yaml's theme: (colours.theme_css), loaded after ccm.css
# The logo is also put in the course data as a data: URI, so that the certificate a learner
# downloads is one self-contained file; a larger logo is left out of that copy only.
LOGO_INLINE_LIMIT = 200_000


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


def runtime_sources(adapter: str, support_scripts: tuple[str, ...] = (), kind: str = "module") -> tuple[str, ...]:
    """The runtime's scripts (render/runtime/) for this adapter and kind of package, in load order (docs/runtime.md).

    `support_scripts` are scripts an adapter builds on (e.g. the statement outbox shared by the
    xAPI and cmi5 adapters); they come after the core and the package's part, before the adapter.
    """
    return (*RUNTIME_CORE, *RUNTIME_PACKAGE[kind], *support_scripts, f"adapter-{adapter}.js", RUNTIME_BOOT)


def runtime_source(name: str) -> str:
    """A runtime file's readable text, as written in render/runtime/."""
    return resources.files("ccm_scorm.render").joinpath(RUNTIME_DIR, name).read_text(encoding="utf-8")


_MINIFYING = threading.Lock()  # build threads wait for a script's one minification instead of each doing it


@cache
def _minified(script: str) -> str:
    text = minify_print(es5(script), obfuscate=True, obfuscate_globals=False, drop_semi=True)
    return text if text.endswith(";") else text + ";"  # the next script may start with "("


def bundle_scripts(scripts: Iterable[str]) -> bytes:
    """Scripts as one file, minified with calmjs.parse: comments and spacing stripped, each function's
    local names shortened (globals and properties never renamed); the same scripts always give the
    same bytes. Each is minified on its own (once a process, shared by every adapter's bundle), which
    gives exactly what minifying their concatenation would: each one is a function of its own.
    """
    with _MINIFYING:
        return "".join(_minified(script) for script in scripts).encode("utf-8")


@cache
def runtime_script(adapter: str, support_scripts: tuple[str, ...] = (), kind: str = "module") -> bytes:
    """runtime/ccm.js: one file, so that a slow phone makes one request and gzip keeps one dictionary."""
    return bundle_scripts(runtime_source(name) for name in runtime_sources(adapter, support_scripts, kind))


@cache
def stylesheet() -> bytes:
    """runtime/ccm.css with comments and spacing stripped (rcssmin)."""
    return rcssmin.cssmin(runtime_source(STYLESHEET)).encode("utf-8")


def content_security_policy(needs_network: bool) -> str:
    connect = "http: https:" if needs_network else "'none'"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"font-src 'self'; connect-src {connect}; base-uri 'none'; form-action 'none'"
    )


def runtime_files(adapter: str, support_scripts: tuple[str, ...] = (), kind: str = "module") -> dict[str, bytes]:
    """The runtime a package carries, by path in the package: one script, one stylesheet (runtime_sources)."""
    return {
        f"{RUNTIME_DIR}/{RUNTIME_SCRIPT}": runtime_script(adapter, support_scripts, kind),
        f"{RUNTIME_DIR}/{STYLESHEET}": stylesheet(),
    }


def render_module(
    course: Course,
    module: Module,
    adapter: str,
    needs_network: bool = False,
    extra_data: dict | None = None,
    support_scripts: tuple[str, ...] = (),
    folder: str = "",
) -> dict[str, bytes]:
    """Every file of the module's learner content, by path in the package.

    `extra_data` adds target-specific keys to the course JSON (e.g. a SCORM edition).
    `folder` puts the module's own files (index.html, its images) in that folder of the package,
    for packages of several modules (a cmi5 pathway); the runtime and the organisation's files
    stay at the root, shared, and the page refers to them there.
    """
    root = "../" * len(PurePosixPath(folder).parts) if folder else ""
    runtime = runtime_files(adapter, support_scripts)
    data = course_data(course, module, adapter, root)
    if extra_data:
        data.update(extra_data)
    html = (
        _environment()
        .get_template("module.html.j2")
        .render(
            lang=course.settings.language,
            title=module.title,
            csp=content_security_policy(needs_network),
            course_json=json_for_html(data),
            scripts=[root + path for path in runtime if path.endswith(".js")],
            stylesheet=f"{root}{RUNTIME_DIR}/{STYLESHEET}",
            pages=[RenderedPage(page.id, page.title, page.html) for page in module.pages],
            module=module,
            organisation=course.settings.organisation.name,
            t=course.settings.messages.text,
            cover={"path": module.cover.path, "alt": module.cover_alt} if module.cover else None,
            **theme_links(course, root),
        )
    )
    own = {"index.html": html.encode("utf-8")}
    for image in [image for page in module.pages for image in page.images] + ([module.cover] if module.cover else []):
        own[image.path] = image.data
    place = (lambda path: f"{folder}/{path}") if folder else (lambda path: path)
    return {
        **{place(path): data for path, data in own.items()},
        **runtime,
        **organisation_files(course),
        **theme_files(course),
    }


@dataclass(frozen=True)
class PathwayModule:
    """One module as the pathway shell shows it: its pages (images under the module's folder) and menu facts."""

    index: int
    id: str
    title: str
    summary: str
    minutes: int
    has_quiz: bool
    outcomes: tuple[str, ...]
    pages: tuple[RenderedPage, ...]


def _folder_html(page: Page) -> str:
    """The page's body with its images under the module's folder (Page fills it in from `html` when not given)."""
    return page.folder_html if page.folder_html is not None else page.html


def render_pathway(
    course: Course,
    pathway: Pathway,
    adapter: str,
    needs_network: bool = False,
    extra_data: dict | None = None,
    support_scripts: tuple[str, ...] = (),
) -> dict[str, bytes]:
    """Every file of a pathway package's learner content: one page with a module menu.

    Each module's images go under `<module id>/` so that modules cannot overwrite each other's.
    """
    runtime = runtime_files(adapter, support_scripts, "pathway")
    data = pathway_data(course, pathway, adapter)
    if extra_data:
        data.update(extra_data)
    modules = [course.module(module_id) for module_id in pathway.module_ids]
    shown = []
    files: dict[str, bytes] = {}
    for index, module in enumerate(modules):
        pages = tuple(RenderedPage(page.id, page.title, _folder_html(page)) for page in module.pages)
        files.update({f"{module.id}/{image.path}": image.data for page in module.pages for image in page.images})
        shown.append(
            PathwayModule(
                index, module.id, module.title, module.summary, module.minutes, module.has_quiz, module.outcomes, pages
            )
        )
    html = (
        _environment()
        .get_template("pathway.html.j2")
        .render(
            lang=course.settings.language,
            title=pathway.title,
            description=pathway.description,
            csp=content_security_policy(needs_network),
            course_json=json_for_html(data),
            scripts=[path for path in runtime if path.endswith(".js")],
            stylesheet=f"{RUNTIME_DIR}/{STYLESHEET}",
            modules=shown,
            total_minutes=sum(module.minutes for module in modules),
            organisation=course.settings.organisation.name,
            t=course.settings.messages.text,
            **theme_links(course),
        )
    )
    files.update({"index.html": html.encode("utf-8"), **runtime})
    files.update({**organisation_files(course), **theme_files(course)})
    return files


def organisation_logo_path(course: Course) -> str:
    """Where the organisation's logo goes in a package ("" if the course file names none)."""
    logo = course.settings.organisation.logo
    return _logo_path(logo) if logo is not None else ""


def organisation_files(course: Course) -> dict[str, bytes]:
    logo = course.settings.organisation.logo
    return {organisation_logo_path(course): logo.data} if logo is not None else {}


def _logo_path(logo: Image, folder: str = ORGANISATION_DIR) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]", "-", logo.path.rsplit("/", 1)[-1]) or "logo"
    return f"{folder}/{name}"


def theme_files(course: Course) -> dict[str, bytes]:
    """runtime/theme.css (the course's colour) and the theme's own header logo, where the course file sets them."""
    theme = course.settings.theme
    files = (
        {f"{RUNTIME_DIR}/{THEME_STYLESHEET}": theme_css(theme.primary_colour).encode()} if theme.primary_colour else {}
    )
    if theme.logo is not None:
        files[_logo_path(theme.logo, THEME_DIR)] = theme.logo.data
    return files


def theme_links(course: Course, root: str = "") -> dict[str, str]:
    """The templates' theme_stylesheet and header_logo (the theme's logo, else the organisation's), or ""."""
    theme = course.settings.theme
    logo = _logo_path(theme.logo, THEME_DIR) if theme.logo is not None else organisation_logo_path(course)
    return {
        "theme_stylesheet": f"{root}{RUNTIME_DIR}/{THEME_STYLESHEET}" if theme.primary_colour else "",
        "header_logo": root + logo if logo else "",
    }


_IMAGE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "svg": "image/svg+xml",
    "webp": "image/webp",
}


def organisation_data(course: Course, root: str = "") -> dict:
    """The course file's organisation as the runtime sees it (name, logo path, logo as data: URI).

    `root` is the way from the page to the package root, where the logo is ("../" one folder down).
    """
    organisation = course.settings.organisation
    logo_path = organisation_logo_path(course)
    data = {"name": organisation.name, "logo": root + logo_path if logo_path else "", "logoData": ""}
    logo = organisation.logo
    if logo is not None and len(logo.data) <= LOGO_INLINE_LIMIT:
        kind = _IMAGE_TYPES.get(logo.path.rsplit(".", 1)[-1].lower())
        if kind:
            data["logoData"] = f"data:{kind};base64," + base64.b64encode(logo.data).decode("ascii")
    return data


def pathway_data(course: Course, pathway: Pathway, adapter: str) -> dict:
    """The pathway as the runtime's course JSON (docs/runtime.md): the modules' own data, in order."""
    modules = [course.module(module_id) for module_id in pathway.module_ids]
    competencies = [
        {
            "id": competency_id,
            "title": course.framework.competency(competency_id).title,
            "iri": course.framework.competency_iri(competency_id),
        }
        for competency_id in course.pathway_competency_ids(pathway.id)
    ]
    module_data = []
    for module in modules:
        data = course_data(course, module, adapter)
        for once in ("organisation", "messages", "plural"):  # once, at the pathway level
            del data[once]
        data["minutes"] = module.minutes
        module_data.append(data)
    return {
        "format": 1,
        "adapter": adapter,
        "kind": "pathway",
        "id": pathway.id,
        "version": pathway.version,
        "title": pathway.title,
        "description": pathway.description,
        "iri": course.pathway_iri(pathway.id),
        "language": course.settings.language,
        **messages_data(course),
        "modules": module_data,
        "competencies": competencies,
        "organisation": organisation_data(course),
    }


# Catalogue areas used only outside the packages: the volunteer's handout (ccm issue), the Moodle course.
NOT_IN_PACKAGES = ("handout.", "moodle.")


def messages_data(course: Course) -> dict:
    """The learner's strings for the runtime (CCM.t in base.js)."""
    messages = course.settings.messages
    shown = {key: text for key, text in messages.as_json().items() if not key.startswith(NOT_IN_PACKAGES)}
    return {"messages": shown, "plural": messages.plural_rule}


def json_for_html(data: dict) -> str:
    """JSON that is safe inside a <script type="application/json"> element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def course_data(course: Course, module: Module, adapter: str, root: str = "") -> dict:
    """The module as the runtime's course JSON (docs/runtime.md); `root` as for organisation_data."""
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
        **messages_data(course),
        "passMark": module.pass_mark,
        "attempts": module.attempts,
        "draw": {"count": module.draw.count, "shuffle": module.draw.shuffle} if module.draw else None,
        "pages": [_page_data(page) for page in module.pages],
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
        "organisation": organisation_data(course, root),
    }


def _page_data(page: Page) -> dict[str, object]:
    # `competencies` only where the page names them: results.js links a missed competency to those pages
    data: dict[str, object] = {"id": page.id, "title": page.title}
    if page.competency_ids:
        data["competencies"] = list(page.competency_ids)
    return data


def question_data(course: Course, module: Module, question: Question) -> dict[str, object]:
    """A question as the runtime's course JSON: what the learner sees, and the answer key as answer_key.py hides it."""
    iri = course.question_iri(module.id, question.id)
    return {
        "id": question.id,
        "iri": iri,
        "type": question.type.value,
        "competency": question.competency_id,
        "prompt": question.prompt,
        "feedback": {"correct": question.feedback_correct, "incorrect": question.feedback_incorrect},
        **answer_key.question_fields(question, iri, module.show_answers),
    }
