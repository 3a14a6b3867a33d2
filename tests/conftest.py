from __future__ import annotations

from pathlib import Path

import pytest

from grader.bank import load_bank

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def bank():
    return load_bank(ROOT)


@pytest.fixture
def part(bank):
    return bank.part
