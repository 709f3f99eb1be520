"""Which broken lab a student gets: a stable draw from a seed, a level and a pool.

The seed is the student's name (the default: the JupyterHub user, else the login) or a
number the instructor hands out. Numbers go round the pool in order (seeds 1, 2, 3, ...
give the first, second, third ... choice), so a class of at least as many students as
choices meets them all; any other seed is hashed with SHA-256, never Python's `hash()`,
so the same seed gives the same lab on every machine and in every kernel. Level 1 draws
one scenario, level 2 two stacked ones whose areas differ.
"""

from __future__ import annotations

import getpass
import hashlib
import itertools
import os
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..text import Text
from .model import Scenario
from .scenarios import BY_ID, SCENARIOS

LEVELS = (1, 2)


@dataclass(frozen=True)
class Draw:
    """One student's broken lab: the seed, the level and the scenarios drawn."""

    seed: str
    level: int
    scenarios: tuple[Scenario, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """Return the scenarios' ids, in the order their breaks run."""
        return tuple(s.id for s in self.scenarios)

    @property
    def ticket(self) -> str:
        """Return the ticket number students and instructors quote ("09-4F2A")."""
        digest = hashlib.sha256(f"{self.seed}|{self.level}|{','.join(self.ids)}".encode())
        return "09-" + digest.hexdigest()[:4].upper()


def student() -> str:
    """Return the default seed: the JupyterHub user name, else the login name."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


def pool(ids: Any = None) -> tuple[Scenario, ...]:
    """Return the scenarios to draw from: those named (ids or "a, b"), else all of them.

    Raises:
        InputError: an id names no scenario (the message lists them).
    """
    if ids is None or ids == "" or ids == ():
        return SCENARIOS
    names = [n.strip() for n in ids.split(",")] if isinstance(ids, str) else list(ids)
    unknown = [n for n in names if n not in BY_ID]
    if unknown or not names:
        raise InputError(Text("Unknown scenario(s) {got}. Scenarios: {known}.",
                              "Scénario(s) inconnu(s) {got}. Scénarios : {known}.",
                              got=", ".join(map(repr, unknown)) or "''",
                              known=", ".join(BY_ID)))
    return tuple(BY_ID[n] for n in dict.fromkeys(names))


def choices(scenarios: tuple[Scenario, ...], level: int) -> list[tuple[Scenario, ...]]:
    """Return every lab the draw can give: single scenarios, or compatible pairs."""
    if level == 1:
        return [(s,) for s in scenarios]
    return [tuple(sorted(pair, key=lambda s: s.order)) for pair in
            itertools.combinations(scenarios, 2) if not pair[0].areas & pair[1].areas]


def draw(seed: Any = None, level: Any = 1, scenarios: Any = None) -> Draw:
    """Return the broken lab for `seed` at `level` from the pool `scenarios`.

    Raises:
        InputError: the level is not 1 or 2, the seed is empty, a scenario is unknown,
            or the pool has no two scenarios that stack.
    """
    if isinstance(level, bool) or level not in LEVELS:
        raise InputError(Text("level must be 1 (one cause) or 2 (two causes), got {got}.",
                              "level doit valoir 1 (une cause) ou 2 (deux causes), reçu {got}.",
                              got=repr(level)[:40]))
    seed = student() if seed is None else seed
    text = str(seed).strip()
    if isinstance(seed, bool) or not text or len(text) > 200:
        raise InputError(Text("seed must be a name or a number, got {got}.",
                              "seed doit être un nom ou un nombre, reçu {got}.",
                              got=repr(seed)[:40]))
    found = choices(pool(scenarios), level)
    if not found:
        raise InputError(Text("No two of these scenarios can be stacked (they break the same "
                              "thing): add scenarios, or use level 1.",
                              "Aucune paire de ces scénarios ne peut s'empiler (ils cassent la "
                              "même chose) : ajoutez des scénarios, ou utilisez le niveau 1."))
    return Draw(text, level, found[number(text) % len(found)])


def number(seed: str) -> int:
    """Return the draw's index source: a number seed minus one, else a SHA-256 of the seed."""
    if seed.isdigit():
        return int(seed) - 1
    return int.from_bytes(hashlib.sha256(f"lab09:{seed}".encode()).digest()[:8], "big")
