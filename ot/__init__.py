"""ot: timeclock punches to accurate gross wages.

This package holds what is neither ledger, rules language nor UI: the shared
value types (money, time, domain records), the service layer both the CLI and
the TUI call, and the CLI itself. Importing it is cheap on purpose.
"""

__version__ = "0.1.0"
