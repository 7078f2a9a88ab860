"""scikit-learn references for `npm run bench`: LogisticRegression and MLPClassifier on the
same embeddings, each timed over repeated fits.

Reads {"train": [[x, y], ...], "test": [[x, y], ...]} and prints
{"logreg": {"accuracy": ..., "ms": [...], "iterations": ...}, "mlp": {...}}.
Run with Debian's /usr/bin/python3 (python3-sklearn).
"""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

data = json.load(open(sys.argv[1]))
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
xtr = np.array([r[0] for r in data["train"]], dtype=np.float32)
ytr = np.array([r[1] for r in data["train"]])
xte = np.array([r[0] for r in data["test"]], dtype=np.float32)
yte = np.array([r[1] for r in data["test"]])

models = {
    "logreg": lambda: LogisticRegression(max_iter=1000, class_weight="balanced"),
    # The same shape as polyclass's MLP head: one hidden ReLU layer of 128, Adam, early stopping.
    "mlp": lambda: MLPClassifier(hidden_layer_sizes=(128,), early_stopping=True, random_state=1, max_iter=200),
}
out = {}
for name, make in models.items():
    ms = []
    for _ in range(reps):
        start = time.perf_counter()
        model = make().fit(xtr, ytr)
        ms.append((time.perf_counter() - start) * 1000)
    iterations = int(np.max(model.n_iter_))
    out[name] = {"accuracy": float((model.predict(xte) == yte).mean()), "ms": ms, "iterations": iterations}
print(json.dumps(out))
