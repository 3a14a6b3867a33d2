"""Reference for nesterov (private).

Sutskever et al. (2013) form, as the course's 梯度方向优化 row (seed 001, part 三 Q3):
v_t = ρ v_{t−1} − α ∇L(θ_{t−1} + ρ v_{t−1}), θ_t = θ_{t−1} + v_t.
"""
import numpy as np

ANSWERS = {"velocity": "rho*v_prev - alpha*gradL(theta_prev + rho*v_prev)", "lookahead": "A"}

MISCONCEPTIONS = {
    "velocity": [
        {"id": "classical-momentum", "answer": "rho*v_prev - alpha*gradL(theta_prev)",
         "feedback": {"en": "That is classical momentum. Nesterov evaluates the gradient at the look-ahead point θ_{t−1} + ρ v_{t−1}.",
                      "zh": "这是经典动量法。Nesterov 在前瞻点 θ_{t−1} + ρ v_{t−1} 处计算梯度。"}},
        {"id": "lookahead-backwards", "answer": "rho*v_prev - alpha*gradL(theta_prev - rho*v_prev)",
         "feedback": {"en": "The look-ahead follows the velocity: θ_{t−1} + ρ v_{t−1} (v already points downhill).",
                      "zh": "前瞻点沿着速度方向：θ_{t−1} + ρ v_{t−1}（v 本身已指向下坡方向）。"}},
        {"id": "ascent", "answer": "rho*v_prev + alpha*gradL(theta_prev + rho*v_prev)",
         "feedback": {"en": "With θ_t = θ_{t−1} + v_t, the gradient enters v with a minus sign.",
                      "zh": "由于 θ_t = θ_{t−1} + v_t，梯度要以负号进入 v。"}},
    ],
}

OPTION_FEEDBACK = {"lookahead": {"B": {"en": "Not always smaller; it is the gradient where the parameters are about to be.",
                                       "zh": "并不总是更小；它是参数即将到达之处的梯度。"}}}

SELF_TESTS = {
    "velocity": {
        "accept": ["rho*v_prev - alpha*gradL(theta_prev + rho*v_prev)", r"\rho v_{t-1} - \alpha\, gradL(\theta_{t-1} + \rho v_{t-1})",
                   "rho v_prev - alpha grad_L(rho*v_prev + theta_prev)"],
        "reject": [("rho*v_prev - alpha*gradL(theta_prev)", "classical-momentum"),
                   ("rho*v_prev - alpha*gradL(theta_prev - rho*v_prev)", "lookahead-backwards"),
                   ("rho*v_prev + alpha*gradL(theta_prev + rho*v_prev)", "ascent"),
                   "v_prev - alpha*gradL(theta_prev + v_prev)", "rho*v_prev - alpha*gradL(theta_prev + v_prev)"],
        "invalid": ["rho*v_prev - alpha*gradL(theta_prev + rho*v_prev", r"\rho v_{t-1} - \alpha \nabla L(\theta_{t-1})", "rho*v - alpha*gradL(theta + rho*v)"],
    },
    "lookahead": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["AB?"]},
}


def generate(rng):
    return {"k": float(rng.choice([0.5, 1.0, 2.0, 4.0])), "theta0": float(np.round(rng.uniform(1, 3), 1)),
            "v0": float(np.round(rng.uniform(-1, -0.1), 1)), "lr": float(rng.choice([0.1, 0.2, 0.05])),
            "rho": float(rng.choice([0.9, 0.8, 0.5]))}


def _step(p, at):
    v1 = p["rho"] * p["v0"] - p["lr"] * p["k"] * at
    return p["theta0"] + v1


