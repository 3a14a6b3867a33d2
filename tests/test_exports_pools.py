"""A pooled quiz exports every question of each pool: a Canvas QTI question group (a section whose
selection_number is the pick) and a Moodle XML category with one random question per pick.
Checked by parsing the exported XML, against the quiz file and against what nngrade assigns."""
from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from grader.cli import cli
from grader.quiz import assignment, load_quiz

from .conftest import ROOT

NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
MIDTERM = ROOT / "quizzes" / "midterm-exam.yaml"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NNGRADE_BANK": str(ROOT)})


def canvas(quiz: Path, tmp_path: Path) -> tuple[ET.Element, str]:
    res = run("export", "canvas-qti", quiz, "-o", tmp_path / "q.zip")
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(tmp_path / "q.zip") as zf:
        href = ET.fromstring(zf.read("imsmanifest.xml")).find(".//{*}file").get("href")
        return ET.fromstring(zf.read(href)), res.output


def moodle(quiz: Path, tmp_path: Path) -> tuple[list[ET.Element], str]:
    res = run("export", "moodle-xml", quiz, "-o", tmp_path / "m.xml")
    assert res.exit_code == 0, res.output
    return list(ET.parse(tmp_path / "m.xml").getroot()), res.output


def pools_of(quiz: Path) -> list[dict]:
    return [e for e in yaml.safe_load(quiz.read_text(encoding="utf-8"))["questions"] if isinstance(e, dict)]


def member_titles(bank, member: str) -> set[str]:
    """The item titles a pool member may export as: its part's address, or the question's id (several parts)."""
    qid, _, pid = member.partition("/")
    parts = [p for p in bank.questions[qid].parts if not pid or p.id == pid]
    return {f"{qid}/{parts[0].id}"} if len(parts) == 1 else {qid}


def qtype(item) -> str:
    for field in item.findall(".//q:qtimetadatafield", NS):
        if field.find("q:fieldlabel", NS).text == "question_type":
            return field.find("q:fieldentry", NS).text
    raise AssertionError("no question_type")


@pytest.fixture
def single_part_pool(tmp_path) -> Path:
    """A quiz with one fixed question and a pool of single numbers: σ' peaks at 1/4, tanh' at 1, and the
    arg max of σ' is 0; the LMS can grade all three itself."""
    quiz = tmp_path / "pooled.yaml"
    quiz.write_text(yaml.safe_dump({
        "id": "pooled", "title": {"en": "Pooled", "zh": "题库"}, "seed": 5, "lang": "en",
        "questions": ["init-symmetry/zero",
                      {"pool": ["sigmoid-derivative/max", "tanh-sigmoid/max-derivative", "sigmoid-derivative/argmax"],
                       "pick": 2}]}), encoding="utf-8")
    return quiz


def test_canvas_group_holds_every_pool_question_and_draws_the_pick(single_part_pool, tmp_path):
    assessment, _ = canvas(single_part_pool, tmp_path)
    root = assessment.find(".//q:section[@ident='root_section']", NS)
    fixed = root.findall("q:item", NS)
    assert [i.get("title") for i in fixed] == ["init-symmetry/zero"]
    groups = root.findall("q:section", NS)
    assert len(groups) == 1
    group = groups[0]
    assert group.find("q:selection_ordering/q:selection/q:selection_number", NS).text == "2"
    assert float(group.find(".//q:selection_extension/q:points_per_item", NS).text) == 1.0
    items = {i.get("title"): i for i in group.findall("q:item", NS)}
    assert set(items) == {"sigmoid-derivative/max", "tanh-sigmoid/max-derivative", "sigmoid-derivative/argmax"}
    assert all(qtype(i) == "numerical_question" for i in items.values())
    value = {t: float(i.find(".//q:varequal", NS).text) for t, i in items.items()}
    assert value == {"sigmoid-derivative/max": 0.25, "tanh-sigmoid/max-derivative": 1.0,
                     "sigmoid-derivative/argmax": 0.0}


