"""Layer 3 of document-type classification: a statistical text model (scikit-learn).

Word uni/bigrams and character 3–5-grams (robust to OCR errors: "Verdienstabrechnunq" still
shares most of its n-grams with the real word) over folded text, a linear SVM, and sigmoid
calibration on held-out folds so the probabilities mean what they say: of the documents given
0.9, about nine in ten are right. That is what lets the product file only when it is sure.

The model is plain data to the rest of the product: `train` returns it, `dumps`/`loads` turn
it into bytes the caller stores wherever it likes (object storage, a cache folder).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .text import fold

FORMAT = 1  # bump when the pipeline below changes shape


@dataclass
class Prediction:
    type_id: str
    probability: float
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # next best, descending


@dataclass
class TextModel:
    pipeline: object  # sklearn Pipeline
    classes: list[str]
    meta: dict

    def predict(self, text: str) -> Prediction:
        return self.predict_many([text])[0]

    def probabilities(self, texts: list[str]):  # noqa: ANN201 - an array, a row per text
        """Calibrated probabilities per class (in `classes` order) for each text."""
        import sklearn

        # the input is our own vectoriser's output: scikit-learn's per-call checks of it cost
        # more than the prediction itself (about half of a born-digital upload's time)
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            return self.pipeline.predict_proba([prepare(t) for t in texts])  # type: ignore[attr-defined]

    def predict_many(self, texts: list[str]) -> list[Prediction]:
        probs = self.probabilities(texts)
        out = []
        for row in probs:
            order = sorted(range(len(row)), key=lambda i: -row[i])
            ranked = [(self.classes[i], round(float(row[i]), 4)) for i in order[:4]]
            out.append(Prediction(ranked[0][0], ranked[0][1], ranked[1:]))
        return out

    def dumps(self) -> bytes:
        import joblib

        buf = io.BytesIO()
        joblib.dump({"format": FORMAT, "pipeline": self.pipeline, "classes": self.classes,
                     "meta": self.meta}, buf, compress=3)
        return buf.getvalue()


class ModelUnusable(Exception):
    """Bytes that are not a model of this format (stale, truncated, other library version)."""


def loads(data: bytes) -> TextModel:
    """Only for model files this product wrote itself (pickle-based: never load one that came
    from outside, e.g. an upload)."""
    import joblib
    import sklearn

    try:
        obj = joblib.load(io.BytesIO(data))
    except Exception as e:
        raise ModelUnusable(f"cannot read model: {type(e).__name__}: {e}") from e
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise ModelUnusable("model file of another format")
    if obj["meta"].get("sklearn") != sklearn.__version__:
        raise ModelUnusable(f"model trained with scikit-learn {obj['meta'].get('sklearn')}, "
                            f"this is {sklearn.__version__}")
    return TextModel(obj["pipeline"], obj["classes"], obj["meta"])


def prepare(text: str) -> str:
    """What the model sees: folded text, digits collapsed (amounts, dates and numbers differ
    between any two documents of a type and would only teach the model noise)."""
    out = fold(text)
    return "".join("0" if c.isdigit() else c for c in out)


_OCR_CONFUSIONS = [("rn", "m"), ("m", "rn"), ("l", "1"), ("i", "l"), ("e", "c"), ("g", "q"),
                   ("ü", "u"), ("ä", "a"), ("ß", "B"), ("o", "0"), (" ", ""), ("h", "b")]


def ocr_noise(text: str, rng: random.Random, rate: float = 0.02) -> str:
    """A copy of the text with the errors tesseract makes on noisy scans (confused glyphs,
    lost spaces), so the model does not learn to rely on perfectly spelled words."""
    out = []
    i = 0
    while i < len(text):
        if rng.random() < rate:
            for a, b in rng.sample(_OCR_CONFUSIONS, len(_OCR_CONFUSIONS)):
                if text.startswith(a, i):
                    out.append(b)
                    i += len(a)
                    break
            else:
                out.append(text[i])
                i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def train(texts: list[str], labels: list[str], *, seed: int = 0, augment: bool = True,
          meta: dict | None = None) -> TextModel:
    import sklearn
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    if len(set(labels)) < 2:
        raise ValueError("training needs documents of at least two types")
    rng = random.Random(seed)
    x, y = list(texts), list(labels)
    if augment:
        x += [ocr_noise(t, rng) for t in texts]
        y += list(labels)
    features = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                  max_features=30_000)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2,
                                  sublinear_tf=True, max_features=40_000)),
    ])
    folds = max(2, min(3, min(y.count(c) for c in set(y))))
    clf = CalibratedClassifierCV(LinearSVC(C=0.5, random_state=seed), method="sigmoid", cv=folds)
    pipe = Pipeline([("features", features), ("svm", clf)])
    pipe.fit([prepare(t) for t in x], y)
    info = {"trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "documents": len(texts), "classes": len(set(labels)), "sklearn": sklearn.__version__,
            **(meta or {})}
    return TextModel(pipe, [str(c) for c in pipe.classes_], info)
