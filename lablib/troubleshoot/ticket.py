"""Break the lab for a draw, and say what the student sees: the ticket, only the symptom.

`break_lab` runs the drawn scenarios' steps through the vSphere API (the simulator only:
prepare never changes a vCenter), then keeps the record (lablib.troubleshoot.record).
`Ticket` is what the notebook shows: "users report that vm-shared cannot be moved to
ESXi_2 for tonight's maintenance", with each scenario's line of context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..text import Text
from . import actions, record
from .draw import Draw
from .judge import values_of
from .state import capture

if TYPE_CHECKING:
    from ..lab import Lab


@dataclass(frozen=True)
class Ticket:
    """The ticket a student gets: its number, the symptom, the context; never the cause."""

    draw: Draw
    values: dict[str, str]

    def text(self) -> Text:
        """Return the ticket as a few lines."""
        context = Text.join(" ", [s.context.fill(**self.values) for s in self.draw.scenarios])
        return Text(
            "Ticket {number} (level {level}): users report that {vm} cannot be moved to "
            "{destination_host} for tonight's maintenance of {source_host}. {context}\n"
            "Find the cause with the server's tools, fix it as an administrator would, then "
            "migrate {vm} to {destination_host} while it runs.",
            "Ticket {number} (niveau {level}) : les utilisateurs signalent que {vm} ne peut "
            "pas être déplacée vers {destination_host} pour la maintenance de {source_host} "
            "ce soir. {context}\nTrouvez la cause avec les outils du serveur, corrigez-la "
            "comme le ferait un administrateur, puis migrez {vm} vers {destination_host} "
            "pendant qu'elle tourne.", number=self.draw.ticket, level=self.draw.level,
            context=context, **self.values)

    def __str__(self) -> str:
        return str(self.text())


def break_lab(lab: Lab, draw: Draw) -> record.Record:
    """Break the simulator's lab (in the state lab 05 starts from) for `draw`; keep it."""
    values = values_of(lab)
    for scenario in draw.scenarios:
        for step in scenario.breaks:
            actions.run(lab, step.action, step.resolved(values))
    kept = record.Record(draw.seed, draw.level, list(draw.ids), draw.ticket,
                         results=_earlier_results(lab, draw))
    kept.marker = record.post_marker(lab, kept)
    kept.prepared_at = lab.conn.si.CurrentTime().isoformat()
    kept.before = capture(lab)
    record.keep(lab, kept)
    return kept


def note_vcenter(lab: Lab, draw: Draw) -> record.Record:
    """Keep the draw on a real vCenter, which prepare never changes (the instructor breaks it)."""
    kept = record.Record(draw.seed, draw.level, list(draw.ids), draw.ticket,
                         prepared_at=lab.conn.si.CurrentTime().isoformat(),
                         before=capture(lab), results=_earlier_results(lab, draw))
    record.keep(lab, kept)
    return kept


def _earlier_results(lab: Lab, draw: Draw) -> dict:
    """Return the results kept for this same ticket (hints add up over attempts), else {}."""
    earlier = record.read(lab.config.state_dir / record.FILE)
    return earlier.results if earlier is not None and earlier.ticket == draw.ticket else {}
