"""Per-student variants: seeds that are stable across runs, machines and Python versions."""
from __future__ import annotations

import hashlib

import numpy as np


def stable_seed(*parts: object) -> int:
    """A 64-bit seed from the parts' text, by SHA-256 (never Python's salted ``hash()``)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def variant_rng(quiz_seed: int | str, student_id: str, question_id: str) -> np.random.Generator:
    """The generator a question's ``generate(rng)`` gets for one student in one quiz."""
    return np.random.default_rng(stable_seed("variant", quiz_seed, student_id, question_id))
