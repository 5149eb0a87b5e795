"""What `ccm report` needs to know about the course: ids, IRIs, pass marks and question lookups."""

from __future__ import annotations

import re

from ..model import Course, Module


class Catalogue:
    """Indexes over a Course for reading results back: activity IRIs, interaction ids, competencies."""

    def __init__(self, course: Course):
        self.course = course
        self.framework = course.framework
        self.modules: tuple[Module, ...] = course.modules
        self.module_index = {module.id: i for i, module in enumerate(course.modules)}
        self.competency_ids: tuple[str, ...] = tuple(c.id for c in course.framework.competencies)
        self.competency_index = {cid: i for i, cid in enumerate(self.competency_ids)}
        self.competency_by_iri = {course.framework.competency_iri(cid): cid for cid in self.competency_ids}
        self.module_prefix = course.base_iri + "module/"
        self.pathway_prefix = course.base_iri + "pathway/"
        # competency -> modules evidencing it (any question or listed), and modules listing it
        self.evidencing: dict[str, tuple[str, ...]] = {}
        self.mapped: dict[str, tuple[str, ...]] = {}
        for cid in self.competency_ids:
            self.evidencing[cid] = tuple(m.id for m in self.modules if cid in m.evidenced_competency_ids())
            listed = tuple(m.id for m in self.modules if cid in m.competency_ids)
            self.mapped[cid] = listed or self.evidencing[cid]
        self.module_competencies = {m.id: m.evidenced_competency_ids() for m in self.modules}
        self.pathways = {p.id: p for p in course.pathways}
        # bare question id -> [(module, question)] for interaction ids without a module prefix
        self._questions: dict[str, list[tuple[str, str]]] = {}
        self._resolved: dict[tuple[str, str | None], tuple[str, str, str] | None] = {}
        # (module, competency) -> how many of the module's questions are on it, for verdicts.is_judged
        self.bank: dict[tuple[str, str], int] = {}
        for module in self.modules:
            for question in module.questions:
                self._questions.setdefault(question.id, []).append((module.id, question.competency_id))
                self.bank[module.id, question.competency_id] = self.bank.get((module.id, question.competency_id), 0) + 1

    def in_bank(self, module_id: str, competency_id: str) -> int:
        return self.bank.get((module_id, competency_id), 0)

    def module(self, module_id: str) -> Module:
        return self.course.modules[self.module_index[module_id]]

    def unit_modules(self, unit_id: str) -> tuple[str, ...]:
        """The modules of a unit: a module itself, or a pathway's modules that are in the catalogue."""
        if unit_id in self.module_index:
            return (unit_id,)
        return tuple(m for m in self.pathways[unit_id].module_ids if m in self.module_index)

    def unit_title(self, unit_id: str) -> str:
        return self.module(unit_id).title if unit_id in self.module_index else self.pathways[unit_id].title

    # ------------------------------------------------------------ SCORM interaction ids
    _ATTEMPT_SUFFIX = re.compile(r"\.a(\d+)$")

    def try_of(self, interaction_id: str) -> int:
        """Which try inside one LMS attempt an interaction id records: `.a<N>` from the runtime's
        second try on (docs/runtime.md), 1 without a suffix."""
        match = self._ATTEMPT_SUFFIX.search(interaction_id.strip())
        return int(match.group(1)) if match else 1

    def resolve_interaction(self, interaction_id: str, module_id: str | None = None) -> tuple[str, str, str] | None:
        """`<module>.<question>[.a<N>]` or a bare question id -> (module id, question id, competency id).

        A bare id is looked up in `module_id` first, then across the course (it must be unique).
        """
        key = (interaction_id, module_id)
        if key not in self._resolved:  # a report repeats the same few ids on every row
            if len(self._resolved) > 100_000:
                self._resolved.clear()
            self._resolved[key] = self._resolve(interaction_id, module_id)
        return self._resolved[key]

    def _resolve(self, interaction_id: str, module_id: str | None) -> tuple[str, str, str] | None:
        text = self._ATTEMPT_SUFFIX.sub("", interaction_id.strip())
        for mid in sorted(self.module_index, key=len, reverse=True):
            if text.startswith(mid + "."):
                qid = text[len(mid) + 1 :]
                module = self.module(mid)
                for question in module.questions:
                    if question.id == qid:
                        return mid, qid, question.competency_id
        found = self._questions.get(text, [])
        if module_id is not None:
            local = [hit for hit in found if hit[0] == module_id]
            if len(local) == 1:
                return module_id, text, local[0][1]
        if len(found) == 1:
            return found[0][0], text, found[0][1]
        return None

    # ------------------------------------------------------------ xAPI activity ids
    def module_of_activity(self, iri: str) -> str | None:
        """The module an activity IRI belongs to (the module itself, a question or page of it)."""
        if not iri.startswith(self.module_prefix):
            return None
        module_id = iri[len(self.module_prefix) :].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        return module_id if module_id in self.module_index else None

    def question_of_activity(self, iri: str) -> tuple[str, str, str] | None:
        """(module, question, competency) for a question IRI, else None."""
        module_id = self.module_of_activity(iri)
        if module_id is None:
            return None
        rest = iri[len(self.module_prefix) + len(module_id) :]
        if not rest.startswith("/question/"):
            return None
        qid = rest[len("/question/") :]
        for question in self.module(module_id).questions:
            if question.id == qid:
                return module_id, qid, question.competency_id
        return None

    def is_pathway_activity(self, iri: str) -> bool:
        return iri.startswith(self.pathway_prefix)
