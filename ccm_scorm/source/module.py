"""Reading one module folder: module.yaml, its pages and its quiz."""

from __future__ import annotations

from pathlib import Path

from ..model import Draw, Module
from .files import check_regular_file
from .ids import check_id
from .pages import check_image, read_page
from .problems import Problems, did_you_mean, nearest
from .quiz import read_quiz
from .schema import COVER, DRAW, MODULE
from .yamlfile import Fields, load_yaml, read_section

MAX_MINUTES = MODULE["minutes"].most
MAX_ATTEMPTS = MODULE["attempts"].most
PASS_MARK = MODULE["pass_mark"]


def read_module(folder: Path, problems: Problems, known_competencies: frozenset[str] | None) -> Module | None:
    """`known_competencies` are the framework's ids (None when the framework could not be read)."""
    path = folder / "module.yaml"
    data = load_yaml(path, problems)
    if data is None:
        return None
    fields = read_section(MODULE, data, path, 1, problems)
    if not fields.ok:
        return None
    module_id = fields.value("id")
    if module_id:
        check_id("module", module_id, problems, path, fields.key_line("id"))
    competencies = fields.value("competencies")
    if fields.has("competencies") and not competencies:
        fields.error("competencies", "the module lists no competencies", "list at least one; the first is the primary")
    _check_competencies(fields, competencies, known_competencies)
    pass_mark = fields.value("pass_mark")
    if not PASS_MARK.least <= pass_mark <= PASS_MARK.most:
        fields.error(
            "pass_mark",
            f"pass_mark {_shown(pass_mark)} is outside {PASS_MARK.least}–{PASS_MARK.most}",
            "give a percentage such as 80",
        )
    attempts = fields.value("attempts")
    if attempts < 0:
        fields.error("attempts", f"attempts cannot be negative ({attempts})", "use 0 for unlimited attempts")
    elif attempts > MAX_ATTEMPTS:
        fields.error(
            "attempts",
            f"attempts {_shown(attempts)} is more than {MAX_ATTEMPTS}",
            "use 0 for unlimited attempts, or a number up to " + str(MAX_ATTEMPTS),
        )
    minutes = fields.value("minutes")
    if fields.has("minutes") and minutes < MODULE["minutes"].least:
        fields.error("minutes", "minutes must be more than 0", "estimate how long a learner takes, e.g. minutes: 12")
    elif minutes > MAX_MINUTES:
        fields.error(
            "minutes",
            f"minutes {_shown(minutes)} is more than {MAX_MINUTES} (a working day)",
            "estimate how long a learner takes, e.g. minutes: 12; split a longer module into several",
        )
    pages = _read_pages(folder, problems, module_id or "", competencies)
    primary = competencies[0] if competencies else ""
    quiz_path = folder / "quiz.yaml"
    # A misspelt competency is one error: questions naming the intended one are not warned about as well.
    intended = tuple(nearest(c, known_competencies) or c for c in competencies) if known_competencies else ()
    listed = tuple(dict.fromkeys(competencies + intended))
    errors_before = len(problems.errors)
    questions = read_quiz(quiz_path, problems, primary, listed, known_competencies) if quiz_path.exists() else ()
    # Questions the quiz could not read are errors of their own: the draw is not blamed for them as well.
    quiz_complete = len(problems.errors) == errors_before
    draw, draw_fields = _read_draw(fields, len(questions), quiz_complete)
    if quiz_complete:
        known_listed = tuple(c for c in competencies if known_competencies is None or c in known_competencies)
        _warn_unevidenced(fields, known_listed, questions)
    module = Module(
        id=module_id,
        version=fields.value("version"),
        title=fields.value("title"),
        summary=fields.value("summary"),
        competency_ids=competencies,
        audience=fields.value("audience"),
        minutes=minutes,
        outcomes=fields.value("outcomes"),
        pass_mark=pass_mark,
        attempts=attempts,
        pages=pages,
        questions=questions,
        draw=draw,
        source_dir=problems.course_path(folder),
        show_answers=fields.value("show_answers"),
        **_read_cover(fields, folder, problems),
    )
    if draw and draw_fields and quiz_complete:
        _warn_unbalanced_draw(draw_fields, module, draw.count)
    return module


