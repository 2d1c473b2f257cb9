"""The class's network: keras-tuner's gRPC oracle service, a join token, and a client.

The chief (:func:`serve`) runs keras-tuner's own ``OracleServicer`` (through
:func:`nbtune.training.compat.keras_tuner_service`) over a
:class:`~nbtune.classroom.shared_oracle.SharedOracle`, on a gRPC server of its
own: started in the background, so the notebook stays free (keras-tuner's
``start_server`` blocks and polls every 20 s). Beside it, a small JSON service,
``nbtune.Classroom``, carries what keras-tuner's has no call for: Join,
Heartbeat, Leave, Record (a student's own record of a trial) and Board.

gRPC here has no encryption and no authentication of its own. Two things keep
strangers out: the server listens on the one address the instructor chose
(``127.0.0.1`` for one machine, the class network's address otherwise), and
every call must carry the class's join token in its metadata
(:class:`TokenCheck`, a server interceptor: without it a call is refused
with UNAUTHENTICATED before it reaches the oracle). A token is not a password
over an untrusted network; keep the class on a JupyterHub or one LAN.

A student's kernel talks through :class:`ClassClient`: keras-tuner's
``OracleClient`` methods, written over keras-tuner's stubs, because
``OracleClient`` itself is unusable here: it reads the address and the tuner id
from process-wide environment variables (one kernel, one chief, one name), sends
no call metadata (so no token) and waits up to an hour for a chief that is gone.
The client sends the token and the student's name with every call, and retries
while the chief restarts, up to ``patience`` seconds.

Examples
--------
>>> from nbtune import Choice, SearchSpace
>>> from nbtune.search import strategies
>>> from nbtune.classroom.list_oracle import oracle_for
>>> from nbtune.classroom.shared_oracle import SharedOracle
>>> space = SearchSpace(Choice("units", [4, 8]))
>>> oracle = oracle_for(strategies.get("grid"), space, {"epochs": 1, "points": None}, 0)
>>> server, port = serve(SharedOracle(oracle, space, lease=60), "127.0.0.1", 0, "tok-1234")
>>> client = ClassClient("127.0.0.1", port, "ann", "tok-1234", patience=10)
>>> client.create_trial("ann").trial_id
'0000'
>>> stranger = ClassClient("127.0.0.1", port, "eve", "wrong", patience=10)
>>> stranger.create_trial("eve")
Traceback (most recent call last):
...
PermissionError: the class at 127.0.0.1:... refused the join token 'wrong': copy the token from the join line the instructor's notebook shows, and check the address
>>> client.close(); stranger.close(); _ = server.stop(None).wait()
"""

from __future__ import annotations

import functools
import hmac
import json
import time
from collections.abc import Callable
from concurrent import futures
from typing import Any

import grpc

from nbtune.backend import import_keras_tuner
from nbtune.classroom.shared_oracle import CALLER, SharedOracle, as_caller
from nbtune.language import gettext as _
from nbtune.training import compat

TOKEN_KEY = "nbtune-token"
STUDENT_KEY = "nbtune-student-bin"  # "-bin": the value is bytes, so any script's name fits
SERVICE = "nbtune.Classroom"
CALLS = ("Join", "Heartbeat", "Leave", "Record", "Board")
#: gRPC channel settings: reconnect within seconds once a restarted chief is back
_CHANNEL_OPTIONS = [("grpc.initial_reconnect_backoff_ms", 500),
                    ("grpc.min_reconnect_backoff_ms", 500),
                    ("grpc.max_reconnect_backoff_ms", 3000)]
_RETRIED = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)


def target(host: str, port: int) -> str:
    """``host:port`` as gRPC writes it (an IPv6 address in brackets).

    Examples
    --------
    >>> target("127.0.0.1", 8470), target("::1", 8470)
    ('127.0.0.1:8470', '[::1]:8470')
    """
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def serve(shared: SharedOracle, host: str, port: int, token: str, *,
          threads: int = 8) -> tuple[grpc.Server, int]:
    """Start the class's gRPC server in the background; return it and the port it listens on.

    Raises OSError when the address cannot be taken (in use, or not this machine's).
    """
    service = compat.keras_tuner_service()
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="nbtune-class"),
        interceptors=[TokenCheck(token)],
        # gRPC shares a port between servers by default (SO_REUSEPORT): two chiefs on one
        # address would each get some students. One class per address.
        options=[("grpc.so_reuseport", 0)])
    service.add_servicer(_servicer_class(service.servicer)(shared), server)
    server.add_generic_rpc_handlers([_class_calls(shared)])
    try:
        bound = server.add_insecure_port(target(host, port))
    except RuntimeError:  # newer grpcio raises where older ones returned 0
        bound = 0
    if not bound:
        raise OSError(_(
            "cannot serve the class at {address}: the port is in use (a class still served by "
            "another kernel? stop() it) or {host} is not an address of this machine; choose "
            "another port, or the address this machine has on the class's network "
            "(hostname -I lists them)").format(address=target(host, port), host=host))
    server.start()
    return server, bound


