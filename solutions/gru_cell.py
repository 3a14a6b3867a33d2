"""Reference for gru-cell (private). The code part arrives with the sandbox."""

ANSWERS = {
    "update": "sigma(W_z @ [h_prev; x_t])",
    "reset": "sigma(W_r @ [h_prev; x_t])",
    "candidate": "tanh(W_h @ [r_t*h_prev; x_t])",
    "hidden": "(1 - z_t)*h_prev + z_t*htilde_t",
    "relation": "A",
}

_ORDER = {"en": "The course concatenates [h_{t−1}; x_t] in that order.", "zh": "课程中按 [h_{t−1}; x_t] 的顺序拼接。"}
_TANH = {"en": "A gate uses σ, giving values in (0, 1).", "zh": "门使用 σ，取值在 (0, 1)。"}

MISCONCEPTIONS = {
    "update": [
        {"id": "tanh-gate", "answer": "tanh(W_z @ [h_prev; x_t])", "feedback": _TANH},
        {"id": "order-swapped", "answer": "sigma(W_z @ [x_t; h_prev])", "feedback": _ORDER},
        {"id": "reset-weights", "answer": "sigma(W_r @ [h_prev; x_t])",
         "feedback": {"en": "Those are the reset gate's weights.", "zh": "这是重置门的权重。"}},
    ],
    "reset": [
        {"id": "tanh-gate", "answer": "tanh(W_r @ [h_prev; x_t])", "feedback": _TANH},
        {"id": "order-swapped", "answer": "sigma(W_r @ [x_t; h_prev])", "feedback": _ORDER},
        {"id": "update-weights", "answer": "sigma(W_z @ [h_prev; x_t])",
         "feedback": {"en": "Those are the update gate's weights.", "zh": "这是更新门的权重。"}},
    ],
    "candidate": [
        {"id": "reset-not-applied", "answer": "tanh(W_h @ [h_prev; x_t])",
         "feedback": {"en": "The reset gate scales h_{t−1} inside the candidate: [r_t ⊙ h_{t−1}; x_t].",
                      "zh": "重置门在候选状态内部作用于 h_{t−1}：[r_t ⊙ h_{t−1}; x_t]。"}},
        {"id": "reset-outside", "answer": "r_t*tanh(W_h @ [h_prev; x_t])",
         "feedback": {"en": "r_t acts on h_{t−1} before the weights, not on the candidate afterwards.",
                      "zh": "r_t 在乘权重之前作用于 h_{t−1}，而不是之后作用于候选状态。"}},
        {"id": "sigma-candidate", "answer": "sigma(W_h @ [r_t*h_prev; x_t])",
         "feedback": {"en": "The candidate uses tanh, like the LSTM's candidate.", "zh": "候选状态使用 tanh，与 LSTM 的候选值相同。"}},
    ],
    "hidden": [
        {"id": "pytorch-convention", "answer": "z_t*h_prev + (1 - z_t)*htilde_t",
         "feedback": {"en": "That is the other convention (PyTorch's); in this course z_t weights the candidate: (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t.",
                      "zh": "这是另一种约定（PyTorch 的）；本课程中 z_t 是候选状态的权重：(1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t。"}},
        {"id": "no-interpolation", "answer": "h_prev + z_t*htilde_t",
         "feedback": {"en": "The GRU interpolates: the old state is scaled by 1 − z_t.", "zh": "GRU 做的是插值：旧状态要乘以 1 − z_t。"}},
        {"id": "reset-gate", "answer": "(1 - r_t)*h_prev + r_t*htilde_t",
         "feedback": {"en": "The update gate z_t, not the reset gate, mixes old and new.", "zh": "混合新旧状态的是更新门 z_t，而不是重置门。"}},
    ],
}

OPTION_FEEDBACK = {"relation": {"B": {"en": "The GRU has fewer parameters: three weight blocks instead of four.",
                                      "zh": "GRU 的参数更少：三组权重而不是四组。"}}}

SELF_TESTS = {
    "update": {"accept": ["sigma(W_z @ [h_prev; x_t])", r"\sigma(W_z [h_{t-1}, x_t])"],
               "reject": [("tanh(W_z [h_prev; x_t])", "tanh-gate"), ("sigma(W_z [x_t; h_prev])", "order-swapped"),
                          ("sigma(W_r [h_prev; x_t])", "reset-weights")],
               "invalid": ["sigma(W_z [h_prev; x_t]", "sigma(U_z [h_prev; x_t])"]},
    "reset": {"accept": ["sigma(W_r @ [h_prev; x_t])"],
              "reject": [("tanh(W_r [h_prev; x_t])", "tanh-gate"), ("sigma(W_z [h_prev; x_t])", "update-weights")],
              "invalid": ["sigma(W_r [h_prev x_t]"]},
    "candidate": {"accept": ["tanh(W_h @ [r_t*h_prev; x_t])", r"\tanh(W_h [r_t \odot h_{t-1}; x_t])", "tanh(W_h [h_prev ⊙ r_t; x_t])"],
                  "reject": [("tanh(W_h [h_prev; x_t])", "reset-not-applied"), ("r_t*tanh(W_h [h_prev; x_t])", "reset-outside"),
                             ("sigma(W_h [r_t*h_prev; x_t])", "sigma-candidate"), "tanh(W_h [r_t*h_prev; x_t]) + h_prev",
                             "tanh(W_h @ r_t*[h_prev; x_t])"],
                  "invalid": ["tanh(W_h [r_t*h_prev; x_t]", "tanh(W_h [r*h_prev; x_t])"]},
    "hidden": {"accept": ["(1 - z_t)*h_prev + z_t*htilde_t", "h_prev + z_t*(htilde_t - h_prev)",
                          r"(1 - z_t) \odot h_{t-1} + z_t \odot \tilde{h}_t"],
               "reject": [("z_t*h_prev + (1-z_t)*htilde_t", "pytorch-convention"), ("h_prev + z_t*htilde_t", "no-interpolation"),
                          ("(1-r_t)*h_prev + r_t*htilde_t", "reset-gate"), "(1 - z_t) @ h_prev + z_t*htilde_t",
                          "(1 - z_t) h_prev + z_t htilde_t"],
               "invalid": ["(1 - z_t)*h_prev + z_t*", "(1 - z)*h_prev + z*htilde_t"]},
    "relation": {"accept": ["A"], "reject": ["B", "C", "D"]},
}