def _read_cover(fields: Fields, folder: Path, problems: Problems) -> dict:
    """The cover image, checked like a page's images (under assets/, a browser's type, alt text)."""
    data = fields.mapping("cover")
    if data is None:
        return {}
    cover = read_section(COVER, data, fields.path, fields.key_line("cover"), problems)
    if not cover.ok:
        return {}
    src, alt = cover.value("image"), (cover.value("alt") or "").strip()
    if not alt:
        if cover.has("alt"):
            cover.error("alt", "the cover image's alt text is empty", "say what the picture shows, in a few words")
        return {}
    image = check_image(fields.path, cover.key_line("image"), src, alt, folder, problems)
    return {"cover": image, "cover_alt": alt} if image else {}


def _shown(number: int) -> str:
    """A number for a message: huge ones by their size, not 40 digits."""
    text = str(number)
    return text if len(text) <= 12 else f"with {len(text)} digits"


def _read_pages(folder: Path, problems: Problems, module_id: str, competencies: tuple[str, ...]) -> tuple:
    pages_dir = folder / "pages"
    files = sorted(pages_dir.glob("*.md")) if pages_dir.is_dir() else []
    if not files:
        problems.error(
            folder / "module.yaml",
            0,
            "the module has no pages",
            f"add Markdown pages to {problems.display_path(pages_dir)}/ (01-intro.md, 02-…)",
        )
        return ()
    pages = []
    for file in files:
        if not check_regular_file(file, problems):
            continue
        if file.is_symlink() and not file.resolve().is_relative_to(folder.resolve()):
            problems.error(
                file,
                0,
                "the page is a link to a file outside the module folder",
                "copy the page into the module instead of linking to it",
            )
            continue
        page = read_page(file, folder, problems, module_id, competencies)
        if page:
            pages.append(page)
    return tuple(pages)


def _read_draw(fields: Fields, bank_size: int, quiz_complete: bool = True) -> tuple[Draw | None, Fields | None]:
    """The module's draw (None: it asks its whole bank, or the draw is wrong and reported), and its fields."""
    data = fields.mapping("draw")
    if data is None:
        return None, None
    draw = read_section(DRAW, data, fields.path, fields.key_line("draw"), fields.problems)
    if not draw.ok:
        return None, draw
    count = draw.value("count")
    if count > bank_size and len(str(count)) > 12:
        draw.error("count", f"the draw count has {len(str(count))} digits", f"give a number up to {bank_size}")
        return None, draw
    if count < DRAW["count"].least:
        draw.error(
            "count",
            f"the draw count must be at least {DRAW['count'].least}",
            "say how many questions each attempt asks",
        )
        return None, draw
    if count > bank_size and quiz_complete:
        draw.error(
            "count",
            f"the draw asks for {count} questions but the quiz has {bank_size}",
            f"lower the count to at most {bank_size} or add questions",
        )
        return None, draw
    return Draw(count=count, shuffle=draw.value("shuffle")), draw


def _warn_unbalanced_draw(draw_fields: Fields, module: Module, count: int) -> None:
    """A competency the draw cannot give its minimum is left 'not assessed' in some attempts (render/draw.py)."""
    from ..render.draw import JUDGE_AT, guaranteed, minimums

    owed = minimums(module)
    missed = [competency for competency in owed if competency not in guaranteed(module)]
    if not missed:
        return
    named = ", ".join(f"'{competency}'" for competency in missed)
    draw_fields.warning(
        "count",
        f"a draw of {count} questions cannot give every competency the {JUDGE_AT} questions "
        f"(or all it has) that it needs to be judged: {named} can be left 'not assessed in this attempt' "
        "however well the learner answers",
        f"raise the draw count to {sum(owed.values())}, so that every attempt judges every competency",
    )


def _check_competencies(fields: Fields, competencies: tuple[str, ...], known: frozenset[str] | None) -> None:
    seen = set()
    for index, competency in enumerate(competencies):
        line = fields.item_line("competencies", index)
        if competency in seen:
            fields.problems.error(
                fields.path, line, f"the competency '{competency}' is listed twice", "list each competency once"
            )
        seen.add(competency)
        if known is not None and competency not in known:
            fields.problems.error(
                fields.path,
                line,
                f"unknown competency '{competency}'",
                did_you_mean(competency, known, "framework's competency"),
            )


def _warn_unevidenced(fields: Fields, competencies: tuple[str, ...], questions) -> None:
    if not questions:
        return
    evidenced = {question.competency_id for question in questions}
    listed = fields.value("competencies")
    for competency in competencies:
        if competency not in evidenced:
            fields.problems.warning(
                fields.path,
                fields.item_line("competencies", listed.index(competency)),
                f"no question in the quiz evidences '{competency}'",
                "add a question with 'competency: " + competency + "', or remove it from the list",
            )
