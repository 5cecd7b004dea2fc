"""The rules language's Lark grammar files (``*.lark``), shipped as package data."""

from pathlib import Path

GRAMMAR_DIR = Path(__file__).parent
