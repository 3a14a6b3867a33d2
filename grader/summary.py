"""From stored grades to what the outputs show: per-student totals with overrides, class statistics."""
from __future__ import annotations

from collections import Counter, defaultdict


def student_result(student: str, questions: list[dict], overrides: dict[str, dict], problems: list[dict]) -> dict:
    """A student's entry of results.json (contract), with manual overrides applied and marked."""
    score = max_score = 0.0
    out_questions = []
    for q in questions:
        parts = []
        for part in q["parts"]:
            row = dict(part)
            address = f"{q['question']}/{part['part']}"
            if address in overrides:
                o = overrides[address]
                row["auto_score"] = part["score"]
                row["score"] = min(float(o["score"]), part["max_score"])
                row["override"] = {"score": o["score"], "comment": o.get("comment")}
            score += row["score"]
            max_score += row["max_score"]
            parts.append(row)
        out_questions.append({"question": q["question"], "parts": parts, "params": q.get("params", {})})
    return {"student": student, "score": round(score, 6), "max_score": round(max_score, 6),
            "questions": out_questions, "problems": problems}


def class_summary(students: list[dict]) -> dict:
    """What the class page shows: distribution, each part's mean, frequent misconceptions, problems, grader errors."""
    percents = [100 * s["score"] / s["max_score"] if s["max_score"] else 0.0 for s in students]
    by_part: dict[str, list[float]] = defaultdict(list)
    misconceptions: dict[str, Counter] = defaultdict(Counter)
    verdicts: dict[str, Counter] = defaultdict(Counter)
    for s in students:
        for q in s["questions"]:
            for p in q["parts"]:
                address = f"{q['question']}/{p['part']}"
                by_part[address].append(p["score"] / p["max_score"] if p["max_score"] else 0.0)
                verdicts[address][p["verdict"]] += 1
                details = p.get("details") or {}
                label = details.get("misconception") or details.get("diagnosis") or (
                    "shape error" if details.get("error") == "shape" else None)
                if label:
                    misconceptions[address][label] += 1
    parts = [{"address": a, "mean": sum(v) / len(v), "count": len(v), "verdicts": dict(verdicts[a]),
              "misconceptions": misconceptions[a].most_common(3)} for a, v in sorted(by_part.items())]
    flagged = [{"student": s["student"], "problems": [p for p in s["problems"] if p.get("severity") != "note"],
                "errors": sum(1 for q in s["questions"] for p in q["parts"] if p["verdict"] == "error")}
               for s in students]
    flagged = [f for f in flagged if f["problems"] or f["errors"]]
    review = sum(1 for s in students for q in s["questions"] for p in q["parts"]
                 if (p.get("details") or {}).get("needs_review") and "override" not in p)
    return {"count": len(students), "percents": percents,
            "mean": sum(percents) / len(percents) if percents else 0.0,
            "median": sorted(percents)[len(percents) // 2] if percents else 0.0,
            "parts": parts, "flagged": flagged, "needs_review": review, "errors": grader_errors(students),
            "tampered": tampering(students)}


def tampering(students: list[dict]) -> list[dict]:
    """Replies only altered grading code could give (a call's output broke the protocol): {"student", "part",
    "what"}. The student's own verdict already counts it as a failed test; this list is for the instructor."""
    found = []
    for s in students:
        for q in s["questions"]:
            for p in q["parts"]:
                for what in (p.get("details") or {}).get("tampered") or []:
                    found.append({"student": s["student"], "part": f"{q['question']}/{p['part']}", "what": str(what)})
    return found


# -- grader faults --------------------------------------------------------------------------------

GRADER_FAULT = "grader"          # a problem's "kind" when the grader, not the submission, failed


def grader_fault_problem(cause: str) -> dict:
    """The problem note of a submission the grader could not grade at all (stored with the student)."""
    return {"file": "", "severity": "error", "kind": GRADER_FAULT, "cause": cause, "message": f"grading failed: {cause}"}


def part_cause(part: dict) -> str:
    """Why the grader failed on a part: the exception or reason it recorded, else its first feedback line."""
    details = part.get("details") or {}
    for key in ("cause", "exception"):
        if details.get(key):
            return str(details[key])
    first = (part.get("feedback") or "").splitlines()
    reason = details.get("error")
    return (f"{reason}: " if reason else "") + (first[0] if first else "no reason recorded")


def grader_errors(students: list[dict]) -> list[dict]:
    """Every grader fault of a run, in student order: {"student", "part", "cause"}.

    A part with verdict ``error`` (the sandbox did not start, the harness failed, a reply could not
    be decoded, a checker raised) is the grader's fault, never the student's; so is a submission the
    grader could not grade at all (``part`` is then ``"*"``).
    """
    errors = []
    for s in students:
        for p in s.get("problems") or []:
            if p.get("kind") == GRADER_FAULT:
                errors.append({"student": s["student"], "part": "*", "cause": p.get("cause") or p["message"]})
        for q in s["questions"]:
            for p in q["parts"]:
                if p["verdict"] == "error":
                    errors.append({"student": s["student"], "part": f"{q['question']}/{p['part']}",
                                   "cause": part_cause(p)})
    return errors
