"""Reference for conv-pool-code (private): single-channel cross-correlation and max pooling."""

import numpy as np

ANSWERS = {}


def generate(rng):
    return {}


def conv2d(x, k, stride=1, padding=0):
    x = np.asarray(x, dtype=float)
    k = np.asarray(k, dtype=float)
    if padding:
        x = np.pad(x, padding)
    kh, kw = k.shape
    oh = (x.shape[0] - kh) // stride + 1
    ow = (x.shape[1] - kw) // stride + 1
    out = np.empty((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = np.sum(x[i * stride:i * stride + kh, j * stride:j * stride + kw] * k)
    return out


def max_pool2d(x, size=2, stride=2):
    x = np.asarray(x, dtype=float)
    oh = (x.shape[0] - size) // stride + 1
    ow = (x.shape[1] - size) // stride + 1
    out = np.empty((oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[i, j] = x[i * stride:i * stride + size, j * stride:j * stride + size].max()
    return out


def _t(test_id, fn, points, en, zh, inputs, **extra):
    return {"id": test_id, "function": fn, "kind": "values", "points": points, "name": {"en": en, "zh": zh},
            "inputs": inputs, **extra}


CODE_TESTS = {
    "code": [
        _t("conv", "conv2d", 1, "conv2d, stride 1, no padding (non-symmetric kernels)", "conv2d：步长 1、不补零（非对称卷积核）",
           lambda rng: [(rng.normal(size=(6, 7)), rng.normal(size=(3, 3))), (rng.normal(size=(5, 5)), rng.normal(size=(2, 3)))]),
        _t("conv-padding", "conv2d", 1, "conv2d with zero padding", "conv2d：补零",
           lambda rng: [(rng.normal(size=(5, 6)), rng.normal(size=(3, 3)), 1, 1),
                        (rng.normal(size=(4, 4)), rng.normal(size=(3, 3)), 1, 2)]),
        _t("conv-stride", "conv2d", 1, "conv2d with stride 2 and 3, sizes that do not divide", "conv2d：步长 2 与 3，且不能整除",
           lambda rng: [(rng.normal(size=(7, 8)), rng.normal(size=(3, 3)), 2, 0),
                        (rng.normal(size=(9, 10)), rng.normal(size=(2, 2)), 3, 1)]),
        _t("pool", "max_pool2d", 1, "max_pool2d 2×2, stride 2", "max_pool2d：2×2、步长 2",
           lambda rng: [(rng.normal(size=(6, 8)),), (rng.normal(size=(5, 7)),)]),
        _t("pool-overlap", "max_pool2d", 1, "max_pool2d 3×3, stride 2 (overlapping windows), negative inputs",
           "max_pool2d：3×3、步长 2（窗口重叠），负数输入",
           lambda rng: [(rng.normal(size=(7, 7)), 3, 2), (-rng.uniform(1, 2, size=(5, 6)), 3, 2)]),
    ],
}

_CONV = ("def conv2d(x, k, stride=1, padding=0):\n"
         "    x = np.pad(np.asarray(x, dtype=float), padding)\n"
         "    kh, kw = k.shape\n"
         "    oh = (x.shape[0] - kh)//stride + 1; ow = (x.shape[1] - kw)//stride + 1\n"
         "    return np.array([[np.sum(x[i*stride:i*stride+kh, j*stride:j*stride+kw]*k) for j in range(ow)]"
         " for i in range(oh)])\n")
_POOL = ("def max_pool2d(x, size=2, stride=2):\n"
         "    oh = (x.shape[0] - size)//stride + 1; ow = (x.shape[1] - size)//stride + 1\n"
         "    return np.array([[x[i*stride:i*stride+size, j*stride:j*stride+size].max() for j in range(ow)]"
         " for i in range(oh)])\n")


def _wrong(why, fails, conv=_CONV, pool=_POOL):
    return {"why": why, "fails": fails, "source": "import numpy as np\n" + conv + pool}


SELF_TESTS = {"code": {
    "accept": ["import numpy as np\n" + _CONV + _POOL],
    "reject": [
        _wrong("a true convolution: the kernel flipped", {"conv": "values"}, conv=_CONV.replace("*k)", "*k[::-1, ::-1])")),
        _wrong("padding on one side only", {"conv-padding": None},
               conv=_CONV.replace("np.pad(np.asarray(x, dtype=float), padding)",
                                  "np.pad(np.asarray(x, dtype=float), ((padding, 0), (padding, 0)))")),
        _wrong("stride ignored", {"conv-stride": None}, conv=_CONV.replace("i*stride", "i").replace("j*stride", "j")
               .replace("//stride", "")),
        _wrong("average pooling instead of max", {"pool": "values"}, pool=_POOL.replace(".max()", ".mean()")),
        _wrong("pooling windows never overlap (stride taken as size)", {"pool-overlap": None},
               pool=_POOL.replace("def max_pool2d(x, size=2, stride=2):\n", "def max_pool2d(x, size=2, stride=2):\n    stride = size\n")),
        _wrong("pads the input in place", {"conv-padding": "mutated"},
               conv=_CONV.replace("    x = np.pad(np.asarray(x, dtype=float), padding)\n",
                                  "    x0 = x\n    x = np.pad(np.asarray(x, dtype=float), padding)\n    x0 *= 1.0001\n")),
    ],
}}
