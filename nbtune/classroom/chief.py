"""The instructor's side of a class on one search: serve it, show the board, stop it.

:func:`serve_class` makes the strategy's oracle
(:func:`nbtune.classroom.list_oracle.oracle_for`: keras-tuner's own for
Hyperband and Bayesian optimisation, a list oracle for grid and random search),
shares it (:class:`~nbtune.classroom.shared_oracle.SharedOracle`: leases, the
class's table, the saved state) and serves it with keras-tuner's gRPC service
(:func:`nbtune.classroom.service.serve`) in the background: the call returns at
once and the notebook stays free. The :class:`Classroom` it returns shows the
join line and the live board (:class:`~nbtune.classroom.board.Board`), holds the
class's table and stops the server.

The state is saved in ``directory/project_name/chief.json`` after every change;
``serve_class(..., resume=True)`` with the same arguments carries on after a
restarted kernel, with the same token, and no trial runs twice.

Examples
--------
>>> from nbtune import Int, SearchSpace
>>> room = serve_class("hyperband", SearchSpace(Int("units", 4, 64)), max_epochs=3,
...                    address="127.0.0.1:0", token="doc-1234", directory=None, show=False)
>>> room.join_line
'nbtune.join_class("127.0.0.1:...", "your name", build_model, X, y, token="doc-1234")'
>>> print(room.board)
Class search: Hyperband | 0 of 6 trials done
No trial has finished yet
Join with: nbtune.join_class("127.0.0.1:...", "your name", build_model, X, y, token="doc-1234")
No student has joined yet
>>> room.stop()
"""

from __future__ import annotations

import contextlib
import socket
import threading
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from nbtune.arguments import check_flag, check_whole
from nbtune.classroom.board import Board
from nbtune.classroom.checks import check_address, check_seconds, check_strategy, check_token
from nbtune.classroom.list_oracle import oracle_for
from nbtune.classroom.service import serve, target
from nbtune.classroom.shared_oracle import SharedOracle
from nbtune.classroom.state_file import read_state, write_atomically
from nbtune.display import in_notebook
from nbtune.formatting import to_python
from nbtune.language import gettext as _
from nbtune.search import strategies
from nbtune.search.checks import check_random_state, check_scoring, check_validation_split
from nbtune.search.pipeline import check_plan
from nbtune.search.results import SearchResult
from nbtune.search.runlog import check_run_folder
from nbtune.space import SearchSpace

_FORMAT = 1
STATE_FILE = "chief.json"
_SERVED: dict[str, Classroom] = {}  # address -> the class this kernel serves there


class Classroom:
    """A class search being served: its join line, its board, its table; ``stop()`` ends it.

    Made by :func:`serve_class`. In a notebook it shows itself as the board
    (refreshing every second); ``print(room)`` gives the same as text.

    Attributes
    ----------
    address : str
        The ``host:port`` students join.
    token : str
        The join token.
    board : Board
    folder : pathlib.Path or None
        Where the class's state is saved.
    """

    def __init__(self, shared: SharedOracle, server: Any, *, address: str, token: str,
                 folder: Path | None) -> None:
        self._shared, self._server = shared, server
        self.address, self.token, self.folder = address, token, folder
        self.board = Board(shared.snapshot, join_line=self.join_line)
        self._served_at = address  # the address listened on (serve_class sets it)
        self._stopped = threading.Event()  # set once the server has stopped

    @property
    def join_line(self) -> str:
        """The line a student runs to join (their name, build function and data in it)."""
        return (f'nbtune.join_class("{self.address}", "your name", build_model, X, y, '
                f'token="{self.token}")')

    @property
    def trials(self) -> pd.DataFrame:
        """The class's table: every finished trial with the student who ran it."""
        return self._shared.table()

    @property
    def finished(self) -> bool:
        """True once the strategy has nothing left to propose and every trial has ended."""
        return self._shared.finished.is_set()

    def snapshot(self) -> dict[str, Any]:
        """What the board shows, as a dict: students, trials running, done and queued, the best."""
        return self._shared.snapshot()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the search has finished (or ``timeout`` seconds); whether it has."""
        return self._shared.finished.wait(timeout)

    def result(self) -> SearchResult:
        """The class's trials as one :class:`~nbtune.SearchResult` (plots, ``best_params``...)."""
        table = self.trials
        settings = self._shared.settings
        return SearchResult(table.sort_values("trial").reset_index(drop=True),
                            param_names=list(self._shared.space.names), complete=self.finished,
                            scoring=settings.get("scoring"))

    def stop(self, grace: float | None = None) -> None:
        """Stop serving: from now on a student who asks is told the search is over.

        The server keeps answering for ``grace`` seconds, in the background (by
        default a heartbeat's interval and 2 s more: every student's kernel hears
        of it, and a trial that ends meanwhile is still recorded), then stops;
        ``grace=0`` stops it at once. The saved state stays:
        ``serve_class(..., resume=True)`` carries on.
        """
        self._shared.closing = True
        if grace is None:
            grace = self._shared.leases.seconds / 4 + 2
        _SERVED.pop(self._served_at, None)
        self.board.close()
        if grace <= 0:
            self._server.stop(None).wait()
            self._stopped.set()
            return
        timer = threading.Timer(grace, lambda: (self._server.stop(None).wait(), self._stopped.set()))
        timer.daemon = True
        timer.start()

    def __enter__(self) -> Classroom:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return self.board.text()

    def _ipython_display_(self) -> None:
        self.board._ipython_display_()


