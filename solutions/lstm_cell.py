"""Reference for lstm-cell (private). The code part arrives with the sandbox."""

ANSWERS = {
    'forget': 'sigma(W_f @ [h_prev; x_t] + b_f)',
    'input': 'sigma(W_i @ [h_prev; x_t] + b_i)',
    'candidate': 'tanh(W_C @ [h_prev; x_t] + b_C)',
    'cell': 'f_t*C_prev + i_t*Ctilde_t',
    'output': 'sigma(W_o @ [h_prev; x_t] + b_o)',
    'hidden': 'o_t*tanh(C_t)',
    'cell-gradient': ['f_t', 'diag(f_t)'],
}

MISCONCEPTIONS = {'forget': [{'id': 'tanh-gate', 'answer': 'tanh(W_f @ [h_prev; x_t] + b_f)', 'feedback': {'en': "A gate squashes to (0, 1) with σ so that it can scale between 'block' and 'pass'; tanh gives (−1, 1).", 'zh': '门用 σ 压缩到 (0, 1)，才能在“阻断”和“通过”之间缩放；tanh 的值域是 (−1, 1)。'}}, {'id': 'order-swapped', 'answer': 'sigma(W_f @ [x_t; h_prev] + b_f)', 'feedback': {'en': 'The course concatenates [h_{t−1}; x_t] in that order: the first H columns of W act on h_{t−1}.', 'zh': '课程中按 [h_{t−1}; x_t] 的顺序拼接：W 的前 H 列作用于 h_{t−1}。'}}, {'id': 'missing-bias', 'answer': 'sigma(W_f @ [h_prev; x_t])', 'feedback': {'en': 'The bias is missing.', 'zh': '缺少偏置项。'}}, {'id': 'swapped-gate-weights', 'answer': 'sigma(W_i @ [h_prev; x_t] + b_i)', 'feedback': {'en': 'Each gate has its own weights and bias; these belong to another gate.', 'zh': '每个门有自己的权重和偏置；这些属于另一个门。'}}], 'input': [{'id': 'tanh-gate', 'answer': 'tanh(W_i @ [h_prev; x_t] + b_i)', 'feedback': {'en': "A gate squashes to (0, 1) with σ so that it can scale between 'block' and 'pass'; tanh gives (−1, 1).", 'zh': '门用 σ 压缩到 (0, 1)，才能在“阻断”和“通过”之间缩放；tanh 的值域是 (−1, 1)。'}}, {'id': 'order-swapped', 'answer': 'sigma(W_i @ [x_t; h_prev] + b_i)', 'feedback': {'en': 'The course concatenates [h_{t−1}; x_t] in that order: the first H columns of W act on h_{t−1}.', 'zh': '课程中按 [h_{t−1}; x_t] 的顺序拼接：W 的前 H 列作用于 h_{t−1}。'}}, {'id': 'missing-bias', 'answer': 'sigma(W_i @ [h_prev; x_t])', 'feedback': {'en': 'The bias is missing.', 'zh': '缺少偏置项。'}}, {'id': 'swapped-gate-weights', 'answer': 'sigma(W_f @ [h_prev; x_t] + b_f)', 'feedback': {'en': 'Each gate has its own weights and bias; these belong to another gate.', 'zh': '每个门有自己的权重和偏置；这些属于另一个门。'}}], 'output': [{'id': 'tanh-gate', 'answer': 'tanh(W_o @ [h_prev; x_t] + b_o)', 'feedback': {'en': "A gate squashes to (0, 1) with σ so that it can scale between 'block' and 'pass'; tanh gives (−1, 1).", 'zh': '门用 σ 压缩到 (0, 1)，才能在“阻断”和“通过”之间缩放；tanh 的值域是 (−1, 1)。'}}, {'id': 'order-swapped', 'answer': 'sigma(W_o @ [x_t; h_prev] + b_o)', 'feedback': {'en': 'The course concatenates [h_{t−1}; x_t] in that order: the first H columns of W act on h_{t−1}.', 'zh': '课程中按 [h_{t−1}; x_t] 的顺序拼接：W 的前 H 列作用于 h_{t−1}。'}}, {'id': 'missing-bias', 'answer': 'sigma(W_o @ [h_prev; x_t])', 'feedback': {'en': 'The bias is missing.', 'zh': '缺少偏置项。'}}, {'id': 'swapped-gate-weights', 'answer': 'sigma(W_f @ [h_prev; x_t] + b_f)', 'feedback': {'en': 'Each gate has its own weights and bias; these belong to another gate.', 'zh': '每个门有自己的权重和偏置；这些属于另一个门。'}}], 'candidate': [{'id': 'sigma-candidate', 'answer': 'sigma(W_C @ [h_prev; x_t] + b_C)', 'feedback': {'en': 'The candidate is a value to write, in (−1, 1): it uses tanh, not σ.', 'zh': '候选值是要写入的内容，取值在 (−1, 1)：用 tanh 而不是 σ。'}}, {'id': 'order-swapped', 'answer': 'tanh(W_C @ [x_t; h_prev] + b_C)', 'feedback': {'en': 'The course concatenates [h_{t−1}; x_t] in that order: the first H columns of W act on h_{t−1}.', 'zh': '课程中按 [h_{t−1}; x_t] 的顺序拼接：W 的前 H 列作用于 h_{t−1}。'}}, {'id': 'missing-bias', 'answer': 'tanh(W_C @ [h_prev; x_t])', 'feedback': {'en': 'The bias is missing.', 'zh': '缺少偏置项。'}}], 'cell': [{'id': 'swapped-f-i', 'answer': 'i_t*C_prev + f_t*Ctilde_t', 'feedback': {'en': 'Swapped gates: the forget gate scales the old cell C_{t−1}, the input gate scales the candidate.', 'zh': '门用反了：遗忘门作用于旧细胞状态 C_{t−1}，输入门作用于候选值。'}}, {'id': 'no-forget', 'answer': 'C_prev + i_t*Ctilde_t', 'feedback': {'en': 'The old cell state is scaled by the forget gate f_t.', 'zh': '旧细胞状态要乘以遗忘门 f_t。'}}, {'id': 'output-gate', 'answer': 'f_t*C_prev + o_t*Ctilde_t', 'feedback': {'en': 'The input gate i_t, not the output gate, decides what is written.', 'zh': '决定写入内容的是输入门 i_t，而不是输出门。'}}], 'hidden': [{'id': 'no-tanh', 'answer': 'o_t*C_t', 'feedback': {'en': 'The cell state passes through tanh before the output gate: h_t = o_t ⊙ tanh(C_t).', 'zh': '细胞状态先经过 tanh 再乘以输出门：h_t = o_t ⊙ tanh(C_t)。'}}, {'id': 'forget-gate', 'answer': 'f_t*tanh(C_t)', 'feedback': {'en': 'The output gate o_t decides what is exposed as h_t.', 'zh': '决定输出 h_t 的是输出门 o_t。'}}, {'id': 'tanh-outside', 'answer': 'tanh(o_t*C_t)', 'feedback': {'en': 'The gate multiplies after the tanh: o_t ⊙ tanh(C_t).', 'zh': '门在 tanh 之后相乘：o_t ⊙ tanh(C_t)。'}}], 'cell-gradient': [{'id': 'input-gate', 'answer': 'i_t', 'feedback': {'en': 'C_{t−1} enters C_t only through f_t ⊙ C_{t−1}.', 'zh': 'C_{t−1} 只通过 f_t ⊙ C_{t−1} 进入 C_t。'}}, {'id': 'candidate-term', 'answer': 'i_t*Ctilde_t', 'feedback': {'en': 'i_t ⊙ C̃_t does not depend on C_{t−1} when the gates are fixed.', 'zh': '门值固定时，i_t ⊙ C̃_t 与 C_{t−1} 无关。'}}]}

