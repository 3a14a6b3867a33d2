"""Reference for conv-parameters (private): H·H·C·N + N weights and biases versus K·K·C_in·C_out + C_out."""

ANSWERS = {"conv-formula": "K^2*C_in*C_out + C_out", "why-fewer": ["A", "B", "C"]}

MISCONCEPTIONS = {
    "conv-formula": [
        {"id": "no-bias", "answer": "K^2*C_in*C_out",
         "feedback": {"en": "Each of the C_out filters also has a bias: add C_out.", "zh": "C_out 个卷积核各有一个偏置：要加上 C_out。"}},
        {"id": "channels-ignored", "answer": "K^2*C_out + C_out",
         "feedback": {"en": "A filter spans every input channel: it has K·K·C_in weights, not K·K.",
                      "zh": "一个卷积核覆盖所有输入通道：它有 K·K·C_in 个权重，而不是 K·K 个。"}},
        {"id": "bias-per-input-channel", "answer": "K^2*C_in*C_out + C_in",
         "feedback": {"en": "There is one bias per filter, i.e. per output channel: C_out of them.",
                      "zh": "每个卷积核（即每个输出通道）一个偏置：共 C_out 个。"}},
        {"id": "kernel-not-squared", "answer": "K*C_in*C_out + C_out",
         "feedback": {"en": "A K×K filter has K² weights per channel.", "zh": "K×K 的卷积核每个通道有 K² 个权重。"}},
    ],
}

OPTION_FEEDBACK = {
    "why-fewer": {
        "D": {"en": "Pooling has no trainable parameters; it only subsamples.", "zh": "池化层没有可训练参数；它只做下采样。"},
        "E": {"en": "A convolution usually produces many outputs (a whole feature map per filter); it is the weights that are few.",
              "zh": "卷积通常产生很多输出（每个卷积核一整张特征图）；少的是权重。"},
    },
}

SELF_TESTS = {
    "conv-formula": {
        "accept": ["K^2*C_in*C_out + C_out", "K*K*C_in*C_out + C_out", "C_out*(K^2*C_in + 1)", r"C_{out}(K^2 C_{in} + 1)",
                   "(K**2*C_in + 1)*C_out"],
        "reject": [("K^2*C_in*C_out", "no-bias"), ("K^2*C_out + C_out", "channels-ignored"),
                   ("K^2*C_in*C_out + C_in", "bias-per-input-channel"), ("K*C_in*C_out + C_out", "kernel-not-squared"),
                   "K^2*C_in + C_out"],
        "invalid": ["K^2*C_in*C_out +", "K^2*C_in*C_out + N"],
    },
    "why-fewer": {"accept": ["A, B, C", "ABC"], "reject": ["D", "D, E"], "partial": ["A", "A, B", "A, B, C, D"]},
}


def generate(rng):
    return {"H": int(rng.choice([16, 24, 28, 32])), "C": int(rng.choice([3, 4])),
            "N": int(rng.choice([32, 50, 64, 100])), "K": int(rng.choice([3, 5, 7])),
            "CO": int(rng.choice([16, 32, 64, 96]))}


ANSWERS["fc-params"] = lambda p: p["H"] * p["H"] * p["C"] * p["N"] + p["N"]
ANSWERS["conv-params"] = lambda p: p["K"] * p["K"] * p["C"] * p["CO"] + p["CO"]
MISCONCEPTIONS["fc-params"] = [
    {"id": "no-bias", "answer": lambda p: p["H"] * p["H"] * p["C"] * p["N"],
     "feedback": {"en": "Each hidden unit also has a bias: add N.", "zh": "每个隐藏单元还有一个偏置：要加上 N。"}},
    {"id": "channels-ignored", "answer": lambda p: p["H"] * p["H"] * p["N"] + p["N"],
     "feedback": {"en": "The flattened image has H·H·C values, one per pixel and channel.",
                  "zh": "展平后的图像有 H·H·C 个值，每个像素的每个通道各一个。"}},
]
MISCONCEPTIONS["conv-params"] = [
    {"id": "no-bias", "answer": lambda p: p["K"] * p["K"] * p["C"] * p["CO"],
     "feedback": MISCONCEPTIONS["conv-formula"][0]["feedback"]},
    {"id": "channels-ignored", "answer": lambda p: p["K"] * p["K"] * p["CO"] + p["CO"],
     "feedback": MISCONCEPTIONS["conv-formula"][1]["feedback"]},
    {"id": "per-position", "answer": lambda p: p["K"] * p["K"] * p["C"] * p["CO"] * p["H"] * p["H"] + p["CO"],
     "feedback": {"en": "Weights are shared: the same filter is used at every position, so the image size does not enter.",
                  "zh": "权重是共享的：同一卷积核用于所有位置，所以图像尺寸不影响参数量。"}},
]
