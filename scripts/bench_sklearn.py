"""scikit-learn reference for `npm run bench`: LogisticRegression on the same embeddings.

Reads {"train": [[x, y], ...], "test": [[x, y], ...]} and prints {"accuracy": ..., "ms": ...}.
Run with Debian's /usr/bin/python3 (python3-sklearn).
"""
import json
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression

data = json.load(open(sys.argv[1]))
xtr = np.array([r[0] for r in data["train"]], dtype=np.float32)
ytr = np.array([r[1] for r in data["train"]])
xte = np.array([r[0] for r in data["test"]], dtype=np.float32)
yte = np.array([r[1] for r in data["test"]])
start = time.perf_counter()
model = LogisticRegression(max_iter=1000, class_weight="balanced").fit(xtr, ytr)
ms = (time.perf_counter() - start) * 1000
print(json.dumps({"accuracy": float((model.predict(xte) == yte).mean()), "ms": ms}))
