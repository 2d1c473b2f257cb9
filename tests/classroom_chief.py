"""An instructor's kernel for tests/test_classroom.py: serves one class until told to stop.

``python tests/classroom_chief.py '<json settings>'`` serves a Hyperband class of
tests/classroom_worker.py's space (``nbtune.serve_class`` with the settings as
keyword arguments), prints ``{"address": ...}`` once it listens, and stops when a
line arrives on standard input (or is killed: the test kills it with SIGKILL and
starts it again with ``resume=True``).
"""

from __future__ import annotations

import json
import sys

from nbtune.backend import quiet_tensorflow

quiet_tensorflow()

from classroom_worker import space  # noqa: E402

import nbtune  # noqa: E402


def main() -> None:
    settings = json.loads(sys.argv[1])
    room = nbtune.serve_class("hyperband", space(), show=False, **settings)
    print(json.dumps({"address": room.address}), flush=True)
    sys.stdin.readline()
    room.stop()


if __name__ == "__main__":
    main()
