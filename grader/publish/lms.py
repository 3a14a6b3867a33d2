"""Exports to LMS formats: gradebook CSVs (Canvas, Moodle) and quiz items (Canvas QTI 1.2, Moodle XML).

Canvas and Moodle grade choices and numbers themselves; formulas, derivations,
code and per-student numbers they cannot, so those parts become essay items
that send students to nngrade, and are listed in the returned warnings. Each
answer type makes its own item (``lms_item`` in ``grader/checks/<type>.py``).

A quiz's pools are exported whole: every question of a pool, in a Canvas question
group (a ``<section>`` whose ``selection_number`` is the pick) or a Moodle category
with one ``random`` question per pick, so each student draws as in nngrade.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader.checks import EssayItem, LmsItem, answer_type
from grader.messages import pick, ref
from grader.messages import text as _text  # `text` is an item's text here
from grader.publish.escaping import xml_string
from grader.said import Said


def points(value: float) -> str:
    """A score as text: up to 4 decimals, no trailing zeros (104.8571, 2, 1.5)."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


# -- items ----------------------------------------------------------------------------------------

@dataclass
class Block:
    """Items the LMS shows in order, or, for a pool, the items it draws ``pick`` of (one per question)."""

    items: list[LmsItem]
    pick: int | None = None
    number: int = 0          # the pool's number in the quiz (1, 2, ...)


def blocks(bank, quiz, lang: str) -> tuple[list[Block], list[str]]:
    """The quiz as LMS items: fixed questions in order, each pool with every question it may draw;
    and warnings for the parts exported as essays."""
    warnings: list[str] = []
    fixed: dict[str, list[str] | None] = {}         # question id -> part ids (None: all), as the quiz merges them
    order: list[str | dict] = []                     # a fixed question's id, or a pool entry
    for entry in quiz.entries:
        if isinstance(entry, dict):
            order.append(entry)
            continue
        qid, _, pid = str(entry).partition("/")
        if qid not in fixed:
            order.append(qid)
        if not pid:
            fixed[qid] = None
        else:
            pids = fixed.setdefault(qid, [])
            if pids is not None:
                pids.append(pid)
    out, pools = [], 0
    for value in order:
        if isinstance(value, str):
            question = bank.questions[value]
            out.append(Block([_part_item(question, p, lang, warnings) for p in _parts(question, fixed[value])]))
            continue
        pools += 1
        members = [_pool_item(str(m), bank, lang, warnings, pools) for m in value["pool"]]
        pick_n = int(value.get("pick", 1))
        if len({m.points for m in members}) > 1:
            points = ", ".join(f"{m.points:g}" for m in members)
            warnings.append(Said(ref("lms_pool_points", pool=pools, points=points, first=f"{members[0].points:g}")))
        out.append(Block(members, pick_n, pools))
    return out, warnings


def items(bank, quiz, lang: str) -> tuple[list[LmsItem], list[str]]:
    """Every LMS item of the quiz (pools' items included), and the warnings."""
    found, warnings = blocks(bank, quiz, lang)
    return [item for block in found for item in block.items], warnings


def _parts(question, part_ids):
    return question.parts if part_ids is None else [p for p in question.parts if p.id in part_ids]


def _part_item(question, part, lang: str, warnings: list[str]) -> LmsItem:
    """One part as the item its answer type makes, or an essay that points students to nngrade."""
    text = pick(question.prompt, lang) + "\n\n" + pick(part.prompt, lang)
    base = {"id": f"{question.id}.{part.id}", "title": f"{question.id}/{part.id}", "text": text,
            "points": part.points}
    item = answer_type(part.type).lms_item(part, base, lang)
    if item is not None:
        return item
    reason = ref("lms_reason_variant") if callable(part.reference.answer) else ref("lms_reason_type", type=part.type)
    warnings.append(Said(ref("lms_essay", title=base["title"], reason=reason)))
    return EssayItem(**{**base, "text": text + "\n\n" + submit_to_nngrade(lang)})


