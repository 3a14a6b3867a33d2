"""HTML reports: per-student feedback and the class page, through Jinja templates.

Pages are self-contained and render offline: math is converted to MathML here
(latex2mathml), plots are inline SVG drawn with matplotlib, styles are inline.
Templates live in ``grader/templates/`` (package data, so a wheel has them too);
a course can put its own versions of any of them in a folder given by
``--templates`` (or $NNGRADE_TEMPLATES) and they win.
"""
from __future__ import annotations

import io
import os
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .escaping import relative_href, visible
from .messages import pick

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "templates"   # inside the package: found from a wheel too
UI = {
    "en": {"score": "Score", "part": "Part", "verdict": "Verdict", "your_answer": "Your answer, as read",
           "feedback": "Feedback", "tests": "Tests", "input": "Input", "expected": "Expected", "got": "Returned",
           "class": "Class summary", "students": "Students", "mean": "Mean", "median": "Median",
           "problems": "Submission problems", "distribution": "Score distribution", "part_means": "Mean score per part",
           "misconceptions": "Most frequent mistakes", "override": "Adjusted by the instructor", "hidden": "hidden",
           "needs_review": "Provisional: an instructor will review this answer.", "counterexample": "Counterexample",
           "plot": "Your function (orange) against the reference (blue); shaded where they differ",
           "isolation": "Code ran isolated", "file_problems": "Problems with the submitted files",
           "review_count": "answers flagged for manual review", "no_problems": "No submission problems.",
           "traceback": "Your traceback",
           "tampering": "Code that interfered with the grading harness",
           "tampering_help": ("These calls wrote replies that only altered grading code could give (forged or extra "
                              "lines). They already count as failed tests; look at the code before publishing."),
           "grader_errors": "Not graded: the grader failed", "grader_errors_count": "grader errors",
           "grader_errors_help": ("These answers got no verdict because the grader itself failed, not because of "
                                  "the students' work. Fix the cause and run nngrade grade again: parts that "
                                  "ended in a grader error are graded again."),
           "student": "Student", "cause": "Cause",
           "grader_fault_note": ("Some parts were not graded because the grader failed. This is a fault of the "
                                 "grader, not of your answer; the results of this run mark these parts as grader "
                                 "errors. If they are still marked so when grades are published, tell your instructor."),
           "verdicts": {"correct": "correct", "partial": "partly correct",
           "incorrect": "incorrect", "invalid": "could not be read", "error": "not graded (grader error)",
           "missing": "no answer"}},
    "zh": {"score": "得分", "part": "小题", "verdict": "结果", "your_answer": "你的答案（评分器的理解）",
           "feedback": "反馈", "tests": "测试", "input": "输入", "expected": "期望", "got": "返回",
           "class": "班级汇总", "students": "学生", "mean": "平均", "median": "中位数",
           "problems": "提交问题", "distribution": "分数分布", "part_means": "各小题平均得分",
           "misconceptions": "最常见的错误", "override": "教师已调整", "hidden": "隐藏",
           "needs_review": "暂定分数：教师将复核此答案。", "counterexample": "反例",
           "plot": "你的函数（橙色）与参考函数（蓝色）；阴影处二者不同",
           "isolation": "代码在隔离环境中运行", "file_problems": "提交文件中的问题",
           "review_count": "个答案待人工复核", "no_problems": "没有提交问题。",
           "traceback": "你的代码的回溯信息",
           "tampering": "干扰评分程序的代码",
           "tampering_help": "这些调用写出的回复只可能来自被篡改的评分代码（伪造或多余的行）。它们已按未通过的测试计分；发布成绩前请检查这些代码。",
           "grader_errors": "未评分：评分器出错", "grader_errors_count": "个评分器错误",
           "grader_errors_help": ("这些答案没有得到结果，原因是评分器本身出错，而不是学生的作答。"
                                  "排除原因后重新运行 nngrade grade：以评分器错误结束的小题会被重新评分。"),
           "student": "学生", "cause": "原因",
           "grader_fault_note": ("部分小题因评分器出错而未评分。这是评分器的问题，不是你的答案的问题；"
                                 "本次运行的结果将这些小题标记为评分器错误。如果公布成绩时仍有此标记，请告知教师。"),
           "verdicts": {"correct": "正确", "partial": "部分正确",
           "incorrect": "错误", "invalid": "无法读取", "error": "未评分（评分器错误）", "missing": "未作答"}},
}


def template_dirs(extra: str | Path | None = None) -> list[str]:
    dirs = [str(p) for p in (extra, os.environ.get("NNGRADE_TEMPLATES")) if p]
    return dirs + [str(DEFAULT_TEMPLATES)]


@lru_cache(maxsize=4)
def get_env(extra: str | None = None) -> Environment:
    """The one Jinja environment: course templates first, autoescape on, undefined is an error."""
    env = Environment(loader=ChoiceLoader([FileSystemLoader(d) for d in template_dirs(extra)]),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, finalize=_shown)
    env.filters.update(math=math_filter, prompt=prompt_filter, pct=lambda v: f"{100 * v:.0f}%", num=_num)
    env.globals.update(curve_svg=curve_svg, histogram_svg=histogram_svg, pick=pick, feedback_href=feedback_href)
    return env