class TokenCheck(grpc.ServerInterceptor):
    """Refuse every call that does not carry the class's join token (UNAUTHENTICATED)."""

    def __init__(self, token: str) -> None:
        self._token = token.encode()

        def refuse(request: Any, context: grpc.ServicerContext) -> None:
            context.abort(grpc.StatusCode.UNAUTHENTICATED, "wrong or missing join token")

        self._refusal = grpc.unary_unary_rpc_method_handler(refuse)

    def intercept_service(self, continuation: Callable, details: Any) -> Any:
        given = dict(details.invocation_metadata or ()).get(TOKEN_KEY, "")
        given = given.encode() if isinstance(given, str) else given
        return continuation(details) if hmac.compare_digest(given, self._token) else self._refusal


def student_of(context: grpc.ServicerContext) -> str | None:
    """The student's name a call carries in its metadata, if any."""
    for key, value in context.invocation_metadata() or ():
        if key == STUDENT_KEY:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return None


@functools.cache
def _servicer_class(base: type) -> type:
    """keras-tuner's OracleServicer, each call made as the student its metadata names."""

    def as_student(method: Callable) -> Callable:
        @functools.wraps(method)
        def call(self: Any, request: Any, context: grpc.ServicerContext) -> Any:
            with as_caller(student_of(context)):
                return method(self, request, context)
        return call

    methods = {name: as_student(getattr(base, name)) for name in (
        "GetSpace", "UpdateSpace", "CreateTrial", "UpdateTrial", "EndTrial", "GetTrial",
        "GetBestTrials")}
    return type("ClassOracleServicer", (base,), methods)


