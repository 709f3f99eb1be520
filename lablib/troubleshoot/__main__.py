"""`python -m lablib.troubleshoot`: lab 09 for instructors (lablib.troubleshoot.instructor)."""

import sys

from .instructor import main

sys.exit(main())
