"""Model: train the neural model and the baselines live, on an honest time split."""

import streamlit as st

from ecom_analytics.charts import evaluation as charts_eval
from ecom_analytics.names import TASKS
from ecom_analytics.predict import evaluation
from ecom_analytics.predict.all_tasks import AllSettings
from ecom_analytics.predict.run import PredictSettings
from ecom_analytics.ui import i18n, jobs, loaders, predict_cache, state, widgets
from ecom_analytics.ui.i18n import chart_text, t, te
from ecom_analytics.ui.router import page_guard

page_guard()
widgets.period_not_followed(t("models learn from all the history before their cutoff and are checked on the days after it."))

TASK_LABELS = {"purchase": t("Purchase: who buys again in the next H days"),
               "churn": t("Churn: who goes quiet in the next H days"),
               "revenue": t("Revenue: how much each customer spends in the next H days")}

st.title(t("Model"))
st.caption(t("Predict purchase, churn or revenue per customer. Every model learns from earlier windows and is "
             "scored on the most recent window it has never seen; the winner is refit on all windows and scores "
             "every customer today."))

orders_id, events_id, customers_id = (state.current_id(k) for k in ("orders", "events", "customers"))
if not orders_id and not events_id:
    widgets.require_dataset("orders", t("Models learn from orders (and optionally events)."))
    st.stop()
widgets.require_rows(orders_id, events_id)

DEFAULTS = {"md_task": "purchase" if orders_id else "churn", "md_horizon": 7 if events_id else 30,
            "md_layers": "64,32", "md_dropout": 0.1, "md_l2": 1e-4, "md_lr": 3e-4, "md_batch": 256,
            "md_epochs": 100, "md_patience": 15, "md_balanced": False, "md_seed": 0}
# A link or a refresh with ?run=<id> reopens that run's settings (once per session).
linked = st.query_params.get("run")
if linked and not st.session_state.get("md_restored") and loaders.run_exists(linked):
    meta = loaders.stored_run(linked).meta
    if meta["datasets"] == {"orders": orders_id, "events": events_id, "customers": customers_id}:
        p = meta["params"]
        st.session_state.update({
            "md_task": meta["task"], "md_horizon": meta["horizon_days"],
            "md_layers": ",".join(str(u) for u in p["hidden"]), "md_dropout": p["dropout"], "md_l2": p["l2"],
            "md_lr": p["learning_rate"], "md_batch": p["batch_size"], "md_epochs": p["epochs"],
            "md_patience": p["patience"], "md_balanced": p["class_weight"] == "balanced", "md_seed": p["seed"]})
st.session_state["md_restored"] = True
for name, value in DEFAULTS.items():
    st.session_state.setdefault(name, value)

c1, c2 = st.columns([3, 1])
available = [name for name in TASKS if orders_id or name == "churn"]
if st.session_state["md_task"] not in available:
    st.session_state["md_task"] = available[0]
task = c1.selectbox(t("Task"), available, key="md_task", format_func=TASK_LABELS.get)
horizon = int(c2.number_input(t("Horizon (days)"), 1, 365, key="md_horizon",
                              help=t("Default: 30 days with orders only, 7 days when behaviour events exist.")))
with st.expander(t("Neural network settings"), icon=":material/tune:"):
    a, b, c = st.columns(3)
    layers = a.text_input(t("Hidden layers (units)"), key="md_layers", help=t("Comma-separated, e.g. 64,32"))
    dropout = b.slider(t("Dropout"), 0.0, 0.6, step=0.05, key="md_dropout")
    l2 = c.select_slider(t("L2 penalty"), [0.0, 1e-5, 1e-4, 1e-3, 1e-2], key="md_l2")
    lr = a.select_slider(t("Learning rate"), [1e-4, 3e-4, 1e-3, 3e-3, 1e-2], key="md_lr")
    batch = b.select_slider(t("Batch size"), [64, 128, 256, 512, 1024], key="md_batch")
    epochs = int(c.number_input(t("Epochs (at most)"), 1, 500, key="md_epochs"))
    patience = int(a.number_input(t("Early stopping patience (0 = off)"), 0, 100, key="md_patience"))
    balanced = b.toggle(t("Balance classes"), key="md_balanced", disabled=task == "revenue",
                        help=t("Weight buyers and non-buyers equally in the loss"))
    seed = int(c.number_input(t("Seed"), 0, 10_000, key="md_seed", help=t("Same seed, same data: same model")))
