"""What every answer type provides: :class:`AnswerType`, the :class:`Context` of one check, LMS items.

An answer type is one module of ``grader/checks/`` that defines ``ANSWER_TYPE``, an instance of a
subclass of :class:`AnswerType`. The class holds everything about the type: the keys of its parts
(the authoring schema reads them), how its reference is validated, its checker, its self-tests,
its line in a student's ``answers.yaml`` and its hint there, its text in the instructor's key, and
its item in an LMS export. The defaults below suit a type answered in ``answers.yaml`` and checked
against a reference in ``ANSWERS``; a type overrides only what differs.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml

from grader.messages import text

if TYPE_CHECKING:
    from grader.bank.schema import Key, Type
    from grader.model import Part
    from grader.outcome import Outcome, Result

CHECK_SECONDS = 5.0          # the in-process bound of one check
COMMON_SPEC = ("id", "type", "points", "prompt", "symbols", "functions")   # keys that are not the part's spec


@dataclass(frozen=True)
class Context:
    """What one check needs besides the part and the answer."""

    lang: str = "en"
    params: dict | None = None       # the student's variant (per-student numbers)
    reference: Any = None            # the reference for this student (None: the part's own)


@dataclass
class SelfTestRun:
    """One self-test that ran (or could not): what selftest.py judges against its kind."""

    kind: str                                   # accept, reject, invalid, partial
    answer: object                              # what a failure report shows
    result: Result | None = None
    misconception: str | None = None            # the misconception it must be recognised as
    label: str | None = None                    # the kind as reported, when not ``kind``
    more: Callable[[Result], str | None] | None = None    # a further check once the verdict is right
    problem: str | None = None                  # a failure found without running anything
    got: str = ""


def describe_invalid(exc) -> str:
    """A reference the formula engine cannot read, for the author (English)."""
    return "cannot be read: " + text(exc.key, "en", **{"pos": "?", **exc.params})


class AnswerType:
    """The defaults of an answer type; each module's subclass overrides what differs."""

    name = ""
    order = 100                  # place in listings (the schema's enum, the authoring guide)
    check_seconds: float = CHECK_SECONDS
    needs_answer = True          # ANSWERS[part] is required
    self_test_kinds: tuple[str, ...] = ("accept", "reject")    # SELF_TESTS lists that must be non-empty
    per_student = False          # ANSWERS[part] may be a function of the student's variant
    in_answers_file = True       # answered in answers.yaml (False: in solution.py)
    batched = False              # graded with the submission's other such parts in one run (code)
    reads_as_formula = False     # the self-check kit reads its answers with the formula grammar
    empty_answer = '""'          # the value of an unanswered part in the answers.yaml template
    # -- nngrade serve: how the part is answered in the browser --------------------------------------
    input_widget = "line"        # line (one line, previewed), textarea, steps (one step a line), options, none
    answer_list = False          # the saved answer may be a list of strings (steps, chosen options)
    checked_at_once = False      # feedback "immediate": a Check button grades the saved answer in the request
    runs_tests = False           # the student may run the part's visible tests from the page (code)

    # -- authoring: part keys, spec, solution tables ------------------------------------------------

    def part_keys(self) -> dict[str, Key]:
        """The keys a part of this type may hold besides id, type, points, prompt and symbols."""
        return {}

    def table_functions(self, pdata: dict) -> dict:
        """The part's own functions for the formula symbol table."""
        return pdata.get("functions") or {}

    def spec(self, pdata: dict) -> dict:
        """The part's type-specific public settings (``Part.spec``)."""
        return {k: v for k, v in pdata.items() if k not in COMMON_SPEC}

    def reference_function_names(self, data: dict) -> list[str]:
        """Names of functions the solution module defines for this part (``data``: part mapping or spec)."""
        return []

    def solution_entry(self, table: str) -> tuple[Type, bool] | None:
        """(the form of this part's entry in solution table ``table``, whether its strings are text),
        or None for the common form."""
        return None

    # -- validation ------------------------------------------------------------------------------

    def validate(self, part: Part) -> list[tuple[str, str]]:
        """(solution table, message) for every problem of the part's reference."""
        if self.needs_answer and part.reference.answer is None:
            return [("ANSWERS", "missing reference answer")]
        return self.validate_reference(part)

    def validate_reference(self, part: Part) -> list[tuple[str, str]]:
        return []

    def validate_spec(self, part: Part) -> list[tuple[str, str]]:
        """(key of the part, message) for every problem of the part's public settings."""
        return []

    def variant_value_ok(self, value) -> bool:
        """A per-student reference's value for one variant is usable."""
        return False

    def variant_forms(self, ref) -> tuple[Any, Any]:
        """A per-student reference typed as a student would, and a wrong value (self-tests)."""
        raise TypeError(f"{self.name} parts have no per-student references")

    # -- checking --------------------------------------------------------------------------------

    def check(self, part: Part, answer, ctx: Context) -> Outcome:
        raise NotImplementedError

    # -- self-tests ------------------------------------------------------------------------------

    def reference_answers(self, part: Part) -> list:
        """The reference as answers the checker must accept."""
        ref = part.reference.answer
        return [] if ref is None else [ref]

    def self_test_runs(self, part: Part, lang: str, bank=None) -> Iterator[SelfTestRun]:
        """The part's SELF_TESTS (and its reference, accepted), each checked once."""
        from grader.checks import check_part
        cases = dict(part.reference.self_tests)
        refs = self.reference_answers(part)
        if refs:
            cases = {**cases, "accept": refs + list(cases.get("accept", []))}
        for kind, answers in cases.items():
            for case in answers:
                answer, misconception = (case if isinstance(case, tuple) else (case, None))
                yield SelfTestRun(kind, answer, check_part(part, answer, Context(lang)), misconception)

    # -- the student's kit and the instructor's key ----------------------------------------------

    def hint(self, part: Part, lang: str) -> str:
        """The comment beside the part in the answers.yaml template: the catalog's ``hint_<hint_key>``."""
        return text(f"hint_{self.hint_key(part)}", lang) + self.hint_detail(part)

    def hint_key(self, part: Part) -> str:
        """Which hint of the catalog (grader/messages.py, ``hint_<key>``) the part's line shows."""
        return self.name

    def hint_detail(self, part: Part) -> str:
        """What follows the hint (the option letters of a choice)."""
        return ""

    def stub_functions(self, part: Part) -> list[dict]:
        """Functions the solution.py stub declares for this part."""
        return []

    def kit_vectors(self, part: Part, seed: int) -> list[dict]:
        """Public test vectors for the self-check kit (inputs and expected outputs)."""
        return []

    def key_text(self, part: Part, ref, lang: str = "en") -> str:
        """The reference as the instructor's key shows it."""
        if isinstance(ref, (list, tuple, np.ndarray)):
            return yaml.safe_dump(list(ref), default_flow_style=True).strip()
        return str(ref)

    # -- nngrade serve: the live preview ---------------------------------------------------------

    @property
    def previews(self) -> bool:
        """The page shows a live preview of what is typed (the type overrides :meth:`preview`)."""
        return type(self).preview is not AnswerType.preview

    def preview(self, part: Part, answer: str, ctx: Context) -> dict:
        """How grading reads ``answer`` (non-empty, bounded text), with the same reader and messages:
        ``{"state": "ok", "latex", "message"}`` or ``{"state": "error", "message", "caret"[, "latex"]}``;
        ``{"state": "none"}`` for a type that is not previewed. Nothing is evaluated or scored."""
        return {"state": "none"}

    def typed_names(self, part: Part) -> list[dict]:
        """The symbols and functions a student may type in this part:
        ``{"name", "kind": "symbol"|"function", "latex", "shape"}`` each."""
        return []

    # -- LMS export ------------------------------------------------------------------------------

    def lms_item(self, part: Part, base: dict, lang: str) -> LmsItem | None:
        """The part as an item the LMS grades itself, or None (an essay that points to nngrade)."""
        return None