# The course's own LaTeX, and the gates written out by their definitions (issue 11).
_Z, _R = r"\sigma(W_z \cdot [h_{t-1}, x_t])", r"\sigma(W_r \cdot [h_{t-1}, x_t])"
SELF_TESTS["update"]["accept"] += [_Z]
SELF_TESTS["update"]["reject"] += ["z_t"]                  # the quantity asked for, by name
SELF_TESTS["reset"]["accept"] += [_R]
SELF_TESTS["reset"]["reject"] += ["r_t"]
SELF_TESTS["candidate"]["accept"] += [r"\tanh(W_h \cdot [r_t * h_{t-1}, x_t])",
                                      rf"\tanh(W_h [{_R} \odot h_{{t-1}}; x_t])"]
SELF_TESTS["candidate"]["reject"] += [r"\tilde{h}_t"]
SELF_TESTS["hidden"]["accept"] += [r"(1 - z_t) * h_{t-1} + z_t * \tilde{h}_t",
                                   rf"(1 - {_Z}) \circ h_{{t-1}} + {_Z} \circ \tanh(W_h [r_t \circ h_{{t-1}}; x_t])"]


def generate(rng):
    return {}


# -- code part -------------------------------------------------------------------

import numpy as np  # noqa: E402


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def gru_cell_forward(x, h_prev, Wz, Wr, Wh):
    hx = np.concatenate([h_prev, x], axis=1)
    z = _sigmoid(hx @ Wz)
    r = _sigmoid(hx @ Wr)
    h_tilde = np.tanh(np.concatenate([r * h_prev, x], axis=1) @ Wh)
    return (1.0 - z) * h_prev + z * h_tilde


def _case(rng, N, D=3, H=2):
    return (rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(H + D, H)),
            rng.normal(size=(H + D, H)), rng.normal(size=(H + D, H)))


CODE_TESTS = {
    "code": [
        {"id": "one", "function": "gru_cell_forward", "kind": "values", "points": 1, "name": {"en": "one example", "zh": "单个样本"},
         "inputs": lambda rng: [_case(rng, 1)]},
        {"id": "batch", "function": "gru_cell_forward", "kind": "values", "points": 2, "name": {"en": "a batch of 5", "zh": "5 个样本的批次"},
         "inputs": lambda rng: [_case(rng, 5)]},
        {"id": "hidden", "function": "gru_cell_forward", "kind": "values", "points": 1, "visible": False,
         "name": {"en": "hidden: other sizes", "zh": "隐藏测试：其他尺寸"},
         "inputs": lambda rng: [_case(rng, 2, D=4, H=3)]},
    ],
}

_GRU = ("import numpy as np\n"
        "def gru_cell_forward(x, h_prev, Wz, Wr, Wh):\n"
        "    s = lambda a: 1/(1+np.exp(-a)); hx = np.concatenate([h_prev, x], axis=1)\n"
        "    z, r = s(hx@Wz), s(hx@Wr)\n"
        "    ht = np.tanh(np.concatenate([r*h_prev, x], axis=1)@Wh)\n"
        "    return (1-z)*h_prev + z*ht\n")


def _wrong(why, fails, old, new):
    assert old in _GRU
    return {"why": why, "fails": fails, "source": _GRU.replace(old, new)}


SELF_TESTS["code"] = {"reject": [
    _wrong("the other convention: z weights the old state", {"one": "values"},
           "(1-z)*h_prev + z*ht", "z*h_prev + (1-z)*ht"),
    _wrong("the reset gate not applied", {"one": "values"}, "[r*h_prev, x]", "[h_prev, x]"),
    _wrong("the reset gate applied after the weights", {"one": "values"},
           "np.tanh(np.concatenate([r*h_prev, x], axis=1)@Wh)", "r*np.tanh(hx@Wh)"),
    _wrong("update and reset gates swapped", {"one": "values"}, "z, r = s(hx@Wz), s(hx@Wr)", "r, z = s(hx@Wz), s(hx@Wr)"),
    _wrong("the hidden state updated in place", {"one": "mutated"},
           "    return (1-z)*h_prev + z*ht\n", "    h_prev += z*(ht - h_prev)\n    return h_prev\n"),
]}