try:
    hidden = tuple(int(u) for u in layers.replace(" ", "").split(",") if u)
    if not hidden or any(u < 1 or u > 1024 for u in hidden):
        raise ValueError
except ValueError:
    st.error(t("Hidden layers must be whole numbers between 1 and 1024 separated by commas, e.g. 64,32."),
             icon=":material/error:")
    st.stop()
network = dict(seed=seed, hidden=hidden, dropout=dropout, l2=l2, learning_rate=lr, batch_size=batch, epochs=epochs,
               patience=patience, class_weight="balanced" if balanced else None)
settings = PredictSettings.make(task, horizon, **network)
datasets = {"orders": orders_id, "events": events_id, "customers": customers_id}
run_id = settings.run_id(datasets)
job = jobs.get(run_id)
stored = loaders.stored_run(run_id) if loaders.run_exists(run_id) else None
# every task at once (and lifetime value over 12 months at 1 % a month) with the same network settings:
# each task's run is the one the single-task button trains, so this page then shows the chosen task's run
all_settings = AllSettings.make(horizon, **network)
all_job = predict_cache.all_run_job(datasets)


def train() -> None:
    """Start the run (load, train, compute the curves, save) in the training thread."""
    jobs.start_prediction(state.workspace(), datasets, settings)
    st.rerun()


def train_all_button(where) -> None:
    """The button that trains purchase, churn and revenue on the same split plus lifetime value."""
    if where.button(t("Train all (purchase, churn, revenue, CLV)"), icon=":material/done_all:", key="md_train_all",
                    disabled=not orders_id,
                    help=t("One run: the three tasks on the same split with these settings, and each customer's "
                           "lifetime value; Predictions then shows every score in one table (All scores).")
                    if orders_id else t("Training every task at once needs orders.")):
        predict_cache.start_all_run(datasets, all_settings)
        st.rerun()


if all_job is not None and all_job.status == "running":
    @st.fragment(run_every=1.0)
    def all_progress() -> None:
        current = predict_cache.all_run_job(datasets)
        if current is None or current.status != "running":
            loaders.stored_run.clear()
            st.rerun(scope="app")
        eta = t(" · at most {s:,.0f} s left", s=current.left) if current.left is not None else ""
        st.progress(min(max(current.share, 0.0), 1.0), text=t(current.stage) + eta)
        st.caption(t("Training purchase, churn and revenue on the same split, then valuing every customer; the "
                     "page can be left and the training goes on."))

    all_progress()
    st.stop()

if all_job is not None and all_job.status == "failed":
    st.error(te(all_job.error) if all_job.error else t("Training failed."), icon=":material/error:")
elif all_job is not None and all_job.status == "done":
    st.success(t("Every task is trained on the same split and every customer valued ({seconds} s).",
                 seconds=i18n.number(getattr(all_job.result, "seconds", 0.0))), icon=":material/done_all:")
    st.page_link("pages/predictions.py", label=t("See all the scores in one table"), icon=":material/table_view:",
                 query_params={**state.link_params(), "pr_view": "all"})


if job is not None and job.status == "running":
    @st.fragment(run_every=1.0)
    def progress() -> None:
        current = jobs.get(run_id)
        if current is None or current.status != "running":
            loaders.stored_run.clear()
            st.rerun(scope="app")
        left = current.seconds_left()
        eta = t(" · at most {s:,.0f} s left", s=left) if left is not None else ""
        if current.phase == "refit":
            share = min(current.refit_epoch / max(current.refit_epochs, 1), 1.0)
            st.progress(share, text=t("{stage} · epoch {epoch}/{epochs}", stage=t(current.stage),
                                      epoch=current.refit_epoch, epochs=current.refit_epochs) + eta)
        else:
            share = min(current.epoch / max(current.epochs, 1), 1.0)
            st.progress(share, text=t("{stage} · epoch {epoch}/{epochs}", stage=t(current.stage), epoch=current.epoch,
                                      epochs=current.epochs) + eta)
        if current.history:
            st.plotly_chart(charts_eval.loss_curves_chart(current.history, i18n.current_language(),
                                                          best=evaluation.best_epoch(current.history),
                                                          text=chart_text(charts_eval.EVALUATION_TEXT)),
                            key="md_live_curves")
            st.caption(evaluation.read_history(current.history, i18n.current_language()))
        if st.button(t("Stop training (keep the best weights so far)"), icon=":material/stop_circle:", key="md_stop"):
            current.stop.set()
            st.toast(t("Stopping at the end of this epoch…"))

    progress()
    st.stop()

