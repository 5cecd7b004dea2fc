"""The values every layer shares, and nothing else: money (``money``), time (``timez``), the
records (``domain``), user errors (``errors``), pay periods (``periods``) and spreadsheet-safe
cells (``cells``). This package imports nothing of ot above it (``[tool.importlinter]``)."""
