"""A class on one search: the instructor serves one search, every student's kernel runs its trials.

The instructor's notebook calls :func:`serve_class`: the strategy's oracle
(keras-tuner's own for Hyperband and Bayesian optimisation, a list oracle for
grid and random search) is served with keras-tuner's gRPC service in the
background, and a live board shows the students, the trials running and done,
and the class's best so far. Each student's kernel calls :func:`join_class`
with the join line's address and token, their name, the lesson's build
function and data, and runs nbtune's own trial loop on the trials the class's
oracle gives it. Their trials go to their own run folder; the chief keeps the
one table of the class. A kernel that goes silent past the lease loses its
trial to the next student who asks; a restarted chief resumes from its saved
state; a student who joins again under the same name gets their unfinished
trial back.

The class needs one network that every student's kernel can reach the
instructor's kernel on: one JupyterHub, or one LAN (Binder and Colab kernels
can reach a public address but cannot be reached, so they can join a class
served elsewhere but cannot serve one). gRPC here has no encryption and no
authentication of its own: the server listens on the address chosen, and the
join token refuses every call that does not carry it.

The modules, one idea each: ``checks`` (the arguments), ``leases`` (who holds
which trial), ``list_oracle`` (every strategy as a keras-tuner oracle),
``state_file`` (the saved state, written atomically), ``shared_oracle`` (the
class's oracle: leases, table, state), ``service`` (gRPC: the server, the token,
the client), ``board`` (the live board), ``chief`` (:func:`serve_class`) and
``student`` (:func:`join_class`).

Examples
--------
>>> from nbtune import Choice, SearchSpace
>>> room = serve_class("random", SearchSpace(Choice("units", [4, 8, 16])), n_iter=2, epochs=1,
...                    address="127.0.0.1:0", directory=None, show=False)
>>> room.finished, len(room.trials)
(False, 0)
>>> room.stop()
"""

from nbtune.classroom.chief import Classroom, serve_class
from nbtune.classroom.student import join_class

__all__ = ["Classroom", "join_class", "serve_class"]