def _shown(value):
    """Every ``{{ … }}`` output: plain text (student ids, answers, feedback) shows its control and bidi
    characters instead of obeying them; HTML the grader built itself (Markup) passes unchanged."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


def feedback_href(student: str) -> str:
    """The link from the class page to a student's page: a relative, percent-encoded path, never a
    scheme or markup a folder name could carry (``javascript:…``, ``"><img …>``)."""
    from .submission import page_name           # ids unsafe as a folder get a stand-in folder
    return relative_href(page_name(student), "feedback.html")


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


# -- math and prompts ----------------------------------------------------------------------

@lru_cache(maxsize=4096)
def to_mathml(latex: str, display: bool = False) -> str:
    from latex2mathml.converter import convert
    try:
        return convert(latex, display="block" if display else "inline")
    except Exception:  # a formula the converter cannot read is still shown, as text
        return str(Markup("<code>{}</code>").format(latex))


def math_filter(latex, display: bool = False) -> Markup:
    return Markup(to_mathml(str(latex), display)) if latex else Markup("")


_VARIANT_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
_VARIANT_ENV.filters["matrix"] = lambda v: _latex_matrix(v)
_SEGMENT = re.compile(r"(\$[^$]+\$|`[^`]+`)")


def _latex_matrix(value) -> str:
    arr = np.atleast_2d(np.asarray(value, dtype=float))
    rows = [" & ".join(f"{x:g}" for x in row) for row in arr]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def fill(prompt: str, params: dict) -> str:
    """A prompt with the student's numbers put in (``{{ W1 | matrix }}``)."""
    if "{{" not in prompt:
        return prompt
    try:
        return _VARIANT_ENV.from_string(prompt).render(**{k: _py(v) for k, v in params.items()})
    except Exception:  # numbers missing (an old result): show the prompt with its placeholders
        return prompt


def _py(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, list):
        return [_py(v) for v in value]
    return value


def prompt_filter(text: str, params: dict | None = None) -> Markup:
    """Prompt text → HTML: $…$ as MathML, `…` as code, the rest escaped."""
    text = fill(text or "", params or {})
    out = []
    for piece in _SEGMENT.split(text):
        if piece.startswith("$") and piece.endswith("$") and len(piece) > 1:
            out.append(to_mathml(piece[1:-1]))
        elif piece.startswith("`") and piece.endswith("`") and len(piece) > 1:
            out.append(str(Markup("<code>{}</code>").format(piece[1:-1])))
        else:
            out.append(str(escape(piece)).replace("\n", "<br>"))
    return Markup("".join(out))


# -- plots ------------------------------------------------------------------------------

def _svg(fig) -> Markup:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    _pyplot().close(fig)
    svg = buf.getvalue()
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg[svg.index("<svg"):], flags=re.S)
    return Markup(svg)


def curve_svg(curve: dict) -> Markup:
    """Student against reference for an element-wise function, differing region shaded.

    Most students' curves are the reference's, so plots are cached by their data.
    """
    import json
    return Markup(_curve_svg(json.dumps(curve, sort_keys=True)))


@lru_cache(maxsize=256)
def _curve_svg(curve_json: str) -> str:
    import json
    curve = json.loads(curve_json)
    plt = _pyplot()
    x = np.asarray(curve["x"], dtype=float)
    ref = np.asarray(curve["reference"], dtype=float)
    got = np.array([np.nan if v is None else v for v in curve["student"]], dtype=float)
    fig, ax = plt.subplots(figsize=(4.6, 2.6), dpi=80)
    ax.plot(x, ref, color="#1f77b4", lw=2, label="reference")
    ax.plot(x, got, color="#ff7f0e", lw=1.5, ls="--", label="yours")
    bad = ~np.isclose(got, ref, rtol=1e-6, atol=1e-9) | ~np.isfinite(got)
    if bad.any():
        lo, hi = np.nanmin(np.r_[ref, got[np.isfinite(got)]]), np.nanmax(np.r_[ref, got[np.isfinite(got)]])
        ax.fill_between(x, lo, hi, where=bad, color="#d62728", alpha=0.15, step="mid", label="differs")
    ax.set_title(curve["function"], fontsize=10)
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3)
    return _svg(fig)


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"      # text stays text: smaller, faster, searchable
    import matplotlib.pyplot as plt
    return plt


def histogram_svg(percents: list[float]) -> Markup:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 2.6), dpi=80)
    ax.hist(percents, bins=np.linspace(0, 100, 11), color="#1f77b4", edgecolor="white")
    ax.set_xlabel("score (%)")
    ax.set_ylabel("students")
    ax.grid(alpha=0.3, axis="y")
    return _svg(fig)


# -- pages ----------------------------------------------------------------------------------

def render_feedback(student: dict, quiz, bank, lang: str, templates: str | None = None) -> str:
    questions = []
    for q in student["questions"]:
        question = bank.questions.get(q["question"])
        if question is None:
            continue
        parts = []
        for row in q["parts"]:
            part = question.part(row["part"])
            parts.append({"row": row, "prompt": part.prompt if part else {"en": "", "zh": ""},
                          "type": part.type if part else "", "address": f"{q['question']}/{row['part']}"})
        questions.append({"id": question.id, "title": question.title, "prompt": question.prompt,
                          "params": q.get("params", {}), "parts": parts})
    from .summary import grader_errors
    return get_env(templates).get_template("feedback.html").render(
        student=student, questions=questions, quiz=quiz, lang=lang, ui=UI[lang],
        grader_faults=grader_errors([student]))


def render_index(students: list[dict], summary: dict, quiz, lang: str, templates: str | None = None) -> str:
    return get_env(templates).get_template("index.html").render(
        students=students, summary=summary, quiz=quiz, lang=lang, ui=UI[lang])


def render_handout(quiz, student: str, assigned, lang: str, key: bool, answers: dict | None = None,
                   templates: str | None = None) -> str:
    return get_env(templates).get_template("handout.html").render(
        quiz=quiz, student=student, assigned=assigned, lang=lang, key=key, answers=answers or {}, ui=UI[lang])
