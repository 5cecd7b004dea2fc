"""``ot user init|enrol|list|revoke``: identities held, not claimed."""

from __future__ import annotations

import click

from ot.cli.app import Settings, main, pass_settings
from ot.cli.output import echo_json, json_option
from ot.core.timez import utcnow
from ot.services import users as service
from ot.services.keys import key_path


@main.group("user")
def user_group() -> None:
    """Keys that identify who writes: make one, enrol it in the ledger, list them, revoke one."""


@user_group.command("init")
@click.argument("user_id", metavar="USER")
@click.option("--passphrase", is_flag=True, help="Protect the key with a passphrase (asked for, twice).")
@json_option
def init_cmd(user_id: str, passphrase: bool, as_json: bool) -> None:
    """Make a key pair for USER in your own config folder; print the public key to give an admin."""
    secret = click.prompt("Passphrase", hide_input=True, confirmation_prompt=True) if passphrase else None
    key_id, public = service.make_key(user_id, secret)
    if as_json:
        echo_json({"user_id": user_id, "key_id": key_id, "public_key": public, "key_file": key_path(user_id)})
        return
    click.echo(f"made key {key_id} of {user_id} in {key_path(user_id)}")
    click.echo(f"public key: {public}")
    click.echo(f"an admin enrols it with: ot user enrol {user_id} --public-key {public}")


@user_group.command("enrol")
@click.argument("user_id", metavar="USER")
@click.option("--public-key", help="The public key `ot user init` printed.")
@click.option("--kiosk", is_flag=True, help="A punching station (USER is kiosk:NAME): it may only record PIN punches.")
@click.option("--bootstrap", is_flag=True, help="The first admin enrols their own key in a ledger with none yet.")
@json_option
@pass_settings
def enrol_cmd(
    settings: Settings, user_id: str, public_key: str | None, kiosk: bool, bootstrap: bool, as_json: bool
) -> None:
    """Enrol USER's public key in the ledger (an admin): from then on their writes are sealed with it."""
    result = service.enrol(
        settings.ledger_path,
        user_id,
        public_key=public_key,
        kiosk=kiosk,
        bootstrap=bootstrap,
        actor=settings.user,
        now=utcnow(),
    )
    if as_json:
        echo_json(result)
        return
    verb = "enrolled" if result.added else "already enrolled"
    click.echo(f"{verb} key {result.key_id} of {result.user_id} ({result.kind})")


@user_group.command("list")
@json_option
@pass_settings
def list_cmd(settings: Settings, as_json: bool) -> None:
    """Every enrolled key (who, role, revoked) and the keys you hold."""
    rows = service.list_users(settings.ledger_path)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no key enrolled or held: run `ot user init USER`, then `ot user enrol USER --bootstrap`")
        return
    for r in rows:
        state = "revoked" if r.revoked else ("enrolled" if r.enrolled else "not enrolled")
        held = ", held here" if r.held else ""
        click.echo(f"{r.user_id:<16} {r.key_id or '-':<17} {r.kind or '-':<7} {r.role or '-':<8} {state}{held}")


@user_group.command("revoke")
@click.argument("key_id", metavar="KEY_ID")
@click.option("--reason", required=True, help="Why (a lost laptop, someone left).")
@json_option
@pass_settings
def revoke_cmd(settings: Settings, key_id: str, reason: str, as_json: bool) -> None:
    """Revoke an enrolled key (an admin): it seals nothing from then on.

    The last key an admin acts with is kept: enrol another admin's key first."""
    user = service.revoke(settings.ledger_path, key_id, reason=reason, actor=settings.user, now=utcnow())
    if as_json:
        echo_json({"key_id": key_id, "user_id": user, "revoked": True})
        return
    click.echo(f"revoked key {key_id} of {user}")