def serve_class(strategy: str, space: SearchSpace, *, address: str = "127.0.0.1:8470",
                token: str | None = None, lease: float = 60.0, directory: str | None = "runs",
                project_name: str = "class", resume: bool = False, overwrite: bool = False,
                cv: int = 3, batch_size: int = 32, validation_split: float = 0.2,
                scoring: str | None = None, random_state: int | None = 0,
                allow_large: bool = False, show: bool = True, **budget: Any) -> Classroom:
    """Serve one search to a class: every student's kernel that joins runs its trials.

    Returns at once: the server runs in the background. In a notebook the
    returned :class:`Classroom` shows the join line and a live board.

    Parameters
    ----------
    strategy : str
        One of :func:`nbtune.search.strategies.names`: ``"grid"``, ``"random"``,
        ``"hyperband"``, ``"bayesian"``, ``"successive_halving"``.
    space : SearchSpace
    address : str, default "127.0.0.1:8470"
        Where to listen, ``host:port``: ``127.0.0.1`` for kernels on this machine
        only; on a JupyterHub or a LAN, this machine's address on that network
        (``hostname -I`` lists them). ``0.0.0.0`` listens on every interface,
        the internet's too if the machine has one: avoid it. Port 0 picks a free port.
    token : str, optional
        The join token every call must carry (4 to 64 letters, digits, ``-_.~``);
        by default a new random one. gRPC here has no other authentication.
    lease : float, default 60
        Seconds a student's kernel may be silent (it sends a heartbeat every
        quarter of this while it trains) before its trial goes back to the queue.
    directory, project_name : str, default "runs", "class"
        The class's state is saved in ``directory/project_name/chief.json``
        after every change; ``directory=None`` keeps none.
    resume : bool, default False
        Carry on the class saved there (same strategy, space and settings).
    overwrite : bool, default False
        Start over, replacing the class saved there.
    cv, batch_size, validation_split, scoring, random_state
        As in :func:`nbtune.grid_search` and :func:`nbtune.hyperband`; every
        student's kernel uses them. ``scoring`` is a scikit-learn scorer's name.
    allow_large : bool, default False
        As in :func:`nbtune.grid_search`.
    show : bool, default True
        Show the board (in a notebook) or print the join line (elsewhere).
    **budget
        The strategy's budget, as :func:`nbtune.compare` takes it: ``epochs``,
        ``points`` (grid), ``n_iter`` (random), ``max_epochs``, ``factor``,
        ``hyperband_iterations`` (Hyperband), ``max_trials`` (Bayesian)...

    Returns
    -------
    Classroom
    """
    name = check_strategy(strategy, strategies.names())
    entry = strategies.get(name)
    if not isinstance(space, SearchSpace):
        raise TypeError(_("space={value!r} is not a SearchSpace: build one with "
                          "SearchSpace(Int(...), Choice(...), ...)").format(value=space))
    unknown = sorted(set(budget) - set(entry.budget))
    if unknown:
        raise TypeError(_("serve_class() got {unknown}, which {strategy} does not read; its "
                          "budget arguments are {allowed}").format(
            unknown=unknown, strategy=entry.label, allowed=sorted(entry.budget)))
    for flag in ("resume", "overwrite", "allow_large", "show"):
        check_flag(flag, locals()[flag])
    settings = _settings(entry, space, {**strategies.budget_defaults(), **budget}, cv=cv,
                         batch_size=batch_size, validation_split=validation_split,
                         scoring=scoring, random_state=random_state)
    check_plan(entry, space, settings["budget"], allow_large=allow_large,
               folds=cv if entry.cross_validated else 1)
    lease = check_seconds("lease", lease, example="lease=60")
    host, port = check_address(address)
    token = None if token is None else check_token(token, new_if_none=True)
    path = None if directory is None else check_run_folder(directory, project_name) / STATE_FILE
    saved = _saved(path, settings, resume=resume, overwrite=overwrite)
    token = token or (saved or {}).get("token") or check_token(None, new_if_none=True)
    class_id = (saved or {}).get("class_id") or uuid.uuid4().hex[:6]
    oracle = oracle_for(entry, space, settings["budget"], random_state)
    shared = SharedOracle(oracle, space, lease=lease, settings={**settings, "class_id": class_id},
                          save=None if path is None else _saver(path, settings, token, class_id))
    if saved is not None:
        shared.load(saved)
    for served in list(_SERVED.values()):  # the cell run again: this kernel's class is replaced
        if (port and served._served_at == target(host, port)) or (
                path is not None and served.folder == path.parent):
            served.stop(grace=0)
    server, bound = serve(shared, host, port, token)
    shared.save()  # the state file exists from the start (once the address was free)
    room = Classroom(shared, server, address=target(_join_host(host), bound), token=token,
                     folder=None if path is None else path.parent)
    room._served_at = target(host, bound)
    _SERVED[room._served_at] = room
    if show:
        _show(room)
    return room


