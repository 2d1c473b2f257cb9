"""A class on one search (nbtune.classroom): keras-tuner's service, leases, restarts, the token.

Three kinds of test:

- keras-tuner's private names that nbtune.classroom reaches through
  nbtune.training.compat are still there;
- in this process, without a network or training: the class's oracle
  (SharedOracle) driven by several students' OracleProposers with made-up
  scores, for every strategy, through a restarted chief and a student who
  dies holding a trial, gives the trials one process gives; leases, rejoining,
  late reports; the arguments refused before anything starts; the board;
- on loopback, in real processes (tests/classroom_worker.py, one Python each,
  started once: TensorFlow takes seconds to import): three students finish a
  Hyperband search with the trials, epochs and scores of one process, one of
  them SIGKILLed mid-trial; a chief SIGKILLed and started again (resume=True)
  loses and duplicates no trial; the token refuses strangers.

Nothing here asserts a duration: waits have generous deadlines that only
turn a hang into a failure.
"""

import contextlib
import hashlib
import inspect
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import grpc
import pandas as pd
import pytest
from classroom_worker import space as worker_space

import nbtune
from nbtune import Choice, Int, SearchSpace
from nbtune.classroom import board, chief, list_oracle, service, shared_oracle
from nbtune.classroom.shared_oracle import SharedOracle, as_caller
from nbtune.classroom.student import ClassProposer
from nbtune.display import SearchProgress
from nbtune.formatting import text_width
from nbtune.search import strategies
from nbtune.search.proposers import WAIT, OracleProposer
from nbtune.search.trial_loop import run_trials
from nbtune.training import compat

kt = pytest.importorskip("keras_tuner")

HERE = Path(__file__).parent
TOKEN = "test-token-1"
DEADLINE = 240  # seconds before a wait is a failure (never reached when all is well)


# --------------------------------------------------------------------------- private names
def test_keras_tuners_private_service_is_where_compat_looks():
    """Fails when a keras-tuner release moves what a class runs on."""
    service_names = compat.keras_tuner_service()
    for method in ("GetSpace", "UpdateSpace", "CreateTrial", "UpdateTrial", "EndTrial",
                   "GetTrial", "GetBestTrials"):
        assert callable(getattr(service_names.servicer, method)), method
    assert list(inspect.signature(service_names.servicer.__init__).parameters) == ["self", "oracle"]
    for message in ("CreateTrialRequest", "UpdateTrialRequest", "EndTrialRequest",
                    "GetTrialRequest", "GetBestTrialsRequest", "GetSpaceRequest"):
        assert hasattr(service_names.messages, message), message
    assert service_names.stub.__name__ == "OracleStub" and callable(service_names.add_servicer)
    hp = kt.HyperParameters()
    hp.Int("units", 4, 64)
    trial = service_names.trial(hp, trial_id="0007", status="RUNNING")
    assert service_names.trial.from_proto(trial.to_proto()).trial_id == "0007"
    assert service_names.trial.from_state(trial.get_state()).hyperparameters.values == {"units": 4}
    # the public attributes of an oracle SharedOracle reads and changes
    oracle = compat.in_memory_oracle(kt.oracles.HyperbandOracle)(
        objective=kt.Objective("score", "max"), max_epochs=3, factor=3, hyperparameters=hp, seed=1)
    oracle.create_trial("ann")
    assert set(oracle.ongoing_trials) == {"ann"} and list(oracle.trials) == ["0000"]
    assert oracle.end_order == [] and {"ongoing_trials", "end_order"} <= set(oracle.get_state())


# --------------------------------------------------------------------------- in this process
class Clock:
    """A clock the test moves: leases expire without waiting."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def wire(trial):
    """A trial as it arrives over gRPC: a copy, through keras-tuner's proto."""
    return compat.keras_tuner_service().trial.from_proto(trial.to_proto())


class Kernel:
    """A student's kernel in this process: the chief's calls as the service makes them (as the
    student, on copies of the trials); ``room.shared`` may be a restarted chief."""

    def __init__(self, room: SimpleNamespace, name: str) -> None:
        self.room, self.name = room, name

    def _as(self, method: str, *args):
        with as_caller(self.name):
            return getattr(self.room.shared, method)(*args)

    def create_trial(self, tuner_id):
        return wire(self._as("create_trial", tuner_id))

    def update_trial(self, trial_id, metrics, step=0):
        return wire(self._as("update_trial", trial_id, metrics, step))

    def end_trial(self, trial):
        self._as("end_trial", wire(trial))

    def get_trial(self, trial_id):
        return wire(self._as("get_trial", trial_id))

    def record(self, trial, record):
        self._as("record", trial, record)


