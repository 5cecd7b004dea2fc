"""``ot ledger log|verify|rebuild`` and ``ot punch``: parse options, call the services, print."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import click
from click_default_group import DefaultGroup

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import echo_json, json_flag, json_option, jsonable
from ot.cli.params import WholeNumber
from ot.core.errors import OtError, Problem
from ot.core.timez import TimeError, parse_date, utcnow
from ot.services import ledger as ledger_service
from ot.services import punch as punch_service


def _date_option(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except TimeError as exc:
        raise OtError(f"{flag} is not a date", [Problem(flag, str(exc))]) from None


@main.group()
def ledger() -> None:
    """The append-only ledger: list its events, verify its hash chain, rebuild derived tables."""


@ledger.command("log")
@click.option("--worker", "worker_id", help="Only events about this worker id.")
@click.option("--kind", help="Only this kind (punch.recorded), or a family (worker, worker.).")
@click.option("--since", help="Only events recorded on or after this date (YYYY-MM-DD, UTC).")
@click.option("--until", help="Only events recorded on or before this date (YYYY-MM-DD, UTC).")
@click.option("--limit", type=WholeNumber(), help="Only the last N events that match.")
@json_flag("Print a JSON array (PIN hashes hidden, keys sorted).")
@pass_settings
def log_cmd(
    settings: Settings,
    worker_id: str | None,
    kind: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List events, oldest first: seq, when recorded, by whom, kind, and a summary."""
    lines = ledger_service.log(
        settings.ledger_path,
        worker_id=worker_id,
        kind=kind,
        since=_date_option(since, "--since"),
        until=_date_option(until, "--until"),
        limit=limit,
    )
    if as_json:
        echo_json([line.to_json() for line in lines])
        return
    if not lines:
        click.echo("no events match", err=True)
        return
    width = max(len(line.actor) for line in lines)
    for line in lines:
        click.echo(f"{line.seq:>6}  {line.recorded_at}  {line.actor:<{width}}  {line.kind:<19}  {line.summary}")


@ledger.command("verify")
@click.option(
    "--checkpoint",
    "checkpoint",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A checkpoint file (`ot ledger checkpoint`): prove the ledger extends it.",
)
@click.option(
    "--full",
    is_flag=True,
    help="Re-read every event from the first, not only those after your last verified checkpoint.",
)
@json_option
@pass_settings
def verify_cmd(settings: Settings, checkpoint: Path | None, full: bool, as_json: bool) -> None:
    """Re-check the hash chain, the seals, the keys, the derived tables and the money; exit 1 naming the
    first bad event (with --json too). From your last verified checkpoint (`<ledger>.verified`, under
    an HMAC with a key of your keys folder), only the events after it are read; --full reads them all."""
    report = ledger_service.verify(settings.ledger_path, checkpoint, full=full)
    if as_json:
        echo_json(
            {
                "ok": report.ok,
                "first_bad_seq": report.first_bad_seq,
                "problems": report.problems,
                "events": report.events,
                "head": report.head,
                "from_seq": report.started,
                "notes": report.notes,
            }
        )
        if not report.ok:
            sys.exit(1)
        return
    for note in report.notes:
        click.echo(note, err=True)
    if report.ok:
        read = f" ({report.events} read after the checkpoint)" if report.started else ""
        click.echo(
            f"ledger verified: {report.last_seq if report.started else report.events} events{read}, head {report.head}"
        )
        return
    for problem in report.problems:
        click.echo(problem)
    where = f": first bad event {report.first_bad_seq}" if report.first_bad_seq is not None else ""
    click.echo(f"ledger NOT verified{where} ({report.events} events read)")
    sys.exit(1)


@ledger.command("checkpoint")
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@json_option
@pass_settings
def checkpoint_cmd(settings: Settings, out: Path, as_json: bool) -> None:
    """Write the ledger's head (sequence number and hash), sealed by your enrolled key, to a file to keep
    elsewhere; `ot ledger verify --checkpoint FILE` then catches a truncated or rewritten tail."""
    body = ledger_service.checkpoint(settings.ledger_path, out, actor=settings.user, now=utcnow())
    if as_json:
        echo_json({"file": out, "checkpoint": body})
        return
    click.echo(f"checkpoint of event {body['seq']} (hash {body['hash'][:16]}...) written to {out}")


@ledger.command("rebuild")
@json_option
@pass_settings
def rebuild_cmd(settings: Settings, as_json: bool) -> None:
    """Rebuild the derived tables (roster, locations, punches, shift entries) from the events."""
    count = ledger_service.rebuild(settings.ledger_path)
    if as_json:
        echo_json({"events": count})
        return
    click.echo(f"rebuilt the derived tables from {count} events")


PUNCH_CHOICES = ["in", "out", "break-start", "break-end", "break_start", "break_end"]


class _PunchGroup(DefaultGroup):
    """``ot punch in`` (the clock, the default) and ``ot punch add`` (by hand)."""


@main.group("punch", cls=_PunchGroup, default="clock", default_if_no_args=True)
def punch_group() -> None:
    """Record punches: at the clock by PIN (``ot punch in``, the PIN asked for), or by hand (``ot punch add``)."""


