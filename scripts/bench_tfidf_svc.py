"""scikit-learn's strong classical text classifier for `npm run bench`: TF-IDF of character
1-5-grams within word boundaries beside word 1-2-grams (both with sublinear term frequency) into
LinearSVC(C=1), untuned. Timed over repeated fits (vectorizing included, as the n-gram
student's time includes featurizing).

Reads {"train": [[text, label], ...], "test": [text, ...]} and prints
{"predictions": [...], "ms": [...]}. Run with Debian's /usr/bin/python3 (python3-sklearn).
"""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline, make_union
from sklearn.svm import LinearSVC

data = json.load(open(sys.argv[1]))
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
texts = [r[0] for r in data["train"]]
labels = [r[1] for r in data["train"]]


def make():
    return make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        ),
        LinearSVC(C=1),
    )


ms = []
for _ in range(reps):
    start = time.perf_counter()
    model = make().fit(texts, labels)
    ms.append((time.perf_counter() - start) * 1000)
print(json.dumps({"predictions": [str(p) for p in model.predict(data["test"])], "ms": ms}))
