"""lablib: the vMotion Lab Kit's library.

    import lablib
    lab = lablib.connect()          # the configured vCenter, or the embedded simulator
    lab.status()                    # is the lab ready?

Everything a notebook needs is a method of the Lab that connect() returns. Errors are
`LabError` subclasses with short messages that say what to do.
"""

from .errors import (ConfigError, ConnectError, EvcRefused, InputError, LabError,
                     LabMoved, MigrationRefused, MultipleFoundError, NotFoundError,
                     OperationRefused,
                     OutOfScope, SimulatorError, TaskFailed, TaskTimeout, Unsupported,
                     WrongKindError)
from .exercises import check, prepare
from .lab import Lab, connect
from .text import Text, set_language

__all__ = [
    "connect", "Lab", "set_language", "Text", "check", "prepare", "LabMoved",
    "LabError", "ConfigError", "ConnectError", "SimulatorError", "InputError",
    "NotFoundError", "WrongKindError", "MultipleFoundError", "TaskFailed", "TaskTimeout",
    "OperationRefused", "MigrationRefused", "EvcRefused", "OutOfScope", "Unsupported",
]
