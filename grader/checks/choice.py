"""Single and multiple choice; option ids are the letters A, B, … in the order listed."""
from __future__ import annotations

import re
import string
import xml.etree.ElementTree as ET

from grader.checks.base import AnswerType, Context, LmsItem
from grader.messages import pick, text
from grader.model import Part
from grader.outcome import Outcome

OPTION_IDS = string.ascii_uppercase


def read_choices(answer) -> list[str]:
    """``"B"``, ``"A, B, E"``, ``"ABE"`` or ``["A", "B"]`` → upper-case option ids, in order, once each."""
    if isinstance(answer, str):
        items = [s for s in re.split(r"[\s,;，、]+", answer.strip()) if s]
        if len(items) == 1 and items[0].isalpha() and len(items[0]) > 1 and items[0].isupper():
            items = list(items[0])
    elif isinstance(answer, list):
        items = [str(a).strip() for a in answer]
    else:
        items = [str(answer)]
    seen: list[str] = []
    for item in items:
        item = item.upper().strip("()（）.")
        if item not in seen:
            seen.append(item)
    return seen


def check_choice(part: Part, answer, lang: str, reference=None) -> Outcome:
    options = part.spec["option_ids"]
    right = set(read_choices(reference if reference is not None else part.reference.answer))
    chosen = read_choices(answer)
    unknown = [c for c in chosen if c not in options]
    if unknown or not chosen:
        return Outcome("invalid", 0.0, (text("choice_unknown", lang, got=unknown[0] if unknown else "",
                                             options=", ".join(options)),), None, {"error": "option"})
    multiple = bool(part.spec.get("multiple"))
    if not multiple and len(chosen) != 1:
        return Outcome("invalid", 0.0, (text("choice_single", lang, n=len(chosen)),), None, {"error": "count"})
    notes = _option_notes(part, chosen, right, lang)
    details = {"chosen": chosen}
    if set(chosen) == right:
        return Outcome("correct", 1.0, (text("correct", lang),) + notes, ", ".join(chosen), details)
    if not multiple:
        return Outcome("incorrect", 0.0, (text("choice_wrong", lang),) + notes, ", ".join(chosen), details)
    hits = len(right & set(chosen))
    wrong = len(set(chosen) - right)
    # each right option earns 1/|right|, each wrong one costs as much; never below zero
    fraction = max(0.0, (hits - wrong) / len(right))
    verdict = "partial" if fraction > 0 else "incorrect"
    line = text("choice_partial", lang, right=hits, total=len(right), wrong=wrong)
    return Outcome(verdict, fraction, (line,) + notes, ", ".join(chosen), details)


def _option_notes(part: Part, chosen: list[str], right: set[str], lang: str) -> tuple[str, ...]:
    """The solution's explanation of each wrongly chosen option."""
    notes = []
    for opt in chosen:
        if opt not in right and opt in part.reference.option_feedback:
            notes.append(text("choice_option_feedback", lang, opt=opt,
                              text=pick(part.reference.option_feedback[opt], lang)))
    return tuple(notes)


# -- the answer type ------------------------------------------------------------------------------

