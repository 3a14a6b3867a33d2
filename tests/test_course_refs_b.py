"""Issue 13, second half (H7): the new questions' references checked independently — finite
differences, hand-computed values, known library parameter counts, identities between two
formulations, simulation — never against themselves."""
from __future__ import annotations

import importlib.util
import math
from fractions import Fraction

import numpy as np
import pytest

from grader.checks import check_answer

from .conftest import ROOT


def load(name):
    spec = importlib.util.spec_from_file_location(f"refb_{name}", ROOT / "solutions" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def variants(module, n=6):
    return [module.generate(np.random.default_rng(seed)) for seed in range(n)]


# -- optimisation -------------------------------------------------------------------------------

def test_adadelta_step_hand_computed_and_multi_step():
    step = load("adadelta").adadelta_step
    # g = 2, rho = 0.9, eps = 0.01 from zero: G = 0.4, delta = -sqrt(0.01)/sqrt(0.41)*2, D = 0.1*delta^2
    theta, G, D = step(np.array([1.0]), np.array([2.0]), np.zeros(1), np.zeros(1), 0.9, 0.01)
    delta = -0.1 / math.sqrt(0.41) * 2
    assert G[0] == pytest.approx(0.4) and theta[0] == pytest.approx(1 + delta) and D[0] == pytest.approx(0.1 * delta ** 2)
    # the same three steps as scalar Python arithmetic, element by element
    rng = np.random.default_rng(3)
    th, Gv, Dv = rng.normal(size=4), np.zeros(4), np.zeros(4)
    grads = rng.normal(size=(3, 4))
    for g in grads:
        th, Gv, Dv = step(th, g, Gv, Dv)
    ref_th = np.random.default_rng(3).normal(size=4)
    for j in range(4):
        t, Gs, Ds = ref_th[j], 0.0, 0.0
        for g in grads[:, j]:
            Gs = 0.9 * Gs + 0.1 * g * g
            d = -math.sqrt(Ds + 1e-6) / math.sqrt(Gs + 1e-6) * g
            Ds = 0.9 * Ds + 0.1 * d * d
            t += d
        assert th[j] == pytest.approx(t, rel=1e-12) and Gv[j] == pytest.approx(Gs) and Dv[j] == pytest.approx(Ds)


def test_adadelta_first_step_numeric_matches_the_code():
    mod = load("adadelta")
    for p in variants(mod):
        theta, _, _ = mod.adadelta_step(np.zeros(1), np.array([p["g"]]), np.zeros(1), np.zeros(1), p["rho"], p["eps"])
        assert mod.ANSWERS["first-step"](p) == pytest.approx(theta[0], rel=1e-12)


def test_nesterov_hand_computed_and_converges():
    f = load("nesterov").nesterov_quadratic
    out = f(np.array([1.0]), np.array([[2.0]]), np.array([0.0]), 0.1, 0.5, 2)
    # step 1: v = -0.2, theta = 0.8; step 2: look-ahead 0.7, v = -0.1 - 0.14 = -0.24, theta = 0.56
    np.testing.assert_allclose(out[:, 0], [1.0, 0.8, 0.56], rtol=1e-14)
    rng = np.random.default_rng(1)
    M = rng.normal(size=(4, 4))
    A, b = M @ M.T / 4 + np.eye(4), rng.normal(size=4)
    traj = f(rng.normal(size=4), A, b, 0.1, 0.9, 400)
    np.testing.assert_allclose(traj[-1], np.linalg.solve(A, b), atol=1e-8)
    assert traj.shape == (401, 4)


def test_nesterov_numeric_equals_one_code_step():
    mod = load("nesterov")
    for p in variants(mod):
        # one step from a given v0: the code starts from v = 0, so run the recurrence by hand with Fractions
        th, v = Fraction(str(p["theta0"])), Fraction(str(p["v0"]))
        k, lr, rho = (Fraction(str(p[key])) for key in ("k", "lr", "rho"))
        v1 = rho * v - lr * k * (th + rho * v)
        assert mod.ANSWERS["quadratic"](p) == pytest.approx(float(th + v1), rel=1e-12)


def test_adam_tiny_gradient_agrees_with_the_optimizers_solution():
    mod, opt = load("adam_update"), load("optimizers")
    for p in variants(mod):
        theta, _, _ = opt.adam_step(np.zeros(1), np.array([p["g"]]), np.zeros(1), np.zeros(1), 1, lr=p["lr"], eps=p["eps"])
        assert mod.ANSWERS["tiny-gradient"](p) == pytest.approx(abs(theta[0]), rel=1e-12)
        # the notes' placement gives a visibly different step (why the misconception exists)
        notes = mod.MISCONCEPTIONS["tiny-gradient"][0]["answer"](p)
        assert abs(notes - abs(theta[0])) > 0.01 * abs(theta[0])


def test_learning_rate_schedules_known_values():
    m = load("learning_rate_decay")
    np.testing.assert_allclose(m.step_decay(np.array([0.0, 9, 10, 25]), 0.1, 0.5, 10), [0.1, 0.1, 0.05, 0.025])
    np.testing.assert_allclose(m.inverse_time_decay(np.array([0.0, 10.0]), 0.4, 0.1), [0.4, 0.2])
    np.testing.assert_allclose(m.exponential_decay(np.arange(5.0), 1.0, 0.5), [1, 0.5, 0.25, 0.125, 0.0625])
    np.testing.assert_allclose(m.cosine_decay(np.array([0.0, 50, 100, 130]), 100, 0.2), [0.2, 0.1, 0.0, 0.0], atol=1e-15)
    for p in variants(m):
        assert m.ANSWERS["step"](p) == pytest.approx(float(m.step_decay(np.array([float(p["t"])]), p["lr0"], p["gamma"], p["every"])[0]))
        assert m.ANSWERS["cosine"](p) == pytest.approx(float(m.cosine_decay(np.array([float(p["tc"])]), p["T"], p["lr0"])[0]))


def test_saddle_hessian_by_finite_differences_and_index_by_sampling():
    m = load("saddle_points")
    angles = np.linspace(0, 2 * np.pi, 721)
    for p in variants(m, 12):
        a, b, c = p["a"], p["b"], p["c"]
        f = lambda x, y: a * x * x + b * x * y + c * y * y  # noqa: E731
        h = 1e-3
        fd = [[(f(h, 0) - 2 * f(0, 0) + f(-h, 0)) / h ** 2, (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h)],
              [0.0, (f(0, h) - 2 * f(0, 0) + f(0, -h)) / h ** 2]]
        fd[1][0] = fd[0][1]
        np.testing.assert_allclose(m.ANSWERS["hessian"](p), fd, atol=1e-6)
        values = f(np.cos(angles), np.sin(angles))
        kind = 0.0 if values.min() > 0 else 2.0 if values.max() < 0 else 1.0
        assert m.ANSWERS["index"](p) == kind


# -- recurrent networks -------------------------------------------------------------------------

def test_parameter_counts_match_known_keras_summaries():
    m = load("rnn_parameter_count")
    p = {"D": 10, "H": 20}
    # Keras SimpleRNN(20), LSTM(20), GRU(20, reset_after=False) on 10 input features: 620, 2480, 1860 parameters
    assert (m.ANSWERS["vanilla"](p), m.ANSWERS["lstm"](p), m.ANSWERS["gru"](p)) == (620, 2480, 1860)
    # PyTorch's nn.LSTM(10, 20) has 2560 (two bias vectors per gate): the recognised misconception
    pytorch = [mis for mis in m.MISCONCEPTIONS["lstm"] if mis["id"] == "pytorch-biases"][0]
    assert pytorch["answer"](p) == 2560


def test_rnn_patterns_identities_and_a_scalar_case():
    m = load("rnn_design_patterns")
    rng = np.random.default_rng(5)
    xs, h0 = rng.normal(size=(6, 3)), rng.normal(size=4)
    U, W, b, V = rng.normal(size=(4, 3)), 0.5 * rng.normal(size=(4, 4)), rng.normal(size=4), rng.normal(size=(2, 4))
    O = m.sync_seq2seq(xs, h0, U, W, b, V)
    np.testing.assert_allclose(m.seq_to_class(xs, h0, U, W, b, V, "last"), O[-1])
    np.testing.assert_allclose(m.seq_to_class(xs, h0, U, W, b, V, "mean"), O.mean(axis=0))     # V is linear
    one = m.sync_seq2seq(np.array([[1.0], [2.0]]), np.array([0.5]), np.array([[1.0]]), np.array([[2.0]]),
                         np.array([0.0]), np.array([[3.0]]))
    h1 = math.tanh(1 + 2 * 0.5)
    np.testing.assert_allclose(one[:, 0], [3 * h1, 3 * math.tanh(2 + 2 * h1)])


def test_lstm_retention_by_simulating_the_cell():
    m = load("lstm_memory")
    for p in variants(m):
        c = 1.0
        for _ in range(p["k"]):
            c = p["f"] * c + 0.0 * 0.7          # input gate 0: the candidate does not enter
        assert m.ANSWERS["retention"](p) == pytest.approx(c, rel=1e-12)


def test_relu_rnn_factor_by_finite_differences():
    m = load("rnn_relu_tanh")
    for p in variants(m):
        def run(h0, w=p["w"]):
            h = h0
            for x in np.linspace(1, 2, p["T"]):      # positive inputs keep the pre-activations positive
                h = max(0.0, w * h + 0.5 * x)
            return h
        fd = (run(1.0 + 1e-6) - run(1.0 - 1e-6)) / 2e-6
        assert m.ANSWERS["relu-factor"](p) == pytest.approx(fd, rel=1e-5)
        assert (run(1.0 + 1e-6, 1.0) - run(1.0 - 1e-6, 1.0)) / 2e-6 == pytest.approx(m.ANSWERS["identity-factor"](p))


# -- the assignment's items ---------------------------------------------------------------------

def test_sigma_prime_by_finite_differences_and_known_values():
    m = load("sigmoid_plot")
    x = np.linspace(-10, 10, 201)
    np.testing.assert_allclose(m.sigma_prime_values(x), (m.sigma_values(x + 1e-6) - m.sigma_values(x - 1e-6)) / 2e-6, atol=1e-9)
    assert m.sigma_values(np.array([0.0]))[0] == 0.5 and m.sigma_prime_values(np.array([0.0]))[0] == 0.25
    np.testing.assert_allclose(m.sigma_prime_values(x), m.sigma_prime_values(-x), rtol=1e-9)
    for p in variants(m):
        assert m.ANSWERS["value"](p) == pytest.approx(math.exp(-p["x0"]) / (1 + math.exp(-p["x0"])) ** 2, rel=1e-12)


def test_sigmoid_plot_draws_a_failing_curve_against_the_reference(bank):
    """curve: "always" draws both plots in every report (the assignment asks for them): a right file gets
    them too, and a wrong one gets them against the reference."""
    part = bank.part("sigmoid-plot/code")
    source = (ROOT / "solutions" / "sigmoid_plot.py").read_text(encoding="utf-8")
    right = check_answer(part, source)
    assert right.verdict == "correct"
    assert {c["function"] for c in right.details["curves"]} == {"sigma_values", "sigma_prime_values"}
    wrong = ("import numpy as np\ndef sigma_values(x):\n    return 1/(1 + np.exp(x))\n"
             "def sigma_prime_values(x):\n    s = 1/(1 + np.exp(-x))\n    return 1 - s*s\n")
    result = check_answer(part, wrong)
    curves = {c["function"]: c for c in result.details["curves"]}
    assert result.verdict == "incorrect" and set(curves) == {"sigma_values", "sigma_prime_values"}
    assert all(len(c["x"]) == len(c["student"]) == len(c["reference"]) == 161 for c in curves.values())
    prime = curves["sigma_prime_values"]
    assert max(abs(s - r) for s, r in zip(prime["student"], prime["reference"])) > 0.5
    np.testing.assert_allclose(prime["reference"], [0.25 - (1 / (1 + math.exp(-v)) - 0.5) ** 2 for v in prime["x"]], atol=1e-12)


def test_gd_direction_gradient_by_finite_differences_and_first_order_change():
    m = load("gd_direction")
    for p in variants(m):
        w, x, y = np.asarray(p["w"], float), np.asarray(p["x"], float).reshape(3, 1), p["y"]
        loss = lambda v: 0.5 * (y - (v @ x)[0, 0]) ** 2  # noqa: E731
        fd = [(loss(w + e) - loss(w - e)) / 2e-6 for e in 1e-6 * np.eye(3)[:, None, :]]
        np.testing.assert_allclose(m.ANSWERS["grad"](p)[0], fd, atol=1e-8)
        g = np.asarray(m.ANSWERS["grad"](p))
        eta = 1e-6        # for a tiny step the actual change matches −η‖g‖² to first order
        actual = loss(w - eta * g) - loss(w)
        assert actual == pytest.approx(m.ANSWERS["first-order"]({**p, "lr": eta}), rel=1e-3, abs=1e-15)
        assert m.ANSWERS["w-new"](p)[0][0] == pytest.approx(m.ANSWERS["w1-new"](p))


def test_vanishing_bound_is_attained_only_at_zero_pre_activations():
    m = load("vanishing_gradient_proof")
    u = np.linspace(-8, 8, 16001)
    s = 1 / (1 + np.exp(-u))
    assert (s * (1 - s)).max() == pytest.approx(0.25, abs=1e-12)
    np.testing.assert_allclose(s * (1 - s), 0.25 - (s - 0.5) ** 2, atol=1e-15)
    for p in variants(m):
        layers = p["D"] - p["i"] + 1
        # the product is largest when every u_k = 0: sample random pre-activations, never above the bound
        us = np.random.default_rng(p["D"]).normal(0, 2, size=(500, layers))
        prods = np.prod(1 / (1 + np.exp(-us)) * (1 - 1 / (1 + np.exp(-us))), axis=1)
        assert prods.max() <= m.ANSWERS["layers"](p) and m.ANSWERS["layers"](p) == pytest.approx(0.25 ** layers)


def test_saddle_code_by_rayleigh_quotients_and_inertia():
    m = load("saddle_points")
    rng = np.random.default_rng(11)
    for n, neg in ((2, 1), (4, 2), (5, 0), (3, 3), (6, 4)):
        H = m._mixed(rng, n, neg)
        assert m.negative_eigenvalue_count(H) == neg
        if neg:
            v = m.escape_direction(H)
            assert np.linalg.norm(v) == pytest.approx(1.0) and v[np.argmax(np.abs(v))] > 0
            # the most negative curvature: no random unit direction curves down more than v (Rayleigh quotient)
            dirs = rng.normal(size=(2000, n))
            dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
            assert v @ H @ v < 0 and v @ H @ v <= np.einsum("ij,jk,ik->i", dirs, H, dirs).min() + 1e-12
    # 2x2 by hand: det < 0 is a saddle whatever the diagonal's signs
    assert m.negative_eigenvalue_count(np.array([[1.0, 3.0], [3.0, 2.0]])) == 1


def test_irnn_copies_the_state_forward_and_draws_from_rng():
    m = load("rnn_relu_tanh")
    U, W, b = m.irnn_init(3, 4, np.random.default_rng(0), std=0.001)
    assert np.array_equal(W, np.eye(4)) and not b.any() and U.shape == (4, 3)
    U2, _, _ = m.irnn_init(3, 4, np.random.default_rng(0), std=0.001)
    assert np.array_equal(U, U2) and 0 < np.abs(U).max() < 0.01
    big, _, _ = m.irnn_init(200, 300, np.random.default_rng(1), std=0.1)
    assert big.std() == pytest.approx(0.1, rel=0.02) and abs(big.mean()) < 0.002
    # with zero input weights the identity-initialised ReLU RNN copies a non-negative state unchanged
    h0 = np.array([0.5, 1.0, 0.0, 2.0])
    states = m.relu_rnn_forward(np.ones((5, 3)), h0, np.zeros((4, 3)), W, b)
    np.testing.assert_array_equal(states, np.tile(h0, (5, 1)))
    # a hand-computed step: max(0, [1 - 2, 2 + 1]) = [0, 3]
    one = m.relu_rnn_forward(np.array([[1.0]]), np.array([1.0, 1.0]), np.array([[1.0], [2.0]]),
                             np.array([[-2.0, 0.0], [0.0, 1.0]]), np.zeros(2))
    np.testing.assert_array_equal(one, [[0.0, 3.0]])
    assert m.check_irnn(m.irnn_init(60, 50, np.random.default_rng(2)), [60, 50, "rng"]) is None
    assert m.check_irnn((U, np.ones((4, 4)), b), [3, 4, "rng"]) is not None