if job is not None and job.status == "failed":
    st.error(te(job.error) if job.error else t("Training failed."), icon=":material/error:")

if stored is None:
    st.info(t("No model is trained for these data and settings yet."), icon=":material/model_training:")
    b1, b2 = st.columns(2)
    if b1.button(t("Train"), type="primary", icon=":material/play_arrow:", key="md_train"):
        train()
    train_all_button(b2)
    st.stop()

# ------------------------------------------------------------------ results
meta = stored.meta
st.query_params["run"] = run_id
split = meta["split"]
st.success(t("Trained {created} UTC · test window {cutoff} + {h} days · {n} training cutoffs ({first} … {last}) · "
             "run `{run}`", created=meta["created"][:16].replace("T", " "), cutoff=i18n.date(split["test_cutoff"]),
             h=horizon, n=len(split["train_cutoffs"]), first=i18n.date(split["train_cutoffs"][0]),
             last=i18n.date(split["train_cutoffs"][-1]), run=run_id), icon=":material/task_alt:")
b1, b2 = st.columns(2)
if b1.button(t("Train again"), icon=":material/refresh:", key="md_retrain"):
    train()
train_all_button(b2)
for note in stored.notes:
    st.warning(predict_cache.note_text(note), icon=":material/warning:")

board = stored.leaderboard
key = "mae" if task == "revenue" else "roc_auc"
best = board.iloc[0]
neural_row = board[board["model"] == "neural"]
cols = st.columns([2, 1, 1, 1])
cols[0].metric(t("Best model"), t(best["label"]))
cols[1].metric(t("ROC AUC") if key == "roc_auc" else t("MAE"), i18n.number(best[key], 3) if key == "roc_auc" else widgets.money(best[key]))
if len(neural_row):
    nv = neural_row.iloc[0][key]
    cols[2].metric(t("Neural network"), i18n.number(nv, 3) if key == "roc_auc" else widgets.money(nv),
                   delta=t("{diff:+.3f} vs best", diff=nv - best[key]) if key == "roc_auc" else None,
                   delta_color="normal")
cols[3].metric(t("Customers in the test window"), i18n.number(len(stored.test)))
st.subheader(t("Leaderboard (test window)"))
METRIC_NAMES = {"roc_auc": t("ROC AUC"), "pr_auc": t("PR AUC"), "log_loss": t("Log loss"), "brier": t("Brier score"),
                "mae": t("MAE"), "rmse": t("RMSE"), "r2": "R²", "spearman": t("Spearman")}
fmt = {c: st.column_config.NumberColumn(METRIC_NAMES.get(c, c), format="%.4f")
       for c in board.columns if c not in ("model", "label")}
st.dataframe(board.drop(columns="model").assign(label=board["label"].map(t)), hide_index=True,
             column_config={"label": t("Model"), **fmt})
st.caption(t("ROC AUC: chance a random buyer is ranked above a random non-buyer (0.5 = guessing). PR AUC: precision "
             "averaged over recall. Log loss and Brier: how good the probabilities are (lower is better).")
           if key == "roc_auc" else t("MAE and RMSE in the export's currency (lower is better); Spearman: how well "
                                      "the ranking of customers by predicted revenue matches the actual ranking."))
if stored.history:
    st.subheader(t("Neural network training"))
    st.plotly_chart(charts_eval.loss_curves_chart(stored.history, i18n.current_language(),
                                                      best=evaluation.best_epoch(stored.history),
                                                      text=chart_text(charts_eval.EVALUATION_TEXT)))
    st.caption(evaluation.read_history(stored.history, i18n.current_language()))
c1, c2 = st.columns(2)
c1.page_link("pages/evaluation.py", label=t("See the evaluation charts"), icon=":material/analytics:",
             query_params={**state.link_params(), "run": run_id})
c2.page_link("pages/predictions.py", label=t("See the predictions and audiences"), icon=":material/groups:",
             query_params={**state.link_params(), "run": run_id})
