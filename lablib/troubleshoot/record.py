"""What lab 09 keeps about a prepared lab, and where: the kernel, a file, the live lab.

At prepare time the draw and the lab's state (lablib.troubleshoot.state) are kept in the
kernel and written to `lab09.json` in the lab's state directory (0600, as every file
lablib writes there), with the check results the instructor collects (which scenario,
solved or not, how many hints). On the simulator prepare also posts an event on the live
lab, "vMotion Lab Kit: lab 09 prepared (seed 'alice', level 1, ticket 09-4F2A)": a kernel
that restarted finds the newest one, checks that the file belongs to it, and else draws
the same lab again from the seed (the state before is then unknown, and the check says so).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from ..sim import files
from .draw import Draw, draw

if TYPE_CHECKING:
    from ..lab import Lab

FILE = "lab09.json"
MARK = "vMotion Lab Kit: lab 09 prepared"
_MARK = re.compile(re.escape(MARK) + r" \(seed '(?P<seed>.*)', level (?P<level>\d), ticket "
                   r"(?P<ticket>09-\w+)\)$")


@dataclass
class Record:
    """A prepared lab 09: the draw, when, the state then, and the checks' results."""

    seed: str
    level: int
    scenarios: list[str]
    ticket: str
    prepared_at: str = ""          # the server's time, ISO 8601
    marker: int = 0                # the key of the event prepare posted (0: none)
    before: dict[str, Any] | None = None
    results: dict[str, dict[str, Any]] = field(default_factory=dict)

    def draw(self) -> Draw:
        """Return the draw this record was made for."""
        return draw(self.seed, self.level, self.scenarios)

    def note(self, exercise: str, status: str, wrong: int) -> None:
        """Keep an exercise's last verdict and how many hints its wrong answers showed."""
        self.results[exercise] = {"status": status, "hints": wrong}


_kept: list[Record] = []


def keep(lab: Lab, record: Record) -> None:
    """Keep `record` in the kernel and in the lab's state directory."""
    _kept[:] = [record]
    save(lab, record)


def save(lab: Lab, record: Record) -> None:
    """Write `record` to lab09.json in the lab's state directory."""
    folder = lab.config.state_dir
    folder.mkdir(parents=True, exist_ok=True)
    with files.create(folder / FILE) as out:
        json.dump(asdict(record), out, ensure_ascii=False)


def read(path: Any) -> Record | None:
    """Return the record in a lab09.json file, or None when there is none or it is unreadable."""
    try:
        text = files.read_own(path)
        data = json.loads(text) if text else None
        return Record(**data) if isinstance(data, dict) else None
    except (OSError, ValueError, TypeError):
        return None


def marker(lab: Lab) -> tuple[int, str, int, str] | None:
    """Return the newest prepare event on the live lab: (key, seed, level, ticket), or None."""
    if not lab.config.uses_simulator:
        return None
    spec = vim.event.EventFilterSpec(eventTypeId=["GeneralUserEvent"], maxCount=1000)
    for event in lab.conn.content.eventManager.QueryEvents(spec) or []:
        found = _MARK.match(getattr(event, "message", "") or "")
        if found:
            return event.key, found["seed"], int(found["level"]), found["ticket"]
    return None


def post_marker(lab: Lab, record: Record) -> int:
    """Post the prepare event on the simulator's cluster; return its key."""
    cluster = lab.cluster()
    message = f"{MARK} (seed '{record.seed}', level {record.level}, ticket {record.ticket})"
    lab.conn.content.eventManager.PostEvent(vim.event.GeneralUserEvent(
        key=0, chainId=0, userName="", createdTime=lab.conn.si.CurrentTime(), message=message,
        computeResource=vim.event.ComputeResourceEventArgument(computeResource=cluster,
                                                               name=cluster.name)))
    found = marker(lab)
    return found[0] if found else 0


def current(lab: Lab) -> Record | None:
    """Return the record of the lab as it is now: the kernel's, the file's, or the seed's.

    On the simulator the newest prepare event decides which lab 09 is live; a record of
    another one (an older prepare, a reset meanwhile) is not used.
    """
    live = marker(lab)
    if not lab.config.uses_simulator:
        return _kept[0] if _kept else read(lab.config.state_dir / FILE)
    if live is None:
        return None
    key, seed, level, ticket = live
    for record in ([_kept[0]] if _kept else []) + [read(lab.config.state_dir / FILE)]:
        if record is not None and record.marker == key:
            _kept[:] = [record]
            return record
    try:
        again = draw(seed, level, lab.config.troubleshoot.scenarios or None)
    except Exception:
        return None
    if again.ticket != ticket:
        return None
    record = Record(seed, level, list(again.ids), ticket, marker=key)
    _kept[:] = [record]
    return record
