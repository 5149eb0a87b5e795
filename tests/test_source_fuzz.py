"""Random YAML and Markdown never make the loader raise: every input gives a model or problems."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.course_source import MODULE, PAGE_ONE, QUIZ, write_course

from ccm_scorm.source import check_course

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=False), st.text(max_size=30)
)
yaml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "text",
                    "options",
                    "questions",
                    "correct",
                    "answer",
                    "pairs",
                    "items",
                    "prompt",
                    "feedback",
                    "competency",
                    "draw",
                    "count",
                    "x",
                ]
            )
            | st.text(max_size=8),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=12,
)

markdown_pieces = st.lists(
    st.sampled_from(
        [
            "# Title\n",
            "## Sub\n",
            "text ",
            "**bold** ",
            "::: note\n",
            "::: case-study A title\n",
            ":::\n",
            "::: \n",
            "::: nope\n",
            "![alt](assets/talk.png)",
            "![](assets/x.png)",
            "![a](../x.png)",
            "[l](https://x.org)",
            "[l](javascript:alert(1))",
            "<script>x</script>",
            "```\n",
            "- item\n",
            "\n",
            "\t",
            "\\",
            "`code`",
            "\u00e9",
        ]
    ),
    max_size=25,
).map("".join)


def _check(overrides: dict) -> None:
    folder = Path(tempfile.mkdtemp(prefix="ccm-fuzz-"))
    try:
        course, problems = check_course(write_course(folder, overrides))
        assert (course is None) == bool(problems.errors)
        for problem in problems.items:
            assert problem.message and problem.file
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _dump(value) -> str:
    from io import StringIO

    from ruamel.yaml import YAML

    stream = StringIO()
    YAML(typ="safe", pure=True).dump(value, stream)
    return stream.getvalue()


@FUZZ
@given(value=yaml_values)
def test_random_quiz_structures_never_raise(value):
    _check({"demo/quiz.yaml": _dump({"questions": value if isinstance(value, list) else [value]})})


@FUZZ
@given(value=yaml_values)
def test_random_module_files_never_raise(value):
    _check({"demo/module.yaml": _dump(value)})


@FUZZ
@given(text=st.text(max_size=200), file=st.sampled_from(["demo/quiz.yaml", "framework.yaml", "pathways/starter.yaml"]))
def test_random_text_as_yaml_never_raises(text, file):
    _check({file: text})


@FUZZ
@given(text=markdown_pieces)
def test_random_markdown_never_raises(text):
    _check({"demo/pages/01-welcome.md": text})


@FUZZ
@given(
    lines=st.lists(
        st.sampled_from(MODULE.splitlines() + QUIZ.splitlines()[:6] + ["  - x", ": :", "- - -"]), max_size=15
    )
)
def test_shuffled_lines_never_raise(lines):
    _check({"demo/module.yaml": "\n".join(lines), "demo/pages/01-welcome.md": PAGE_ONE})


hostile_links = st.builds(
    lambda scheme, rest, image: f"{'!' if image else ''}[x]({scheme}{rest})",
    st.sampled_from(
        [
            "javascript:",
            "JaVaScRiPt:",
            "data:",
            "file:///",
            "vbscript:",
            "ftp://",
            "blob:",
            "about:",
            " javascript:",
            "%6Aavascript:",
        ]
    ),
    st.text(alphabet="abc/():;,=%", max_size=12),
    st.booleans(),
)


@FUZZ
@given(link=hostile_links)
def test_links_and_images_that_are_not_web_addresses_are_always_refused(link):
    folder = Path(tempfile.mkdtemp(prefix="ccm-fuzz-"))
    try:
        course, problems = check_course(write_course(folder, {"demo/pages/01-welcome.md": f"# T\n\nSee {link}.\n"}))
        shown_as_link = course is not None and "<a " in course.module("demo").pages[0].html
        assert not shown_as_link or 'href="http' in course.module("demo").pages[0].html
        if course is not None:  # accepted only when Markdown read it as plain text, never as a link or image
            page = course.module("demo").pages[0]
            assert "<a " not in page.html and "<img" not in page.html, page.html
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _nested(depth: int, kind: str) -> str:
    if kind == "block":  # one more space per level: the file grows with the square of the depth
        return "modules:\n" + "".join(" " * (level + 1) + "-\n" for level in range(depth // 4))
    return f"modules: {kind[0] * depth}{kind[1] * depth}\n"


nesting = st.builds(_nested, st.integers(100, 12000), st.sampled_from(["[]", "{}", "block"]))


@settings(max_examples=6, deadline=None)
@given(text=nesting, file=st.sampled_from(["pathways/starter.yaml", "demo/quiz.yaml", "course.yaml"]))
def test_nesting_at_any_depth_never_raises(text, file):
    _check({file: text})


@settings(max_examples=20, deadline=None)
@given(number=st.integers(-(10**40), 10**40), key=st.sampled_from(["minutes", "attempts", "pass_mark"]))
def test_any_number_is_bounded_with_a_clear_message(number, key):
    module = "\n".join(line for line in MODULE.splitlines() if not line.startswith(key + ":")) + f"\n{key}: {number}\n"
    folder = Path(tempfile.mkdtemp(prefix="ccm-fuzz-"))
    try:
        course, problems = check_course(write_course(folder, {"demo/module.yaml": module}))
        if course is not None:
            assert getattr(course.module("demo"), key) == number and -1 < number <= 480
        else:
            assert any(key in problem.message and len(problem.message) < 200 for problem in problems.errors)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
