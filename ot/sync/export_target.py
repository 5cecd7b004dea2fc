"""The ``export`` target: each pay run's payroll export (ADP, Paychex, Gusto, generic), written
to a folder as the sync sends the shifts it paid.

An export carries what was **paid**, so this target holds a shift back (``Send``,
"waits for the pay run...") until a pay run has paid its date, and a changed shift
on a paid date until the pay run that settles its correction. Then it writes that
run's file, ``<folder>/<period first>_<period last>_<run>/<format>.csv`` (an
off-cycle run: ``<folder>/off-cycle_<run>/``), and a manifest beside it
(:func:`ot.exports.render.render_batch`: the file read back pays exactly what the
run paid, to the cent). A run's file never changes once written: a pay run is a
fact, and a second run in the same period (``ot payrun --partial``) gets its own
folder, so that a payroll system that imported the first file never imports its
rows twice. A correction settled outside ot (``EXTERNALLY_PAID``) is in no file;
its shift is marked sent, with the reason as its target id.

Its config table (``kind = "export"``) has the keys ``format`` (one of
``ot export formats``), ``folder`` (relative to the config file) and ``mapping``
(a TOML file of earnings codes; default: the format's shipped mapping), parsed by
:meth:`ExportTarget.parse_config`, which reads the mapping so that a bad one is
refused with the config, before anything is sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ot.core.errors import OtError, Problem
from ot.exports.mapping import DEFAULTS, load_mapping
from ot.exports.model import Batch
from ot.exports.registry import FORMATS, get_format
from ot.exports.render import render_batch
from ot.sync.csv_target import atomic_write, same_bytes
from ot.sync.registry import register, resolve_path, text_option
from ot.sync.target import Op, Outcome, SendContext, TargetConfig

__all__ = ["ExportTarget"]

#: The target id of a shift whose correction was paid outside ot: it is in no file.
PAID_OUTSIDE = "not exported: the correction was paid outside ot"


@register("export")
@dataclass(frozen=True)
class ExportTarget:
    """A folder of pay-run exports in one format.

    Attributes:
        name: Target name.
        folder: Where the run folders go.
        format_name: The export format.
        mapping_path: The earnings-code mapping (None: the format's shipped one).
        correction_authorized: Whether a change on a paid date is exported (as the correcting
            lines of the run that settles it).
        kind: ``export``.
        w2_only: False: every worker the pay runs paid.
        leave_hours: True: PTO, sick and holiday hours are paid, and exported, with the timecards.
        reads_pay: True: the sync gives it the pay state (:class:`ot.sync.target.PayView`).
    """

    name: str
    folder: Path
    format_name: str
    mapping_path: Path | None = None
    correction_authorized: bool = False
    kind: str = "export"
    w2_only: bool = False
    leave_hours: bool = True
    reads_pay: bool = True

    @classmethod
    def parse_config(
        cls, name: str, raw: Mapping[str, Any], base: Path, where: str, problems: list[Problem]
    ) -> dict[str, Any]:
        """The keys of a ``kind = "export"`` table: ``format`` and ``folder`` (required), ``mapping``."""
        folder = text_option(raw, "folder", where, problems, required=True)
        fmt = text_option(raw, "format", where, problems, required=True)
        mapping = text_option(raw, "mapping", where, problems, required=False)
        mapping_path = resolve_path(base, mapping) if mapping else None
        if fmt:
            try:
                get_format(fmt)
                load_mapping(fmt, mapping_path)
            except OtError as exc:
                problems.append(Problem(f"{where} {'mapping' if fmt in FORMATS else 'format'}", _first_words(exc)))
        return {"folder": resolve_path(base, folder) if folder else None, "format": fmt, "mapping": mapping_path}

    @classmethod
    def from_config(cls, config: TargetConfig, sleep: Callable[[float], None] = time.sleep) -> ExportTarget:
        """The target a ``kind = "export"`` table describes (``sleep`` is unused: a file write is not retried)."""
        folder = config.options["folder"]
        assert isinstance(folder, Path)
        return cls(
            config.name,
            folder,
            str(config.options["format"]),
            config.options.get("mapping"),
            correction_authorized=config.correction_authorized,
        )

    def holds(self, op: Op, ctx: SendContext) -> str | None:
        """Why the shift is not written yet: its date is not paid, or its correction not settled."""
        if op.action == "delete" or ctx.pay is None:
            return None
        if not op.correction:
            if ctx.pay.paid_by(op.worker_id, op.day) is None:
                first, last = ctx.period_of(op.day)
                return (
                    f"waits for the pay run of {first}..{last}: {self.name} exports what a pay run paid "
                    f"(`ot payrun --period {first}`)"
                )
            return None
        settled = ctx.pay.settled(op.worker_id, op.day)
        if settled is not None and settled.how == "open":
            return (
                f"correction {settled.correction_id} waits for the pay run that settles it: "
                f"{self.name} exports its lines with that run"
            )
        return None

    def check(self, op: Op, ctx: SendContext) -> tuple[str, str] | None:
        """Refused when the sync cannot read the pay runs (nothing could be exported)."""
        if ctx.pay is None and op.action != "delete":
            return (
                f"{self.name} exports pay runs, and this sync did not read them",
                "run `ot sync` (the export target is sent by the sync service)",
            )
        return None

    def send(self, ops: Sequence[Op], ctx: SendContext) -> Iterator[Outcome]:
        """Write the file of every run an op was paid (or corrected) by; each op succeeds with its file."""
        by_run: dict[str, list[Op]] = {}
        for op in ops:
            run = self._run_of(op, ctx)
            if op.action == "delete":
                yield Outcome(op.key, True)  # only paid dates are in a file, and those cannot be deleted
            elif run is None:
                yield Outcome(op.key, True, target_id=PAID_OUTSIDE)
            else:
                by_run.setdefault(run, []).append(op)
        assert ctx.pay is not None or not by_run
        for run, run_ops in sorted(by_run.items()):
            try:
                assert ctx.pay is not None
                target_id = self.write_run(ctx.pay.batch(run))
            except OtError as exc:
                for op in run_ops:
                    yield Outcome(
                        op.key,
                        False,
                        transient=False,
                        message=exc.message,
                        what_to_do=_what_to_do(exc, self.name, self.format_name),
                    )
                continue
            except OSError as exc:
                for op in run_ops:
                    yield Outcome(
                        op.key,
                        False,
                        transient=True,
                        message=f"cannot write the export of run {run} in {self.folder}: {exc.strerror or exc}",
                        what_to_do=f"make {self.folder} writable (or free disk space), then send again",
                    )
                continue
            for op in run_ops:
                yield Outcome(op.key, True, target_id=target_id)

    def _run_of(self, op: Op, ctx: SendContext) -> str | None:
        if ctx.pay is None or op.action == "delete":
            return None
        if not op.correction:
            return ctx.pay.paid_by(op.worker_id, op.day)
        settled = ctx.pay.settled(op.worker_id, op.day)
        if settled is None:  # a change that moved no money: the run that paid the date holds it
            return ctx.pay.paid_by(op.worker_id, op.day)
        return settled.run_id

    def run_folder(self, batch: Batch) -> Path:
        """The folder of one run's export."""
        run = batch.runs[-1].run_id
        if batch.period_start is None or batch.period_end is None:
            return self.folder / f"off-cycle_{run}"
        return self.folder / f"{batch.period_start.isoformat()}_{batch.period_end.isoformat()}_{run}"

    def write_run(self, batch: Batch) -> str:
        """Write one run's file and manifest (kept as they are when the bytes are the same);
        returns the file's path under the folder."""
        where = self.run_folder(batch)
        file_name = f"{self.format_name}.csv"
        rendered = render_batch(batch, self.format_name, load_mapping(self.format_name, self.mapping_path), file_name)
        path = where / file_name
        if not same_bytes(path, rendered.data):
            atomic_write(path, rendered.data)
        side = where / f"{file_name}.manifest.json"
        if not same_bytes(side, rendered.manifest):
            atomic_write(side, rendered.manifest)
        return f"{where.name}/{file_name}"


def _first_words(exc: OtError) -> str:
    first = exc.problems[0] if exc.problems else None
    return exc.message + (f" ({first})" if first else "")


def _what_to_do(exc: OtError, target: str, fmt: str) -> str:
    """What the export's refusal says to do, in the sync's words: a mapping is named in the sync config
    (``mapping = "FILE"``), not by ``--mapping`` (``ot export``'s), and a shipped mapping is copied,
    never edited in place; then ``ot sync --retry-errors`` sends the shifts again (a review)."""
    said = "; ".join(str(p) for p in exc.problems[:3]) or "see the message"
    shipped = DEFAULTS / f"{fmt}.toml"
    if f"{shipped} " in said:
        said = said.replace(f"{shipped} ", "").replace(", or give --mapping FILE", "")
        return (
            f"copy {shipped} beside the sync config and in the copy {said}; add mapping = "
            f'"{fmt}.toml" under [targets.{target}]; then `ot sync --retry-errors`'
        )
    said = said.replace("give --mapping FILE", f'name another with mapping = "FILE" under [targets.{target}]')
    return f"{said}; then `ot sync --retry-errors`"
