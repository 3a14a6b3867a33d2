"""nngrade: an exam and quiz grader for neural-network courses.

The library is importable without the CLI::

    from grader import load_bank, check_answer
    bank = load_bank()
    result = check_answer(bank.part("sigmoid-derivative/in-sigma"), "σ(x)(1-σ(x))")
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "check_answer", "load_bank"]


def __getattr__(name):  # heavy modules load on first use, so `nngrade --help` stays fast
    if name == "load_bank":
        from grader.bank import load_bank
        return load_bank
    if name == "check_answer":
        from grader.checks import check_answer
        return check_answer
    raise AttributeError(name)
