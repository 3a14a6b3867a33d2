"""Every message exists in English and Chinese with the same placeholders."""
from __future__ import annotations

import string

import pytest

from grader.messages import CATALOG, pick, text


def fields(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_both_languages_with_the_same_fields(key):
    en, zh = CATALOG[key]
    assert en and zh and fields(en) == fields(zh)
    if key.rsplit("_", 2)[-2:-1] != ["lang"]:        # a language's own name (English, 中文) is the same in both
        assert en != zh and any("\u4e00" <= ch <= "\u9fff" for ch in zh)


def test_text_and_pick():
    assert text("arity", "zh", name="f", expected=1, got=2) == "f 需要 1 个参数，但给出了 2 个。"
    assert pick({"en": "a", "zh": "b"}, "zh") == "b"
    assert pick({"en": "a"}, "zh") == "a"
