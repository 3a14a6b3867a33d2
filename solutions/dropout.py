"""Reference for dropout (private). The code part arrives with the sandbox."""

ANSWERS = {"test-time": "A"}

OPTION_FEEDBACK = {"test-time": {
    "B": {"en": "Scaling by 1 − p at test time is the original (non-inverted) dropout; inverted dropout already scaled during training.",
          "zh": "测试时乘以 1 − p 是原始（非反向）dropout 的做法；反向 dropout 已在训练时缩放。"},
    "C": {"en": "Random dropping at test time would make predictions noisy.", "zh": "测试时随机丢弃会让预测带有噪声。"},
}}

SELF_TESTS = {"test-time": {"accept": ["A"], "reject": ["B", "C", "D"]}}


def generate(rng):
    return {}
