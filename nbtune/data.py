"""Offline datasets for the lessons, split and scaled.

Everything here comes from data scikit-learn ships with its wheel, so the
lessons never download anything:

- :func:`load_digits` -- 1797 handwritten digits, 8 x 8 pixels, 10 classes
  (a small MNIST);
- :func:`load_breast_cancer` -- 569 tumours, 30 measurements, benign or
  malignant (the tabular, binary case).

Each returns a :class:`Dataset` with train / validation / test splits
(stratified, repeatable with ``random_state``) as float32 arrays, scaled with
statistics of the training split only, so no information leaks from the
validation or test data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from sklearn import datasets as _sk_datasets
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from nbtune.arguments import check_real, check_whole

NAMES = ("digits", "breast_cancer")


@dataclass(frozen=True, repr=False)
class Dataset:
    """Train, validation and test splits of one dataset.

    Attributes
    ----------
    name : str
        ``"digits"`` or ``"breast_cancer"``.
    X_train, X_val, X_test : ndarray of float32, shape (n, n_features)
    y_train, y_val, y_test : ndarray of int64, shape (n,)
    feature_names : list of str
    target_names : list of str
        Name of each class, indexed by label.
    description : str
        One line saying what the data is.
    """

    name: str
    X_train: np.ndarray
    X_val: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray
    feature_names: list = field(default_factory=list)
    target_names: list = field(default_factory=list)
    description: str = ""

    @property
    def train(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X_train, y_train)``."""
        return self.X_train, self.y_train

    @property
    def validation(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X_val, y_val)``, ready for ``validation_data=``."""
        return self.X_val, self.y_val

    @property
    def test(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X_test, y_test)``: keep it for the very end."""
        return self.X_test, self.y_test

    @property
    def n_features(self) -> int:
        return int(self.X_train.shape[1])

    @property
    def n_classes(self) -> int:
        return len(self.target_names)

    def __repr__(self) -> str:
        return (
            f"Dataset({self.name!r}: {self.description}; "
            f"train {len(self.y_train)}, validation {len(self.y_val)}, "
            f"test {len(self.y_test)} rows x {self.n_features} features, "
            f"{self.n_classes} classes)"
        )


def _split(X, y, *, val_size, test_size, random_state):
    for arg, value in (("val_size", val_size), ("test_size", test_size)):
        check_real(arg, value, hint=f" between 0 and 1, e.g. {arg}=0.2")
        if not 0 < value < 1:
            raise ValueError(
                f"{arg}={value!r} is not a fraction: give a number between 0 and 1 "
                f"(exclusive), e.g. {arg}=0.2"
            )
    if val_size + test_size >= 1:
        raise ValueError(
            f"val_size + test_size = {val_size + test_size:g} leaves no training data: "
            "keep their sum below 1, e.g. val_size=0.2, test_size=0.2"
        )
    if random_state is not None:  # None: new splits every time, as in scikit-learn
        check_whole("random_state", random_state, minimum=0, maximum=2**32 - 1,
                    hint=", e.g. random_state=0 (or None for new splits each time)")
    _check_every_class_fits(len(y), len(np.unique(y)), val_size, test_size)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=random_state
    )
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest,
        y_rest,
        test_size=val_size / (1 - test_size),
        stratify=y_rest,
        random_state=random_state,
    )
    return X_train, X_val, X_test, y_train, y_val, y_test


def _check_every_class_fits(rows: int, classes: int, val_size: float, test_size: float) -> None:
    """Refuse fractions that leave a split fewer rows than classes: a stratified split needs
    one row of each class in each split. The counts are scikit-learn's (held-out rows rounded up)."""
    test = math.ceil(test_size * rows)
    val = math.ceil(val_size / (1 - test_size) * (rows - test))
    sizes = {("test_size", "test"): test, ("val_size", "validation"): val,
             ("training", "training"): rows - test - val}
    for (arg, split), count in sizes.items():
        if count < classes:
            least = classes / rows
            fix = (f"give {arg} >= {least:.4f}, e.g. {arg}=0.2" if arg != "training" else
                   "keep val_size + test_size lower, e.g. val_size=0.2, test_size=0.2")
            raise ValueError(
                f"val_size={val_size!r}, test_size={test_size!r} leave the {split} "
                f"split {count} of {rows} rows, fewer than the {classes} classes (each split needs "
                f"one of each): {fix}"
            )


