"""Reference for cnn-structure (private)."""

ANSWERS = {"fc-problems": ["A", "B"], "properties": ["A", "B", "C"], "pooling": "A", "pooling-params": "0",
           "sequences": "A"}

MISCONCEPTIONS = {
    "pooling-params": [
        {"id": "window-weights", "answer": "4",
         "feedback": {"en": "Max pooling takes the largest value of each window: it has no weights to learn.",
                      "zh": "最大池化取每个窗口中的最大值：没有需要学习的权重。"}},
        {"id": "window-weights-bias", "answer": "5",
         "feedback": {"en": "Neither weights nor a bias: pooling is a fixed operation.", "zh": "既没有权重也没有偏置：池化是固定的运算。"}},
    ],
}

OPTION_FEEDBACK = {
    "fc-problems": {
        "C": {"en": "Backpropagation trains any differentiable network, fully connected ones included.",
              "zh": "反向传播可以训练任何可微网络，包括全连接网络。"},
        "D": {"en": "Channels can be flattened into the input vector; the problem is the number of weights that follows.",
              "zh": "各通道可以展平进输入向量；问题在于随之而来的权重数量。"},
    },
    "properties": {
        "D": {"en": "Recurrent connections belong to RNNs; a CNN is a feed-forward network.", "zh": "循环连接属于 RNN；CNN 是前馈网络。"},
        "E": {"en": "Convolutional layers are locally connected, not fully connected.", "zh": "卷积层是局部连接的，不是全连接。"},
    },
    "pooling": {"B": {"en": "Pooling has no filters to learn; convolutional layers do.", "zh": "池化层没有要学习的卷积核；卷积层才有。"}},
    "sequences": {
        "B": {"en": "Sliding windows are good at local features; what they miss are long-range dependencies.",
              "zh": "滑动窗口擅长捕捉局部特征；它们缺少的是长距离依赖。"},
        "C": {"en": "Pooling over the windows does give a fixed-length vector from a variable-length sequence.",
              "zh": "对各窗口做池化确实能把变长序列变成定长向量。"},
    },
}

RUBRICS = {
    "explain": [
        {"idea": {"en": "convolution: local connectivity (a small receptive field)", "zh": "卷积：局部连接（小的感受野）"},
         "en": ["local", "patch", "receptive", "window", "neighbo"], "zh": ["局部", "感受野", "窗口"]},
        {"idea": {"en": "convolution: weight sharing (one filter at every position)", "zh": "卷积：权重共享（同一卷积核用于每个位置）"},
         "en": ["shar", "same filter", "same kernel", "same weights"], "zh": ["共享", "同一个卷积核", "相同的权重"]},
        {"idea": {"en": "pooling: subsampling / fewer features (and parameters)", "zh": "池化：子采样 / 减少特征（和参数）数量"},
         "en": ["subsampl", "downsampl", "reduce", "fewer", "smaller"], "zh": ["采样", "降低", "减少", "降维"]},
    ],
}

SELF_TESTS = {
    "fc-problems": {"accept": ["A, B", "AB"], "reject": ["C", "C, D"], "partial": ["A", "B", "A, B, C"]},
    "properties": {"accept": ["A, B, C"], "reject": ["D, E", "D"], "partial": ["A, B", "A, B, C, E"],
                   "invalid": ["A, B, G"]},
    "pooling": {"accept": ["A"], "reject": ["B", "C", "D"]},
    "pooling-params": {"accept": ["0", "0.0"], "reject": [("4", "window-weights"), ("5", "window-weights-bias"), "1"],
                       "invalid": ["none", "zero parameters"]},
    "sequences": {"accept": ["A"], "reject": ["B", "C", "D"]},
    "explain": {
        "accept": ["A convolutional layer connects each unit to a local patch and shares the same filter weights at every "
                   "position; a pooling layer subsamples the feature map to reduce the number of features.",
                   "卷积层局部连接、权重共享；池化层做子采样，减少特征数量。"],
        "partial": ["The convolution slides a small window over the image."],
    },
}


def generate(rng):
    return {}