class ChoiceType(AnswerType):
    """One option (or, with ``multiple: true``, every right option) among lettered options."""

    name, order = "choice", 40
    input_widget = "options"     # nngrade serve: radio buttons, or check boxes when ``multiple``
    answer_list = True
    checked_at_once = True

    def part_keys(self) -> dict:
        from grader.bank.schema import BILINGUAL, Bool, Key, ListOf
        return {"options": Key(ListOf(BILINGUAL, nonempty=True), "the options, lettered A, B, ...", True),
                "multiple": Key(Bool(), "several options may be right")}

    def spec(self, pdata: dict) -> dict:
        spec = super().spec(pdata)
        spec["option_ids"] = list(OPTION_IDS[: len(spec.get("options") or [])])
        return spec

    def check(self, part: Part, answer, ctx: Context) -> Outcome:
        return check_choice(part, answer, ctx.lang, ctx.reference)

    def validate_reference(self, part: Part) -> list[tuple[str, str]]:
        chosen = read_choices(part.reference.answer)
        bad = [c for c in chosen if c not in part.spec["option_ids"]]
        if bad or not chosen:
            return [("ANSWERS", f"options {bad or chosen} are not among {part.spec['option_ids']}")]
        if len(chosen) > 1 and not part.spec.get("multiple"):
            return [("ANSWERS", "several right options, but the part is not 'multiple: true'")]
        return []

    def validate_spec(self, part: Part) -> list[tuple[str, str]]:
        options = part.spec.get("options") or []
        problems = [] if len(options) >= 2 else [("options", "expected at least two options")]
        return problems + [(f"options[{i}]", "expected {en: ..., zh: ...}") for i, opt in enumerate(options)
                           if not (isinstance(opt, dict) and opt.get("en") and opt.get("zh"))]

    def hint_key(self, part: Part) -> str:
        return "choices" if part.spec.get("multiple") else "choice"

    def hint_detail(self, part: Part) -> str:
        return f" ({', '.join(part.spec['option_ids'])})"

    def lms_item(self, part: Part, base: dict, lang: str) -> LmsItem | None:
        return ChoiceItem(**base, options=[pick(o, lang) for o in part.spec["options"]], ids=part.spec["option_ids"],
                          right=read_choices(part.reference.answer), multiple=bool(part.spec.get("multiple")))


class ChoiceItem(LmsItem):
    """Canvas multiple_choice / multiple_answers; Moodle multichoice, or truefalse for yes/no in English."""

    def __init__(self, id: str, title: str, text: str, points: float, options: list[str], ids: list[str],
                 right: list[str], multiple: bool):
        super().__init__(id, title, text, points)
        self.options, self.ids, self.right, self.multiple = options, ids, right, multiple
        self.qti_type = "multiple_answers_question" if multiple else "multiple_choice_question"

    def qti_response(self, pres, proc) -> None:
        lid = ET.SubElement(pres, "response_lid", ident="response1",
                            rcardinality="Multiple" if self.multiple else "Single")
        choice = ET.SubElement(lid, "render_choice")
        for oid, label_text in zip(self.ids, self.options):
            label = ET.SubElement(choice, "response_label", ident=oid)
            ET.SubElement(ET.SubElement(label, "material"), "mattext", texttype="text/plain").text = label_text
        condition = ET.SubElement(proc, "respcondition", {"continue": "No"})
        cond = ET.SubElement(condition, "conditionvar")
        if not self.multiple:
            ET.SubElement(cond, "varequal", respident="response1").text = self.right[0]
        else:
            both = ET.SubElement(cond, "and")
            for oid in self.ids:
                parent = both if oid in self.right else ET.SubElement(both, "not")
                ET.SubElement(parent, "varequal", respident="response1").text = oid
        ET.SubElement(condition, "setvar", action="Set", varname="SCORE").text = "100"

    def moodle_qtype(self, lang: str) -> str:
        yes_no = not self.multiple and [o.lower() for o in self.options] in (["yes", "no"], ["是", "否"])
        return "truefalse" if yes_no and lang == "en" else "multichoice"

    def moodle_answers(self, q, lang: str) -> None:
        if self.moodle_qtype(lang) == "truefalse":
            right_is_yes = self.right == ["A"]
            for label, correct in (("true", right_is_yes), ("false", not right_is_yes)):
                ans = ET.SubElement(q, "answer", fraction="100" if correct else "0")
                ET.SubElement(ans, "text").text = label
            return
        single = not self.multiple
        ET.SubElement(q, "single").text = "true" if single else "false"
        ET.SubElement(q, "shuffleanswers").text = "0"
        ET.SubElement(q, "answernumbering").text = "ABCD"
        n_right = len(self.right)
        for oid, label_text in zip(self.ids, self.options):
            right = oid in self.right
            fraction = 100 if single and right else (100 / n_right if right else -100 / n_right)
            if single and not right:
                fraction = 0
            ans = ET.SubElement(q, "answer", fraction=f"{fraction:.7g}", format="plain_text")   # Moodle lists 33.33333
            ET.SubElement(ans, "text").text = label_text


ANSWER_TYPE = ChoiceType()
