"""Training progress as the Model page shows it (issue #21): the chart and its caption name the
same best epoch, epochs are whole numbers, the refit reports its own epochs, and the time left
never grows by more than half between two updates."""

import math

from ecom_analytics.charts.evaluation import loss_curves_chart
from ecom_analytics.predict.evaluation import best_epoch, read_history
from ecom_analytics.ui.jobs import TrainingJob


def test_chart_and_caption_agree_when_a_loss_is_missing():
    history = [{"epoch": 1, "loss": 0.7, "val_loss": math.nan}, {"epoch": 2, "loss": 0.6, "val_loss": 0.5},
               {"epoch": 3, "loss": 0.5, "val_loss": 0.55}]
    assert best_epoch(history) == 2
    assert "lowest at epoch 2 of 3" in read_history(history)
    fig = loss_curves_chart(history, best=best_epoch(history))
    assert [a.text for a in fig.layout.annotations if a.text.startswith("best epoch")] == ["best epoch 2"]
    assert fig.layout.xaxis.tickformat == "d" and fig.layout.xaxis.dtick == 1


def test_time_left_counts_the_refit_and_never_jumps_by_more_than_half():
    job = TrainingJob(key="k", epochs=10)
    # epochs of 2 s each; the best (lowest val_loss) is epoch 2
    for epoch, val in [(1, 0.6), (2, 0.5), (3, 0.55)]:
        job.record(epoch, {"loss": 0.5, "val_loss": val, "seconds": 2.0 * epoch})
    # 7 epochs of the budget left + a refit of 2 epochs at 1.5 times the pace: 2 * (7 + 3) = 20 s
    assert job.seconds_left() == 20.0
    job.record(4, {"loss": 0.5, "val_loss": 0.56, "seconds": 8.0 + 60.0})  # one very slow epoch (load)
    # median of the last steps (2, 2, 2, 62) is 2 s: 2 * (6 + 3) = 18 s, not a jump
    assert job.seconds_left() == 18.0
    for epoch in range(5, 9):  # the machine stays slow: 60 s an epoch
        job.record(epoch, {"loss": 0.5, "val_loss": 0.6, "seconds": 68.0 + 60.0 * (epoch - 4)})
        previous = job._shown
        assert job.seconds_left() <= 1.5 * previous
    assert len(job.history) == 8


def test_the_refit_reports_its_own_epochs_without_touching_the_history():
    job = TrainingJob(key="k", epochs=10)
    job.record(1, {"loss": 0.5, "val_loss": 0.5, "seconds": 4.0})
    job.seconds_left()
    job.record(1, {"loss": 0.4, "seconds": 6.0, "phase": "refit", "epochs": 3})
    assert job.phase == "refit" and job.refit_epoch == 1 and job.refit_epochs == 3
    assert len(job.history) == 1 and job.epoch == 1
    assert job.seconds_left() == 12.0  # 2 more refit epochs at 6 s
