"""``python -m nbtune``: see :mod:`nbtune.cli`."""

import sys

from nbtune.cli import main

sys.exit(main())