SPACE = SearchSpace(Int("units", 4, 64), Choice("learning_rate", [1e-2, 1e-3, 1e-4]))
BUDGETS = {
    "grid": {"epochs": 2, "points": 3},
    "random": {"epochs": 2, "n_iter": 7},
    "hyperband": {"max_epochs": 9, "factor": 3},
    "bayesian": {"epochs": 2, "max_trials": 10},
    "successive_halving": {"max_epochs": 9, "factor": 3},
}


def made_up_score(params: dict, epochs) -> float:
    """A score for a configuration trained ``epochs``: distinct, the same in every process."""
    text = json.dumps([sorted(params.items()), epochs])
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16) / 16**12


class MadeUp:
    """An evaluator that trains nothing: made-up scores."""

    def __init__(self, epochs) -> None:
        self.epochs = epochs

    def session(self):
        return contextlib.nullcontext()

    def evaluate(self, proposal) -> dict:
        epochs = proposal.epochs or self.epochs
        return {"score": made_up_score(proposal.params, epochs), "status": "ok",
                "train_epochs": epochs, "epochs_spent": epochs - proposal.initial_epoch,
                "seconds": 0.0}


def trial_set(rows) -> list[tuple]:
    """What a search ran, whoever ran it and whatever its trials' numbers: sorted."""
    return sorted((*(r[n] for n in SPACE.names), r["train_epochs"], round(r["score"], 12))
                  for r in rows)


def one_process(name: str) -> list[dict]:
    budget = {**strategies.budget_defaults(), **BUDGETS[name]}
    proposer = strategies.get(name).proposer(SPACE, budget, 0)
    records, stopped = run_trials(name, proposer, MadeUp(budget["epochs"]),
                                  progress=SearchProgress(enabled=False))
    assert stopped is None
    return records


def a_class(name: str, clock: Clock, state: dict | None = None) -> SharedOracle:
    budget = {**strategies.budget_defaults(), **BUDGETS[name]}
    oracle = list_oracle.oracle_for(strategies.get(name), SPACE, budget, 0)
    shared = SharedOracle(oracle, SPACE, lease=60, clock=clock)
    if state is not None:
        shared.load(json.loads(json.dumps(state)))  # as read back from the file
    return shared


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("name", strategies.names())
def test_a_class_runs_the_trials_one_process_runs_through_a_restart_and_a_lost_student(name):
    """Four students (two trials in flight, but one at a time for Bayesian optimisation,
    whose proposals depend on what has finished); after a few steps the chief is restarted
    from its saved state; later a student dies holding a trial, which another one finishes."""
    clock, students = Clock(), ["ann", "bob", "cy", "dee"]
    room = SimpleNamespace(shared=a_class(name, clock))
    kernels = {s: ClassProposer(OracleProposer(SPACE, Kernel(room, s), tuner_id=s), Kernel(room, s))
               for s in students}
    holding, done, dead, rng = {}, set(), set(), random.Random(1)
    epochs = {**strategies.budget_defaults(), **BUDGETS[name]}["epochs"]
    for step in range(5000):
        alive = [s for s in students if s not in done | dead]
        if not alive:
            break
        if name == "bayesian" and any(s in holding for s in alive):
            student = next(s for s in alive if s in holding)
        else:
            student = rng.choice(alive)
        if student in holding:
            proposal = holding.pop(student)
            outcome = MadeUp(epochs).evaluate(proposal)
            kernels[student].report(proposal, {"strategy": name, "trial": proposal.number,
                                               **proposal.params, **outcome})
        elif (proposal := kernels[student].propose()) is None:
            done.add(student)
        elif proposal is not WAIT:
            holding[student] = proposal
        if step == 6:  # the chief's kernel restarts: a new one resumes from the saved state
            room.shared = a_class(name, clock, room.shared.state())
        if step >= 12 and holding and not dead:  # a student's kernel dies holding a trial
            lost = next(iter(holding))
            dead.add(lost)
            del holding[lost]
            clock.now += 61  # past the lease; the others' heartbeats keep theirs
            for other in set(students) - dead:
                room.shared.beat(other)
    else:
        pytest.fail("the class did not finish")
    table = room.shared.table()
    assert dead and table["trial"].is_unique
    assert trial_set(table.to_dict("records")) == trial_set(one_process(name))
    assert room.shared.finished.is_set()