ANSWERS["quadratic"] = lambda p: _step(p, p["theta0"] + p["rho"] * p["v0"])
MISCONCEPTIONS["quadratic"] = [
    {"id": "classical-momentum", "answer": lambda p: _step(p, p["theta0"]),
     "feedback": {"en": "That is classical momentum: evaluate the gradient kθ at the look-ahead point θ₀ + ρv₀.",
                  "zh": "这是经典动量法：梯度 kθ 要在前瞻点 θ₀ + ρv₀ 处计算。"}},
    {"id": "velocity-only", "answer": lambda p: p["rho"] * p["v0"] - p["lr"] * p["k"] * (p["theta0"] + p["rho"] * p["v0"]),
     "feedback": {"en": "That is v₁; the question asks for θ₁ = θ₀ + v₁.", "zh": "这是 v₁；题目要求 θ₁ = θ₀ + v₁。"}},
]


# -- code part -------------------------------------------------------------------

def nesterov_quadratic(theta0, A, b, lr, rho, steps):
    theta = np.array(theta0, dtype=float)
    v = np.zeros_like(theta)
    out = [theta.copy()]
    for _ in range(steps):
        ahead = theta + rho * v
        v = rho * v - lr * (A @ ahead - b)
        theta = theta + v
        out.append(theta.copy())
    return np.array(out)


def _problem(rng, n, steps, lr=0.1, rho=0.9):
    M = rng.normal(size=(n, n))
    A = M @ M.T / n + np.eye(n)          # symmetric positive definite
    return (rng.normal(size=n), A, rng.normal(size=n), lr, rho, steps)


CODE_TESTS = {
    "code": [
        {"id": "one", "function": "nesterov_quadratic", "kind": "values", "points": 1,
         "name": {"en": "one step (the look-ahead point needs v ≠ 0 only from step 2)", "zh": "一步（前瞻点从第 2 步起才与 θ 不同）"},
         "inputs": lambda rng: [_problem(rng, 3, 1)]},
        {"id": "trajectory", "function": "nesterov_quadratic", "kind": "values", "points": 2,
         "name": {"en": "a 20-step trajectory", "zh": "20 步的轨迹"},
         "inputs": lambda rng: [_problem(rng, 4, 20), _problem(rng, 2, 10, lr=0.3, rho=0.5)]},
        {"id": "hidden", "function": "nesterov_quadratic", "kind": "values", "points": 1, "visible": False,
         "name": {"en": "hidden: other sizes and rates", "zh": "隐藏测试：其他尺寸和学习率"},
         "inputs": lambda rng: [_problem(rng, 5, 7, lr=0.05, rho=0.95)]},
    ],
}

_NAG = ("import numpy as np\n"
        "def nesterov_quadratic(theta0, A, b, lr, rho, steps):\n"
        "    theta = np.array(theta0, dtype=float); v = np.zeros_like(theta); out = [theta.copy()]\n"
        "    for _ in range(steps):\n"
        "        v = rho*v - lr*(A @ (theta + rho*v) - b)\n"
        "        theta = theta + v\n"
        "        out.append(theta.copy())\n"
        "    return np.array(out)\n")


def _wrong(why, fails, old, new):
    assert old in _NAG
    return {"why": why, "fails": fails, "source": _NAG.replace(old, new)}


SELF_TESTS["code"] = {"reject": [
    _wrong("classical momentum: the gradient at theta", {"trajectory": "values"}, "A @ (theta + rho*v)", "A @ theta"),
    _wrong("the look-ahead against the velocity", {"trajectory": "values"}, "A @ (theta + rho*v)", "A @ (theta - rho*v)"),
    _wrong("the gradient's sign of b wrong (A theta + b)", {"one": "values"}, "A @ (theta + rho*v) - b", "A @ (theta + rho*v) + b"),
    _wrong("theta0 left out of the trajectory", {"one": "structure"}, "out = [theta.copy()]", "out = []"),
    {"why": "theta0 modified in place", "fails": {"one": "mutated"},
     "source": _NAG.replace("theta = np.array(theta0, dtype=float)", "theta = theta0").replace("theta = theta + v", "theta += v")},
]}
