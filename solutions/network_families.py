"""Reference for network-families (private)."""

ANSWERS = {"feedback": ["A", "B", "C"], "feedforward-graph": "A", "feedback-graph": "B", "memory": "B",
           "graph-networks": ["A", "B", "C"], "mlp-name": "A"}

OPTION_FEEDBACK = {
    "feedback": {
        "D": {"en": "A CNN passes information in one direction only: it is a feed-forward network.", "zh": "CNN 的信息只朝一个方向传播：它是前馈网络。"},
        "E": {"en": "A fully connected feed-forward network has no feedback by definition.", "zh": "全连接前馈网络按定义没有反馈。"},
    },
    "feedforward-graph": {"B": {"en": "Cycles (or undirected edges) are what feedback networks have; feed-forward ones have none.",
                                "zh": "有环（或无向边）是反馈网络的特点；前馈网络没有。"}},
    "feedback-graph": {"A": {"en": "An acyclic graph has no path back to a neuron: that is a feed-forward network.",
                             "zh": "无环图中没有回到神经元自身的路径：那是前馈网络。"}},
    "memory": {"A": {"en": "A feed-forward network's output depends only on the current input: it keeps no state.",
                     "zh": "前馈网络的输出只取决于当前输入：它不保存状态。"}},
    "graph-networks": {"D": {"en": "Graph networks allow directed or undirected edges and cycles.", "zh": "图网络允许有向或无向的连接，也允许有环。"}},
    "mlp-name": {
        "B": {"en": "\"Multi-layer\" allows any number of hidden layers; the problem is the word \"perceptron\".",
              "zh": "\"多层\"允许任意多个隐藏层；问题出在\"感知器\"这个词上。"},
        "D": {"en": "A feed-forward network has no feedback by definition.", "zh": "前馈网络按定义没有反馈。"},
    },
}

SELF_TESTS = {
    "feedback": {"accept": ["A, B, C", "ABC"], "reject": ["D, E", "D"], "partial": ["A", "A, B", "A, B, C, D"]},
    "feedforward-graph": {"accept": ["A"], "reject": ["B", "C", "D"], "invalid": ["E"]},
    "feedback-graph": {"accept": ["B"], "reject": ["A", "C", "D"]},
    "memory": {"accept": ["B"], "reject": ["A", "C"], "invalid": ["D"]},
    "graph-networks": {"accept": ["A, B, C"], "reject": ["D"], "partial": ["A, B", "C", "A, B, C, D"]},
    "mlp-name": {"accept": ["A"], "reject": ["B", "C", "D"]},
}


def generate(rng):
    return {}
