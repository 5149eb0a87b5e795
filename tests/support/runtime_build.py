"""A small hand-made module for the learner runtime's browser tests.

Builds the model objects directly (no YAML) and renders them with the real renderer
(`ccm_scorm.render.render_module`) into a folder, so the tests exercise the template,
the runtime files and the Python glue together. `ccm build --target web` does the same
from a course folder.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ccm_scorm.model import (
    Competency,
    Course,
    CourseSettings,
    Domain,
    Draw,
    Framework,
    Item,
    Module,
    Option,
    Organisation,
    Page,
    Pair,
    Question,
    QuestionType,
)
from ccm_scorm.render import render_module
from ccm_scorm.source.messages import shipped_messages
from support.recording import rendered

COMPETENCIES = (
    ("ccm.communication", "Communication"),
    ("ccm.person-centred", "Person-centred practice"),
    ("ccm.teamwork", "Working as a team"),  # in the module, evidenced by no question
)

PAGES = (
    Page(
        id="01-why-it-matters",
        title="Why it matters",
        text="",
        html=(
            "<p>Most people know their own situation best. <strong>Listen before you suggest.</strong></p>\n"
            "<ul><li>Ask one question at a time.</li><li>Give the person time to answer.</li></ul>\n"
            '<aside class="ccm-block ccm-case-study"><h2 class="ccm-block-title">Case study: Meet Mr Evans</h2>'
            "<p>Mr Evans is 84 and lives alone. He says he is fine, but his fridge is empty.</p></aside>\n"
        ),
    ),
    Page(
        id="02-listening",
        title="Listening first",
        text="",
        html=(
            '<p>Read more on <a href="https://www.nhs.uk/" target="_blank" rel="noopener noreferrer">the NHS website'
            "</a>.</p>\n"
            '<aside class="ccm-block ccm-key-point"><h2 class="ccm-block-title">Key point</h2>'
            "<p>Ask what matters to the person before you talk about services.</p></aside>\n"
            '<aside class="ccm-block ccm-reflection"><h2 class="ccm-block-title">Reflection</h2>'
            "<p>Think of the last time someone really listened to you. What did they do?</p></aside>\n"
            '<aside class="ccm-block ccm-note"><h2 class="ccm-block-title">Note</h2>'
            "<p>Your organisation may use a different word for “patient”: use theirs.</p></aside>\n"
        ),
    ),
    Page(id="03-summing-up", title="Summing up", text="", html="<p>Summarise back what you heard.</p>\n"),
)

QUESTIONS = (
    Question(
        id="q01-open",
        type=QuestionType.SINGLE,
        competency_id="ccm.communication",
        prompt="Which question is most likely to help Mrs Ahmed say what matters to her?",
        options=(
            Option("a", "Are you managing at home?", feedback="A yes/no question invites a yes/no answer."),
            Option("b", "What does a good day look like for you?", correct=True),
            Option("c", "Do you need a carer?"),
        ),
        feedback_correct="Open questions let the person lead.",
        feedback_incorrect="Look for the question that cannot be answered with yes or no.",
    ),
    Question(
        id="q02-barriers",
        type=QuestionType.MULTIPLE,
        competency_id="ccm.communication",
        prompt="Which of these can get in the way of good communication?",
        options=(
            Option("a", "Background noise", correct=True),
            Option("b", "Using jargon", correct=True),
            Option("c", "Sitting at the same level"),
        ),
        feedback_correct="Noise and jargon both make it harder to follow.",
        feedback_incorrect="Noise and jargon both make it harder to follow.",
    ),
    Question(
        id="q03-summarise",
        type=QuestionType.TRUE_FALSE,
        competency_id="ccm.person-centred",
        prompt="Summarising back what you heard helps check you understood.",
        answer=True,
        feedback_correct="Yes: it shows you listened.",
        feedback_incorrect="It does help: it shows you listened.",
    ),
    Question(
        id="q04-services",
        type=QuestionType.MATCHING,
        competency_id="ccm.communication",
        prompt="Match each need to the service most likely to help.",
        pairs=(
            Pair("a", "Worried about money", "Benefits advice"),
            Pair("b", "Lonely since moving", "Befriending scheme"),
            Pair("c", "Struggling with the stairs", "Occupational therapy"),
        ),
        feedback_correct="Each need has a service that fits it.",
        feedback_incorrect="Think about what each service does.",
    ),
    Question(
        id="q05-steps",
        type=QuestionType.ORDERING,
        competency_id="ccm.communication",
        prompt="Put the steps of a referral in order.",
        items=(
            Item("a", "Agree that a referral would help"),
            Item("b", "Check they are happy to share information"),
            Item("c", "Make the referral"),
            Item("d", "Tell the person what happens next"),
        ),
        feedback_correct="Agreement and consent come first.",
        feedback_incorrect="Agreement and consent come first.",
    ),
    Question(
        id="q06-term",
        type=QuestionType.SHORT_TEXT,
        competency_id="ccm.person-centred",
        prompt="What one word describes a question that cannot be answered with yes or no?",
        answers=("open",),
        max_length=40,
        feedback_correct="Open questions invite people to say more.",
        feedback_incorrect="The word is “open”.",
    ),
)

# The right answer to each question, as the test helpers apply it.
RIGHT = {
    "q01-open": ["b"],
    "q02-barriers": ["a", "b"],
    "q03-summarise": [True],
    "q04-services": [["a", "a"], ["b", "b"], ["c", "c"]],
    "q05-steps": ["a", "b", "c", "d"],
    "q06-term": ["Open"],
}
WRONG = {
    "q01-open": ["a"],
    "q02-barriers": ["c"],
    "q03-summarise": [False],
    "q04-services": [["a", "b"], ["b", "a"], ["c", "c"]],
    "q05-steps": ["d", "c", "b", "a"],
    "q06-term": ["closed"],
}


def make_course(**module_changes) -> tuple[Course, Module]:
    domain = Domain("ccm.skills", "Skills", "", tuple(c for c, _ in COMPETENCIES))
    framework = Framework(
        id="ccm",
        title="CCM",
        version="1.0.0",
        description="",
        provenance="",
        base_iri="https://example.org/ccm/",
        audience=(),
        domains=(domain,),
        competencies=tuple(Competency(c, t, "", domain.id) for c, t in COMPETENCIES),
    )
    module = Module(
        id="runtime-test",
        version="1.0.0",
        title="Communication in coordinated care",
        summary="Listening, asking and explaining so that people can make their own choices.",
        competency_ids=tuple(c for c, _ in COMPETENCIES),
        audience=("Volunteer",),
        minutes=12,
        outcomes=(
            "Use open questions to find out what matters to a person.",
            "Check understanding by summarising back.",
        ),
        pass_mark=80,
        attempts=2,
        pages=PAGES,
        questions=QUESTIONS,
    )
    module = dataclasses.replace(module, **module_changes)
    settings = CourseSettings(
        title="Test course", organisation=Organisation(name="Example NHS Trust"), messages=shipped_messages()
    )
    return Course(settings=settings, framework=framework, modules=(module,), pathways=()), module


def build(folder: Path, adapter: str = "recording", **module_changes) -> Path:
    """Render the test module into `folder`; returns the path of its index.html."""
    course, module = make_course(**module_changes)
    for path, data in rendered(render_module, course, module, adapter).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder / "index.html"


DRAW = Draw(count=3, shuffle=True)