def test_moodle_category_holds_every_pool_question_and_a_random_question_per_pick(single_part_pool, tmp_path):
    questions, _ = moodle(single_part_pool, tmp_path)
    category, placed = None, {}
    for q in questions:
        if q.get("type") == "category":
            category = q.find("category/text").text
            continue
        placed.setdefault(category, []).append(q)
    assert set(placed) == {"$course$/nngrade/pooled", "$course$/nngrade/pooled/pool-1"}
    assert [q.find("name/text").text for q in placed["$course$/nngrade/pooled"]] == ["init-symmetry/zero"]
    pool = placed["$course$/nngrade/pooled/pool-1"]
    drawn = {q.find("name/text").text: q for q in pool if q.get("type") != "random"}
    assert set(drawn) == {"sigmoid-derivative/max", "tanh-sigmoid/max-derivative", "sigmoid-derivative/argmax"}
    assert float(drawn["tanh-sigmoid/max-derivative"].find("answer/text").text) == 1.0
    randoms = [q for q in pool if q.get("type") == "random"]
    assert len(randoms) == 2                                           # pick: 2
    assert all(r.find("questiontext/text").text == "0" and float(r.find("defaultgrade").text) == 1.0
               for r in randoms)


def test_the_shipped_midterms_pools_export_whole_in_both_formats(bank, tmp_path):
    pools = pools_of(MIDTERM)
    assert pools, "the midterm has pools"
    assessment, output = canvas(MIDTERM, tmp_path)
    groups = assessment.findall(".//q:section[@ident='root_section']/q:section", NS)
    assert len(groups) == len(pools)
    for group, pool in zip(groups, pools):
        assert group.find(".//q:selection_number", NS).text == str(pool.get("pick", 1))
        titles = [i.get("title") for i in group.findall("q:item", NS)]
        assert len(titles) == len(pool["pool"])                        # one item per pool question
        assert set(titles) == set().union(*(member_titles(bank, m) for m in pool["pool"]))
    multi = [m for p in pools for m in p["pool"] if "/" not in m and len(bank.questions[m].parts) > 1]
    assert all(f"{m}: a question of" in output for m in multi)        # said, not silent

    questions, _ = moodle(MIDTERM, tmp_path)
    quiz_id = yaml.safe_load(MIDTERM.read_text(encoding="utf-8"))["id"]
    for n, pool in enumerate(pools, 1):
        name = f"$course$/nngrade/{quiz_id}/pool-{n}"
        start = next(i for i, q in enumerate(questions) if q.get("type") == "category"
                     and q.find("category/text").text == name)
        block = []
        for q in questions[start + 1:]:
            if q.get("type") == "category":
                break
            block.append(q)
        assert sum(q.get("type") == "random" for q in block) == pool.get("pick", 1)
        assert {q.find("name/text").text for q in block if q.get("type") != "random"} == \
            set().union(*(member_titles(bank, m) for m in pool["pool"]))


def test_every_question_a_student_can_draw_is_in_the_export(bank, tmp_path):
    """Whatever nngrade assigns any student from a pool, the LMS group holds it (the old export held one draw)."""
    quiz = load_quiz(MIDTERM, bank)
    assessment, _ = canvas(MIDTERM, tmp_path)
    exported = {i.get("title") for i in assessment.iter("{%s}item" % NS["q"])}
    pooled = {m.partition("/")[0] for p in pools_of(MIDTERM) for m in p["pool"]}
    drawn = set()
    for n in range(40):
        for a in assignment(quiz, bank, f"s{n:03d}"):
            if a.question.id in pooled:
                drawn.add(a.question.id)
                assert {f"{a.question.id}/{p.id}" for p in a.parts} <= exported or a.question.id in exported
    assert drawn == pooled                    # 40 students drew every pool question at least once
