"""Exports to LMS formats: gradebook CSVs (Canvas, Moodle) and quiz items (Canvas QTI 1.2, Moodle XML).

Canvas and Moodle grade choices and numbers themselves; formulas, derivations,
code and per-student numbers they cannot, so those parts become essay items
that send students to nngrade, and are listed in the returned warnings.
"""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from .check import resolve
from .escaping import csv_row, xml_string
from .checks.choice import read_choices
from .checks.numeric import read_number
from .messages import pick


def points(value: float) -> str:
    """A score as text: up to 4 decimals, no trailing zeros (104.8571, 2, 1.5)."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def score_cell(value: float) -> float:
    """A score as a CSV number (up to 4 decimals); numbers are never neutralised as formulas."""
    return round(float(value), 4)


def _percent(s: dict) -> float:
    return 100 * s["score"] / s["max_score"] if s["max_score"] else 0.0


def canvas_grades(results: dict, out: Path, title: str, assignment_id: str | None = None) -> None:
    """Canvas gradebook import CSV: students matched by SIS User ID; a Points Possible row."""
    column = f"{title} ({assignment_id})" if assignment_id else title
    students = results["students"]
    possible = max((s["max_score"] for s in students), default=0)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(csv_row(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column]))
        w.writerow(csv_row(["    Points Possible", "", "", "", "", score_cell(possible)]))
        for s in students:
            w.writerow(csv_row([s["student"], "", s["student"], s["student"], "", score_cell(s["score"])]))


def moodle_grades(results: dict, out: Path, title: str) -> None:
    """Moodle grade import CSV: users matched by ID number, one grade column."""
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(csv_row(["ID number", title, "Feedback"]))
        for s in results["students"]:
            w.writerow(csv_row([s["student"], score_cell(s["score"]), f"{_percent(s):.1f}% in nngrade"]))


# -- items ----------------------------------------------------------------------------------------

def items(bank, quiz, lang: str) -> tuple[list[dict], list[str]]:
    """The quiz's parts as plain LMS items, and warnings for the parts exported as essays."""
    from .quiz import assignment
    out, warnings = [], []
    for a in assignment(quiz, bank, "lms-export"):
        for part in a.parts:
            text = pick(a.question.prompt, lang) + "\n\n" + pick(part.prompt, lang)
            item = {"id": f"{a.question.id}.{part.id}", "title": f"{a.question.id}/{part.id}", "text": text,
                    "points": part.points}
            ref = part.reference.answer
            if part.type == "choice":
                item.update(kind="multiple" if part.spec.get("multiple") else "single",
                            options=[pick(o, lang) for o in part.spec["options"]], ids=part.spec["option_ids"],
                            right=read_choices(ref))
            elif part.type == "numeric" and not callable(ref):
                tol = part.spec.get("tolerance", {})
                value = read_number(resolve(ref, {}))[0]
                item.update(kind="numeric", value=value,
                            tolerance=max(tol.get("abs", 1e-9), tol.get("rel", 1e-6) * abs(value)))
            else:
                reason = "a per-student number" if callable(ref) else f"a {part.type} part"
                warnings.append(f"{item['title']}: {reason} cannot be graded by the LMS; exported as an essay "
                                "item that points students to nngrade")
                item.update(kind="essay", text=text + "\n\n(Submit this part to nngrade; it is graded there.)")
            out.append(item)
    return out, warnings


