import numpy as np


def adagrad_step(theta, g, G, lr, eps=1e-7):
    G = G + g * g
    return theta - lr * g / (np.sqrt(G) + eps), G


def adam_step(theta, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def bce(y, y_hat):
    return -np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))


def bce_grad_logits(y, z):
    return (sigmoid(z) - y) / y.size


def bce_with_logits(y, z):
    return np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z))))


def clip_by_norm(g, max_norm):
    n = np.sqrt(np.sum(g * g))
    return g * (max_norm / n) if n > max_norm else g.copy()


def dropout(x, p, rng):
    keep = rng.random(x.shape) >= p
    return np.where(keep, x / (1 - p), 0.0)


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def forward(x, W1, b1, W2, b2):
    Z1 = x @ W1 + b1
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    return Z1, A1, Z2, sigmoid(Z2)


def he_normal(n_in, n_out, rng):
    return rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))


def leaky_relu(x, alpha=0.01):
    return np.where(x > 0, x, alpha * x)


def lstm_cell_forward(x, h_prev, c_prev, W, b):
    H = h_prev.shape[1]
    a = np.concatenate([h_prev, x], axis=1) @ W + b
    f, i, g, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2*H]), np.tanh(a[:, 2*H:3*H]), sigmoid(a[:, 3*H:])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def momentum_step(theta, g, v, lr, rho=0.9):
    v = rho * v - lr * g
    return theta + v, v


def relu(x):
    return np.maximum(x, 0.0)


def relu_grad(x):
    return (np.asarray(x) > 0).astype(float)


def rmsprop_step(theta, g, G, lr, beta=0.9, eps=1e-7):
    G = beta * G + (1 - beta) * g * g
    return theta - lr * g / (np.sqrt(G) + eps), G


def sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def xavier_uniform(n_in, n_out, rng):
    r = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-r, r, size=(n_in, n_out))


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    return gamma * (x - x.mean(0)) / np.sqrt(x.var(0) + eps) + beta


def layernorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(x.var(-1, keepdims=True) + eps) + beta


def rnn_forward(xs, s0, U, W, V, b):
    S, s = [], s0
    for x in xs:
        s = np.tanh(U @ x + W @ s + b)
        S.append(s)
    S = np.array(S)
    return S, S @ V.T
