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
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from grader.messages import LANGS, localized, pick, text, ui
from grader.publish.escaping import relative_href, visible

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"   # inside the package: found from a wheel too
UI = {lang: ui(lang) for lang in LANGS}      # page labels, from the catalog (grader/messages.py)


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
    env.globals.update(curve_svg=curve_svg, histogram_svg=histogram_svg, pick=pick, feedback_href=feedback_href,
                       problem_message=problem_message)
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
    from grader.submission import page_name  # ids unsafe as a folder get a stand-in folder
    return relative_href(page_name(student), "feedback.html")


def problem_message(problem, lang: str) -> str:
    """A submission problem's message in the page's language (from its catalog key and parameters)."""
    data = problem if isinstance(problem, dict) else getattr(problem, "__dict__", {})
    return localized(data, lang).get("message", "")


def _num(value) -> str:
    return f"{round(value, 2):g}" if isinstance(value, (int, float)) else str(value)   # points: 2 decimals at most


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
    with warnings.catch_warnings():     # Chinese labels: the SVG keeps them as text, the browser's fonts draw them
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    _pyplot().close(fig)
    svg = buf.getvalue()
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg[svg.index("<svg"):], flags=re.S)
    return Markup(svg)


def curve_svg(curve: dict, lang: str = "en") -> Markup:
    """Student against reference for an element-wise function, differing region shaded.

    Most students' curves are the reference's, so plots are cached by their data.
    """
    import json
    return Markup(_curve_svg(json.dumps(curve, sort_keys=True), lang))


@lru_cache(maxsize=256)
def _curve_svg(curve_json: str, lang: str = "en") -> str:
    import json
    curve = json.loads(curve_json)
    plt = _pyplot()
    x = np.asarray(curve["x"], dtype=float)
    ref = np.asarray(curve["reference"], dtype=float)
    got = np.array([np.nan if v is None else v for v in curve["student"]], dtype=float)
    fig, ax = plt.subplots(figsize=(4.6, 2.6), dpi=80)
    ax.plot(x, ref, color="#1f77b4", lw=2, label=text("plot_reference", lang))
    ax.plot(x, got, color="#ff7f0e", lw=1.5, ls="--", label=text("plot_yours", lang))
    bad = ~np.isclose(got, ref, rtol=1e-6, atol=1e-9) | ~np.isfinite(got)
    if bad.any():
        lo, hi = np.nanmin(np.r_[ref, got[np.isfinite(got)]]), np.nanmax(np.r_[ref, got[np.isfinite(got)]])
        ax.fill_between(x, lo, hi, where=bad, color="#d62728", alpha=0.15, step="mid", label=text("plot_differs", lang))
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


def histogram_svg(percents: list[float], lang: str = "en") -> Markup:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 2.6), dpi=80)
    ax.hist(percents, bins=np.linspace(0, 100, 11), color="#1f77b4", edgecolor="white")
    ax.set_xlabel(text("plot_score_axis", lang))
    ax.set_ylabel(text("plot_students_axis", lang))
    ax.grid(alpha=0.3, axis="y")
    return _svg(fig)


# -- pages ----------------------------------------------------------------------------------

def render_feedback(student, quiz, bank, lang: str, templates: str | None = None) -> str:
    """A student's page from a :class:`grader.results.StudentResult`.

    Templates see the result as its JSON (``student``, and ``item.row`` for each part: keys a part
    lacks, such as ``override``, are undefined there), so a course's own templates keep working."""
    questions = []
    for q in student.questions:
        question = bank.questions.get(q.question)
        if question is None:
            continue
        parts = []
        for row in q.parts:
            part = question.part(row.part)
            parts.append({"row": row.to_json(), "prompt": part.prompt if part else {"en": "", "zh": ""},
                          "type": part.type if part else "", "address": f"{q.question}/{row.part}"})
        questions.append({"id": question.id, "title": question.title, "prompt": question.prompt,
                          "params": q.params or {}, "parts": parts})
    return get_env(templates).get_template("feedback.html").render(
        student=student.to_json(), questions=questions, quiz=quiz, lang=lang, ui=UI[lang],
        grader_faults=student.grader_errors())


def render_index(students: list, summary, quiz, lang: str, templates: str | None = None) -> str:
    """The class page from the students' :class:`grader.results.StudentResult` and their
    :class:`grader.results.ClassSummary`."""
    return get_env(templates).get_template("index.html").render(
        students=students, summary=summary, quiz=quiz, lang=lang, ui=UI[lang])


def render_handout(quiz, student: str, assigned, lang: str, key: bool, answers: dict | None = None,
                   templates: str | None = None) -> str:
    return get_env(templates).get_template("handout.html").render(
        quiz=quiz, student=student, assigned=assigned, lang=lang, key=key, answers=answers or {}, ui=UI[lang])