def _wait_saying_why(seconds: float) -> None:
    """The slow-down after wrong PINs, said first (a review: a silent wait of up to 30 s read as a freeze)."""
    click.echo(f"recent wrong PINs here: waiting {seconds:g} s before checking this one...", err=True)
    time.sleep(seconds)


def _punch_text(result: punch_service.PunchResult) -> str:
    when = result.local_time.strftime("%Y-%m-%d %H:%M %Z")
    what = result.kind.replace("_", "-")
    if result.break_type:
        what += f" ({result.break_type})"
    if result.rest:
        what += f" ({result.rest})"
    return f"{result.worker_id} {result.name}: {what} at {when} ({result.timezone}), location {result.location_id}"


@punch_group.command("clock")
@click.argument("kind", type=click.Choice(PUNCH_CHOICES, case_sensitive=False), metavar="in|out|break-start|break-end")
@click.option("--pin-stdin", is_flag=True, help="Read the PIN from standard input (one line) instead of asking for it.")
@click.option(
    "--at",
    "at",
    help="Local time at the work location (YYYY-MM-DDTHH:MM, 24-hour). Default: now. At most 5 minutes "
    "before now (a kiosk: 7 days, what it queued offline); an earlier punch is added with `ot punch add`.",
)
@click.option("--location", "location_id", help="Work location id, when not the worker's default.")
@click.option("--break-type", "break_type", help="Break type code on break-start. Default: DEFAULT_UNPAID.")
@click.option(
    "--attest",
    "rest",
    type=click.Choice(["rest-missed", "rest-taken"], case_sensitive=False),
    help="On out: the worker's answer about rest periods today (Cal. Lab. Code 226.7).",
)
@json_option
@pass_settings
def punch_cmd(
    settings: Settings,
    kind: str,
    pin_stdin: bool,
    at: str | None,
    location_id: str | None,
    break_type: str | None,
    rest: str | None,
    as_json: bool,
) -> None:
    """Record a punch for the worker the PIN belongs to (the default: ``ot punch in``, the PIN asked for,
    never on the command line where others could see it). At a kiosk: ``ot --as kiosk:NAME punch in``."""
    pin = sys.stdin.readline().strip() if pin_stdin else click.prompt("PIN", hide_input=True)
    result = punch_service.record_punch(
        settings.ledger_path,
        pin=pin,
        kind=kind,
        at=at,
        location_id=location_id,
        break_type=break_type,
        rest=rest,
        actor=settings.user,
        now=utcnow(),
        sleep=_wait_saying_why,
    )
    if as_json:
        echo_json(result)
        return
    text = _punch_text(result)
    if result.recorded:
        click.echo(f"recorded {text}")
    else:
        click.echo(f"already recorded: {text}")


@punch_group.command("add")
@click.option("--worker", "worker_id", required=True, help="Whose punch.")
@click.option(
    "--kind",
    required=True,
    type=click.Choice(PUNCH_CHOICES, case_sensitive=False),
    help="in, out, break-start or break-end.",
)
@click.option("--at", "at", required=True, help="Local time at the work location (YYYY-MM-DDTHH:MM, 24-hour).")
@click.option("--location", "location_id", help="Work location id, when not the worker's default.")
@click.option("--break-type", "break_type", help="Break type code on break-start. Default: DEFAULT_UNPAID.")
@click.option(
    "--attest",
    "rest",
    type=click.Choice(["rest-missed", "rest-taken"], case_sensitive=False),
    help="On out: the worker's answer about rest periods today (Cal. Lab. Code 226.7).",
)
@click.option("--reason", help="Why the punch is added (required).")
@click.option("--correction-authorized", is_flag=True, help="Allow a punch on a paid date (a correction; admins only).")
@click.option(
    "--correction-timeframe",
    "timeframe",
    type=click.Choice(["NEXT_PAYROLL_PAYMENT", "IMMEDIATELY", "EXTERNALLY_PAID"], case_sensitive=False),
    default="NEXT_PAYROLL_PAYMENT",
    show_default=True,
    help="How an underpayment is paid.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; write nothing.")
@json_option
@pass_settings
def punch_add_cmd(
    settings: Settings,
    worker_id: str,
    kind: str,
    at: str,
    location_id: str | None,
    break_type: str | None,
    rest: str | None,
    reason: str | None,
    correction_authorized: bool,
    timeframe: str,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Add a missing punch by hand (a manager of the worker, or an admin), so the shift pairs as worked."""
    added = punch_service.add_punch(
        settings.ledger_path,
        worker_id=worker_id,
        kind=kind,
        at=at,
        location_id=location_id,
        break_type=break_type,
        rest=rest,
        reason=reason,
        correction_authorized=correction_authorized,
        timeframe=timeframe,
        actor=settings.user,
        now=utcnow(),
        dry_run=dry_run,
    )
    if as_json:
        echo_json({**jsonable(added), "dry_run": dry_run})
        return
    head = "DRY RUN (nothing written): " if dry_run else ""
    what = "correction: " if added.correction else ""
    verb = "added" if added.punch.recorded else "already recorded"
    click.echo(f"{head}{what}{verb} {_punch_text(added.punch)}")
    for line in added.corrections:
        click.echo(line)
