"""lablib: the vMotion Lab Kit's library.

    import lablib
    lab = lablib.connect()          # the configured vCenter, or the embedded simulator
    lab.status()                    # is the lab ready?

Everything a notebook needs is a method of the Lab that connect() returns. Errors are
`LabError` subclasses with short messages that say what to do.
"""

from .errors import (
                     ConfigError,
                     ConnectError,
                     EvcRefused,
                     InputError,
                     LabError,
                     LabMoved,
                     MigrationRefused,
                     MultipleFoundError,
                     NotFoundError,
                     OperationRefused,
                     OutOfScope,
                     SimulatorError,
                     TaskFailed,
                     TaskTimeout,
                     Unsupported,
                     WrongKindError,
)
from .exercises import check, prepare
from .lab import Lab, connect
from .language import set_language
from .text import Text

__all__ = [
                     "ConfigError",
                     "ConnectError",
                     "EvcRefused",
                     "InputError",
                     "Lab",
                     "LabError",
                     "LabMoved",
                     "MigrationRefused",
                     "MultipleFoundError",
                     "NotFoundError",
                     "OperationRefused",
                     "OutOfScope",
                     "SimulatorError",
                     "TaskFailed",
                     "TaskTimeout",
                     "Text",
                     "Unsupported",
                     "WrongKindError",
                     "check",
                     "connect",
                     "prepare",
                     "set_language",
]
