"""Reference for universal-approximation (private)."""

ANSWERS = {"statement": "A", "limits": ["A", "B", "C"]}

OPTION_FEEDBACK = {
    "statement": {
        "B": {"en": "The theorem is about what can be represented, not about what optimisation finds.", "zh": "该定理讨论的是可表示性，而不是优化能找到什么。"},
        "C": {"en": "It needs enough units (the number grows with the accuracy asked) and gives approximation, not exactness.", "zh": "它需要足够多的单元（数量随精度要求增长），并且只保证逼近而非精确表示。"},
        "D": {"en": "It says nothing about depth or generalisation.", "zh": "它对深度和泛化都没有任何结论。"},
    },
    "limits": {"D": {"en": "Existence is exactly what the theorem does promise.", "zh": "存在性恰恰是该定理所保证的。"}},
}

SELF_TESTS = {
    "statement": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["A, B"]},
    "limits": {"accept": ["A, B, C"], "reject": ["D"], "partial": ["A", "A, B, C, D", "B, C"]},
}


def generate(rng):
    return {}
