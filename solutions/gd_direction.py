"""Reference for gd-direction (private). The assignment (seed 004, Q2.2: 计算权重并说明梯度下降的
更新方向): ∂L/∂w = (ŷ − y) xᵀ, w ← w − η ∂L/∂w, and −g is the steepest-descent direction."""
import numpy as np

ANSWERS = {"grad-formula": "(w*x - y)*x", "direction": "A"}

DERIVED_FROM = {"grad-formula": {"op": "diff", "expr": "(y - w*x)^2/2", "wrt": "w"}}

MISCONCEPTIONS = {
    "grad-formula": [
        {"id": "sign", "answer": "(y - w*x)*x",
         "feedback": {"en": "d/dw of ½(y − wx)² brings the inner derivative −x: (wx − y)x, the opposite sign.",
                      "zh": "½(y − wx)² 对 w 求导会带出内层导数 −x：(wx − y)x，符号相反。"}},
        {"id": "inner-missing", "answer": "w*x - y",
         "feedback": {"en": "That is ∂L/∂ŷ; the chain rule multiplies by ∂ŷ/∂w = x.", "zh": "这是 ∂L/∂ŷ；链式法则还要乘以 ∂ŷ/∂w = x。"}},
        {"id": "no-half", "answer": "2*(w*x - y)*x",
         "feedback": {"en": "The ½ in the loss cancels the 2 from the square.", "zh": "损失中的 ½ 与平方求导得到的 2 相消。"}},
    ],
}

OPTION_FEEDBACK = {"direction": {"B": {"en": "Moving along the gradient is gradient ascent: the loss would grow.", "zh": "沿梯度方向移动是梯度上升：损失会增大。"}}}

SELF_TESTS = {
    "grad-formula": {
        "accept": ["(w*x - y)*x", "w x^2 - x y", "-(y - w x) x", r"x\left(wx - y\right)"],
        "reject": [("(y - w x) x", "sign"), ("w x - y", "inner-missing"), ("2 (w x - y) x", "no-half"), "(w x - y) w", "diff((y - w x)^2/2, w)"],
        "invalid": ["(w x - y x", "(w x - y) z"],
    },
    "direction": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["A, B"]},
}


def generate(rng):
    def one(shape):
        return np.round(rng.uniform(-1.5, 1.5, size=shape), 1)
    return {"w": one((1, 3)), "x": one((1, 3)), "y": float(np.round(rng.uniform(-2, 2), 1)),
            "lr": float(rng.choice([0.1, 0.2, 0.5]))}


def grad(p):
    x = np.asarray(p["x"]).reshape(3, 1)
    return (np.asarray(p["w"]) @ x - p["y"]) @ x.T


ANSWERS["grad"] = lambda p: grad(p).tolist()
ANSWERS["w-new"] = lambda p: (np.asarray(p["w"]) - p["lr"] * grad(p)).tolist()
ANSWERS["w1-new"] = lambda p: float(np.asarray(p["w"])[0, 0] - p["lr"] * grad(p)[0, 0])
ANSWERS["first-order"] = lambda p: float(-p["lr"] * (grad(p) @ grad(p).T)[0, 0])
MISCONCEPTIONS["w1-new"] = [
    {"id": "ascent", "answer": lambda p: float(np.asarray(p["w"])[0, 0] + p["lr"] * grad(p)[0, 0]),
     "feedback": {"en": "Gradient descent subtracts η·∂L/∂w; adding it climbs the loss.", "zh": "梯度下降要减去 η·∂L/∂w；加上它会使损失上升。"}},
    {"id": "inner-missing", "answer": lambda p: float(np.asarray(p["w"])[0, 0] - p["lr"] * (grad(p)[0, 0] / np.asarray(p["x"])[0, 0]
                                                                                            if np.asarray(p["x"])[0, 0] else 0.0)),
     "feedback": {"en": "∂L/∂w₁ = (ŷ − y)·x₁: the error is multiplied by the input of that weight.", "zh": "∂L/∂w₁ = (ŷ − y)·x₁：误差要乘以该权重对应的输入。"}},
]
MISCONCEPTIONS["first-order"] = [
    {"id": "sign", "answer": lambda p: float(p["lr"] * (grad(p) @ grad(p).T)[0, 0]),
     "feedback": {"en": "A small step against the gradient lowers the loss: the change is −η‖g‖² ≤ 0.", "zh": "沿梯度反方向的一小步会降低损失：变化量为 −η‖g‖² ≤ 0。"}},
    {"id": "no-rate", "answer": lambda p: float(-(grad(p) @ grad(p).T)[0, 0]),
     "feedback": {"en": "The step is η·g, so the change is −η‖g‖²: multiply by η.", "zh": "步长是 η·g，所以变化量为 −η‖g‖²：要乘以 η。"}},
]
