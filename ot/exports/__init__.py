"""Payroll exports: a paid period as the file a payroll system imports (ADP, Paychex, Gusto, a mapped layout)."""