SELF_TESTS = {'forget': {'accept': ['sigma(W_f @ [h_prev; x_t] + b_f)', '\\sigma(W_f \\cdot [h_{t-1}, x_t] + b_f)', 'σ(W_f [h_{t-1}; x_t] + b_f)', 'sigma(W_f concat(h_prev, x_t) + b_f)'], 'reject': [('tanh(W_f @ [h_prev; x_t] + b_f)', 'tanh-gate'), ('sigma(W_f @ [x_t; h_prev] + b_f)', 'order-swapped'), ('sigma(W_f @ [h_prev; x_t])', 'missing-bias'), ('sigma(W_i @ [h_prev; x_t] + b_i)', 'swapped-gate-weights'), 'sigma(W_f @ h_prev + b_f)'], 'invalid': ['sigma(W_f @ [h_prev; x_t] + b_f', 'sigma(W_f @ [h_prev; x] + b_f)']}, 'input': {'accept': ['sigma(W_i @ [h_prev; x_t] + b_i)', '\\sigma\\left(W_i [h_{t-1}; x_t] + b_i\\right)'], 'reject': [('tanh(W_i @ [h_prev; x_t] + b_i)', 'tanh-gate'), ('sigma(W_i @ [x_t; h_prev] + b_i)', 'order-swapped'), ('sigma(W_f @ [h_prev; x_t] + b_f)', 'swapped-gate-weights')], 'invalid': ['sigma(W_i @ [h_prev; x_t] + b_i))']}, 'candidate': {'accept': ['tanh(W_C @ [h_prev; x_t] + b_C)', '\\tanh(W_C \\cdot [h_{t-1}, x_t] + b_C)', 'tanh(W_c [h_prev; x_t] + b_c)'], 'reject': [('sigma(W_C @ [h_prev; x_t] + b_C)', 'sigma-candidate'), ('tanh(W_C @ [x_t; h_prev] + b_C)', 'order-swapped'), ('tanh(W_C @ [h_prev; x_t])', 'missing-bias')], 'invalid': ['tanh(W_C @ [h_prev; x_t] + b_C', 'tanh(W_g @ [h_prev; x_t] + b_C)']}, 'cell': {'accept': ['f_t*C_prev + i_t*Ctilde_t', 'f_t \\odot C_{t-1} + i_t \\odot \\tilde{C}_t', 'f_t ⊙ C_{t-1} + i_t ⊙ Ctilde_t'], 'reject': [('i_t*C_prev + f_t*Ctilde_t', 'swapped-f-i'), ('C_prev + i_t*Ctilde_t', 'no-forget'), ('f_t*C_prev + o_t*Ctilde_t', 'output-gate'), 'f_t @ C_prev + i_t @ Ctilde_t'], 'invalid': ['f_t*C_prev + i_t*', 'f_t*C_prev + i_t*g_t']}, 'output': {'accept': ['sigma(W_o @ [h_prev; x_t] + b_o)', '\\sigma(W_o [h_{t-1}; x_t] + b_o)'], 'reject': [('tanh(W_o @ [h_prev; x_t] + b_o)', 'tanh-gate'), ('sigma(W_o @ [h_prev; x_t])', 'missing-bias')], 'invalid': ['sigma(W_o @ [h_prev; x_t] + b_o']}, 'hidden': {'accept': ['o_t*tanh(C_t)', 'o_t \\odot \\tanh(C_t)', 'tanh(C_t) ⊙ o_t'], 'reject': [('o_t*C_t', 'no-tanh'), ('f_t*tanh(C_t)', 'forget-gate'), ('tanh(o_t*C_t)', 'tanh-outside'), 'o_t*tanh(C_prev)'], 'invalid': ['o_t*tanh(C_t', 'o_t*tanh(c)']}, 'cell-gradient': {'accept': ['f_t', 'diag(f_t)', '\\operatorname{diag}(f_t)'], 'reject': [('i_t', 'input-gate'), ('i_t*Ctilde_t', 'candidate-term'), 'diag(i_t)', 'f_t.T'], 'invalid': ['diag(f_t', 'f']}}


