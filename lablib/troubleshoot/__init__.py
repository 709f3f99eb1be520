"""Lab 09: a broken vMotion for each student, diagnosed with the server's tools, checked live.

    prepare(lab, "09")                  # breaks the simulator's lab for the student's seed
    prepare(lab, "09", seed=7, level=2) # a number from the instructor; two causes stacked

One job per module: `model` (the shapes), `scenarios` (the broken labs, as data),
`actions` (the vSphere API steps they name, and how to do each by hand), `draw` (which lab
a seed gets), `state` (the lab as flat keys), `record` (what is kept, and where), `judge`
(the check on the live lab), `ticket` (break the lab, show the symptom), `instructor`
(steps by hand, class plans; `python -m lablib.troubleshoot`).
"""

from .draw import Draw, choices, draw, pool, student
from .model import Scenario, Sign, Step, WrongFix
from .scenarios import BY_ID, SCENARIOS, scenario

__all__ = ["BY_ID", "SCENARIOS", "Draw", "Scenario", "Sign", "Step", "WrongFix", "choices",
           "draw", "pool", "scenario", "student"]