def test_a_silent_students_trial_goes_to_the_next_who_asks_and_a_late_report_is_ignored():
    clock = Clock()
    shared = a_class("hyperband", clock)
    with as_caller("ann"):
        ann = wire(shared.create_trial("ann"))
    clock.now = 30
    with as_caller("bob"):
        bob = wire(shared.create_trial("bob"))
    assert bob.trial_id != ann.trial_id  # within ann's lease: a trial of its own
    clock.now = 61  # ann silent since 0, past the 60 s lease
    shared.beat("bob")
    with as_caller("cy"):
        cy = wire(shared.create_trial("cy"))
    assert cy.trial_id == ann.trial_id  # the same trial id: no new trial
    assert shared.snapshot()["running"][-1] == {"trial": int(ann.trial_id), "student": "cy",
                                                "seconds": 0.0}
    for student, trial in (("cy", cy), ("ann", ann)):  # cy reports first; ann comes back late
        with as_caller(student):
            shared.update_trial(trial.trial_id, {"score": 0.5})
            trial.status = "COMPLETED"
            shared.end_trial(trial)
    table = shared.table()
    assert table["trial"].tolist() == [int(ann.trial_id)] and table["student"].tolist() == ["cy"]
    assert shared.late == 1


def test_a_student_who_joins_again_gets_their_unfinished_trial_back():
    clock = Clock()
    shared = a_class("hyperband", clock)
    with as_caller("ann"):
        anns = shared.create_trial("ann").trial_id
        assert shared.create_trial("ann").trial_id == anns  # a restarted kernel asks again
    with as_caller("bob"):
        bobs = shared.create_trial("bob").trial_id
    shared.leave("ann")  # Ctrl-C: the trials held go back to the queue at once
    shared.leave("bob")
    assert shared.snapshot()["queued"] == [int(anns), int(bobs)]
    with as_caller("bob"):
        assert shared.create_trial("bob").trial_id == bobs  # their own first, not the oldest
    with as_caller("ann"):
        assert shared.create_trial("ann").trial_id == anns
    clock.now = 61  # ann's kernel dies; bob's heartbeats go on
    shared.beat("bob")
    with as_caller("cy"):
        assert shared.create_trial("cy").trial_id == anns  # the next who asks gets it


def test_a_restarted_chief_carries_on_from_its_file_and_refuses_other_settings(tmp_path):
    settings = dict(max_epochs=3, address="127.0.0.1:0", token=TOKEN, directory=tmp_path,
                    show=False)
    room = nbtune.serve_class("hyperband", SPACE, **settings)
    host, port = room.address.rsplit(":", 1)
    client = service.ClassClient(host, int(port), "ann", TOKEN, patience=10)
    try:
        held = client.create_trial("ann").trial_id
    finally:
        client.close()
        room.stop(grace=0)
    saved = json.loads((tmp_path / "class" / "chief.json").read_text())
    assert saved["holders"] == {"ann": "ann"} and saved["token"] == TOKEN
    with pytest.raises(FileExistsError, match="already holds a class search: pass resume=True"):
        nbtune.serve_class("hyperband", SPACE, **settings)
    with pytest.raises(ValueError, match="served with a different budget, total; resume it"):
        nbtune.serve_class("hyperband", SPACE, resume=True, **{**settings, "max_epochs": 9})
    again = nbtune.serve_class("hyperband", SPACE, resume=True, **{**settings, "token": None})
    try:
        assert again.token == TOKEN  # the saved token: the join line stays the same
        with as_caller("ann"):
            assert again._shared.create_trial("ann").trial_id == held
    finally:
        again.stop(grace=0)
    fresh = nbtune.serve_class("hyperband", SPACE, overwrite=True, **settings)
    fresh.stop(grace=0)
    assert json.loads((tmp_path / "class" / "chief.json").read_text())["holders"] == {}


