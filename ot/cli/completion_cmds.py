"""``ot completion bash|zsh|fish``: the shell completion script (click's own machinery)."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from ot.cli.app import main

#: The variable click's completion reads (``_{PROG}_COMPLETE`` for the program ``ot``).
COMPLETE_VAR = "_OT_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


@main.command("completion")
@click.argument("shell", type=click.Choice(SHELLS), metavar="bash|zsh|fish")
def completion(shell: str) -> None:
    """Print the completion script of SHELL for `ot` (commands, options, choices).

    \b
    bash:  eval "$(ot completion bash)"   (in ~/.bashrc)
    zsh:   eval "$(ot completion zsh)"    (in ~/.zshrc)
    fish:  ot completion fish > ~/.config/fish/completions/ot.fish
    """
    cls = get_completion_class(shell)
    assert cls is not None, shell  # click ships all three
    click.echo(cls(main, {}, "ot", COMPLETE_VAR).source())
