"""Reference numbers for the metrics tests: scikit-learn on a fixed prediction file.

Reads tests/fixtures/metrics/predictions.csv (label, prediction, language; an empty prediction is
an invalid LLM answer) and writes tests/fixtures/metrics/sklearn-report.json: accuracy,
classification_report per label, macro-F1, per-language macro-F1 and the confusion matrix.
Run with Debian's /usr/bin/python3 (python3-sklearn) after changing the prediction file.
"""
import csv
import json
import pathlib

from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score

root = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/metrics"
rows = list(csv.DictReader(open(root / "predictions.csv", encoding="utf-8")))
labels = sorted({r["label"] for r in rows})
truth = [r["label"] for r in rows]
pred = [r["prediction"] or "<invalid>" for r in rows]
report = classification_report(truth, pred, labels=labels, output_dict=True, zero_division=0)
per_language = {}
for lang in sorted({r["language"] for r in rows}):
    idx = [i for i, r in enumerate(rows) if r["language"] == lang]
    present = [l for l in labels if any(truth[i] == l for i in idx)]
    per_language[lang] = f1_score(
        [truth[i] for i in idx], [pred[i] for i in idx], labels=present, average="macro", zero_division=0
    )
out = {
    "labels": labels,
    "accuracy": accuracy_score(truth, pred),
    "macro_f1": f1_score(truth, pred, labels=labels, average="macro", zero_division=0),
    "per_class": {l: {k: report[l][k] for k in ("precision", "recall", "f1-score", "support")} for l in labels},
    "per_language": per_language,
    "confusion_matrix": confusion_matrix(truth, pred, labels=labels).tolist(),
}
(root / "sklearn-report.json").write_text(json.dumps(out, indent=2) + "\n")