@pytest.mark.parametrize("call, message", [
    (lambda: nbtune.serve_class("grids", SPACE), "strategy='grids' is not allowed: a class runs "
                                                "one search; give one of"),
    (lambda: nbtune.serve_class(["grid"], SPACE), r"strategy=\['grid'\] is not allowed"),
    (lambda: nbtune.serve_class("grid", SPACE, address="8470"), "address='8470' is not allowed: "
                                                              "give 'host:port'"),
    (lambda: nbtune.serve_class("grid", SPACE, address="h:99999"), "address='h:99999'"),
    (lambda: nbtune.serve_class("grid", SPACE, token="a b"), "token='a b' is not allowed: give 4 "
                                                            "to 64 letters"),
    (lambda: nbtune.serve_class("grid", SPACE, lease=0), "lease=0 is not allowed: give a number "
                                                        "of seconds above 0"),
    (lambda: nbtune.serve_class("grid", SPACE, max_epochs=3), r"got \['max_epochs'\], which Grid "
                                                             "search does not read"),
    (lambda: nbtune.serve_class("grid", SPACE, scoring=len), "scoring=<built-in function len> is "
                                                            "not allowed in a class"),
    (lambda: nbtune.serve_class("grid", {"units": [4]}), "is not a SearchSpace"),
    (lambda: nbtune.serve_class("hyperband", SearchSpace(Int("epochs", 1, 3))), "'epochs' dimension"),
    (lambda: nbtune.join_class("localhost", "ann", None, [[0.0]], [0], token=TOKEN),
     "address='localhost' is not allowed"),
    (lambda: nbtune.join_class("127.0.0.1:1", "ann/bob", None, [[0.0]], [0], token=TOKEN),
     "name='ann/bob' is not allowed: give the name the board shows for you"),
    (lambda: nbtune.join_class("127.0.0.1:1", "ann", None, [[0.0]], [0]),
     "token=None is not allowed: copy the token from the join line"),
    (lambda: nbtune.join_class("127.0.0.1:1", "ann", None, [[0.0]], [0], token=TOKEN, patience=-1),
     "patience=-1 is not allowed"),
    (lambda: nbtune.join_class("127.0.0.1:1", "ann", None, [[0.0]], [0], token=TOKEN,
                               project_name="../elsewhere"), "project_name='../elsewhere' is not "
                                                             "allowed"),
])
def test_bad_input_is_refused_before_anything_starts(call, message):
    """Each names the argument, the value, what is allowed and the fix; nothing is served or
    joined (port 1 is never asked: the refusal comes first)."""
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_the_token_refuses_strangers_and_keras_tuners_own_client(monkeypatch):
    room = nbtune.serve_class("grid", SPACE, epochs=1, points=2, address="127.0.0.1:0",
                              token=TOKEN, directory=None, show=False)
    host, port = room.address.rsplit(":", 1)
    try:
        with pytest.raises(PermissionError, match="refused the join token 'wrong-1'"):
            nbtune.join_class(room.address, "eve", None, [[0.0], [1.0]], [0, 1], token="wrong-1")
        monkeypatch.setenv("KERASTUNER_ORACLE_IP", host)  # keras-tuner's client: no token at all
        monkeypatch.setenv("KERASTUNER_ORACLE_PORT", port)
        monkeypatch.setenv("KERASTUNER_TUNER_ID", "eve")
        from keras_tuner.src.distribute.oracle_client import OracleClient

        with pytest.raises(grpc.RpcError) as refused:
            OracleClient(oracle=None).create_trial("eve")
        assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
        assert room.snapshot()["students"] == [] and room._shared.oracle.trials == {}
        client = service.ClassClient(host, int(port), "ann", TOKEN, patience=10)
        assert client.create_trial("ann").trial_id == "0000"  # the class's own token is let in
        client.close()
    finally:
        room.stop()


def test_a_port_in_use_is_refused_with_the_fix():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match="the port is in use"):
            nbtune.serve_class("grid", SPACE, epochs=1, address=f"127.0.0.1:{port}",
                               directory=None, show=False)


def test_the_board_shows_students_trials_and_the_best_in_text_a_widget_and_korean():
    clock = Clock()
    shared = a_class("hyperband", clock)
    shared.settings.update(strategy="hyperband", total=23)
    for student in ("ann", "bob"):
        shared.join(student)
    with as_caller("ann"):
        trial = shared.create_trial("ann")
        shared.record(int(trial.trial_id), {"trial": 0, "units": 7, "learning_rate": 0.01,
                                            "score": 0.8125, "status": "ok"})
        shared.update_trial(trial.trial_id, {"score": 0.8125})
        trial.status = "COMPLETED"
        shared.end_trial(trial)
        shared.create_trial("ann")
    clock.now = 45  # bob silent past half the lease
    shared.beat("ann")
    view = board.Board(shared.snapshot, join_line="nbtune.join_class(...)")
    text = view.text()
    assert "Class search: Hyperband | 1 of 23 trials done, 1 running" in text
    assert "Best so far: 0.8125 (units=7, learning_rate=0.01), trial 0 by ann" in text
    assert "ann      training trial 1" in text and "bob      waiting (silent for 45 s)" in text
    widget = view.widget()
    assert "training trial 1" in widget.value
    view.close()
    with nbtune.language.speaking("ko"):
        korean = view.text()
    assert "하이퍼밴드" in korean and "시도 1" in korean
    # the table's columns line up in a terminal, where a Hangul character takes two columns
    table = korean.splitlines()[-3:]
    assert table[0].startswith("학생")
    starts = [text_width(line[:line.index(word)]) for line, word in
              zip(table, ("상태", "시도 1", "기다리는 중"))]
    assert starts == [starts[0]] * 3, korean