# The course's own LaTeX (lower- and upper-case c for the cell state), and the gates written out by their
# definitions (issue 11). Where the prompt says "from f_t, i_t, ..." the names are required: partial credit.
_F, _I = r"\sigma(W_f [h_{t-1}; x_t] + b_f)", r"\sigma(W_i \cdot [h_{t-1}, x_t] + b_i)"
_G, _O = r"\tanh(W_C \cdot [h_{t-1}; x_t] + b_C)", r"\sigma(W_o [h_{t-1}; x_t] + b_o)"
SELF_TESTS["forget"]["accept"] += [r"\sigma(W_f \cdot [h_{t-1}; x_t] + b_f)",
                                   r"$\sigma(\mathbf{W}_f \cdot [\mathbf{h}_{t-1}, \mathbf{x}_t] + \mathbf{b}_f)$"]
SELF_TESTS["forget"]["reject"] += ["f_t"]                 # the quantity asked for, by name
SELF_TESTS["input"]["reject"] += ["i_t"]
SELF_TESTS["output"]["reject"] += ["o_t"]
SELF_TESTS["candidate"]["accept"] += [r"\tanh(W_C \cdot [h_{t-1}, x_t] + b_C)"]
SELF_TESTS["candidate"]["reject"] += [r"\tilde{C}_t", r"\tilde{c}_t"]
SELF_TESTS["cell"]["accept"] += [r"f_t \circ C_{t-1} + i_t \circ \tilde{c}_t", r"f_t * C_{t-1} + i_t * \tilde{C}_t",
                                 r"f_t \odot c_{t-1} + i_t \odot \tilde{C}_{t}"]
