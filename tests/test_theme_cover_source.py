"""course.yaml `theme:` and module.yaml `cover:`: read, checked and packaged (docs/authoring.md)."""

from __future__ import annotations

from support.course_source import MODULE, PNG, write_course

from ccm_scorm.colours import contrast, darkened_until
from ccm_scorm.render import render_module
from ccm_scorm.source import check_course, load_course

COVER = MODULE + "cover:\n  image: assets/talk.png\n  alt: Two people talking over a cup of tea\n"


def errors(tmp_path, overrides):
    _, problems = check_course(write_course(tmp_path, overrides))
    return [str(problem) for problem in problems.errors]


def test_a_primary_colour_white_text_cannot_be_read_on_is_an_error_with_the_ratio_and_a_fix(tmp_path):
    found = errors(tmp_path, {"course.yaml": "theme:\n  primary_colour: '#66aaff'\n"})
    suggestion = darkened_until("#66aaff")
    assert found == [
        "course/course.yaml:2: error: primary_colour #66aaff has a contrast of 2.40:1 with white, the colour of "
        "button text and of the page behind links; learners need at least 4.5:1 (WCAG 2.2, 1.4.3) — "
        f"use a darker shade, e.g. {suggestion}"
    ]
    assert 4.5 <= contrast(suggestion, "#ffffff") < 4.7  # the lightest shade that passes, not black


def test_a_colour_that_is_not_hex_is_an_error(tmp_path):
    found = errors(tmp_path, {"course.yaml": "theme:\n  primary_colour: purple\n"})
    assert found == ["course/course.yaml:2: error: 'purple' is not a colour written as #rrggbb — write it like #005eb8"]


def test_a_theme_is_a_stylesheet_and_a_header_logo_in_the_package(tmp_path):
    course_dir = write_course(
        tmp_path, {"course.yaml": "theme:\n  primary_colour: '#7c2855'\n  logo: assets/logo.png\n"}
    )
    (course_dir / "assets").mkdir()
    (course_dir / "assets" / "logo.png").write_bytes(PNG)
    course = load_course(course_dir)
    files = render_module(course, course.module("demo"), "standalone")
    assert b"--ccm-colour-primary: #7c2855" in files["runtime/theme.css"]
    assert files["theme/logo.png"] == PNG
    html = files["index.html"].decode()
    assert '<link rel="stylesheet" href="runtime/theme.css">' in html
    assert '<img class="ccm-header-logo" src="theme/logo.png"' in html


def test_no_theme_no_theme_file(tmp_path):
    course = load_course(write_course(tmp_path))
    files = render_module(course, course.module("demo"), "standalone")
    assert "runtime/theme.css" not in files and "theme.css" not in files["index.html"].decode()


def test_a_cover_image_is_checked_and_shown_on_the_cover(tmp_path):
    course = load_course(write_course(tmp_path, {"demo/module.yaml": COVER}))
    module = course.module("demo")
    assert module.cover is not None and module.cover_alt == "Two people talking over a cup of tea"
    files = render_module(course, module, "standalone")
    assert files["assets/talk.png"] == PNG
    assert '<img class="ccm-cover-image" src="assets/talk.png" alt="Two people talking over a cup of tea">' in (
        files["index.html"].decode()
    )


def test_a_cover_image_outside_assets_or_missing_is_an_error(tmp_path):
    outside = COVER.replace("assets/talk.png", "../talk.png")
    found = errors(tmp_path, {"demo/module.yaml": outside})
    assert len(found) == 1 and "course/demo/module.yaml:13:" in found[0] and "outside the assets/ folder" in found[0], (
        found
    )
    missing = COVER.replace("  alt: Two people talking over a cup of tea\n", "")
    found = errors(tmp_path / "2", {"demo/module.yaml": missing})
    assert found == ["course/demo/module.yaml:13: error: the cover image has no 'alt' — add 'alt:'"], found
    empty = COVER.replace("alt: Two people talking over a cup of tea", "alt: ' '")
    found = errors(tmp_path / "3", {"demo/module.yaml": empty})
    assert found == [
        "course/demo/module.yaml:14: error: the cover image's alt text is empty — say what the picture shows, in a few words"
    ], found
