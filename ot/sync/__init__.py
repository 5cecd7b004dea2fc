"""Sync to payroll: the outbox (events), the target interface, and the targets (csv, everee).

``ot.sync.outbox`` folds ``sync.*`` events and plans what to send (pure);
``ot.sync.target`` is the interface a target implements; ``csv_target`` and
``everee`` are the two targets; ``config`` reads the TOML file that names them.
The service that ties them to the ledger is ``ot.services.sync``.
"""