SELF_TESTS["cell"]["reject"] += ["C_t", "c_t"]
SELF_TESTS["cell"]["partial"] = [f"{_F} * C_prev + {_I} * {_G}", rf"{_F} \circ C_{{t-1}} + i_t \circ \tilde{{C}}_t"]
SELF_TESTS["hidden"]["accept"] += [r"o_t \circ \tanh(C_t)", r"o_t * \tanh(C_t)"]
SELF_TESTS["hidden"]["partial"] = [rf"{_O} \circ \tanh(C_t)", r"o_t \circ \tanh(f_t \circ C_{t-1} + i_t \circ \tilde{c}_t)"]
SELF_TESTS["cell-gradient"]["accept"] += [_F, rf"\mathrm{{diag}}({_F})"]


def generate(rng):
    return {}

# -- code part -------------------------------------------------------------------

import numpy as np  # noqa: E402


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    a = np.concatenate([h_prev, x], axis=1) @ W + b
    f, i, o = _sigmoid(a[:, :H]), _sigmoid(a[:, H:2 * H]), _sigmoid(a[:, 3 * H:])
    g = np.tanh(a[:, 2 * H:3 * H])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def _case(rng, N, D=3, H=2):
    return (rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H)),
            rng.normal(size=(H + D, 4 * H)), rng.normal(size=4 * H))


CODE_TESTS = {
    "code": [
        {"id": "one", "function": "lstm_cell_forward", "kind": "values", "points": 1, "name": {"en": "one example", "zh": "单个样本"},
         "inputs": lambda rng: [_case(rng, 1)]},
        {"id": "batch", "function": "lstm_cell_forward", "kind": "values", "points": 3, "name": {"en": "a batch of 5", "zh": "5 个样本的批次"},
         "inputs": lambda rng: [_case(rng, 5)]},
        {"id": "hidden", "function": "lstm_cell_forward", "kind": "values", "points": 1, "visible": False,
         "name": {"en": "hidden: other sizes", "zh": "隐藏测试：其他尺寸"},
         "inputs": lambda rng: [_case(rng, 3, D=1, H=4)]},
    ],
}

_LSTM = ("import numpy as np\n"
         "def lstm_cell_forward(x, h_prev, c_prev, W, b):\n"
         "    H = h_prev.shape[1]; s = lambda z: 1/(1+np.exp(-z))\n"
         "    a = np.concatenate([h_prev, x], axis=1) @ W + b\n"
         "    f, i, g, o = s(a[:, :H]), s(a[:, H:2*H]), np.tanh(a[:, 2*H:3*H]), s(a[:, 3*H:])\n"
         "    c = f*c_prev + i*g\n    return o*np.tanh(c), c\n")


def _wrong(why, fails, old, new):
    assert old in _LSTM
    return {"why": why, "fails": fails, "source": _LSTM.replace(old, new)}


SELF_TESTS["code"] = {"reject": [
    _wrong("[x; h] concatenated in the wrong order", {"one": "values"}, "[h_prev, x]", "[x, h_prev]"),
    _wrong("forget and input gates swapped", {"one": "values"}, "f, i, g, o = ", "i, f, g, o = "),
    _wrong("the output gate applied to c, not tanh(c)", {"one": "values"}, "o*np.tanh(c)", "o*c"),
    _wrong("σ for the candidate instead of tanh", {"one": "values"}, "np.tanh(a[:, 2*H:3*H])", "s(a[:, 2*H:3*H])"),
    _wrong("the cell state updated in place", {"one": "mutated"},
           "    c = f*c_prev + i*g\n", "    c_prev *= f\n    c_prev += i*g\n    c = c_prev\n"),
]}


# The reference's source, proved by `nngrade bank check` (private: C_t is the answer of "cell")
DERIVED_FROM = {"cell-gradient": {"op": "grad", "expr": "sum(f_t*C_prev + i_t*Ctilde_t)", "wrt": "C_prev"}}