def _dumps(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8")


def _loads(data: bytes) -> Any:
    return json.loads(data.decode("utf-8")) if data else {}  # gRPC reads None as a failure


def _class_calls(shared: SharedOracle) -> grpc.GenericRpcHandler:
    """The ``nbtune.Classroom`` service: JSON in, JSON out, as the student of the metadata."""

    def handler(method: Callable[[Any], Any]) -> grpc.RpcMethodHandler:
        def call(request: Any, context: grpc.ServicerContext) -> Any:
            student = student_of(context)
            if not student:
                context.abort(grpc.StatusCode.INVALID_ARGUMENT, "no student name in the metadata")
            with as_caller(student):
                answer = method(request)
            return {} if answer is None else answer  # gRPC reads None as a failure
        return grpc.unary_unary_rpc_method_handler(call, request_deserializer=_loads,
                                                   response_serializer=_dumps)

    return grpc.method_handlers_generic_handler(SERVICE, {
        "Join": handler(lambda request: shared.join(CALLER.get())),
        "Heartbeat": handler(lambda request: shared.beat(CALLER.get())),
        "Leave": handler(lambda request: shared.leave(CALLER.get())),
        "Record": handler(lambda request: shared.record(request["trial"], request["record"])),
        "Board": handler(lambda request: shared.snapshot()),
    })


class ClassStopped(ConnectionError):
    """The instructor stopped the class, and its server is gone."""


class ClassClient:
    """A student's end of the class: keras-tuner's oracle methods and the class's own calls.

    Parameters
    ----------
    host, port : str, int
        The chief's address.
    student : str
        The student's name, sent with every call (and their keras-tuner tuner id).
    token : str
        The class's join token, sent with every call.
    patience : float, default 300
        How long a call waits for a chief that does not answer (restarting,
        say) before it fails with ConnectionError.
    """

    def __init__(self, host: str, port: int, student: str, token: str, *,
                 patience: float = 300.0) -> None:
        service = compat.keras_tuner_service()
        self.address, self.student, self.patience = target(host, port), student, patience
        self._channel = grpc.insecure_channel(self.address, options=_CHANNEL_OPTIONS)
        self._stub, self._messages, self._trial = (service.stub(self._channel), service.messages,
                                                   service.trial)
        self._metadata = ((TOKEN_KEY, token), (STUDENT_KEY, student.encode("utf-8")))
        self._token = token
        self.closing = False  # the chief said (in a heartbeat's answer) the class is stopping
        self._calls = {name: self._channel.unary_unary(
            f"/{SERVICE}/{name}", request_serializer=_dumps, response_deserializer=_loads)
            for name in CALLS}

    def _call(self, rpc: Callable, request: Any, patience: float | None = None) -> Any:
        """One call, retried while the chief does not answer, up to ``patience`` seconds."""
        patience = self.patience if patience is None else patience
        deadline = time.monotonic() + patience
        while True:
            left = deadline - time.monotonic()
            try:
                # wait for a restarting chief to listen again; not for one that was stopped
                return rpc(request, metadata=self._metadata, timeout=max(0.5, min(30.0, left)),
                           wait_for_ready=not self.closing)
            except grpc.RpcError as error:
                code = error.code() if callable(getattr(error, "code", None)) else None
                if code == grpc.StatusCode.UNAUTHENTICATED:
                    raise PermissionError(_(
                        "the class at {address} refused the join token {token!r}: copy the token "
                        "from the join line the instructor's notebook shows, and check the "
                        "address").format(address=self.address, token=self._token)) from None
                if code not in _RETRIED:
                    raise
                if self.closing:
                    raise ClassStopped(_("the class at {address} was stopped by the instructor"
                                         ).format(address=self.address)) from None
                if time.monotonic() >= deadline:
                    raise ConnectionError(_(
                        "the class at {address} has not answered for {seconds:.0f} s: check the "
                        "address in the join line, and ask whether the class is still served "
                        "and reachable from this kernel (the same JupyterHub or network)"
                    ).format(address=self.address, seconds=patience)) from None
                time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))

    # keras-tuner's OracleClient methods (what OracleProposer calls)
    def create_trial(self, tuner_id: str) -> Any:
        """The trial the oracle gives ``tuner_id`` (RUNNING, IDLE or STOPPED)."""
        request = self._messages.CreateTrialRequest(tuner_id=tuner_id)
        return self._trial.from_proto(self._call(self._stub.CreateTrial, request).trial)

    def update_trial(self, trial_id: str, metrics: dict[str, float], step: int = 0) -> Any:
        """Report a trial's metrics."""
        request = self._messages.UpdateTrialRequest(trial_id=trial_id, metrics=metrics, step=step)
        return self._trial.from_proto(self._call(self._stub.UpdateTrial, request).trial)

    def end_trial(self, trial: Any) -> None:
        """Report that a trial ended (COMPLETED or FAILED)."""
        self._call(self._stub.EndTrial, self._messages.EndTrialRequest(trial=trial.to_proto()))

    def get_trial(self, trial_id: str) -> Any:
        """A trial by id (OracleProposer reads Hyperband's lineage with it)."""
        request = self._messages.GetTrialRequest(trial_id=trial_id)
        return self._trial.from_proto(self._call(self._stub.GetTrial, request).trial)

    def get_best_trials(self, num_trials: int = 1) -> list:
        """The best finished trials of the class."""
        request = self._messages.GetBestTrialsRequest(num_trials=num_trials)
        return [self._trial.from_proto(t) for t in self._call(self._stub.GetBestTrials, request).trials]

    def get_space(self) -> Any:
        """The class's keras-tuner HyperParameters."""
        response = self._call(self._stub.GetSpace, self._messages.GetSpaceRequest())
        return import_keras_tuner().HyperParameters.from_proto(response.hyperparameters)

    # the class's own calls
    def join(self, patience: float = 30.0) -> dict[str, Any]:
        """Join the class: its strategy, space, budget and settings."""
        return self._call(self._calls["Join"], {}, patience=min(patience, self.patience))

    def beat(self, patience: float = 5.0) -> dict[str, Any]:
        """A heartbeat: this student is alive. Notes whether the class is closing."""
        answer = self._call(self._calls["Heartbeat"], {}, patience=patience)
        self.closing = bool(answer.get("closing"))
        return answer

    def leave(self, patience: float = 5.0) -> None:
        """Leave the class: a trial held goes back to the queue at once."""
        self._call(self._calls["Leave"], {}, patience=patience)

    def record(self, trial: int, record: dict[str, Any]) -> None:
        """This student's record of trial ``trial``, for the class's table."""
        self._call(self._calls["Record"], {"trial": trial, "record": record})

    def board(self, patience: float = 10.0) -> dict[str, Any]:
        """What the class's board shows now."""
        return self._call(self._calls["Board"], {}, patience=patience)

    def close(self) -> None:
        """Close the connection."""
        self._channel.close()
