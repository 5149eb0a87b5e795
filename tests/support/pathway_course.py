"""A small two-module pathway for the pathway and certificate tests.

Module 1 is the runtime test module (tests/support/runtime_build.py) cut down to two
questions; module 2 is a short module of its own. The course file's organisation has a
logo, so packages carry it and certificates show it. Rendered with the real renderer
(`render_pathway`, or the web target's `build_pathway`) into a folder.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ccm_scorm.model import Course, Image, Module, Option, Organisation, Page, Pathway, Question, QuestionType
from ccm_scorm.render import render_module, render_pathway
from support.course_source import PNG
from support.recording import rendered
from support.runtime_build import QUESTIONS, make_course

PATHWAY_ID = "befriending-basics"
PATHWAY_TITLE = "Befriending basics"
ORGANISATION = "Riverside Befriending Network"

SECOND = Module(
    id="keeping-safe",
    version="1.0.0",
    title="Keeping people safe",
    summary="What to do when you are worried about someone.",
    competency_ids=("ccm.teamwork",),
    audience=("Volunteer",),
    minutes=5,
    outcomes=("Know who to tell when you are worried.",),
    pass_mark=50,
    attempts=0,
    pages=(
        Page(
            id="01-worried", title="When you are worried", text="", html="<p>Tell your coordinator the same day.</p>\n"
        ),
    ),
    questions=(
        Question(
            id="k1-tell",
            type=QuestionType.TRUE_FALSE,
            competency_id="ccm.teamwork",
            prompt="You should tell your coordinator the same day if you are worried.",
            answer=True,
            feedback_correct="Yes.",
            feedback_incorrect="Tell them the same day.",
        ),
        Question(
            id="k2-who",
            type=QuestionType.SINGLE,
            competency_id="ccm.teamwork",
            prompt="Who do you tell first?",
            options=(Option("a", "Your coordinator", correct=True), Option("b", "Nobody")),
        ),
    ),
)
# right answers, in the order asked (no draw)
RIGHT_FIRST = (["b"], ["Open"])
RIGHT_SECOND = ([True], ["a"])


def make_pathway_course(logo: bool = True) -> tuple[Course, Pathway]:
    course, first = make_course(questions=(QUESTIONS[0], QUESTIONS[5]), attempts=0)
    organisation = Organisation(name=ORGANISATION, logo=Image(path="logo.png", data=PNG) if logo else None)
    pathway = Pathway(
        id=PATHWAY_ID,
        title=PATHWAY_TITLE,
        description="The two modules every befriender starts with.",
        audience=("Volunteer",),
        module_ids=(first.id, SECOND.id),
        version="2.0.0",
    )
    course = dataclasses.replace(
        course,
        modules=(first, SECOND),
        pathways=(pathway,),
        settings=dataclasses.replace(course.settings, organisation=organisation),
    )
    return course, pathway


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    for path, data in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder / "index.html"


def build_pathway(
    folder: Path, adapter: str = "recording", course: Course | None = None, pathway: Pathway | None = None
) -> Path:
    """Render the pathway into `folder`; returns the path of its index.html."""
    if course is None:
        course, pathway = make_pathway_course()
    return write_files(folder, rendered(render_pathway, course, pathway, adapter))


def build_module(folder: Path, adapter: str = "recording") -> Path:
    """Render module 1 of the pathway course on its own (module mode, with the organisation's logo)."""
    course, _ = make_pathway_course()
    return write_files(folder, rendered(render_module, course, course.modules[0], adapter))