def load_digits(
    *, val_size: float = 0.2, test_size: float = 0.2, random_state: int = 0
) -> Dataset:
    """Handwritten digits (8 x 8 pixels, 10 classes), split and scaled to [0, 1].

    Pixel values 0..16 are divided by 16, so the same scaling applies to every
    split and an image can still be drawn with ``X[i].reshape(8, 8)``.

    Parameters
    ----------
    val_size, test_size : float, default 0.2
        Fractions of all rows held out for validation and for the final test.
    random_state : int or None, default 0
        Seed of the stratified splits (None: different splits every time).

    Returns
    -------
    Dataset

    Examples
    --------
    >>> from nbtune import data
    >>> digits = data.load_digits()
    >>> digits.X_train.shape, digits.X_train.dtype.name, digits.n_classes
    ((1077, 64), 'float32', 10)
    """
    raw = _sk_datasets.load_digits()
    X = (raw.data / 16.0).astype(np.float32)
    y = raw.target.astype(np.int64)
    parts = _split(X, y, val_size=val_size, test_size=test_size, random_state=random_state)
    return Dataset(
        "digits",
        *parts,
        feature_names=list(raw.feature_names),
        target_names=[str(t) for t in raw.target_names],
        description="handwritten digits 0-9, 8x8 pixels scaled to [0, 1]",
    )


def load_breast_cancer(
    *, val_size: float = 0.2, test_size: float = 0.2, random_state: int = 0
) -> Dataset:
    """Breast cancer diagnosis (30 features, binary), standardised.

    Features are standardised with the mean and standard deviation of the
    training split only.  Label 1 is benign, 0 malignant (scikit-learn's coding).

    Parameters
    ----------
    val_size, test_size : float, default 0.2
        Fractions of all rows held out for validation and for the final test.
    random_state : int or None, default 0
        Seed of the stratified splits (None: different splits every time).

    Returns
    -------
    Dataset

    Examples
    --------
    >>> from nbtune import data
    >>> cancer = data.load_breast_cancer()
    >>> cancer.X_train.shape, cancer.target_names
    ((341, 30), ['malignant', 'benign'])
    """
    raw = _sk_datasets.load_breast_cancer()
    X_train, X_val, X_test, y_train, y_val, y_test = _split(
        raw.data, raw.target, val_size=val_size, test_size=test_size, random_state=random_state
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_val, X_test = (scaler.transform(X).astype(np.float32) for X in (X_train, X_val, X_test))
    return Dataset(
        "breast_cancer",
        X_train,
        X_val,
        X_test,
        y_train.astype(np.int64),
        y_val.astype(np.int64),
        y_test.astype(np.int64),
        feature_names=list(raw.feature_names),
        target_names=[str(t) for t in raw.target_names],
        description="breast tumours, 30 measurements, malignant or benign, standardised",
    )


def load(name: str, **kwargs) -> Dataset:
    """Load a dataset by name: ``"digits"`` or ``"breast_cancer"``.

    Examples
    --------
    >>> from nbtune import data
    >>> data.load("breast_cancer").n_classes
    2
    """
    loaders = {"digits": load_digits, "breast_cancer": load_breast_cancer}
    if not isinstance(name, str) or name not in loaders:
        raise ValueError(
            f"name={name!r} is not a dataset nbtune ships; choose one of {list(loaders)}"
        )
    unknown = sorted(set(kwargs) - {"val_size", "test_size", "random_state"})
    if unknown:
        raise TypeError(
            f"{unknown} are not arguments of load_{name}(): give val_size, test_size or "
            "random_state, e.g. data.load('digits', val_size=0.2)"
        )
    return loaders[name](**kwargs)
