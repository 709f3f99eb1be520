"""Interactive ipywidgets panels for the labs."""

from .dashboard import LabDashboard, dashboard_report
from .precopy import PrecopyExplorer
from .progress import TaskProgress
from .wizard import MigrationWizard

__all__ = [
           "LabDashboard",
           "MigrationWizard",
           "PrecopyExplorer",
           "TaskProgress",
           "dashboard_report",
]
