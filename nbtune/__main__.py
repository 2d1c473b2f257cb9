"""``python -m nbtune``: see :mod:`nbtune.cli`."""

import signal
import sys

try:
    from nbtune.cli import main

    code = main()
    # the job is over and its exit code decided: a late Ctrl-C while Python and TensorFlow
    # shut down must not kill the process with another status (Python would reset its handler)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
except KeyboardInterrupt:  # Ctrl-C before main() could handle it (while modules load)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    print("stopped by Ctrl-C", file=sys.stderr)
    code = 130  # what a shell reports for a job Ctrl-C ended
sys.exit(code)