def _settings(entry: strategies.Strategy, space: SearchSpace, budget: Mapping[str, Any], *,
              cv: Any, batch_size: Any, validation_split: Any, scoring: Any,
              random_state: Any) -> dict[str, Any]:
    """What every student's kernel needs, checked; what a resumed class must match."""
    if isinstance(random_state, bool) or not (random_state is None or isinstance(random_state, int)):
        raise TypeError(_("random_state={value!r} is not allowed in a class: give a whole "
                          "number, e.g. random_state=0, or None").format(value=random_state))
    check_random_state(random_state)
    if not (scoring is None or isinstance(scoring, str)):
        raise TypeError(_("scoring={value!r} is not allowed in a class: every student's kernel "
                          "gets it by name; give a scikit-learn scorer's name, e.g. "
                          "scoring='accuracy', or None").format(value=scoring))
    check_scoring(scoring)
    check_validation_split(validation_split, None)
    plain = {k: to_python(budget[k]) for k in entry.budget}
    return {"strategy": entry.name, "space": space.to_dict(), "budget": plain,
            "cv": check_whole("cv", cv, minimum=2), "batch_size": check_whole("batch_size", batch_size),
            "validation_split": float(validation_split), "scoring": scoring,
            "random_state": random_state, "total": entry.plan(space, plain)[0]}


def _saved(path: Path | None, settings: dict[str, Any], *, resume: bool,
           overwrite: bool) -> dict[str, Any] | None:
    """The class saved in ``path`` when resuming (its settings must match); None for a new one."""
    exists = path is not None and path.exists()
    if resume and not exists:
        raise FileNotFoundError(_(
            "resume=True, but {path} holds no saved class; check directory= and project_name=, "
            "or serve a new class with resume=False").format(path=path))
    if not resume:
        if exists and not overwrite:
            raise FileExistsError(_(
                "{folder} already holds a class search: pass resume=True to carry it on, "
                "overwrite=True to start over, or another project_name").format(folder=path.parent))
        return None
    saved = read_state(path)
    different = sorted(k for k in settings if saved.get("settings", {}).get(k) != settings[k])
    if saved.get("format") != _FORMAT or different:
        raise ValueError(_(
            "the class saved in {path} was served with a different {names}; resume it with the "
            "same arguments, or pass overwrite=True (or another project_name) to start over"
        ).format(path=path, names=", ".join(different) or "format"))
    return saved


def _saver(path: Path, settings: dict[str, Any], token: str, class_id: str) -> Any:
    path.parent.mkdir(parents=True, exist_ok=True)

    def save(state: dict[str, Any]) -> None:
        write_atomically(path, {"format": _FORMAT, "settings": settings, "token": token,
                                "class_id": class_id, **state})

    return save


def _join_host(host: str) -> str:
    """The host students connect to: the one served, or this machine's address for 0.0.0.0."""
    if host not in ("0.0.0.0", "::"):
        return host
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))  # no packet is sent: picks the outgoing interface
        return probe.getsockname()[0]
    return socket.gethostname()


def _show(room: Classroom) -> None:
    if in_notebook():
        from IPython.display import display

        display(room)
    else:
        print(_("Join with:") + " " + room.join_line, flush=True)