def _pool_item(member: str, bank, lang: str, warnings: list[str], number: int) -> LmsItem:
    """One question of a pool as one item, since the LMS draws items: a question with several parts
    becomes one essay item holding them all (the LMS cannot draw parts of one question together)."""
    qid, _, pid = member.partition("/")
    question = bank.questions[qid]
    parts = _parts(question, [pid] if pid else None)
    if len(parts) == 1:
        return _part_item(question, parts[0], lang, warnings)
    text = "\n\n".join([pick(question.prompt, lang)] + [f"({p.id}) {pick(p.prompt, lang)}" for p in parts])
    warnings.append(Said(ref("lms_pool_essay", qid=qid, n=len(parts), pool=number)))
    return EssayItem(qid, qid, text + "\n\n" + submit_to_nngrade(lang), sum(p.points for p in parts))


def submit_to_nngrade(lang: str) -> str:
    """What an essay item tells students, in the quiz's language."""
    return _text("lms_submit_to_nngrade", lang)


def canvas_qti(bank, quiz, out: Path, lang: str = "en") -> list[str]:
    """A Canvas QTI 1.2 package (zip: imsmanifest.xml and the assessment); a pool is a question group."""
    found, warnings = blocks(bank, quiz, lang)
    ident = f"nngrade_{quiz.id}"
    root = ET.Element("questestinterop", xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2")
    assessment = ET.SubElement(root, "assessment", ident=ident, title=pick(quiz.title, lang))
    section = ET.SubElement(assessment, "section", ident="root_section")
    for block in found:
        target = section
        if block.pick is not None:
            target = ET.SubElement(section, "section", ident=f"{ident}_pool_{block.number}",
                                   title=f"pool {block.number}: {block.pick} of {len(block.items)}")
            selection = ET.SubElement(ET.SubElement(target, "selection_ordering"), "selection")
            ET.SubElement(selection, "selection_number").text = str(block.pick)
            extension = ET.SubElement(selection, "selection_extension")
            ET.SubElement(extension, "points_per_item").text = f"{block.items[0].points:g}"
        for item in block.items:
            item.qti(target)
    manifest = ET.Element("manifest", identifier=f"{ident}_manifest", xmlns="http://www.imsglobal.org/xsd/imscp_v1p1")
    ET.SubElement(manifest, "organizations")
    resources = ET.SubElement(manifest, "resources")
    res = ET.SubElement(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
    ET.SubElement(res, "file", href=f"{ident}/{ident}.xml")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", xml_string(manifest))
        zf.writestr(f"{ident}/{ident}.xml", xml_string(root))
    return warnings


def moodle_xml(bank, quiz, out: Path, lang: str = "en") -> list[str]:
    """Moodle XML: multichoice, truefalse (yes/no choices), numerical with tolerance, essay.

    The quiz's fixed questions go in the category ``$course$/nngrade/<quiz id>``; each pool's in its own
    category ``$course$/nngrade/<quiz id>/pool-N`` with one ``random`` question per pick, which draws
    from that category."""
    found, warnings = blocks(bank, quiz, lang)
    root = ET.Element("quiz")
    home = f"$course$/nngrade/{quiz.id}"
    _moodle_category(root, home)
    for block in found:
        if block.pick is None:
            for item in block.items:
                item.moodle(root, lang)
    for block in found:
        if block.pick is None:
            continue
        category = f"{home}/pool-{block.number}"
        _moodle_category(root, category)
        for item in block.items:
            item.moodle(root, lang)
        for n in range(1, block.pick + 1):
            q = ET.SubElement(root, "question", type="random")
            ET.SubElement(ET.SubElement(q, "name"), "text").text = f"Random ({quiz.id} pool {block.number}, {n})"
            ET.SubElement(ET.SubElement(q, "questiontext", format="html"), "text").text = "0"   # no subcategories
            ET.SubElement(ET.SubElement(q, "generalfeedback", format="html"), "text").text = ""
            ET.SubElement(q, "defaultgrade").text = f"{block.items[0].points:g}"
            ET.SubElement(q, "penalty").text = "0"
            ET.SubElement(q, "hidden").text = "0"
    ET.indent(root)
    out.write_text(xml_string(root), encoding="utf-8")
    return warnings


def _moodle_category(root, path: str) -> None:
    category = ET.SubElement(root, "question", type="category")
    ET.SubElement(ET.SubElement(category, "category"), "text").text = path
