"""``ot stub``: pay stub previews as text, HTML or PDF."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import jobs_option, json_flag
from ot.cli.period_cmds import DATE, today
from ot.core.errors import OtError, Problem
from ot.services import stubs as service
from ot.services.stubs import off_cycle_stub
from ot.stubs import FORMATS, render
from ot.stubs.build import DEFAULT_DISPLAY_POLICY, DISPLAY_POLICIES
from ot.stubs.model import PayStub


@main.command("stub")
@click.argument("worker", required=False)
@click.option("--all", "all_workers", is_flag=True, help="One stub per worker paid in the period (needs -o DIR).")
@click.option("--period", "period_date", type=DATE, default=None, help="A date in the pay period. Default: today.")
@click.option(
    "--off-cycle",
    "off_cycle",
    metavar="RUN_ID",
    default=None,
    help="The stub of an off-cycle payment (an underpayment paid IMMEDIATELY); ids in `ot audit corrections`.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text (80 columns), html (self-contained) or pdf.",
)
@click.option(
    "--display-rate",
    "display_policy",
    type=click.Choice(DISPLAY_POLICIES),
    default=None,
    help="What the Display rate column shows where no shift sets a display rate: none (blank), profile "
    "(the worker's profile rate) or regular_rate (the workweek's regular rate). Default: display_rate in "
    f"your config.toml, else {DEFAULT_DISPLAY_POLICY}. A stub already issued shows the display rates it was issued with.",
)
@json_flag("The stub(s) as JSON (money as decimal text), not --format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (a folder with --all). Default: standard output.",
)
@jobs_option
@pass_settings
def stub(
    settings: Settings,
    worker: str | None,
    all_workers: bool,
    period_date: date | None,
    off_cycle: str | None,
    fmt: str,
    display_policy: str | None,
    as_json: bool,
    output: Path | None,
    jobs: int | None,
) -> None:
    """Preview the pay stub of WORKER for the pay period containing --period.

    \b
    ot stub W1 --period 2026-11-02                 text on standard output
    ot stub W1 --period 2026-11-02 --format pdf -o w1.pdf
    ot stub --all --period 2026-11-02 --format html -o stubs/
    ot stub --off-cycle off-cycle-C24              an off-cycle payment's stub
    ot stub W1 --json                              the stub as JSON
    ot stub --all --json                           every stub of the period, one JSON document
    """
    day = period_date or today()
    if display_policy is None:
        from ot.services.user_config import display_rate_policy

        display_policy = display_rate_policy()
    if as_json and click.get_current_context().get_parameter_source("fmt") is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("give either --json or --format, not both")
    if off_cycle is not None:
        if worker is not None or all_workers:
            raise click.UsageError("--off-cycle RUN_ID names the stub alone: give no WORKER or --all")
        _emit(off_cycle_stub(settings.ledger_path, off_cycle), fmt, output, as_json)
        return
    if all_workers:
        if worker is not None:
            raise click.UsageError("give either WORKER or --all, not both")
        if as_json:
            batch = service.build_all(settings.ledger_path, day, display_policy=display_policy, jobs=jobs)
            _emit_json(service.batch_json(batch), output)
            return
        if output is None:
            raise click.UsageError("--all needs -o DIR: the folder to write one file per worker into")
        _write_all(settings, day, fmt, output, display_policy, jobs)
        return
    if worker is None:
        raise click.UsageError("give a WORKER id, or --all with -o DIR")
    made = service.build_stub(settings.ledger_path, worker, day, display_policy=display_policy)
    _emit(made, fmt, output, as_json)


def _emit_json(doc: object, output: Path | None) -> None:
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if output is not None:
        service.write_atomic(output, text.encode("utf-8"))
        click.echo(f"wrote {output}", err=True)
        return
    click.echo(text, nl=False)


def _emit(made: PayStub, fmt: str, output: Path | None, as_json: bool = False) -> None:
    if as_json:
        _emit_json(service.stub_json(made), output)
        return
    data = render(made, fmt)
    if output is not None:
        service.write_atomic(output, data)
        click.echo(f"wrote {output} ({made.worker_name}, {made.period.label()})", err=True)
        return
    if fmt == "pdf" and sys.stdout.isatty():
        raise OtError("the PDF was not written", [Problem("-o", "give -o FILE.pdf (a PDF is not for a terminal)")])
    click.echo(data, nl=False)


def _write_all(settings: Settings, day: date, fmt: str, out_dir: Path, display_policy: str, jobs: int | None) -> None:
    from ot.services.pool import default_jobs

    workers = default_jobs() if jobs is None else jobs
    service.prepare_dir(out_dir)
    batch = service.build_all(settings.ledger_path, day, display_policy=display_policy, jobs=workers)
    for note in batch.notes:
        click.echo(f"note: {note}", err=True)
    written: list[Path] = []
    with click.progressbar(length=len(batch.stubs), label=f"stubs {batch.period.label()}", file=sys.stderr) as bar:
        for path in service.write_batch(batch.stubs, out_dir, fmt, jobs=workers):
            written.append(path)
            bar.update(1)
    click.echo(f"wrote {len(written)} stub(s) to {out_dir}")
    if batch.unpaid:
        click.echo(f"no pay this period, no stub: {', '.join(batch.unpaid)}", err=True)