def canvas_qti(bank, quiz, out: Path, lang: str = "en") -> list[str]:
    """A Canvas QTI 1.2 package (zip: imsmanifest.xml and the assessment)."""
    parts, warnings = items(bank, quiz, lang)
    ident = f"nngrade_{quiz.id}"
    root = ET.Element("questestinterop", xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2")
    assessment = ET.SubElement(root, "assessment", ident=ident, title=pick(quiz.title, lang))
    section = ET.SubElement(assessment, "section", ident="root_section")
    for item in parts:
        _qti_item(section, item)
    manifest = ET.Element("manifest", identifier=f"{ident}_manifest", xmlns="http://www.imsglobal.org/xsd/imscp_v1p1")
    ET.SubElement(manifest, "organizations")
    resources = ET.SubElement(manifest, "resources")
    res = ET.SubElement(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
    ET.SubElement(res, "file", href=f"{ident}/{ident}.xml")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", xml_string(manifest))
        zf.writestr(f"{ident}/{ident}.xml", xml_string(root))
    return warnings


QTI_TYPES = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
             "numeric": "numerical_question", "essay": "essay_question"}


def _qti_item(section, item: dict) -> None:
    el = ET.SubElement(section, "item", ident=item["id"], title=item["title"])
    meta = ET.SubElement(ET.SubElement(el, "itemmetadata"), "qtimetadata")
    for label, entry in (("question_type", QTI_TYPES[item["kind"]]), ("points_possible", f"{item['points']:g}")):
        field = ET.SubElement(meta, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry
    pres = ET.SubElement(el, "presentation")
    ET.SubElement(ET.SubElement(pres, "material"), "mattext", texttype="text/plain").text = item["text"]
    proc = ET.SubElement(el, "resprocessing")
    ET.SubElement(ET.SubElement(proc, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE",
                  vartype="Decimal")
    kind = item["kind"]
    if kind in ("single", "multiple"):
        lid = ET.SubElement(pres, "response_lid", ident="response1",
                            rcardinality="Single" if kind == "single" else "Multiple")
        choice = ET.SubElement(lid, "render_choice")
        for oid, text in zip(item["ids"], item["options"]):
            label = ET.SubElement(choice, "response_label", ident=oid)
            ET.SubElement(ET.SubElement(label, "material"), "mattext", texttype="text/plain").text = text
        condition = ET.SubElement(proc, "respcondition", {"continue": "No"})
        cond = ET.SubElement(condition, "conditionvar")
        if kind == "single":
            ET.SubElement(cond, "varequal", respident="response1").text = item["right"][0]
        else:
            both = ET.SubElement(cond, "and")
            for oid in item["ids"]:
                parent = both if oid in item["right"] else ET.SubElement(both, "not")
                ET.SubElement(parent, "varequal", respident="response1").text = oid
        ET.SubElement(condition, "setvar", action="Set", varname="SCORE").text = "100"
    elif kind == "numeric":
        resp = ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single")
        ET.SubElement(ET.SubElement(resp, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
        condition = ET.SubElement(proc, "respcondition", {"continue": "No"})
        cond = ET.SubElement(condition, "conditionvar")
        either = ET.SubElement(cond, "or")
        ET.SubElement(either, "varequal", respident="response1").text = repr(item["value"])
        between = ET.SubElement(either, "and")
        ET.SubElement(between, "vargte", respident="response1").text = repr(item["value"] - item["tolerance"])
        ET.SubElement(between, "varlte", respident="response1").text = repr(item["value"] + item["tolerance"])
        ET.SubElement(condition, "setvar", action="Set", varname="SCORE").text = "100"
    else:
        resp = ET.SubElement(pres, "response_str", ident="response1", rcardinality="Single")
        ET.SubElement(resp, "render_fib")
        ET.SubElement(ET.SubElement(proc, "respcondition", {"continue": "No"}), "conditionvar").append(ET.Element("other"))


def moodle_xml(bank, quiz, out: Path, lang: str = "en") -> list[str]:
    """Moodle XML: multichoice, truefalse (yes/no choices), numerical with tolerance, essay."""
    parts, warnings = items(bank, quiz, lang)
    root = ET.Element("quiz")
    category = ET.SubElement(root, "question", type="category")
    ET.SubElement(ET.SubElement(category, "category"), "text").text = f"$course$/nngrade/{quiz.id}"
    for item in parts:
        kind = item["kind"]
        yes_no = kind == "single" and [o.lower() for o in item["options"]] in (["yes", "no"], ["是", "否"])
        qtype = {"single": "multichoice", "multiple": "multichoice", "numeric": "numerical", "essay": "essay"}[kind]
        if yes_no and lang == "en":
            qtype = "truefalse"
        q = ET.SubElement(root, "question", type=qtype)
        ET.SubElement(ET.SubElement(q, "name"), "text").text = item["title"]
        qt = ET.SubElement(q, "questiontext", format="plain_text")
        ET.SubElement(qt, "text").text = item["text"]
        ET.SubElement(q, "defaultgrade").text = f"{item['points']:g}"
        if qtype == "truefalse":
            right_is_yes = item["right"] == ["A"]
            for label, correct in (("true", right_is_yes), ("false", not right_is_yes)):
                ans = ET.SubElement(q, "answer", fraction="100" if correct else "0")
                ET.SubElement(ans, "text").text = label
        elif qtype == "multichoice":
            ET.SubElement(q, "single").text = "true" if kind == "single" else "false"
            ET.SubElement(q, "shuffleanswers").text = "0"
            ET.SubElement(q, "answernumbering").text = "ABCD"
            n_right = len(item["right"])
            for oid, text in zip(item["ids"], item["options"]):
                right = oid in item["right"]
                fraction = 100 if kind == "single" and right else (100 / n_right if right else -100 / n_right)
                if kind == "single" and not right:
                    fraction = 0
                ans = ET.SubElement(q, "answer", fraction=f"{fraction:.7g}", format="plain_text")   # Moodle lists 33.33333
                ET.SubElement(ans, "text").text = text
        elif qtype == "numerical":
            ans = ET.SubElement(q, "answer", fraction="100")
            ET.SubElement(ans, "text").text = repr(item["value"])
            ET.SubElement(ans, "tolerance").text = repr(item["tolerance"])
        else:
            ET.SubElement(q, "responseformat").text = "editor"
            ET.SubElement(q, "responsefieldlines").text = "10"
    ET.indent(root)
    out.write_text(xml_string(root), encoding="utf-8")
    return warnings


def read_results(path: Path) -> dict:
    import json
    return json.loads(Path(path).read_text(encoding="utf-8"))
