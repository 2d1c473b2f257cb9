"""A student's kernel in a class on one search: join by address and name, run the class's trials.

:func:`join_class` asks the chief (:func:`nbtune.classroom.chief.serve_class`)
what the class searches (strategy, space, budget, settings), then runs nbtune's
own search path (:func:`nbtune.search.pipeline.run`: the checks, the evaluator,
the trial loop, the run folder) with one difference: its trials come from the
class's oracle, asked under the student's name through keras-tuner's service
(:class:`~nbtune.search.proposers.OracleProposer` over
:class:`~nbtune.classroom.service.ClassClient`). The student's trials go to their
own run folder; the chief keeps the class's table. While the kernel is joined,
a heartbeat tells the chief it is alive, so the trial it trains stays its own.

Joining again under the same name carries on: the student's run folder is
resumed, and a trial they had not finished comes back to them.

Examples
--------
>>> import keras
>>> from nbtune import Choice, SearchSpace, data
>>> from nbtune.classroom import serve_class
>>> def build(units=4):
...     model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
...                               keras.layers.Dense(2, activation="softmax")])
...     model.compile("adam", "sparse_categorical_crossentropy")
...     return model
>>> cancer = data.load_breast_cancer()
>>> room = serve_class("grid", SearchSpace(Choice("units", [4, 8])), epochs=1, cv=2,
...                    address="127.0.0.1:0", token="doc-1234", directory=None, show=False)
>>> mine = join_class(room.address, "ann", build, *cancer.train, token="doc-1234",
...                   directory=None, progress=False)
>>> len(mine.trials), room.finished, room.trials["student"].tolist()
(2, True, ['ann', 'ann'])
>>> room.stop()
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import warnings
from collections.abc import Iterator
from typing import Any

from nbtune.arguments import check_flag
from nbtune.classroom.checks import check_address, check_name, check_seconds, check_token
from nbtune.classroom.service import ClassClient, ClassStopped
from nbtune.formatting import format_value
from nbtune.language import gettext as _
from nbtune.search import pipeline, strategies
from nbtune.search.checks import check_data, prepare
from nbtune.search.proposers import OracleProposer, Proposal
from nbtune.search.results import SearchResult
from nbtune.search.runlog import check_run_folder
from nbtune.space import SearchSpace
from nbtune.space.edges import EdgeWarning


def join_class(address: str, name: str, build_fn: Any, X: Any, y: Any, *, token: str | None = None,
               validation_data: tuple | None = None, task: str = "auto",
               directory: str | None = "runs", project_name: str | None = None,
               overwrite: bool = False, patience: float = 300.0,
               progress: Any = True) -> SearchResult:
    """Join the class served at ``address`` as ``name`` and run its trials until the search ends.

    Parameters
    ----------
    address : str
        ``"host:port"``, as the join line on the instructor's screen shows it.
    name : str
        How the board shows you: 1 to 40 letters, digits, spaces, ``-``, ``_``
        or ``.``. Join again under the same name to carry on (after a kernel
        restart, say): your unfinished trial comes back to you.
    build_fn : callable
        The function that builds the lesson's model, as in :func:`nbtune.grid_search`.
    X, y : array-like
        The lesson's training data: every student uses the same, so that the
        class's scores can be compared.
    token : str
        The join token of the join line.
    validation_data : (X_val, y_val), optional
        For Hyperband, Bayesian optimisation and successive halving: the data
        every trial is scored on (by default the class's ``validation_split``
        of X, y is held out, the same rows for everyone).
    task : {"auto", "classification", "regression"}, default "auto"
    directory : str or None, default "runs"
        Your trials go to the run folder ``directory/project_name``; None keeps none.
    project_name : str, optional
        By default ``class-<the class's id>-<name>``.
    overwrite : bool, default False
        Start your run folder over instead of carrying it on.
    patience : float, default 300
        Seconds to wait for a chief that does not answer (restarting) before
        giving up with ConnectionError.
    progress : bool or progress object, default True
        As in :func:`nbtune.grid_search`: your trials, one line.

    Returns
    -------
    SearchResult
        Your own trials (``nbtune.serve_class(...).result()`` has the class's).

    Raises
    ------
    PermissionError
        The class refused the token.
    ConnectionError
        The chief did not answer (a wrong address, or a class no longer served).
    """
    host, port = check_address(address)
    name = check_name(name)
    token = check_token(token, new_if_none=False)
    patience = check_seconds("patience", patience, example="patience=300")
    check_flag("overwrite", overwrite)
    check_data(X, y)  # before anything is asked of the chief
    if directory is not None:
        check_run_folder(directory, project_name or name)
    client = ClassClient(host, port, name, token, patience=patience)
    try:
        settings = client.join()
        with heartbeat(client, every=settings["lease"] / 4), warnings.catch_warnings():
            warnings.simplefilter("ignore", EdgeWarning)  # the class's best is on the board
            result = _run(client, settings, name, build_fn, X, y,
                          validation_data=validation_data, task=task, directory=directory,
                          project_name=project_name, overwrite=overwrite, progress=progress)
        if progress is True:
            _tell_the_class_best(client)
        return result
    finally:
        with contextlib.suppress(Exception):  # the trial held goes back to the queue at once
            client.leave()
        client.close()


def _run(client: ClassClient, settings: dict[str, Any], name: str, build_fn: Any, X: Any, y: Any,
         *, validation_data: Any, task: str, directory: Any, project_name: str | None,
         overwrite: bool, progress: Any) -> SearchResult:
    """The class's search in this kernel: nbtune's one search path with the class's proposer."""
    strategy = strategies.get(settings["strategy"])
    space = SearchSpace.from_dict(settings["space"])
    prepared = prepare(build_fn, space, X, y, task, strategy=strategy.name)
    proposer = ClassProposer(OracleProposer(space, client, tuner_id=name), client)
    in_class = dataclasses.replace(strategy, proposer=lambda *arguments: proposer)
    if project_name is None:
        project_name = f"class-{settings['class_id']}-{name}"
    resume = False
    if directory is not None:
        folder = check_run_folder(directory, project_name)
        resume = (folder / "run.json").exists() and not overwrite
    result = pipeline.run(
        in_class, prepared, settings["budget"], cv=settings["cv"],
        validation_data=validation_data, validation_split=settings["validation_split"],
        scoring=settings["scoring"], batch_size=settings["batch_size"],
        random_state=settings["random_state"], progress=progress, directory=directory,
        project_name=project_name, resume=resume, overwrite=overwrite and not resume,
        allow_large=True)  # the chief checked the plan
    if proposer.stopped:  # the instructor stopped the class before the search ended
        result.complete = False
    return result


def _tell_the_class_best(client: ClassClient) -> None:
    """Print the class's best trial so far, as the board shows it (nothing if it cannot)."""
    with contextlib.suppress(Exception):
        best = client.board(patience=5.0)["best"]
        params = ", ".join(f"{k}={format_value(v)}" for k, v in best["params"].items())
        print(_("The class's best so far: {score} ({params}), trial {trial} by {student}").format(
            score=f"{best['score']:.4f}", params=params, trial=best["trial"],
            student=best["student"]), flush=True)


class ClassProposer:
    """A student's proposer: the class's trials, and each trial's record sent to the chief.

    Wraps an :class:`~nbtune.search.proposers.OracleProposer` over the chief. It
    answers WAIT while the class waits (Hyperband's next round waits for trials
    other students are training), and the trial loop asks again after a short
    pause, reading Ctrl-C meanwhile. Each report also sends the trial's full
    record, which becomes its row in the class's table.

    Examples
    --------
    >>> class Chief:
    ...     def record(self, trial, record):
    ...         print("chief got trial", trial)
    >>> class Oracle:
    ...     def propose(self):
    ...         return Proposal(0, {"units": 4})
    ...     def report(self, proposal, record):
    ...         print("oracle heard", record["score"])
    >>> proposer = ClassProposer(Oracle(), Chief())
    >>> proposer.report(proposer.propose(), {"score": 0.9, "status": "ok"})
    chief got trial 0
    oracle heard 0.9
    """

    independent = False
    total = None  # the student runs part of the class's trials

    def __init__(self, proposer: Any, client: Any) -> None:
        self._proposer, self._client = proposer, client
        self.stopped = False  # the instructor stopped the class: the search ends here

    def propose(self) -> Any:
        """The class's next trial for this student, WAIT, or None when the search is over."""
        if self.stopped:
            return None
        try:
            return self._proposer.propose()
        except ClassStopped:
            self.stopped = True
            return None

    def report(self, proposal: Proposal, record: dict[str, Any]) -> None:
        """Send the record and the score; the trial stays in the run folder if the class stopped."""
        try:
            self._client.record(proposal.number, record)
            self._proposer.report(proposal, record)
        except ClassStopped:
            self.stopped = True


@contextlib.contextmanager
def heartbeat(client: Any, *, every: float) -> Iterator[None]:
    """Inside the block, a thread tells the chief every ``every`` seconds that this kernel lives.

    Examples
    --------
    >>> class Chief:
    ...     beats = 0
    ...     def beat(self, patience):
    ...         Chief.beats += 1
    >>> import time
    >>> with heartbeat(Chief(), every=0.01):
    ...     time.sleep(0.2)
    >>> Chief.beats > 0
    True
    """
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(every):
            with contextlib.suppress(Exception):  # a missed beat is what the lease allows for
                client.beat(patience=every)

    thread = threading.Thread(target=beat, name="nbtune-class-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=1.0)
