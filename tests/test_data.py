import numpy as np
import pytest

from nbtune import data


def test_digits_splits_are_disjoint_stratified_float32(digits):
    assert digits.X_train.dtype == np.float32 and digits.X_test.dtype == np.float32
    assert len(digits.y_train) + len(digits.y_val) + len(digits.y_test) == 1797
    assert digits.X_train.min() >= 0 and digits.X_train.max() <= 1
    assert digits.n_classes == 10 and digits.n_features == 64
    # every class in every split, in about the same share
    for y in (digits.y_train, digits.y_val, digits.y_test):
        share = np.bincount(y, minlength=10) / len(y)
        assert share.min() > 0.07 and share.max() < 0.13
    rows = {tuple(r) for r in digits.X_train}
    assert not any(tuple(r) in rows for r in digits.X_test[:50] if np.count_nonzero(r) > 20)


def test_breast_cancer_is_scaled_on_the_training_split_only(cancer):
    assert cancer.target_names == ["malignant", "benign"]
    np.testing.assert_allclose(cancer.X_train.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(cancer.X_train.std(axis=0), 1, atol=1e-3)
    # the test split was scaled with the training statistics, so it is not exactly standard
    assert not np.allclose(cancer.X_test.mean(axis=0), 0, atol=1e-5)


def test_splits_repeat_with_the_same_random_state():
    a, b = data.load_breast_cancer(random_state=3), data.load_breast_cancer(random_state=3)
    c = data.load_breast_cancer(random_state=4)
    np.testing.assert_array_equal(a.X_val, b.X_val)
    assert not np.array_equal(a.X_val, c.X_val)


def test_split_sizes_follow_the_fractions():
    d = data.load_digits(val_size=0.1, test_size=0.3)
    assert len(d.y_test) == pytest.approx(0.3 * 1797, abs=1)
    assert len(d.y_val) == pytest.approx(0.1 * 1797, abs=1)


@pytest.mark.parametrize("kwargs, match", [
    ({"val_size": 0}, "val_size=0 is not a fraction"),
    ({"test_size": 1.5}, "test_size=1.5"),
    ({"val_size": 0.5, "test_size": 0.5}, "leaves no training data"),
])
def test_bad_fractions_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.load_digits(**kwargs)


def test_load_by_name_and_unknown_name():
    assert data.load("digits").name == "digits"
    with pytest.raises(ValueError, match="'mnist' is not a dataset.*digits"):
        data.load("mnist")


def test_random_state_none_gives_new_splits_and_too_small_splits_are_refused():
    a, b = data.load_breast_cancer(random_state=None), data.load_breast_cancer(random_state=None)
    assert len(a.y_val) == len(b.y_val) and not np.array_equal(a.X_val, b.X_val)
    # 10 of 1797 rows is the least a stratified split of 10 classes can hold
    smallest = data.load_digits(val_size=0.0056)
    assert len(set(smallest.y_val)) == 10
    with pytest.raises(ValueError, match=r"leave the validation split 2 of 1797 rows, fewer than the "
                                         r"10 classes.*give val_size >= 0.0056"):
        data.load_digits(val_size=0.001)
    with pytest.raises(TypeError, match=r"\['val'\] are not arguments of load_digits\(\)"):
        data.load("digits", val=0.2)
