"""``ot sync``: send approved hours to payroll targets; ``report``, ``send`` and ``refresh``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from ot.cli.app import Settings, main, pass_settings, refresh_roster_if_due
from ot.cli.output import echo_json, json_flag, json_option
from ot.cli.period_cmds import DATE
from ot.core.timez import iso_utc, utcnow
from ot.services import sync as service

CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Sync config (TOML). Default: <ledger name>.sync.toml beside the ledger.",
)


def _show_run(run: service.SyncRun, as_json: bool = False) -> None:
    if as_json:
        echo_json(
            {
                "dry_run": run.dry_run,
                "lines": run.lines,
                "counts": {r: run.count(r) for r in ("planned", "sent", "send", "error", "held")},
            }
        )
        return
    for ln in run.lines:
        head = f"{ln.target:<10} {ln.action:<7} {ln.shift_id:<8} {ln.description}"
        if ln.result == "held":
            if run.dry_run:
                click.echo(f"{head}  Send later: {ln.message}")
            continue
        if run.dry_run and ln.result == "planned":
            click.echo(head)
        elif ln.result == "sent":
            click.echo(f"{head}  Sent" + (f": {ln.message}" if ln.message else ""))  # by another sync meanwhile
        else:
            word = "Error" if ln.result == "error" else "Send"
            click.echo(f"{head}  {word}: {ln.message}")
            if ln.what_to_do:
                click.echo(f"{'':<10} {'':<7} {'':<8} what to do: {ln.what_to_do}")
    if run.dry_run:
        click.echo(f"DRY RUN (nothing sent or written): {len(run.lines) - run.count('held')} planned", err=True)
    else:
        click.echo(run.summary(), err=True)
    reasons = sorted({ln.message for ln in run.lines if ln.result == "held"})
    if reasons:
        more = f" (and {len(reasons) - 1} more reasons)" if len(reasons) > 1 else ""
        click.echo(f"held: {reasons[0]}{more}", err=True)


@main.group("sync", invoke_without_command=True)
@click.option("--target", "target_name", help="Only this target (a [targets.NAME] of the config).")
@click.option("--dry-run", is_flag=True, help="Print the plan (create/update/delete per shift); send nothing.")
@click.option(
    "--retry-errors",
    is_flag=True,
    help="Send the shifts in Error again too, once what they said is fixed (a mapping, a worker at the target).",
)
@CONFIG
@json_option
@click.pass_context
def sync_group(
    ctx: click.Context,
    target_name: str | None,
    dry_run: bool,
    retry_errors: bool,
    config_file: Path | None,
    as_json: bool,
) -> None:
    """Send approved shifts to the payroll targets (the outbox); see `ot sync report`. Exit status 1 when a
    shift ends in Error (each says what to do), so that a scheduled sync is seen to need a person."""
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    if ctx.invoked_subcommand != "refresh" and not dry_run:
        refresh_roster_if_due(settings)
    if ctx.invoked_subcommand is not None:
        return
    run = service.run_sync(
        settings.ledger_path,
        target_name=target_name,
        dry_run=dry_run,
        config_file=config_file,
        actor=settings.user,
        now=utcnow(),
        retry_errors=retry_errors,
    )
    _show_run(run, as_json)
    _exit_on_errors(run)


def _exit_on_errors(run: service.SyncRun) -> None:
    """Exit 1 when a shift (or a target) ended in Error: the run is done and recorded, but needs a person."""
    if not run.dry_run and run.count("error"):
        raise SystemExit(1)


@sync_group.command("send")
@click.argument("shift_id")
@click.option("--target", "target_name", help="Only this target.")
@CONFIG
@json_option
@pass_settings
def sync_send(
    settings: Settings, shift_id: str, target_name: str | None, config_file: Path | None, as_json: bool
) -> None:
    """Send one shift by hand (also retries one in Error). Exit status 1 when it ends in Error."""
    run = service.run_sync(
        settings.ledger_path,
        target_name=target_name,
        only=shift_id,
        config_file=config_file,
        actor=settings.user,
        now=utcnow(),
    )
    _show_run(run, as_json)
    _exit_on_errors(run)


@sync_group.command("report")
@click.option("--week", type=DATE, help="Only the workweek holding this date.")
@json_flag("JSON instead of text.")
@click.option("--all", "everything", is_flag=True, help="Every workweek ever synced, not only what needs attention.")
@CONFIG
@pass_settings
def sync_report(
    settings: Settings, week: date | None, as_json: bool, everything: bool, config_file: Path | None
) -> None:
    """The Hours Sync Report: workweeks that need attention first, then those sent in the last seven days;
    Sent / Send / Error per shift."""
    weeks = service.sync_report(
        settings.ledger_path,
        week=week,
        config_file=config_file,
        now=utcnow(),
        everything=everything,
        actor=settings.user,
    )
    if as_json:
        out = [
            {
                "week_start": w.week_start.isoformat(),
                "attention": w.attention,
                "shifts": [
                    {
                        "target": r.target,
                        "worker_id": r.worker_id,
                        "name": r.name,
                        "shift_id": r.shift_id,
                        "date": r.day.isoformat(),
                        "shift": r.description,
                        "status": r.status,
                        "sent_at": iso_utc(r.sent_at) if r.sent_at else None,
                        "target_id": r.target_id,
                        "detail": r.detail,
                        "what_to_do": r.what_to_do,
                    }
                    for r in w.rows
                ],
            }
            for w in weeks
        ]
        click.echo(json.dumps(out, indent=2))
        return
    if not weeks:
        click.echo("nothing to sync yet: approve shifts first (`ot approve shifts`)")
        return
    for w in weeks:
        flag = "" if w.attention == "Sent" else f"  needs attention ({w.attention})"
        click.echo(f"week of {w.week_start}{flag}")
        for r in w.rows:
            status = r.status
            if r.status == "Sent" and r.sent_at is not None:
                status = f"Sent {r.sent_at:%Y-%m-%d %H:%M}Z"
            click.echo(f"  {r.worker_id:<6} {r.name:<18} {r.shift_id:<8} {r.day} {r.target:<10} {status}")
            if r.status != "Sent":
                click.echo(f"         {r.detail}")
                if r.what_to_do:
                    click.echo(f"         what to do: {r.what_to_do}")


@sync_group.command("refresh")
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A workers file (canonical layout). Default: [roster] workers_file of the config.",
)
@CONFIG
@json_option
@pass_settings
def sync_refresh(settings: Settings, source: Path | None, config_file: Path | None, as_json: bool) -> None:
    """Pull roster changes (workers, managers, admins, pay rates) now."""
    result = service.refresh_roster(
        settings.ledger_path, config_file=config_file, source=source, actor=settings.user, now=utcnow()
    )
    if as_json:
        echo_json(result)
        return
    added = ", ".join(f"{n} {k}" for k, n in sorted(result.added.items())) or "no changes"
    click.echo(f"roster refreshed from {result.source}: {added}")
