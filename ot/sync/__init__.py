"""Sync to payroll: the outbox (events), the target interface, and the targets (csv, everee, export).

``ot.sync.outbox`` folds ``sync.*`` events and plans what to send (pure);
``ot.sync.target`` is the interface a target implements; ``ot.sync.registry``
maps a config ``kind`` to the target class that registered itself for it;
``csv_target``, ``everee`` and ``export_target`` are the built-in targets; ``config`` reads the
TOML file that names them. The service that ties them to the ledger is
``ot.services.sync``.

Importing any part of ``ot.sync`` registers the built-in targets, csv, everee,
then export (that order is the order the config's messages list the kinds in).
"""

from ot.sync import csv_target, everee, export_target  # noqa: F401  (registers the built-in targets, in this order)
