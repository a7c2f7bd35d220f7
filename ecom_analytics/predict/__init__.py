"""Customer prediction: labels and features on a cutoff, baselines, BG/NBD and Gamma-Gamma, the neural model, training, evaluation, the registry of runs, audiences."""
