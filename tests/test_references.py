"""The reference solutions, verified independently: finite differences, known values, identities,
second formulations. Never only against themselves."""
from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest

from grader.checks.code import finite_difference

from .conftest import ROOT


def load(name):
    spec = importlib.util.spec_from_file_location(f"ref_{name}", ROOT / "solutions" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RNG = np.random.default_rng(12345)


def fd_elementwise(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def test_sigmoid_known_values_and_identities():
    s = load("stable_sigmoid").sigmoid
    assert s(0.0) == 0.5 and isinstance(s(0.0), float)
    x = RNG.normal(0, 4, size=50)
    np.testing.assert_allclose(s(x) + s(-x), 1.0, rtol=1e-15)
    np.testing.assert_allclose(s(x), [1 / (1 + math.exp(-v)) for v in x], rtol=1e-13)
    with np.errstate(all="raise", under="ignore"):
        tails = s(np.array([-1e4, -745.0, 745.0, 1e4]))
    assert tails[0] == 0.0 and tails[-1] == 1.0
    assert s(np.array([-700.0]))[0] == pytest.approx(math.exp(-700), rel=1e-12)
    assert s(np.zeros((2, 3))).shape == (2, 3)


def test_sigmoid_grad_matches_finite_differences_and_identity():
    g = load("sigmoid_derivative").sigmoid_grad
    s = load("stable_sigmoid").sigmoid
    x = RNG.normal(0, 3, size=40)
    np.testing.assert_allclose(g(x), fd_elementwise(s, x), rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(g(x), s(x) * s(-x), rtol=1e-14)
    assert g(np.array(0.0)) == 0.25


def test_relu_family():
    m = load("relu_family")
    x = RNG.normal(0, 3, size=30)
    np.testing.assert_array_equal(m.relu(x), np.where(x > 0, x, 0))
    assert m.relu_grad(np.array([-1.0, 0.0, 2.0])).tolist() == [0.0, 0.0, 1.0]
    assert m.relu_grad(np.array([True, False])).tolist() == [1.0, 0.0]
    np.testing.assert_allclose(m.relu_grad(x[np.abs(x) > 1e-3]), fd_elementwise(m.relu, x[np.abs(x) > 1e-3]), atol=1e-6)
    np.testing.assert_allclose(m.leaky_relu(x, 0.1), np.maximum(x, 0.1 * x))
    np.testing.assert_allclose(m.elu(x, 0.7), np.where(x > 0, x, 0.7 * (np.exp(np.minimum(x, 0)) - 1)), rtol=1e-14)
    np.testing.assert_allclose(m.softplus(x), np.log1p(np.exp(x)), rtol=1e-13)
    np.testing.assert_allclose(fd_elementwise(m.softplus, x), load("stable_sigmoid").sigmoid(x), rtol=1e-6)
    assert m.softplus(np.array(0.0)) == pytest.approx(math.log(2))
    with np.errstate(all="raise", under="ignore"):
        big = m.softplus(np.array([-1e3, 1e3]))
        m.elu(np.array([-1e3, 1e3]))
    np.testing.assert_allclose(big, [0.0, 1e3], atol=1e-300)


def test_bce_two_formulations_and_gradient():
    m = load("binary_cross_entropy")
    y = RNG.uniform(size=(3, 4))
    z = RNG.normal(0, 2, size=(3, 4))
    p = 1 / (1 + np.exp(-z))
    assert m.bce_with_logits(y, z) == pytest.approx(m.bce(y, p), rel=1e-12)
    assert m.bce(np.array([1.0]), np.array([0.5])) == pytest.approx(math.log(2))
    np.testing.assert_allclose(m.bce_grad_logits(y, z), finite_difference(m.bce_with_logits, (y, z), 1), rtol=1e-6)
    with np.errstate(all="raise", under="ignore"):
        value = m.bce_with_logits(np.array([0.0, 1.0]), np.array([1e3, -1e3]))
        m.bce_grad_logits(np.array([0.0, 1.0]), np.array([1e3, -1e3]))
    assert value == pytest.approx(1e3)


def test_softmax_cross_entropy():
    m = load("softmax_cross_entropy")
    z = RNG.normal(size=(5, 4))
    y = np.eye(4)[RNG.integers(0, 4, size=5)]
    np.testing.assert_allclose(m.softmax(z).sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(m.softmax(z + 100.0), m.softmax(z), rtol=1e-12)
    naive = -np.mean(np.log((np.exp(z) / np.exp(z).sum(1, keepdims=True))[y.astype(bool)]))
    assert m.softmax_cross_entropy(y, z) == pytest.approx(naive, rel=1e-12)
    np.testing.assert_allclose(m.softmax_ce_grad(y, z), finite_difference(m.softmax_cross_entropy, (y, z), 1), rtol=1e-6,
                               atol=1e-10)
    with np.errstate(all="raise", under="ignore"):
        assert np.isfinite(m.softmax_cross_entropy(y[:1], np.array([[1e3, -1e3, 0.0, 999.0]])))


def test_forward_and_backprop():
    f, b = load("fnn_forward"), load("mlp_backprop")
    x, y = RNG.normal(size=(5, 2)), RNG.integers(0, 2, size=(5, 1)).astype(float)
    params = [RNG.normal(size=s) for s in ((2, 3), (1, 3), (3, 1), (1, 1))]
    Z1, A1, Z2, A2 = f.forward(x, *params)
    for i in range(5):                                   # one example at a time, by hand
        h = 1 / (1 + np.exp(-(x[i] @ params[0] + params[1][0])))
        np.testing.assert_allclose(A1[i], h, rtol=1e-14)
        np.testing.assert_allclose(A2[i, 0], 1 / (1 + np.exp(-(h @ params[2][:, 0] + params[3][0, 0]))), rtol=1e-14)
    grads = b.mlp_grads(x, y, *params)
    for k, g in enumerate(grads):
        assert g.shape == params[k].shape
        np.testing.assert_allclose(g, finite_difference(b.mlp_loss, (x, y, *params), 2 + k), rtol=1e-5, atol=1e-9)
    stepped = b.sgd_step(params, grads, 0.1, 0.01)
    np.testing.assert_allclose(stepped[0], params[0] - 0.1 * (grads[0] + 0.01 * params[0]))


def test_rnn_forward_and_bptt():
    f, b = load("rnn_forward"), load("rnn_bptt")
    T, D, H, K = 4, 3, 5, 2
    xs, ys, s0 = RNG.normal(size=(T, D)), RNG.normal(size=(T, K)), RNG.normal(size=H)
    U, W, V, bias = RNG.normal(size=(H, D)) * .5, RNG.normal(size=(H, H)) * .5, RNG.normal(size=(K, H)), RNG.normal(size=H)
    S, O = f.rnn_forward(xs, s0, U, W, V, bias)
    s = s0
    for t in range(T):
        s = np.tanh(U @ xs[t] + W @ s + bias)
        np.testing.assert_allclose(S[t], s, rtol=1e-14)
        np.testing.assert_allclose(O[t], V @ s, rtol=1e-14)
    args = (xs, ys, s0, U, W, V, bias)
    for k, g in zip((3, 4, 5, 6), b.rnn_bptt(*args)):
        np.testing.assert_allclose(g, finite_difference(b.rnn_loss, args, k), rtol=1e-5, atol=1e-8)


def test_lstm_and_gru_against_the_column_vector_equations():
    lstm, gru = load("lstm_cell"), load("gru_cell")
    N, D, H = 3, 2, 4
    x, h, c = RNG.normal(size=(N, D)), RNG.normal(size=(N, H)), RNG.normal(size=(N, H))
    W, bias = RNG.normal(size=(H + D, 4 * H)), RNG.normal(size=4 * H)
    h_new, c_new = lstm.lstm_cell_forward(x, h, c, W, bias)
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    for n in range(N):                    # the course's per-gate formulas, W_f = W[:, :H].T, …
        hx = np.concatenate([h[n], x[n]])
        f, i = sig(W[:, :H].T @ hx + bias[:H]), sig(W[:, H:2 * H].T @ hx + bias[H:2 * H])
        g, o = np.tanh(W[:, 2 * H:3 * H].T @ hx + bias[2 * H:3 * H]), sig(W[:, 3 * H:].T @ hx + bias[3 * H:])
        C = f * c[n] + i * g
        np.testing.assert_allclose(c_new[n], C, rtol=1e-13)
        np.testing.assert_allclose(h_new[n], o * np.tanh(C), rtol=1e-13)
    Wz, Wr, Wh = (RNG.normal(size=(H + D, H)) for _ in range(3))
    out = gru.gru_cell_forward(x, h, Wz, Wr, Wh)
    for n in range(N):
        hx = np.concatenate([h[n], x[n]])
        z, r = sig(Wz.T @ hx), sig(Wr.T @ hx)
        ht = np.tanh(Wh.T @ np.concatenate([r * h[n], x[n]]))
        np.testing.assert_allclose(out[n], h[n] + z * (ht - h[n]), rtol=1e-13)


def test_optimisers_over_several_steps():
    m = load("optimizers")
    theta0, grads = RNG.normal(size=4), [RNG.normal(size=4) for _ in range(5)]
    theta, mom, v = theta0.copy(), np.zeros(4), np.zeros(4)
    for t, g in enumerate(grads, 1):
        theta, mom, v = m.adam_step(theta, g, mom, v, t, lr=0.01)
    # closed form of Adam's moments after five steps
    m5 = sum(0.1 * 0.9 ** (5 - k) * g for k, g in enumerate(grads, 1))
    v5 = sum(0.001 * 0.999 ** (5 - k) * g * g for k, g in enumerate(grads, 1))
    np.testing.assert_allclose(mom, m5, rtol=1e-12)
    np.testing.assert_allclose(v, v5, rtol=1e-12)
    # the first Adam step moves every coordinate by about lr (bias correction)
    first, _, _ = m.adam_step(theta0, grads[0], np.zeros(4), np.zeros(4), 1, lr=0.01)
    np.testing.assert_allclose(np.abs(first - theta0), 0.01, rtol=1e-5)
    th, G = m.adagrad_step(theta0, grads[0], np.zeros(4), 0.1)
    np.testing.assert_allclose(th, theta0 - 0.1 * np.sign(grads[0]), rtol=1e-6)
    th, vel = m.momentum_step(theta0, grads[0], np.ones(4), 0.1, 0.5)
    np.testing.assert_allclose(vel, 0.5 - 0.1 * grads[0])
    th, G = m.rmsprop_step(theta0, grads[0], np.zeros(4), 0.1, 0.0)
    np.testing.assert_allclose(th, theta0 - 0.1 * np.sign(grads[0]), rtol=1e-6)


def test_normalisation():
    m = load("normalization")
    x = RNG.normal(3, 2, size=(50, 4))
    out = m.batchnorm_forward(x, np.ones(4), np.zeros(4), eps=0.0)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), 1, rtol=1e-12)
    ln = m.layernorm_forward(x, 2 * np.ones(4), np.ones(4), eps=0.0)
    np.testing.assert_allclose(ln.mean(axis=1), 1, rtol=1e-12)
    np.testing.assert_allclose(m.layernorm_forward(x, np.ones(4), np.zeros(4)),
                               m.batchnorm_forward(x.T, np.ones(50), np.zeros(50)).T, rtol=1e-12)


def test_clip_by_norm():
    clip = load("gradient_clipping").clip_by_norm
    g = RNG.normal(0, 10, size=(3, 4))
    out = clip(g, 1.0)
    assert np.linalg.norm(out) == pytest.approx(1.0) and np.allclose(out / np.linalg.norm(out), g / np.linalg.norm(g))
    small = np.array([3.0, 4.0])
    assert clip(small, 5.0).tolist() == [3.0, 4.0]


@pytest.mark.parametrize("seed", range(40))
def test_statistical_checks_pass_the_references(seed):
    """The false-fail rate is designed below 1e-8; 40 seeds is a smoke test of the thresholds."""
    wi, dr = load("weight_init"), load("dropout")
    rng = np.random.default_rng(seed)
    assert wi.check_xavier(wi.xavier_uniform(200, 300, rng), (200, 300)) is None
    assert wi.check_he(wi.he_normal(300, 200, rng), (300, 200)) is None
    x = rng.uniform(0.5, 2.0, size=(200, 300))
    assert dr.check_dropout(dr.dropout(x, 0.3, rng), (x, 0.3)) is None


def test_statistical_checks_catch_wrong_distributions():
    wi, dr = load("weight_init"), load("dropout")
    rng = np.random.default_rng(0)
    r = math.sqrt(6 / 500)
    assert wi.check_xavier(rng.normal(0, r / math.sqrt(3), size=(200, 300)), (200, 300)) is not None   # normal, same variance
    assert wi.check_he(rng.uniform(-math.sqrt(6 / 300), math.sqrt(6 / 300), size=(300, 200)), (300, 200)) is not None
    x = np.ones((200, 300))
    assert dr.check_dropout(x * (rng.random(x.shape) >= 0.3), (x, 0.3)) is not None                 # not rescaled


def test_linear_rnn_bptt_matches_finite_differences():
    m = load("rnn_bptt")
    for seed in range(5):
        p = m.generate(np.random.default_rng(seed))

        def loss(**change):
            q = {**p, **change}
            s = q["S0"]
            for x in q["X"]:
                s = q["Wx"] * x + q["Ws"] * s + q["b1"]
            return 0.5 * (q["Y3"] - (q["Wo"] * s + q["b2"])) ** 2
        h = 1e-6
        fd = [(loss(**{k: p[k] + h}) - loss(**{k: p[k] - h})) / (2 * h) for k in ("Wo", "Wx", "Ws")]
        np.testing.assert_allclose(m.linear_bptt(p), fd, rtol=1e-6, atol=1e-9)


def test_one_step_matches_finite_differences_and_keeps_rows_identical():
    m = load("init_symmetry")
    p = m.generate(np.random.default_rng(3))
    x = p["x"].reshape(3, 1)

    def loss(W1):
        h = 1 / (1 + np.exp(-(W1 @ x)))
        return 0.5 * float(((p["y"] - np.full((1, 2), p["c"]) @ h) ** 2)[0, 0])
    W1 = np.full((2, 3), p["c"])
    grad = finite_difference(loss, (W1,), 0)
    np.testing.assert_allclose(m.one_step(p), W1 - p["lr"] * grad, rtol=1e-6, atol=1e-9)
    rows = np.array(m.one_step(p))
    np.testing.assert_allclose(rows[0], rows[1])


def test_variant_numbers_by_hand():
    fnn, van = load("fnn_forward"), load("vanishing_gradient")
    p = fnn.generate(np.random.default_rng(0))
    z1 = p["x"] @ p["W1"] + p["b1"]
    np.testing.assert_allclose(fnn.ANSWERS["z1"](p), z1, rtol=1e-14)
    assert van.ANSWERS["bound"]({"D": 3}) == 1 / 64
