"""The service layer: the one place both the CLI and the TUI call.

One module per area. Services open the ledger, call the pure engine, and
return plain records; they never print and never import click or Textual.
"""
