"""Bad arguments to ``nbtune.replay`` on the shipped tiny table (4 configurations, 2 seeds,
3 epochs): what the table cannot serve is refused before the first replayed trial."""

from surface_probe import Case


def tiny():
    from nbtune import benchmarks

    return benchmarks.load("digits-mlp-tiny")


def replay_with(*args, table=None, **kwargs):
    def call(tmp):
        from nbtune import replay

        bench = tiny() if table is None else table
        return replay(bench, *args, **{"repeats": 1, **kwargs})
    return call


def replay_a_name(tmp):
    from nbtune import replay

    return replay("digits-mlp-tiny", ["random"], repeats=1)


def replay_a_dataframe(tmp):
    from nbtune import replay

    return replay(tiny().curves, ["random"], repeats=1)


def lookup_epochs_beyond(tmp):
    import numpy as np

    from nbtune.benchmarks.replays import TableLookup

    return TableLookup(tiny(), epochs=9, rng=np.random.default_rng(0))


CASES = [
    # strategies
    Case("strategies-misspelled", replay_with("randon"), "strategies", trains=False),
    Case("strategies-empty", replay_with([]), "strategies", trains=False),
    Case("strategies-number", replay_with(3), "strategies", trains=False),
    Case("strategies-none", replay_with(None), "strategies", trains=False),
    # the table
    Case("table-name", replay_a_name, "benchmark", trains=False),
    Case("table-dataframe", replay_a_dataframe, "benchmark", trains=False),
    Case("lookup-epochs-beyond-table", lookup_epochs_beyond, "epochs", trains=False),
    # budgets the table cannot serve
    Case("epochs-beyond-table", replay_with(["random"], epochs=9, n_iter=2), "epochs", trains=False),
    Case("max-epochs-beyond-table-hyperband", replay_with(["hyperband"], max_epochs=9), "max_epochs",
         trains=False),
    Case("max-epochs-beyond-table-halving", replay_with(["successive_halving"], max_epochs=9),
         "max_epochs", trains=False),
    Case("max-epochs-beyond-table-equal-budget",
         replay_with(["hyperband"], max_epochs=9, total_epochs=20), "max_epochs", trains=False),
    Case("max-epochs-zero", replay_with(["hyperband"], max_epochs=0), "max_epochs", trains=False),
    Case("epochs-zero", replay_with(["random"], epochs=0), "epochs", trains=False),
    Case("n-iter-zero", replay_with(["random"], n_iter=0, epochs=3), "n_iter", trains=False),
    Case("n-iter-fraction", replay_with(["random"], n_iter=2.5, epochs=3), "n_iter", trains=False),
    Case("factor-one", replay_with(["hyperband"], factor=1), "factor", trains=False),
    Case("max-trials-zero", replay_with(["bayesian"], max_trials=0, epochs=3), "max_trials",
         trains=False),
    Case("budget-unknown", replay_with(["random"], trials=3), "trials", trains=False),
    Case("total-epochs-zero", replay_with(["random"], total_epochs=0), "total_epochs", trains=False),
    Case("total-seconds-nan", replay_with(["random"], total_seconds=float("nan")), "total_seconds",
         trains=False),
    Case("total-epochs-and-seconds", replay_with(["random"], total_epochs=6, total_seconds=5),
         "total_", trains=False),
    # repeats, seed, progress
    Case("repeats-zero", replay_with(["random"], repeats=0), "repeats", trains=False),
    Case("repeats-fraction", replay_with(["random"], repeats=2.5), "repeats", trains=False),
    Case("seed-negative", replay_with(["random"], seed=-1, n_iter=2), "seed", trains=False),
    Case("seed-text", replay_with(["random"], seed="0", n_iter=2), "seed", trains=False),
    Case("seed-fraction", replay_with(["random"], seed=0.5, n_iter=2), "seed", trains=False),
    Case("progress-text", replay_with(["random"], progress="yes", n_iter=2), "progress",
         trains=False),
]
