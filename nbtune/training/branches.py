"""Many configurations in one model: small dense networks trained side by side, vectorised.

A search's models are often the same small network with other numbers: another
width, dropout rate, activation, L2 strength, learning rate or seed. Trained one
after another, each pays TensorFlow's per-operation cost for every small matrix
product. :class:`Branches` stacks K such models into one: each layer's weights
become one tensor of shape ``(K, inputs, outputs)``, zero-padded to the widest
branch, and one batched matrix product runs every branch at once.

Each branch stays what it would be alone:

* **its own batches**: each branch draws its epoch's batch order from its own
  seed, as :mod:`nbtune.training.graph_fit` does (``(seed, epoch)``), and the
  branches' batches are gathered side by side;
* **its own gradient**: the loss minimised is the sum of the branches' losses,
  and no variable is shared, so each branch's gradient is its own loss's; the
  padded units are multiplied by zero after their activation, so they and their
  weights get a zero gradient and stay zero;
* **its own optimizer**: one Adam (or SGD) step for all branches whose step
  scales each branch's variables by that branch's learning rate, the same
  arithmetic as Keras's ``Adam.update_step`` (``tests/test_branches.py`` checks
  it against one Keras optimizer per branch);
* **its own dropout, activation and L2**, selected per branch.

:func:`read_dense` says whether a built Keras model can be a branch (a
``Sequential`` of ``Dense`` and ``Dropout`` layers, softmax output, sparse
categorical cross-entropy, Adam or SGD with Keras's defaults besides the
learning rate) and what it is; anything else trains alone. A branch starts from
its Keras model's initial weights, and :meth:`Branches.fit` writes the trained
weights back into each model, so scoring and predicting use the models as usual.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from nbtune.backend import import_keras
from nbtune.training import engine
from nbtune.training.graph_fit import batch_order

#: Memory a group of branches may take, in MB (:func:`most_branches` cuts groups to fit it).
BUDGET_MB = 256

#: Activations a branch may use, by Keras's name.
ACTIVATIONS = ("relu", "tanh", "sigmoid", "elu", "selu", "softplus", "linear")

# Keras's defaults that a branch's optimizer must keep (the arithmetic below is Keras's for them)
_ADAM_DEFAULTS = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False}
_COMMON_DEFAULTS = {"weight_decay": None, "clipnorm": None, "clipvalue": None,
                    "global_clipnorm": None, "use_ema": False, "loss_scale_factor": None,
                    "gradient_accumulation_steps": None}


@dataclasses.dataclass(frozen=True)
class Dense:
    """One branch read from its Keras model: what :class:`Branches` needs to train it."""

    widths: tuple[int, ...]       # inputs, hidden layers..., outputs
    activations: tuple[str, ...]  # one per hidden layer
    dropouts: tuple[float, ...]   # after each hidden layer (0: none)
    l2: tuple[float, ...]         # per layer, hidden and output (0: none)
    optimizer: str                # "adam" or "sgd"
    learning_rate: float

    @property
    def kind(self) -> tuple:
        """What branches trained together must share: depth, inputs, outputs, optimizer."""
        return (len(self.widths), self.widths[0], self.widths[-1], self.optimizer)


def read_dense(model: Any) -> Dense | str:
    """``model`` read as a :class:`Dense` branch, or why it cannot be one.

    Examples
    --------
    >>> from nbtune import lessons
    >>> read_dense(lessons.build_digits_model(units=16, learning_rate=0.01, dropout_rate=0.2))
    Dense(widths=(64, 16, 10), activations=('relu',), dropouts=(0.2,), l2=(0.0, 0.0), optimizer='adam', learning_rate=0.01)
    """
    keras = import_keras()
    if type(model) is not keras.Sequential:
        return f"a {type(model).__name__}, not a keras.Sequential"
    layers = _read_layers(model, keras)
    if isinstance(layers, str):
        return layers
    optimizer = _read_optimizer(model, keras)
    if isinstance(optimizer, str):
        return optimizer
    loss = _read_loss(model, keras)
    if loss is not None:
        return loss
    widths, activations, dropouts, l2 = layers
    return Dense(widths, activations, dropouts, l2, *optimizer)


def _read_layers(model: Any, keras: Any) -> tuple | str:
    widths = [int(model.inputs[0].shape[-1])] if len(model.inputs[0].shape) == 2 else None
    if widths is None:
        return "inputs that are not flat rows"
    activations, dropouts, l2 = [], [], []
    for layer in model.layers:
        if type(layer) is keras.layers.Dropout:
            if not dropouts or dropouts[-1] or layer.noise_shape is not None:
                return "a Dropout that is not one per hidden layer"
            dropouts[-1] = float(layer.rate)
            continue
        if type(layer) is not keras.layers.Dense or not layer.use_bias:
            return f"a {type(layer).__name__} layer"
        if layer.bias_regularizer or layer.activity_regularizer or layer.kernel_constraint \
                or layer.bias_constraint:
            return "a Dense layer with a bias regularizer or a constraint"
        strength = _l2_strength(layer.kernel_regularizer, keras)
        if strength is None:
            return "a kernel regularizer that is not L2"
        widths.append(int(layer.units))
        activations.append(keras.activations.serialize(layer.activation))
        dropouts.append(0.0)
        l2.append(strength)
    if len(widths) < 3 or activations[-1] != "softmax" or dropouts[-1]:
        return "no hidden layer, or an output that is not softmax"
    hidden = activations[:-1]
    if any(a not in ACTIVATIONS for a in hidden):
        return f"a hidden activation not in {ACTIVATIONS}"
    return tuple(widths), tuple(hidden), tuple(dropouts[:-1]), tuple(l2)


def _l2_strength(regularizer: Any, keras: Any) -> float | None:
    if regularizer is None:
        return 0.0
    if type(regularizer) is keras.regularizers.L2:
        return float(regularizer.l2)
    return None


def _read_optimizer(model: Any, keras: Any) -> tuple[str, float] | str:
    optimizer = model.optimizer
    kinds = {keras.optimizers.Adam: "adam", keras.optimizers.SGD: "sgd"}
    kind = kinds.get(type(optimizer))
    if kind is None:
        return f"a {type(optimizer).__name__} optimizer, not Adam or SGD"
    config = optimizer.get_config()
    defaults = {**_COMMON_DEFAULTS, **(_ADAM_DEFAULTS if kind == "adam" else
                                       {"momentum": 0.0, "nesterov": False})}
    changed = [name for name, value in defaults.items() if config.get(name, value) != value]
    if changed or not isinstance(config.get("learning_rate"), float):
        return f"an optimizer with {changed or 'a learning-rate schedule'}"
    # Keras keeps the rate in a float32 variable: read back as the number it was given
    return kind, float(str(np.float32(config["learning_rate"])))


def _read_loss(model: Any, keras: Any) -> str | None:
    loss = model.loss
    name = loss if isinstance(loss, str) else getattr(loss, "name", None)
    if name != "sparse_categorical_crossentropy" or getattr(loss, "from_logits", False):
        return f"the loss {loss!r}, not sparse categorical cross-entropy on probabilities"
    return None


def branch_bytes(widths: Sequence[int], rows: int, batch_size: int, val_rows: int) -> int:
    """About the memory one branch of this shape takes while it trains, in bytes.

    Its weights four times (the weights, their gradients, Adam's two slots), a
    batch's activations four times (forward, dropout masks, backward), its copy
    of the validation rows' activations, and its batch order (float32 and int32).

    Examples
    --------
    >>> branch_bytes((64, 256, 10), rows=1077, batch_size=32, val_rows=360)
    1431028
    """
    weights = sum(a * b + b for a, b in zip(widths[:-1], widths[1:]))
    batch = batch_size * sum(widths) * 4
    validation = val_rows * sum(widths) * 2
    return 4 * (4 * weights + batch + validation + rows)


def most_branches(widths: Sequence[int], rows: int, batch_size: int, val_rows: int,
                  budget_mb: float = BUDGET_MB) -> int:
    """How many branches of this shape fit in ``budget_mb`` (at least 1).

    Examples
    --------
    >>> most_branches((64, 256, 10), rows=1077, batch_size=32, val_rows=360)
    187
    """
    return max(1, int(budget_mb * 2**20 // branch_bytes(widths, rows, batch_size, val_rows)))


class Branches:
    """K dense networks of one kind, stacked into one model and trained in one graph call.

    Parameters
    ----------
    models : sequence of keras.Model
        Built, compiled, each readable by :func:`read_dense`, all of one
        :attr:`Dense.kind`. Their current weights are the branches' initial ones.
    programs : dict, optional
        Traced trainings of earlier :class:`Branches` of the same branches (a
        search's next fold): the one of these branches is reused, not traced
        again, and a new one is added.

    Examples
    --------
    >>> import numpy as np
    >>> from nbtune import data, lessons
    >>> digits = data.load_digits()
    >>> models = [lessons.build_digits_model(units=u, learning_rate=r)
    ...           for u, r in ((16, 1e-2), (32, 1e-3))]
    >>> histories = Branches(models).fit(*digits.train, epochs=2, batch_size=32, seeds=[0, 1])
    >>> [len(h["loss"]) for h in histories]
    [2, 2]
    """

    def __init__(self, models: Sequence[Any], *, programs: dict | None = None) -> None:
        self.models = list(models)
        self.programs = {} if programs is None else programs
        read = [read_dense(m) for m in self.models]
        refused = [(i, r) for i, r in enumerate(read) if isinstance(r, str)]
        if refused:
            raise ValueError(f"model {refused[0][0]} cannot be a branch: {refused[0][1]}")
        if len({r.kind for r in read}) != 1:
            raise ValueError("branches must share depth, inputs, outputs and optimizer: "
                             f"got {sorted({r.kind for r in read})}")
        self.branches: list[Dense] = read
        self.widths = [max(r.widths[i] for r in read) for i in range(len(read[0].widths))]

    # ---------------------------------------------------------------- stacking
    def stacked_weights(self) -> list[np.ndarray]:
        """Every layer's kernel and bias, stacked over the branches and zero-padded."""
        stacked = []
        for layer in range(len(self.widths) - 1):
            kernel = np.zeros((len(self.models), self.widths[layer], self.widths[layer + 1]),
                              "float32")
            bias = np.zeros((len(self.models), self.widths[layer + 1]), "float32")
            for k, model in enumerate(self.models):
                w, b = (v.numpy() for v in _dense_layers(model)[layer].weights)
                kernel[k, :w.shape[0], :w.shape[1]], bias[k, :b.shape[0]] = w, b
            stacked += [kernel, bias]
        return stacked

    def unit_masks(self) -> list[np.ndarray]:
        """Per hidden layer, ``(K, 1, width)``: 1 for a branch's own units, 0 for padding."""
        masks = []
        for layer in range(1, len(self.widths) - 1):
            mask = np.zeros((len(self.models), 1, self.widths[layer]), "float32")
            for k, branch in enumerate(self.branches):
                mask[k, :, :branch.widths[layer]] = 1.0
            masks.append(mask)
        return masks

    def write_back(self, stacked: Sequence[np.ndarray]) -> None:
        """Put each branch's trained weights into its Keras model."""
        for k, model in enumerate(self.models):
            for layer, dense in enumerate(_dense_layers(model)):
                kernel, bias = stacked[2 * layer][k], stacked[2 * layer + 1][k]
                w, b = dense.weights
                w.assign(kernel[:w.shape[0], :w.shape[1]])
                b.assign(bias[:b.shape[0]])

    # ---------------------------------------------------------------- training
    def fit(self, X: Any, y: Any, *, epochs: int, batch_size: int, seeds: Sequence[int],
            validation_data: tuple | None = None, dropout_seed: int = 0) -> list[dict]:
        """Train every branch ``epochs`` epochs; each branch's ``History.history``.

        Parameters
        ----------
        X, y : arrays
            Training rows and class indices, shared by the branches.
        epochs, batch_size : int
        seeds : sequence of int
            Each branch's batch-order seed (epoch ``e`` uses ``(seed, e)``).
        validation_data : (X_val, y_val), optional
            Scored after every epoch: ``val_loss`` and ``val_accuracy``.
        dropout_seed : int, default 0
            Seeds the dropout masks (:func:`dropout_masks`).

        Returns
        -------
        list of dict
            Per branch, ``loss`` and ``accuracy`` per epoch (and ``val_`` ones).
        """
        if len(seeds) != len(self.models):
            raise ValueError(f"seeds: give one per branch ({len(self.models)}), got {len(seeds)}")
        X, y = np.asarray(X, "float32"), np.asarray(y, "int32")
        X_val, y_val = (np.asarray(validation_data[0], "float32"),
                        np.asarray(validation_data[1], "int32")) if validation_data else (X[:0], y[:0])
        key = tuple(self.branches)  # the widths, masks and rates all follow from the branches
        if key not in self.programs:
            self.programs[key] = _Program(self)
        program = self.programs[key]
        # each new group traces its own program: expected, not the warning's "mistake"
        with engine.quiet_retracing():
            train, val = program.run(self.stacked_weights(), X, y, X_val, y_val, epochs,
                                     batch_size, np.asarray(seeds, "int64"), dropout_seed)
        self.write_back([v.numpy() for v in program.variables])
        return _histories(train.numpy(), val.numpy() if validation_data else None)


def _dense_layers(model: Any) -> list:
    keras = import_keras()
    return [layer for layer in model.layers if type(layer) is keras.layers.Dense]


def _histories(train: np.ndarray, val: np.ndarray | None) -> list[dict]:
    """``(epochs, K, 2)`` loss and accuracy rows as one ``History.history`` per branch."""
    histories = []
    for k in range(train.shape[1]):
        history = {"loss": train[:, k, 0].tolist(), "accuracy": train[:, k, 1].tolist()}
        if val is not None:
            history.update(val_loss=val[:, k, 0].tolist(), val_accuracy=val[:, k, 1].tolist())
        histories.append(history)
    return histories


def dropout_masks(seed: Any, step: Any, rates: Any, shape: Sequence[int]) -> Any:
    """The dropout masks of one training step: ``(K, rows, width)``, already scaled.

    A unit is kept where a uniform draw (stateless, seeded by ``(seed, step)``)
    is at least the branch's rate, and kept units are divided by ``1 - rate``,
    as Keras's ``Dropout`` does; a rate of 0 keeps everything.
    """
    import tensorflow as tf

    uniform = tf.random.stateless_uniform(shape, seed=tf.stack([tf.cast(seed, tf.int64),
                                                                tf.cast(step, tf.int64)]))
    rates = tf.reshape(tf.cast(rates, tf.float32), (-1, 1, 1))
    return tf.cast(uniform >= rates, tf.float32) / (1.0 - rates)


class _Program:
    """The traced training of one :class:`Branches` (kept small: the maths is in functions)."""

    def __init__(self, branches: Branches) -> None:
        import tensorflow as tf

        read = branches.branches
        self.masks = [tf.constant(m) for m in branches.unit_masks()]
        self.rates = [tf.constant([b.dropouts[i] for b in read], tf.float32)
                      for i in range(len(read[0].dropouts))]
        self.l2 = [tf.constant([b.l2[i] for b in read], tf.float32)
                   for i in range(len(read[0].l2))]
        self.learning_rates = tf.constant([b.learning_rate for b in read], tf.float32)
        self.activations = [[b.activations[i] for b in read] for i in range(len(read[0].activations))]
        self.optimizer = read[0].optimizer
        self.K = len(read)
        keras = import_keras()
        self.functions = {name: keras.activations.get(name)
                          for names in self.activations for name in names}
        # only the loops are converted by autograph; the maths has no Python control flow
        # on tensors, and converting it would try to convert its imports too
        plain = tf.autograph.experimental.do_not_convert
        self.plain_forward, self.plain_losses = plain(self.forward), plain(self.losses)
        self.plain_orders = plain(batch_orders)
        self.variables: list = []
        self.slots: list = []
        self.traced: Any = None

    def forward(self, weights: list, x: Any, training: bool, step: Any, dropout_seed: Any) -> Any:
        """Logits ``(K, rows, classes)`` of every branch for its rows ``x`` ``(K, rows, inputs)``."""
        import tensorflow as tf

        h = x
        hidden = len(self.masks)
        for layer in range(hidden + 1):
            z = tf.matmul(h, weights[2 * layer]) + weights[2 * layer + 1][:, None, :]
            if layer == hidden:
                return z
            h = activate(z, self.activations[layer], self.functions) * self.masks[layer]
            if training:
                h = h * dropout_masks(dropout_seed, step * 16 + layer, self.rates[layer],
                                      tf.shape(h))

    def losses(self, weights: list, logits: Any, y: Any) -> tuple[Any, Any]:
        """Each branch's loss (cross-entropy mean + its L2 terms) and its right answers."""
        import tensorflow as tf

        cross = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits), axis=1)
        penalty = tf.add_n([self.l2[i] * tf.reduce_sum(tf.square(weights[2 * i]), axis=[1, 2])
                            for i in range(len(self.l2))])
        right = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(logits, -1, output_type=tf.int32), y),
                                      tf.float32), axis=1)
        return cross + penalty, right

    def run(self, initial, X, y, X_val, y_val, epochs, batch_size, seeds, dropout_seed):
        """Train from the ``initial`` stacked weights; traced on the first run only (any rows)."""
        import tensorflow as tf

        if self.traced is None:
            self.variables = [tf.Variable(w) for w in initial]
            self.slots = [[tf.Variable(tf.zeros_like(v)) for v in self.variables] for _ in range(2)]
            step_fn = tf.autograph.experimental.do_not_convert(
                _adam_step if self.optimizer == "adam" else _sgd_step)
            features = X.shape[1]
            self.traced = tf.function(self._whole_fit(self.variables, self.slots, step_fn),
                                      input_signature=[
                tf.TensorSpec((None, features), tf.float32), tf.TensorSpec((None,), tf.int32),
                tf.TensorSpec((None, features), tf.float32), tf.TensorSpec((None,), tf.int32),
                tf.TensorSpec((), tf.int32), tf.TensorSpec((), tf.int32),
                tf.TensorSpec((self.K,), tf.int64), tf.TensorSpec((), tf.int64)])
        else:
            for variable, value in zip(self.variables, initial, strict=True):
                variable.assign(value)
            for slot in (v for kind in self.slots for v in kind):
                slot.assign(tf.zeros_like(slot))
        return self.traced(tf.constant(X), tf.constant(y), tf.constant(X_val), tf.constant(y_val),
                           tf.constant(int(epochs)), tf.constant(int(batch_size)),
                           tf.constant(seeds), tf.constant(int(dropout_seed), tf.int64))

    def _whole_fit(self, variables, slots, step_fn):
        import tensorflow as tf

        K = self.K

        def whole_fit(X, y, X_val, y_val, epochs, batch_size, seeds, dropout_seed):
            rows = tf.shape(X)[0]
            batches = (rows + batch_size - 1) // batch_size
            train = tf.TensorArray(tf.float32, size=epochs, element_shape=(K, 2))
            val = tf.TensorArray(tf.float32, size=epochs, element_shape=(K, 2))
            step = tf.constant(0)
            for epoch in tf.range(epochs):
                orders = self.plain_orders(rows, seeds, epoch)
                loss_sum, right_sum = tf.zeros((K,)), tf.zeros((K,))
                for b in tf.range(batches):
                    index = orders[:, b * batch_size:tf.minimum((b + 1) * batch_size, rows)]
                    xb, yb = tf.gather(X, index), tf.gather(y, index)
                    with tf.GradientTape() as tape:
                        logits = self.plain_forward(variables, xb, True, step, dropout_seed)
                        loss, right = self.plain_losses(variables, logits, yb)
                        total = tf.reduce_sum(loss)  # each branch's gradient is its own loss's
                    grads = tape.gradient(total, variables)
                    step += 1
                    step_fn(variables, grads, slots, self.learning_rates, step)
                    n = tf.cast(tf.shape(index)[1], tf.float32)
                    loss_sum, right_sum = loss_sum + loss * n, right_sum + right
                train = train.write(epoch, tf.stack([loss_sum, right_sum], 1) /
                                    tf.cast(rows, tf.float32))
                xv = tf.broadcast_to(X_val, tf.concat([[K], tf.shape(X_val)], 0))
                yv = tf.broadcast_to(y_val, tf.concat([[K], tf.shape(y_val)], 0))
                val_loss, val_right = self.plain_losses(variables, self.plain_forward(
                    variables, xv, False, step, dropout_seed), yv)
                val = val.write(epoch, tf.stack(
                    [val_loss, val_right / tf.cast(tf.maximum(tf.shape(X_val)[0], 1), tf.float32)], 1))
            return train.stack(), val.stack()

        return whole_fit


