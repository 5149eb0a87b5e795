"""`ccm validate`: every problem in the course, and what each module holds."""

from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_OK, EXIT_SOURCE
from . import Outcome, count

FACTS_HEADING = "module                         minutes  pages  questions  words  reading grade (FK)"


def validate(source: Path) -> Outcome:
    from ..content_facts import course_facts
    from ..source import check_course

    course, problems = check_course(source)
    facts = course_facts(course) if course else []
    outcome = Outcome(
        exit_code=EXIT_SOURCE if problems.errors else EXIT_OK,
        data={
            "ok": not problems.errors,
            "errors": [p.as_dict() for p in problems.errors],
            "warnings": [p.as_dict() for p in problems.warnings],
            "modules": [fact.__dict__ for fact in facts],
        },
    )
    outcome.text_err = [str(problem) for problem in problems.errors + problems.warnings]
    if not course:
        outcome.text_err.append(f"{count(len(problems.errors), 'error')}, {count(len(problems.warnings), 'warning')}")
        return outcome
    outcome.out.append(
        f"{count(len(course.modules), 'module')}, {count(sum(f.questions for f in facts), 'question')}, "
        f"{count(len(course.pathways), 'pathway')}, "
        f"{count(len(course.framework.competencies), 'competency', 'competencies')}: "
        f"no errors, {count(len(problems.warnings), 'warning')}"
    )
    outcome.out.append(FACTS_HEADING)
    outcome.out.extend(
        f"{fact.id:<30} {fact.minutes:>7}  {fact.pages:>5}  {fact.questions:>9}  "
        f"{fact.words:>5}  {fact.reading_grade:>18.1f}"
        for fact in facts
    )
    return outcome
