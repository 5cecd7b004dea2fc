"""The overtime-rules language: AST, compiler, checker, formatter, and the pay engine.

Never imports Textual or ``tui`` (tests/test_import_hygiene.py proves it).
"""
