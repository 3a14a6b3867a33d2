"""Reference for lstm-memory (private). The course: seed 001 part 二 Q7 (h_t 短期记忆, 参数为长期记忆,
记忆单元 c 的生命周期长于 h 但远短于长期记忆, 故称长的短期记忆)."""

ANSWERS = {"short-term": "A", "long-term": "B", "retention-formula": "f^k*C_0"}

MISCONCEPTIONS = {
    "retention-formula": [
        {"id": "linear", "answer": "f*k*C_0",
         "feedback": {"en": "Each step multiplies C by f again: C_k = f·f·…·f·C_0 = f^k C_0.", "zh": "每一步都再乘一次 f：C_k = f·f·…·f·C_0 = f^k C_0。"}},
        {"id": "forgotten-part", "answer": "(1 - f)^k*C_0",
         "feedback": {"en": "f is the fraction kept (1 = keep everything), not the fraction forgotten.", "zh": "f 是保留的比例（1 表示全部保留），而不是遗忘的比例。"}},
        {"id": "one-step", "answer": "f*C_0",
         "feedback": {"en": "That is one step; after k steps the factor is f^k.", "zh": "这是一步的结果；k 步之后因子是 f^k。"}},
    ],
}

OPTION_FEEDBACK = {
    "short-term": {"C": {"en": "h_t is not cleared; it is overwritten by a new function of h_{t−1} and x_t.", "zh": "h_t 并没有被清零，而是被 h_{t−1} 和 x_t 的新函数覆盖。"}},
    "long-term": {"A": {"en": "C_t lives longer than h_t but is still a state of one sequence: the course calls it the long short-term memory.",
                        "zh": "C_t 的寿命比 h_t 长，但仍是一个序列内的状态：课程称之为长的短期记忆。"}},
}

RUBRICS = {"explain": [
    {"idea": {"en": "h_t is short-term: rewritten at every step", "zh": "h_t 是短期记忆：每一步都被重写"},
     "en": ["rewrit", "overwrit", "every step", "each step", "short"], "zh": ["重写", "覆盖", "每一步", "每个时刻", "短期"]},
    {"idea": {"en": "C_t can keep information longer, controlled by the gates", "zh": "C_t 可以在门的控制下把信息保存更久"},
     "en": ["longer", "gate", "keep", "retain", "preserv"], "zh": ["更长", "门", "保存", "保留"]},
    {"idea": {"en": "but far shorter than long-term memory, the parameters", "zh": "但远短于长期记忆，即网络参数"},
     "en": ["parameter", "weight", "long-term"], "zh": ["参数", "权重", "长期记忆"]},
]}

SELF_TESTS = {
    "short-term": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["E"]},
    "long-term": {"accept": ["B"], "reject": ["A", "C", "D"]},
    "retention-formula": {
        "accept": ["f^k*C_0", "C_0 f^k", r"C_0 \cdot f^{k}", "C_0*exp(k*log(f))"],
        "reject": [("f*k*C_0", "linear"), ("(1-f)^k C_0", "forgotten-part"), ("f C_0", "one-step"), "f^(k-1) C_0", "C_0"],
        "invalid": ["f^k*C", "f^k*C_0)"],
    },
    "explain": {"accept": ["h_t is rewritten at every step, so it is short-term memory; the gated cell C_t keeps information longer, but far shorter than the long-term memory held in the parameters.",
                           "h_t 每一步都被重写，是短期记忆；C_t 在门控下保存信息更久，但远短于参数所代表的长期记忆。"],
                "partial": ["C_t keeps information longer than h_t."]},
}


def generate(rng):
    return {"f": float(rng.choice([0.9, 0.95, 0.99, 0.8])), "k": int(rng.integers(5, 50))}


ANSWERS["retention"] = lambda p: p["f"] ** p["k"]
MISCONCEPTIONS["retention"] = [
    {"id": "forgotten-part", "answer": lambda p: (1 - p["f"]) ** p["k"],
     "feedback": {"en": "f is the fraction kept at each step: f^k remains.", "zh": "f 是每一步保留的比例：剩下 f^k。"}},
    {"id": "linear", "answer": lambda p: max(0.0, 1 - (1 - p["f"]) * p["k"]),
     "feedback": {"en": "The cell loses a fraction 1 − f of what is left at each step, so it decays geometrically: f^k.",
                  "zh": "细胞每一步丢失剩余部分的 1 − f，因此按几何级数衰减：f^k。"}},
]
