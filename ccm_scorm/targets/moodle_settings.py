"""The Moodle SCORM activity settings this project recommends, in one place.

`ccm build --target moodle` writes them into every activity of the course backup,
docs/lms-moodle-esr.md lists them for the manual route, and the tests against the real
Moodle site create activities with them. Values are Moodle's own (mod/scorm/locallib.php
and lib.php constants), named here so each one says what it does.

Why these: a learner who fails and comes back later must get a new attempt, or Moodle
opens Review mode and keeps nothing (seen on Moodle 5.1); a learner who leaves mid-module
must come back to the same attempt, so a new attempt is forced only once an attempt is
completed, passed or failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Module

FORCE_NEW_ATTEMPT_NO = 0
FORCE_NEW_ATTEMPT_WHEN_FINISHED = 1  # "When previous attempt completed, passed or failed"
FORCE_NEW_ATTEMPT_ALWAYS = 2

GRADE_HIGHEST = 1  # grading method: learning objects' highest score
WHAT_GRADE_HIGHEST_ATTEMPT = 0  # attempts grading: highest attempt
DISPLAY_CURRENT_WINDOW = 0


@dataclass(frozen=True)
class ScormActivitySettings:
    grade_method: int = GRADE_HIGHEST
    max_grade: int = 100
    what_grade: int = WHAT_GRADE_HIGHEST_ATTEMPT
    max_attempts: int = 0  # unlimited: the module counts its own quiz attempts inside one Moodle attempt
    force_new_attempt: int = FORCE_NEW_ATTEMPT_WHEN_FINISHED
    last_attempt_lock: int = 0
    force_completed: int = 0
    mastery_override: int = 1
    display: int = DISPLAY_CURRENT_WINDOW
    completion_status_required: str = "passed"  # "passed" for a module with a quiz, "completed" without

    @property
    def add_scorm_args(self) -> list[str]:
        """The same settings as options of the Moodle kit's add_scorm.php helper (tests)."""
        force = {
            FORCE_NEW_ATTEMPT_NO: "no",
            FORCE_NEW_ATTEMPT_WHEN_FINISHED: "oncomplete",
            FORCE_NEW_ATTEMPT_ALWAYS: "always",
        }[self.force_new_attempt]
        return [
            "--grademethod",
            "highest",
            "--maxgrade",
            str(self.max_grade),
            "--whatgrade",
            "highest",
            "--maxattempt",
            str(self.max_attempts),
            "--forcenewattempt",
            force,
            "--masteryoverride",
            str(self.mastery_override),
            "--forcecompleted",
            str(self.force_completed),
            "--display",
            "current",
            "--completion",
            self.completion_status_required,
        ]


def recommended_settings(module: Module) -> ScormActivitySettings:
    """What one module's activity should be set to: completion on Passed when it has a quiz, else Completed."""
    return ScormActivitySettings(completion_status_required="passed" if module.has_quiz else "completed")
