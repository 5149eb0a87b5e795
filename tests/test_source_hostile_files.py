"""Source files that would crash or hang a reader: each is reported with its file, quickly, and never opened."""

from __future__ import annotations

import os
import time

import pytest
from support.course_source import write_course

from ccm_scorm.source import check_course

PAGE = "demo/pages/03-extra.md"


def errors_of(course):
    _, problems = check_course(course)
    return [str(problem) for problem in problems.errors]


def test_a_page_that_is_a_symlink_loop_is_reported(tmp_path):
    course = write_course(tmp_path)
    page = course / PAGE
    os.symlink(page.name, page)  # points at itself
    assert errors_of(course) == [
        f"course/{PAGE}: error: the file is a link that leads back to itself (a loop) — "
        "replace the link with the real file"
    ]


@pytest.mark.parametrize("where", [PAGE, "demo/quiz.yaml", "demo/assets/talk.png"])
def test_a_named_pipe_is_reported_without_waiting_for_it(tmp_path, where):
    course = write_course(tmp_path)
    pipe = course / where
    pipe.unlink(missing_ok=True)
    os.mkfifo(pipe)
    started = time.monotonic()
    errors = errors_of(course)
    assert time.monotonic() - started < 30
    assert any("a named pipe, not an ordinary file" in error and where.split("/")[-1] in error for error in errors), (
        errors
    )


def test_a_device_as_an_image_is_reported(tmp_path):
    course = write_course(tmp_path)
    image = course / "demo" / "assets" / "talk.png"
    image.unlink()
    os.symlink("/dev/zero", image)
    errors = errors_of(course)
    assert any("talk.png': this is a device, not an ordinary file" in error for error in errors), errors


@pytest.mark.parametrize(
    "text",
    [
        "modules: " + "[" * 12000 + "]" * 12000 + "\n",
        "modules:\n" + "".join(" " * (level + 1) + "-\n" for level in range(3000)),
    ],
)
def test_deep_nesting_is_reported_quickly(tmp_path, text):
    course = write_course(tmp_path, {"pathways/starter.yaml": text})
    started = time.monotonic()
    errors = errors_of(course)
    assert time.monotonic() - started < 5
    assert len(errors) == 1 and "nest more than 100 levels deep" in errors[0]
