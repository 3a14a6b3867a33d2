"""YAML from students, parsed with bounds on depth, alias expansion and number length.

``yaml.safe_load`` is safe from code execution, not from cost: a document nested
100 000 deep takes the C parser a minute and the Python composer a RecursionError
(or a segfault of the C one); a billion-laughs alias bomb expands to 10^9 nodes in
whatever later walks the data (``json.dumps`` of an answer); a 5000-digit integer
raises ``ValueError`` under Python's int/str limit; ``2024-13-45`` raises in the
timestamp constructor. Here:

1. the event stream (the parser is a state machine, it does not recurse) is walked
   once with a budget: the walk stops at the first event past ``max_depth``, and
   every alias adds the number of nodes and characters that its anchor stands for
   (measured, never expanded), so a bomb is refused after a few hundred events;
2. only then is the document composed and constructed, with constructors that keep
   over-long numbers and impossible dates as text (the checkers read numbers from
   text under their own bounds) instead of raising.

Refusals are :class:`YamlLimit` (a message key and its parameters).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:                                          # the C loader has the same interface
    _Base = yaml.SafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present

MAX_DEPTH = 64
MAX_NODES = 100_000          # nodes after alias expansion
MAX_CHARS = 4_000_000        # scalar characters after alias expansion
MAX_NUMBER = 100             # characters of a number read as a number; longer ones stay text


@dataclass
class YamlLimit(Exception):
    key: str
    params: dict = field(default_factory=dict)


class BoundedLoader(_Base):
    """The safe loader, whose number and date constructors never raise on long or impossible values."""

    def __init__(self, stream):
        super().__init__(stream)
        self.kept_as_text: list[str] = []

    def _as_text(self, node) -> str:
        value = self.construct_scalar(node)
        self.kept_as_text.append(value if len(value) <= 40 else value[:20] + "…" + value[-10:])
        return value

    def construct_bounded_int(self, node):
        value = self.construct_scalar(node)
        if len(value) > MAX_NUMBER:
            return self._as_text(node)
        try:
            return super().construct_yaml_int(node)
        except (ValueError, OverflowError):
            return self._as_text(node)

    def construct_bounded_float(self, node):
        value = self.construct_scalar(node)
        if len(value) > MAX_NUMBER:
            return self._as_text(node)
        try:
            return super().construct_yaml_float(node)
        except (ValueError, OverflowError):
            return self._as_text(node)

    def construct_bounded_timestamp(self, node):
        return self.construct_scalar(node)          # the checkers read dates as text anyway


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_bounded_int)
BoundedLoader.add_constructor("tag:yaml.org,2002:float", BoundedLoader.construct_bounded_float)
BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", BoundedLoader.construct_bounded_timestamp)


def _events(text: str, max_depth: int):
    """The parser's events; a scanner that gives up on nesting itself (newer libyaml stops at 1000 levels,
    scanning ahead of the events) is the same bound crossed, reported the same way on every machine."""
    try:
        yield from yaml.parse(text, Loader=_Base)
    except yaml.YAMLError as exc:
        if "nesting depth" in str(exc) or "too deep" in str(exc):
            raise YamlLimit("yaml_too_deep", {"limit": max_depth}) from None
        raise


def measure(text: str, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES, max_chars: int = MAX_CHARS) -> None:
    """Walk the events once; raise :class:`YamlLimit` at the first bound crossed (syntax errors pass through)."""
    anchors: dict[str | None, tuple[int, int]] = {}     # an alias event's anchor is typed Optional
    stack: list[list] = []                  # open collections: [anchor, nodes, chars]
    nodes = chars = 0

    def add(n: int, c: int) -> None:
        nonlocal nodes, chars
        nodes, chars = nodes + n, chars + c
        if stack:
            stack[-1][1] += n
            stack[-1][2] += c
        if nodes > max_nodes:
            raise YamlLimit("yaml_too_many_nodes", {"limit": max_nodes})
        if chars > max_chars:
            raise YamlLimit("yaml_too_much_text", {"limit": max_chars})

    for event in _events(text, max_depth):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) >= max_depth:
                raise YamlLimit("yaml_too_deep", {"limit": max_depth})
            add(1, 0)
            stack.append([event.anchor, 0, 0])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, n, c = stack.pop()
            if anchor is not None:
                anchors[anchor] = (n + 1, c)
        elif isinstance(event, yaml.ScalarEvent):
            add(1, len(event.value))
            if event.anchor is not None:
                anchors[event.anchor] = (1, len(event.value))
        elif isinstance(event, yaml.AliasEvent):
            n, c = anchors.get(event.anchor, (1, 0))     # an undefined alias is the composer's error
            add(n, c)


def load(text: str) -> tuple[object, list[str]]:
    """The document's data and the numbers kept as text; :class:`YamlLimit` or ``yaml.YAMLError`` otherwise."""
    measure(text)
    loader = BoundedLoader(text)
    try:
        return loader.get_single_data(), loader.kept_as_text
    finally:
        loader.dispose()