# -- LMS items: Canvas QTI 1.2 and Moodle XML --------------------------------------------------------

@dataclass
class LmsItem:
    """One LMS question. Subclasses (in the type modules) write their own response and scoring."""

    id: str
    title: str
    text: str
    points: float

    qti_type = "essay_question"
    moodle_type = "essay"

    def qti(self, section: ET.Element) -> ET.Element:
        """A QTI 1.2 ``<item>`` in ``section``."""
        el = ET.SubElement(section, "item", ident=self.id, title=self.title)
        meta = ET.SubElement(ET.SubElement(el, "itemmetadata"), "qtimetadata")
        for label, entry in (("question_type", self.qti_type), ("points_possible", f"{self.points:g}")):
            field = ET.SubElement(meta, "qtimetadatafield")
            ET.SubElement(field, "fieldlabel").text = label
            ET.SubElement(field, "fieldentry").text = entry
        pres = ET.SubElement(el, "presentation")
        ET.SubElement(ET.SubElement(pres, "material"), "mattext", texttype="text/plain").text = self.text
        proc = ET.SubElement(el, "resprocessing")
        ET.SubElement(ET.SubElement(proc, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE",
                      vartype="Decimal")
        self.qti_response(pres, proc)
        return el

    def qti_response(self, pres: ET.Element, proc: ET.Element) -> None:
        resp = ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single")
        ET.SubElement(resp, "render_fib")
        ET.SubElement(ET.SubElement(proc, "respcondition", {"continue": "No"}), "conditionvar").append(
            ET.Element("other"))

    def moodle(self, root: ET.Element, lang: str) -> ET.Element:
        """A Moodle XML ``<question>`` in ``root``."""
        q = ET.SubElement(root, "question", type=self.moodle_qtype(lang))
        ET.SubElement(ET.SubElement(q, "name"), "text").text = self.title
        qt = ET.SubElement(q, "questiontext", format="plain_text")
        ET.SubElement(qt, "text").text = self.text
        ET.SubElement(q, "defaultgrade").text = f"{self.points:g}"
        self.moodle_answers(q, lang)
        return q

    def moodle_qtype(self, lang: str) -> str:
        return self.moodle_type

    def moodle_answers(self, q: ET.Element, lang: str) -> None:
        ET.SubElement(q, "responseformat").text = "editor"
        ET.SubElement(q, "responsefieldlines").text = "10"


class EssayItem(LmsItem):
    """A part the LMS cannot grade: the student is sent to nngrade."""