def batch_orders(rows: Any, seeds: Any, epoch: Any) -> Any:
    """Each branch's order of the rows for ``epoch``: ``(K, rows)``, as a one-call fit draws it
    (:func:`nbtune.training.graph_fit.batch_order`)."""
    import tensorflow as tf

    return tf.map_fn(lambda seed: batch_order(rows, seed, epoch), seeds,
                     fn_output_signature=tf.int32)


def activate(z: Any, names: Sequence[str], functions: dict) -> Any:
    """Each branch's activation of its slice of ``z`` ``(K, rows, width)``: ``names[k]``, one of
    ``functions`` (Keras's activation by name)."""
    import tensorflow as tf

    if len(set(names)) == 1:
        return functions[names[0]](z)
    out = tf.zeros_like(z)
    for name in sorted(set(names)):
        chosen = tf.reshape(tf.constant([n == name for n in names]), (-1, 1, 1))
        out = tf.where(chosen, functions[name](z), out)
    return out


def _adam_step(variables, grads, slots, learning_rates, step, beta_1=0.9, beta_2=0.999,
               epsilon=1e-7):
    """Keras's ``Adam.update_step`` for every branch at once, each with its own rate."""
    import tensorflow as tf

    t = tf.cast(step, tf.float32)
    for variable, grad, m, v in zip(variables, grads, *slots, strict=True):
        shape = (-1,) + (1,) * (len(variable.shape) - 1)
        alpha = tf.reshape(learning_rates, shape) * tf.sqrt(1 - tf.pow(beta_2, t)) / (
            1 - tf.pow(beta_1, t))
        m.assign_add((grad - m) * (1 - beta_1))
        v.assign_add((tf.square(grad) - v) * (1 - beta_2))
        variable.assign_sub((m * alpha) / (tf.sqrt(v) + epsilon))


def _sgd_step(variables, grads, slots, learning_rates, step):
    """Keras's plain ``SGD.update_step`` (no momentum), each branch with its own rate."""
    import tensorflow as tf

    for variable, grad in zip(variables, grads, strict=True):
        shape = (-1,) + (1,) * (len(variable.shape) - 1)
        variable.assign_sub(grad * tf.reshape(learning_rates, shape))