# --------------------------------------------------------------------------- real processes
def start(args: list[str], log: Path, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": f"{HERE.parent}{os.pathsep}{HERE}"}
    return subprocess.Popen([sys.executable, "-u", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=open(log, "w"), text=True, env=env,
                            cwd=log.parent, **kwargs)


def answer(process: subprocess.Popen) -> dict:
    line = process.stdout.readline()
    assert line, f"the process ended (exit code {process.poll()}); see its log"
    return json.loads(line)


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    """Four students' kernels (one Python each), each imported TensorFlow once."""
    folder = tmp_path_factory.mktemp("kernels")
    kernels = [start([str(HERE / "classroom_worker.py")], folder / f"worker{i}.log")
               for i in range(4)]
    try:
        assert [answer(k) for k in kernels] == [{"ready": True}] * 4
        yield kernels
    finally:
        for kernel in kernels:
            kernel.kill()
            kernel.wait()


@pytest.fixture(scope="module")
def one_process_runs():
    """The Hyperband searches of the class tests, in one process."""
    import warnings

    from classroom_worker import build

    cancer = nbtune.data.load_breast_cancer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nbtune.space.EdgeWarning)  # the students' too
        return {iterations: nbtune.hyperband(build, worker_space(), *cancer.train, max_epochs=3,
                                             hyperband_iterations=iterations, progress=False,
                                             validation_data=cancer.validation).trials
                for iterations in (1, 2)}


def join(kernel: subprocess.Popen, address: str, name: str, **settings) -> None:
    kernel.stdin.write(json.dumps({"address": address, "name": name, "token": TOKEN,
                                   **settings}) + "\n")
    kernel.stdin.flush()


def until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"waited {DEADLINE} s for {what}"
        time.sleep(0.1)


COLUMNS = ["units", "learning_rate", "train_epochs", "score"]


def same_trials(table) -> list[tuple]:
    return sorted(map(tuple, table[COLUMNS].values.tolist()))


def test_three_students_finish_hyperband_with_one_processs_trials_though_one_is_killed(
        workers, one_process_runs):
    """The first student stalls inside its first trial and is SIGKILLed; two seconds of silence
    later its trial goes to another student, and the class ends with the trials, epochs and
    (bit-identical) scores of one process."""
    stalled, *others = workers[:3]
    room = nbtune.serve_class("hyperband", worker_space(), max_epochs=3,
                              address="127.0.0.1:0", token=TOKEN, lease=2, directory=None,
                              show=False)
    try:
        join(stalled, room.address, "stalled", stall=True)
        until(lambda: any(r["student"] == "stalled" for r in room.snapshot()["running"]),
              "the stalled student's first trial")
        lost = next(r["trial"] for r in room.snapshot()["running"] if r["student"] == "stalled")
        stalled.send_signal(signal.SIGKILL)
        for name, kernel in zip(("ann", "bob"), others):
            join(kernel, room.address, name)
        mine = [answer(kernel) for kernel in others]
        assert all("trials" in m for m in mine), mine
        assert room.wait(DEADLINE)
        table = room.trials
    finally:
        room.stop()
    assert table["trial"].is_unique
    assert same_trials(table) == same_trials(one_process_runs[1])
    assert table.set_index("trial").loc[lost, "student"] in ("ann", "bob")
    assert sorted(t["trial"] for m in mine for t in m["trials"]) == sorted(table["trial"])


def test_a_chief_killed_and_started_again_loses_and_duplicates_no_trial(
        workers, one_process_runs, tmp_path):
    students = [kernel for kernel in workers if kernel.poll() is None][:3]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = {"address": f"127.0.0.1:{port}", "token": TOKEN, "directory": str(tmp_path),
                "lease": 20, "max_epochs": 3, "hyperband_iterations": 2}
    state = tmp_path / "class" / "chief.json"
    first = start([str(HERE / "classroom_chief.py"), json.dumps(settings)], tmp_path / "chief1.log")
    second = None
    try:
        address = answer(first)["address"]
        for name, kernel in zip(("ann", "bob", "cy"), students):
            join(kernel, address, name, pause=0.5, patience=120,
                 directory=str(tmp_path / "students"))

        def midway() -> bool:
            with contextlib.suppress(OSError, ValueError):
                saved = json.loads(state.read_text())
                return len(saved["rows"]) >= 3 and bool(saved["holders"])
            return False

        until(midway, "three finished trials and one running")
        first.send_signal(signal.SIGKILL)
        first.wait()
        held = json.loads(state.read_text())["holders"]
        second = start([str(HERE / "classroom_chief.py"), json.dumps({**settings, "resume": True})],
                       tmp_path / "chief2.log")
        assert answer(second)["address"] == address
        mine = [answer(kernel) for kernel in students]
        assert all("trials" in m for m in mine), mine
        second.stdin.write("stop\n")
        second.stdin.flush()
        assert second.wait(DEADLINE) == 0
    finally:
        for chief_process in (first, second):
            if chief_process is not None and chief_process.poll() is None:
                chief_process.kill()
                chief_process.wait()
    saved = json.loads(state.read_text())
    table = pd.DataFrame(saved["rows"])
    assert held and saved["finished"]
    assert table["trial"].is_unique and len(table) == len(one_process_runs[2])
    assert same_trials(table) == same_trials(one_process_runs[2])
    ran = sorted(t["trial"] for m in mine for t in m["trials"])
    assert ran == sorted(table["trial"])  # no student ran a trial another ran too


def test_the_join_line_and_module_names_a_student_copies_are_public():
    room = chief.serve_class("grid", SPACE, epochs=1, address="127.0.0.1:0", token=TOKEN,
                             directory=None, show=False)
    try:
        assert room.join_line.startswith(f'nbtune.join_class("{room.address}", "your name"')
        assert f'token="{TOKEN}"' in room.join_line and "No student has joined yet" in repr(room)
        assert nbtune.join_class is nbtune.classroom.join_class
        assert shared_oracle.CALLER.get() is None
    finally:
        room.stop()


def test_a_stopped_class_ends_a_students_search_at_its_next_call_without_an_error():
    """The heartbeat's answer tells the student's kernel the class is closing; once the server
    is gone, its next report ends its search (no wait for ``patience``, no ConnectionError)."""
    room = nbtune.serve_class("grid", SPACE, epochs=1, points=2, address="127.0.0.1:0",
                              token=TOKEN, directory=None, show=False)
    host, port = room.address.rsplit(":", 1)
    client = service.ClassClient(host, int(port), "ann", TOKEN, patience=30)
    try:
        proposer = ClassProposer(OracleProposer(SPACE, client, tuner_id="ann"), client)
        first = proposer.propose()
        room.stop(grace=0.5)
        assert client.beat()["closing"]
        assert room._stopped.wait(DEADLINE)
        proposer.report(first, {"strategy": "grid", "trial": first.number, **first.params,
                                "score": 0.5, "status": "ok"})
        assert proposer.stopped and proposer.propose() is None
    finally:
        client.close()
        room.stop(grace=0)


def test_the_class_result_draws_like_any_search(tmp_path):
    """room.result() is a SearchResult: nbtune's plots draw the class's trials."""
    import matplotlib

    matplotlib.use("Agg")
    clock = Clock()
    shared = a_class("hyperband", clock)
    shared.settings.update(strategy="hyperband")
    proposer = OracleProposer(SPACE, Kernel(SimpleNamespace(shared=shared), "ann"), tuner_id="ann")
    kernel = ClassProposer(proposer, Kernel(SimpleNamespace(shared=shared), "ann"))
    while (proposal := kernel.propose()) is not None:
        outcome = MadeUp(9).evaluate(proposal)
        kernel.report(proposal, {"strategy": "hyperband", "trial": proposal.number,
                                 **proposal.params, **outcome, "bracket": proposal.bracket,
                                 "round": proposal.round, "parent": proposal.parent})
    room = chief.Classroom(shared, server=None, address="127.0.0.1:1", token=TOKEN, folder=None)
    result = room.result()
    assert len(result.trials) == 23 and result.best_score == shared.snapshot()["best"]["score"]
    nbtune.plots.plot_best_so_far(result)
    nbtune.plots.plot_hyperband_rounds(result)
