"""nbtune.backend: quiet imports of TensorFlow, Keras and keras-tuner, and a clear error without them.

The subprocesses start with a student's environment: without the variables
that conftest sets for the test run (``quiet_tensorflow``), so what they print
is what a fresh ``python`` prints.
"""

import doctest
import os
import subprocess
import sys
import textwrap

import pytest

import nbtune.backend
from nbtune.backend import MISSING_TENSORFLOW, QUIET_ENVIRONMENT

# Makes `import tensorflow` fail as it does when TensorFlow is not installed,
# without uninstalling anything: a finder, first on sys.meta_path, that finds
# no "tensorflow" (nor any of its submodules).
HIDE_TENSORFLOW = textwrap.dedent("""
    import sys

    class NoTensorFlow:
        def find_spec(self, name, path=None, target=None):
            if name == "tensorflow" or name.startswith("tensorflow."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NoTensorFlow())
""")


def student_environment(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in QUIET_ENVIRONMENT}
    env.update(extra)
    return env


def python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=student_environment(**env), check=False)


def test_importing_the_backend_imports_no_tensorflow_and_sets_nothing():
    run = python("import os, sys, nbtune.backend\n"
                 "print(sorted(m for m in ('tensorflow', 'keras', 'keras_tuner') if m in sys.modules),"
                 " [n for n in ('TF_CPP_MIN_LOG_LEVEL', 'TF_ENABLE_ONEDNN_OPTS') if n in os.environ])")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[] []"


@pytest.mark.parametrize("function", ["import_tensorflow", "import_keras", "import_keras_tuner"])
def test_without_tensorflow_the_error_says_what_to_install(function):
    run = python(HIDE_TENSORFLOW + textwrap.dedent(f"""
        from nbtune import backend
        try:
            backend.{function}()
        except ImportError as error:
            print(type(error).__name__, error.name)
            print(error)
    """))
    assert run.returncode == 0, run.stderr
    kind, message = run.stdout.strip().split("\n", 1)
    assert kind == "ImportError tensorflow"
    assert message == MISSING_TENSORFLOW
    assert 'pip install "nbtune[tensorflow-cpu]"' in message
    assert 'pip install "nbtune[tensorflow]"' in message
    assert "Colab" in message and "already installed" in message


def test_without_tensorflow_the_first_public_name_that_needs_it_gives_the_same_error():
    run = python(HIDE_TENSORFLOW + "import nbtune\nnbtune.ClearTrainingOutput")
    assert run.returncode == 1
    assert MISSING_TENSORFLOW in run.stderr.splitlines()[-1]


def test_a_broken_import_that_is_not_a_missing_tensorflow_is_left_alone():
    run = python("import sys; sys.modules['keras_tuner'] = None\n"
                 "from nbtune import backend\n"
                 "try:\n    backend.import_keras_tuner()\n"
                 "except ImportError as error:\n    print(error)")
    assert run.returncode == 0, run.stderr
    assert "keras_tuner" in run.stdout and "nbtune needs TensorFlow" not in run.stdout


def test_quiet_tensorflow_sets_defaults_and_keeps_what_the_user_set():
    run = python("import os\nfrom nbtune.backend import quiet_tensorflow\nquiet_tensorflow()\n"
                 "print(os.environ['TF_CPP_MIN_LOG_LEVEL'], os.environ['TF_ENABLE_ONEDNN_OPTS'])",
                 TF_ENABLE_ONEDNN_OPTS="1")
    assert run.stdout.split() == ["3", "1"]


def test_keras_imported_through_the_backend_prints_nothing_on_stderr():
    loud = python("import keras")
    if "absl::InitializeLog" not in loud.stderr:
        pytest.skip("this TensorFlow prints no start-up lines here (oneDNN is off by default "
                    "on CPUs without AVX512/AMX features), so there is nothing to silence")
    quiet = python("from nbtune.backend import import_keras, import_keras_tuner\n"
                   "import_keras(); import_keras_tuner()\nimport tensorflow, keras")
    assert quiet.returncode == 0
    assert quiet.stderr == ""


def test_docstring_examples():
    outcome = doctest.testmod(nbtune.backend, optionflags=doctest.ELLIPSIS)
    assert outcome.attempted > 0 and outcome.failed == 0
