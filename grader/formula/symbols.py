"""A question's symbol table: the variables and abstract functions a formula may name."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from grader.formula.builtins import CONSTANTS, SPELLINGS
from grader.formula.notation import name_key

DOMAINS = {"real": (-3.0, 3.0), "positive": (0.2, 3.0), "negative": (-3.0, -0.2),
           "unit": (0.05, 0.95), "unit-closed": (0.0, 1.0), "nonzero": (0.3, 3.0), "onehot": (0.0, 1.0)}
# how a domain is sampled, where it is not plain uniform
SAMPLING = {"nonzero": "signed", "onehot": "onehot"}

_BRACED = re.compile(r"_\{([A-Za-z0-9]+)\}")


@lru_cache(maxsize=8192)
def canon(spelling: str) -> str:
    """The lookup key of a name however it was typed: ``\\beta_{1}`` → ``beta_1``,
    ``\\hat{y}`` → ``yhat``, ``\\mathbf{z}^{(l)}`` → ``z^{(l)}``, ``f'_l`` → ``f_l'``."""
    return _BRACED.sub(r"_\1", name_key(spelling))


@dataclass(frozen=True)
class SymbolSpec:
    """A variable: its shape (rows, cols), sampling domain and spellings."""

    name: str
    shape: tuple[int, int] = (1, 1)
    domain: tuple[float, float] = DOMAINS["real"]
    integer: bool = False
    latex: str | None = None
    aliases: tuple[str, ...] = ()
    sampling: str = "uniform"      # "uniform", "signed" (both signs), "onehot" (one-hot columns)
    definition: str | None = None  # a formula in other symbols (ŷ = σ(z)): not sampled but computed

    @property
    def is_scalar(self) -> bool:
        return self.shape == (1, 1)


@dataclass(frozen=True)
class FunctionSpec:
    """An abstract function (``fprime``, ``F``): instantiated with random smooth functions."""

    name: str
    latex: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class SymbolTable:
    symbols: dict[str, SymbolSpec] = field(default_factory=dict)
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    lookup: dict[str, tuple[str, str]] = field(default_factory=dict)
    _split: list[str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def build(cls, symbols: list[SymbolSpec], functions: list[FunctionSpec]) -> SymbolTable:
        table = cls({s.name: s for s in symbols}, {f.name: f for f in functions})
        for spec in symbols:
            for spelling in _spellings(spec.name, spec.aliases, spec.latex):
                table.lookup.setdefault(spelling, ("sym", spec.name))
        for fspec in functions:
            extra: tuple[str, ...] = ()
            if fspec.name.endswith("prime"):         # f' and, for a declared f, every spelling of f primed
                base = table.functions.get(fspec.name[: -len("prime")])
                extra = (fspec.name[: -len("prime")] + "'",)
                if base is not None:
                    extra += tuple(canon(s) + "'" for s in _spellings(base.name, base.aliases, base.latex))
            for spelling in _spellings(fspec.name, fspec.aliases + extra, fspec.latex):
                table.lookup.setdefault(spelling, ("afunc", fspec.name))
        return table

    def find(self, spelling: str) -> tuple[str, str] | None:
        """('sym'|'afunc'|'builtin'|'const', name) for a spelling, or None."""
        key = canon(spelling)
        if key in self.lookup:
            return self.lookup[key]
        if key in SPELLINGS:
            return ("builtin", SPELLINGS[key])
        if key in CONSTANTS:
            return ("const", CONSTANTS[key])
        return None

    def known_names(self) -> list[str]:
        return sorted(self.symbols)

    def spellings_for_split(self) -> list[str]:
        """Spellings that may be glued together by implicit multiplication (``xy``)."""
        if self._split is None:
            self._split = sorted((k for k, (kind, _) in self.lookup.items() if kind == "sym" and k.isalnum()),
                                 key=len, reverse=True)
        return self._split

    def is_symbol_spelling(self, key: str) -> bool:
        return self.lookup.get(key, ("",))[0] == "sym"


def _spellings(name: str, aliases, latex) -> list[str]:
    out = [canon(name)]
    out += [canon(a) for a in aliases]
    if latex and re.fullmatch(r"[A-Za-z0-9_'^{}()+\-]+", canon(latex)):
        out.append(canon(latex))
    m = re.fullmatch(r"([A-Za-z]+)([0-9]+)", name)
    if m:                                  # beta1 is also beta_1
        out.append(f"{m.group(1)}_{m.group(2)}")
    return out
