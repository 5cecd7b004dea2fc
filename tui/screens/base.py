"""What every screen of the app stands on: typed access to the app, one way to call a
service off the UI thread, and the one ledger-change signal.

- ``self.ot_app`` is the running :class:`tui.app.OtApp` (its ledger path, user, clock).
- :meth:`OtScreen.call_service` runs a service call in a worker thread; its result comes
  back to a callback on the UI thread; an :class:`~ot.core.errors.OtError` becomes one error
  notification (and an optional ``failed`` callback; ``notify=False`` when that callback
  shows the error in place, in a panel or a dialog). A result of a worker cancelled by a
  newer one of its group is dropped.
- The app looks at the ledger every ``poll_seconds`` (one poller); when its stamp moves it
  posts :class:`LedgerChanged` to every screen. A screen overrides :meth:`ledger_moved`;
  a screen in the background gets the change when it comes back. A screen whose read is slow
  (the pay run's preview of thousands of workers) reads again through :meth:`OtScreen.read_on_move`:
  one read at a time, and one more when the ledger moved while it ran.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import on
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState, get_current_worker

from ot.core.errors import OtError

if TYPE_CHECKING:
    from tui.app import OtApp

__all__ = ["LedgerChanged", "OtModalScreen", "OtScreen", "ot_app_of"]

T = TypeVar("T")
R = TypeVar("R")

#: A ledger's stamp: (head sequence number, sync config mtime in ns); it moves with every change.
Stamp = tuple[int, int]


def ot_app_of(node: DOMNode) -> OtApp:
    """The running :class:`tui.app.OtApp` of ``node`` (typed)."""
    return cast("OtApp", node.app)


@dataclass
class LedgerChanged(Message):
    """Another process (or this app) changed the ledger or its sync config; ``stamp`` is the new one."""

    stamp: Stamp


@dataclass
class _ServiceDone(Message):
    callback: Callable[[Any], object]
    result: Any


@dataclass
class _ServiceFailed(Message):
    text: str
    title: str
    failed: Callable[[str], object] | None
    notify: bool = True


class _OtBase(Screen[T]):
    """The service-call helper shared by full screens and dialogs."""

    #: The notification title of a failed service call.
    ERROR_TITLE: ClassVar[str] = "ot"

    @property
    def ot_app(self) -> OtApp:
        """The running app (typed): its ledger path, user and clock."""
        return ot_app_of(self)

    def call_service(
        self,
        call: Callable[[], R],
        done: Callable[[R], object],
        *,
        group: str,
        exclusive: bool = True,
        failed: Callable[[str], object] | None = None,
        title: str | None = None,
        notify: bool = True,
    ) -> Worker[None]:
        """Run ``call`` in a worker thread of ``group``; ``done(result)`` then runs on the UI thread.

        An :class:`OtError` is shown as one error notification (its whole text), then
        ``failed(text)`` runs when given; with ``notify=False`` only ``failed(text)`` runs (it
        shows the text in place: a refusal in a panel, a problem in a dialog). With
        ``exclusive`` a new call of the group cancels the one before, whose result is then dropped.
        """
        if not notify and failed is None:
            raise ValueError("notify=False needs a failed callback that shows the error")

        def work() -> None:
            worker = get_current_worker()
            try:
                result = call()
            except OtError as error:
                if not worker.is_cancelled:
                    self.post_message(_ServiceFailed(error.render(), title or self.ERROR_TITLE, failed, notify))
                return
            if not worker.is_cancelled:
                self.post_message(_ServiceDone(done, result))

        return self.run_worker(work, thread=True, exclusive=exclusive, group=group, name=group)

    @on(_ServiceDone)
    def _service_done(self, message: _ServiceDone) -> None:
        message.stop()
        message.callback(message.result)

    @on(_ServiceFailed)
    def _service_failed(self, message: _ServiceFailed) -> None:
        message.stop()
        if message.notify:
            self.notify(message.text, title=message.title, severity="error", timeout=10)
        if message.failed is not None:
            message.failed(message.text)


class OtScreen(_OtBase[None]):
    """A full screen of the app (one per mode)."""

    #: The screen's name in the palette and in ``?``.
    TITLE_TEXT: ClassVar[str] = ""
    #: One line saying what the screen holds (the palette shows it with its commands).
    DESCRIPTION: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        self._missed: Stamp | None = None
        self._after_read: dict[str, Callable[[], object]] = {}

    def on_mount(self) -> None:
        self.ot_app.listen_ledger(self)

    @on(LedgerChanged)
    def _ledger_changed(self, message: LedgerChanged) -> None:
        if self.is_current:
            self.ledger_moved(message.stamp)
        else:
            self._missed = message.stamp

    def on_screen_resume(self) -> None:
        missed, self._missed = self._missed, None
        if missed is not None:
            self.ledger_moved(missed)

    def ledger_moved(self, stamp: Stamp) -> None:
        """The ledger (or its sync config) changed: read again what the screen shows."""

    def read_on_move(self, group: str, read: Callable[[], object]) -> None:
        """``read()`` (which starts a worker of ``group``) now, or, while a read of ``group`` is still
        running, once when it has ended. A thread cannot be stopped: without this, a ledger moving
        faster than a read ends (timeclocks punching every few seconds under a 2,000-worker pay
        run preview) started a read per move, each dropped by the next, the threads piling up on
        the same cores and the screen never showing one. Now the running read's result is shown
        and one more read follows it, however many moves came meanwhile."""
        if self._reading(group):
            self._after_read[group] = read
        else:
            read()

    def _reading(self, group: str) -> bool:
        return any(w.node is self and w.group == group and not w.is_finished for w in self.app.workers)

    @on(Worker.StateChanged)
    def _read_ended(self, message: Worker.StateChanged) -> None:
        group = message.worker.group
        ended = message.state in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED)
        if ended and group in self._after_read and not self._reading(group):
            self._after_read.pop(group)()


class OtModalScreen(ModalScreen[T], _OtBase[T]):
    """A dialog of the app."""


#: The footer group of a screen's previous/next pay period keys (``[`` ``]`` shown as one entry).
PERIODS = Binding.Group("Period", compact=True)


def period_bindings(screen: str, *, grouped: bool = True) -> list[Binding]:
    """``[`` and ``]``: the previous and next pay period (``period(-1)``/``period(1)``), with the ids
    ``SCREEN.prev_period`` and ``SCREEN.next_period`` the keymap and the palette use."""
    group = PERIODS if grouped else None
    return [
        Binding(
            "left_square_bracket",
            "period(-1)",
            "Prev period",
            key_display="[",
            group=group,
            tooltip="Previous pay period",
            id=f"{screen}.prev_period",
        ),
        Binding(
            "right_square_bracket",
            "period(1)",
            "Next period",
            key_display="]",
            group=group,
            tooltip="Next pay period",
            id=f"{screen}.next_period",
        ),
    ]
