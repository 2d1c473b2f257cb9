import numpy as np

from nbtune import ClearTrainingOutput


def test_clear_training_output_is_harmless_outside_a_notebook():
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("adam", "mse")
    callback = ClearTrainingOutput()
    model.fit(np.zeros((4, 3)), np.zeros(4), epochs=1, verbose=0, callbacks=[callback])
    assert callback.cleared == 0


def test_clear_training_output_clears_in_a_kernel(monkeypatch):
    import IPython.display

    from nbtune.training import callbacks

    cleared = []
    monkeypatch.setattr(callbacks, "in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "clear_output", lambda wait=False: cleared.append(wait))
    callback = ClearTrainingOutput(wait=True)
    callback.on_train_end()
    callback.on_train_end({"loss": 0.1})
    assert cleared == [True, True] and callback.cleared == 2


def test_clear_training_output_empties_the_cell_in_a_real_kernel():
    import nbformat
    from nbclient import NotebookClient

    code = (
        "import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\n"
        "import numpy as np, keras\n"
        "from nbtune import ClearTrainingOutput\n"
        "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n"
        "model.compile('adam', 'mse')\n"
        "callback = ClearTrainingOutput()\n"
        "print('before training')\n"
        "model.fit(np.zeros((8, 3)), np.zeros(8), epochs=2, verbose=2, callbacks=[callback])\n"
        "print('cleared', callback.cleared)"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    text = "".join(o.get("text", "") for o in notebook.cells[0].outputs)
    assert "cleared 1" in text
    assert "before training" not in text and "Epoch 1/2" not in text
