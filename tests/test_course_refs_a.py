"""Issue 13 (H6's half): the new questions' references, verified independently of themselves —
brute-force counts, known values (LeNet-5, Nielsen's MNIST network), finite differences,
identities, SciPy and the statistics module, and the variants' promises (exact divisions, distinct values)."""
from __future__ import annotations

import importlib.util
import math
import statistics

import numpy as np
import pytest
from scipy import linalg, signal

from .conftest import ROOT


def load(name):
    spec = importlib.util.spec_from_file_location(f"ref_a_{name}", ROOT / "solutions" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def variants(module, n=60):
    return [module.generate(np.random.default_rng(seed)) for seed in range(n)]


def fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# -- cnn ----------------------------------------------------------------------------------------

def _positions(width, k, s, p):
    """Kernel placements counted one by one on the padded input."""
    return sum(1 for start in range(0, width + 2 * p) if start + k <= width + 2 * p and start % s == 0)


def test_conv_output_sizes_match_brute_force_counts_and_divide_exactly():
    m = load("conv_output_size")
    for p in variants(m):
        conv = _positions(p["W"], p["K"], p["S"], p["P"])
        assert m.ANSWERS["conv-size"](p) == conv
        assert (p["W"] - p["K"] + 2 * p["P"]) % p["S"] == 0          # the prompt promises exact division
        assert m.ANSWERS["pool-size"](p) == _positions(conv, p["F"], p["SP"], 0)
        assert (conv - p["F"]) % p["SP"] == 0
        pad = m.ANSWERS["same-padding"](p)
        assert pad == int(pad) and _positions(30, p["K2"], 1, int(pad)) == 30


def test_conv_output_size_known_values():
    m = load("conv_output_size")
    known = {"W": 227, "K": 11, "S": 4, "P": 0, "F": 3, "SP": 2, "K2": 3}     # AlexNet conv1 and its pooling
    assert m.ANSWERS["conv-size"](known) == 55 and m.ANSWERS["pool-size"](known) == 27
    assert m.ANSWERS["conv-size"]({**known, "W": 32, "K": 5, "S": 1}) == 28      # LeNet-5 C1


def test_parameter_counts_known_values_and_array_sizes():
    m = load("conv_parameters")
    # LeNet-5 C1: six 5x5 filters on one channel = 156; a 28x28 grey image fully connected to 100 units = 78500
    assert m.ANSWERS["conv-params"]({"K": 5, "C": 1, "CO": 6}) == 156
    assert m.ANSWERS["fc-params"]({"H": 28, "C": 1, "N": 100}) == 78500
    for p in variants(m):
        weights, bias = np.zeros((p["CO"], p["C"], p["K"], p["K"])), np.zeros(p["CO"])
        assert m.ANSWERS["conv-params"](p) == weights.size + bias.size
        dense = np.zeros((p["N"], p["H"] * p["H"] * p["C"]))
        assert m.ANSWERS["fc-params"](p) == dense.size + p["N"]
        assert m.ANSWERS["fc-params"](p) < 1e6      # typed with 6 significant figures, still exact


def _scipy_conv(x, k, stride, padding):
    full = signal.correlate2d(np.pad(x, padding), k, mode="valid")
    return full[::stride, ::stride]


def test_conv2d_against_scipy_and_identities():
    m = load("conv_pool_code")
    rng = np.random.default_rng(1)
    for shape, kshape, stride, padding in [((6, 7), (3, 3), 1, 0), ((9, 10), (2, 3), 3, 1), ((7, 8), (3, 3), 2, 2)]:
        x, k = rng.normal(size=shape), rng.normal(size=kshape)
        np.testing.assert_allclose(m.conv2d(x, k, stride, padding), _scipy_conv(x, k, stride, padding), rtol=1e-12)
    x = rng.normal(size=(5, 6))
    np.testing.assert_array_equal(m.conv2d(x, np.ones((1, 1))), x)                      # identity kernel
    shift = np.zeros((3, 3)); shift[0, 0] = 1.0                                             # not flipped: top-left tap
    np.testing.assert_array_equal(m.conv2d(x, shift), x[:-2, :-2])
    a, b = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    np.testing.assert_allclose(m.conv2d(x, 2 * a + b), 2 * m.conv2d(x, a) + m.conv2d(x, b), rtol=1e-12)


def test_max_pool_against_reshape_and_known_values():
    m = load("conv_pool_code")
    x = np.random.default_rng(2).normal(size=(6, 8))
    np.testing.assert_array_equal(m.max_pool2d(x), x.reshape(3, 2, 4, 2).max(axis=(1, 3)))
    y = np.arange(25.0).reshape(5, 5)
    np.testing.assert_array_equal(m.max_pool2d(y, 3, 2), [[12.0, 14.0], [22.0, 24.0]])
    assert m.max_pool2d(np.arange(35.0).reshape(5, 7)).shape == (2, 3)                   # windows that do not fit dropped


# -- networks -----------------------------------------------------------------------------------

def test_fnn_parameter_count_known_value_and_layers():
    m = load("fnn_layers")
    assert m.ANSWERS["params"]({"sizes": [784, 30, 10]}) == 23860          # Nielsen's MNIST network
    assert m.ANSWERS["depth"]({"sizes": [784, 30, 10]}) == 2
    for p in variants(m):
        arrays = [np.zeros((b, a)) for a, b in zip(p["sizes"], p["sizes"][1:])] + [np.zeros(b) for b in p["sizes"][1:]]
        assert m.ANSWERS["params"](p) == sum(a.size for a in arrays)
        assert p["sizes_text"] == "-".join(map(str, p["sizes"]))


# -- activations --------------------------------------------------------------------------------

def test_saturation_values_against_finite_differences():
    m = load("activation_comparison")
    sig = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    for p in variants(m, 20):
        assert m.ANSWERS["sigmoid-saturated"](p) == pytest.approx(fd(sig, p["xs"]), rel=1e-6)
        assert m.ANSWERS["sigmoid-saturated"](p) < 0.05                       # saturated indeed
        assert m.ANSWERS["tanh-saturated"](p) == pytest.approx(fd(math.tanh, p["xt"]), rel=1e-6)
    z = np.random.default_rng(3).normal(size=200_000)
    assert np.mean(np.maximum(z, 0) > 0) == pytest.approx(0.5, abs=0.01)       # the sparsity answer


def test_activation_gradients_against_finite_differences():
    m, fns = load("activation_derivatives"), load("relu_family")
    x = np.concatenate([np.linspace(-4, -0.01, 50), np.linspace(0.01, 4, 50)])
    for alpha in (0.01, 0.2):
        np.testing.assert_allclose(m.leaky_relu_grad(x, alpha), fd(lambda v: fns.leaky_relu(v, alpha), x), atol=1e-7)
    for alpha in (1.0, 1.7):
        np.testing.assert_allclose(m.elu_grad(x, alpha), fd(lambda v: fns.elu(v, alpha), x), rtol=1e-6)
        neg = x[x < 0]
        np.testing.assert_allclose(m.elu_grad(neg, alpha), fns.elu(neg, alpha) + alpha, rtol=1e-12)   # ELU' = y + α
    np.testing.assert_allclose(m.tanh_grad(x), fd(np.tanh, x), rtol=1e-6)
    assert m.leaky_relu_grad(np.array([0.0]), 0.3)[0] == 0.3 and m.elu_grad(np.array([0.0]), 2.0)[0] == 2.0
    with np.errstate(all="raise", under="ignore"):
        assert np.all(np.isfinite(m.elu_grad(np.array([-1000.0, 0.0, 1000.0]))))


# -- depth --------------------------------------------------------------------------------------

def test_residual_and_plain_products_by_finite_differences():
    m = load("depth_degradation")
    for p in variants(m, 20):
        d = [p["d1"], p["d2"], p["d3"]]

        def chain(x, residual):
            for di in d:                       # F_i(x) = d_i sin(x): F_i'(0) = d_i, and 0 stays 0 along the chain
                x = x + di * math.sin(x) if residual else di * math.sin(x)
            return x
        assert m.ANSWERS["residual-product"](p) == pytest.approx(fd(lambda v: chain(v, True), 0.0), rel=1e-7)
        assert m.ANSWERS["plain-product"](p) == pytest.approx(fd(lambda v: chain(v, False), 0.0), rel=1e-7)


# -- data ---------------------------------------------------------------------------------------

def test_preprocessing_numbers_against_the_statistics_module():
    m = load("data_preprocessing")
    for p in variants(m):
        col = p["col"]
        assert len(set(col)) == 5
        assert m.ANSWERS["min-max-value"](p) == pytest.approx((col[1] - min(col)) / (max(col) - min(col)))
        z = (col[1] - statistics.fmean(col)) / statistics.pstdev(col)
        assert m.ANSWERS["z-value"](p) == pytest.approx(z, rel=1e-12)


def test_scaling_and_whitening_properties():
    m = load("data_preprocessing")
    rng = np.random.default_rng(4)
    X = rng.normal(size=(200, 3)) @ rng.normal(size=(3, 3)) + rng.uniform(-5, 5, size=3)
    S = m.min_max_scale(X)
    np.testing.assert_allclose(S.min(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(S.max(axis=0), 1, rtol=1e-15)
    Z = m.standardize(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-13)
    np.testing.assert_allclose(Z.std(axis=0), 1, rtol=1e-13)
    W = m.zca_whiten(X, eps=0.0)
    np.testing.assert_allclose(W.T @ W / len(W), np.eye(3), atol=1e-10)                # identity covariance
    Xc = X - X.mean(axis=0)
    zca = Xc @ np.real(linalg.inv(linalg.sqrtm(Xc.T @ Xc / len(X))))                 # C^(-1/2) by SciPy
    np.testing.assert_allclose(W, zca, rtol=1e-8, atol=1e-10)
    const = X.copy(); const[:, 1] = 3.0
    assert np.all(m.min_max_scale(const)[:, 1] == 0) and np.all(m.standardize(const)[:, 1] == 0)


# -- normalisation ------------------------------------------------------------------------------

def test_running_mean_closed_form_and_test_output():
    m = load("bn_inference")
    for p in variants(m, 30):
        mus, mm = [p["mu1"], p["mu2"], p["mu3"]], p["m"]
        closed = sum((1 - mm) * mm ** (2 - i) * mu for i, mu in enumerate(mus))
        assert m.ANSWERS["running-mean"](p) == pytest.approx(closed, rel=1e-12)
        std = math.sqrt(p["vr"])
        assert m.ANSWERS["test-output"](p) == pytest.approx(p["g"] * (p["x"] - p["mr"]) / std + p["b"], rel=1e-12)


def test_bn_train_and_inference_agree_with_batch_norm_and_each_other():
    m, bn = load("bn_inference"), load("normalization")
    rng = np.random.default_rng(5)
    x, g, b = rng.normal(2, 3, size=(16, 4)), rng.uniform(0.5, 2, size=4), rng.normal(size=4)
    out, mean, var = m.bn_train_step(x, g, b, np.zeros(4), np.ones(4), momentum=0.8)
    np.testing.assert_allclose(out, bn.batchnorm_forward(x, g, b), rtol=1e-12)
    np.testing.assert_allclose(mean, 0.2 * x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(var, 0.8 + 0.2 * x.var(axis=0), rtol=1e-12)
    # with running statistics equal to the batch's, inference reproduces the training output
    np.testing.assert_allclose(m.bn_inference(x, g, b, x.mean(axis=0), x.var(axis=0)), out, rtol=1e-12)
    # one example at test time: its output does not depend on any batch
    single = m.bn_inference(x[:1], g, b, mean, var)
    np.testing.assert_allclose(single, m.bn_inference(x, g, b, mean, var)[:1], rtol=1e-15)


# -- regularisation -----------------------------------------------------------------------------

def test_label_smoothing_identities_and_gradient():
    m = load("label_smoothing")
    rng = np.random.default_rng(6)
    y, z, eps = np.eye(5)[rng.integers(0, 5, size=7)], rng.normal(0, 2, size=(7, 5)), 0.15
    t = m.smooth_labels(y, eps)
    np.testing.assert_allclose(t.sum(axis=1), 1.0, rtol=1e-15)
    assert t.max() == pytest.approx(1 - eps + eps / 5) and t.min() == pytest.approx(eps / 5)
    logp = z - np.logaddexp.reduce(z, axis=1, keepdims=True)
    expected = (1 - eps) * -np.mean(np.sum(y * logp, axis=1)) + eps * -np.mean(np.sum(logp, axis=1)) / 5
    assert m.smoothed_cross_entropy(y, z, eps) == pytest.approx(expected, rel=1e-12)
    numeric = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        dz = np.zeros_like(z); dz[idx] = 1e-6
        numeric[idx] = (m.smoothed_cross_entropy(y, z + dz, eps) - m.smoothed_cross_entropy(y, z - dz, eps)) / 2e-6
    np.testing.assert_allclose(m.smoothed_ce_grad(y, z, eps), numeric, atol=1e-8)
    big = np.array([[1000.0, -1000.0, 0.0]])
    with np.errstate(all="raise", under="ignore"):
        assert m.smoothed_cross_entropy(np.eye(3)[[1]], big, 0.1) == pytest.approx(
            -np.sum(m.smooth_labels(np.eye(3)[[1]], 0.1) * (big - 1000.0)), rel=1e-12)
    for p in variants(m, 20):
        assert m.ANSWERS["true-class"](p) + (p["K"] - 1) * m.ANSWERS["other-class"](p) == pytest.approx(1.0)


def test_early_stopping_by_hand_and_variants():
    m = load("regularization_methods")
    assert m.early_stopping([1.0, 0.8, 0.9, 0.8, 0.95, 1.0], 2) == (4, 2)      # a tie does not reset the count
    assert m.early_stopping([0.9, 0.8, 0.7], 2) == (3, 3)                      # patience never runs out
    assert m.early_stopping([0.5, 0.6, 0.4, 0.45, 0.41, 0.42], 3) == (6, 3)
    for p in variants(m, 30):
        losses, pat = p["losses"], p["patience"]
        stop, best = m.ANSWERS["stop-epoch"](p), m.ANSWERS["best-epoch"](p)
        assert losses[best - 1] == min(losses[:stop])
        assert all(min(losses[:e]) >= losses[best - 1] for e in range(best, stop + 1))
        assert stop - best == pat and all(v > losses[best - 1] for v in losses[best:stop])


def test_l1_step_is_a_subgradient_step():
    m = load("regularization_methods")
    rng = np.random.default_rng(7)
    W, lam, lr = rng.normal(size=(3, 4)), 0.3, 0.1
    penalty = lambda w: lam * np.abs(w).sum()  # noqa: E731
    num = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        d = np.zeros_like(W); d[idx] = 1e-6
        num[idx] = (penalty(W + d) - penalty(W - d)) / 2e-6
    G = rng.normal(size=W.shape)
    np.testing.assert_allclose(m.l1_step(W, G, lr, lam), W - lr * (G + num), rtol=1e-8)
    W[0, 0] = 0.0
    assert m.l1_step(W, G, lr, lam)[0, 0] == pytest.approx(-lr * G[0, 0])     # sign(0) = 0


# -- COVERAGE.md ----------------------------------------------------------------------------------

def test_coverage_cites_only_real_parts_and_every_question():
    """Every `question/part` (or `question/*`) cited in COVERAGE.md exists; every bank question is cited;
    no row is left planned; each seed's numbered items all have a row."""
    import re
    from grader.bank import load_bank
    text = (ROOT / "COVERAGE.md").read_text(encoding="utf-8")
    bank = load_bank(ROOT)
    cited = [c for c in re.findall(r"`([a-z0-9-]+)/([a-z0-9*-]+)`", text) if c[0] != "question-id"]   # the legend
    assert len(cited) > 100
    unknown = [f"{q}/{p}" for q, p in cited
               if q not in bank.questions or (p != "*" and p not in {part.id for part in bank.questions[q].parts})]
    assert not unknown, f"COVERAGE.md cites parts the bank lacks: {unknown}"
    missing = sorted(set(bank.questions) - {q for q, _ in cited})
    assert not missing, f"questions no row of COVERAGE.md cites: {missing}"
    assert "planned:" not in text
    rows = set(re.findall(r"^\| (S\d [^|]+?) \|", text, flags=re.M))
    expected = ({"S0 Q1", "S0 Q2"} | {f"S1 {s}{i}" for s, n in (("一", 8), ("二", 8), ("三", 6)) for i in range(1, n + 1)}
                | {f"S2 {i}" for i in range(1, 9)} | {f"S3 {i}" for i in range(1, 5)}
                | {f"S4 Q{q}" for q in ("1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3")})
    assert expected <= rows, f"course items without a row: {sorted(expected - rows)}"
