"""Messages that are English text for the code that reads them and any language for the person who does.

A :class:`Said` is a ``str`` (its English rendering, so code and tests that match on English keep working)
that also keeps its catalog reference (``grader.messages.ref(key, **params)``); ``said.say(lang)`` renders it
in another language. A parameter may be a reference or a :class:`Said` (rendered in the same language), or a
:class:`Joined` list of them. A :class:`SaidError` is an exception whose ``str()`` is English and whose
``message(lang)`` is any language's: the CLI prints the instructor's.
"""
from __future__ import annotations

from dataclasses import dataclass

from grader.messages import text

SEPARATORS = {"lines": ("\n", "\n"), "semicolon": ("; ", "；"),    # (English, Chinese)
              "comma": (", ", "、")}


@dataclass(frozen=True)
class Joined:
    """Several messages as one parameter, joined by the separator ``sep`` names (a line break, a semicolon:
    ``"; "`` in English, ``"；"`` in Chinese, or a comma: ``", "`` in English, ``"、"`` in Chinese)."""

    items: tuple
    sep: str = "lines"


def say(message, lang: str) -> str:
    """A reference (``{"key": ..., "params": ...}``), Said, Joined or plain value, as text in ``lang``."""
    if isinstance(message, Said):
        message = message.ref
    if isinstance(message, Joined):
        return SEPARATORS[message.sep][lang == "zh"].join(say(item, lang) for item in message.items)
    if _is_ref(message):
        params = {name: say(value, lang) if isinstance(value, (Said, Joined)) or _is_ref(value) else value
                  for name, value in (message.get("params") or {}).items()}
        return text(message["key"], lang, **params)
    return str(message)


def _is_ref(value) -> bool:
    return isinstance(value, dict) and "key" in value and set(value) <= {"key", "params"}


class Said(str):
    """English text that can be said in any language (see the module's doc)."""

    ref: dict

    def __new__(cls, message: dict) -> Said:
        self = super().__new__(cls, say(message, "en"))
        self.ref = message
        return self

    def __getnewargs__(self):                 # pickling and copying rebuild it from its reference
        return (self.ref,)

    @property
    def key(self) -> str:
        return self.ref["key"]

    @property
    def params(self) -> dict:
        return self.ref.get("params") or {}

    def say(self, lang: str) -> str:
        return say(self.ref, lang)


def said(value, lang: str) -> str:
    """Any message in ``lang``: a Said or a SaidError in that language, anything else as its ``str()``."""
    if isinstance(value, SaidError):
        return value.message(lang)
    if isinstance(value, Said):
        return value.say(lang)
    return str(value)


class SaidError(Exception):
    """An error made of a catalog reference: ``str()`` is English, ``message(lang)`` any language's."""

    def __init__(self, message: dict):
        self.said = Said(message)
        super().__init__(str(self.said))

    def __reduce__(self):                     # pickled with its reference, not its English text
        return (type(self), (self.said.ref,))

    @property
    def key(self) -> str:
        return self.said.key

    @property
    def params(self) -> dict:
        return self.said.params

    def message(self, lang: str) -> str:
        return self.said.say(lang)
