"""Which document-type model classifies, and how a new one is trained.

Two sources, newest decision wins:
- the active trained model (`efile train`): trained on the generated corpus plus every type a
  person set or confirmed; its bytes in object storage, so every worker on every machine
  loads the same one; a row in `classifier_models` says which is active.
- otherwise the base model, trained from the generated corpus alone. Training is deterministic,
  so each machine trains it once and keeps it in a cache folder (EFILE_MODEL_CACHE, default
  ~/.cache/efile/models), keyed by everything it depends on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select, update

from classifiers import model as text_model
from classifiers.model import TextModel
from classifiers.taxonomy import load as load_taxonomy
from storage.keys import model_key

from ..context import Context
from ..models import ClassifierModel, Decision, Document, new_id

log = logging.getLogger(__name__)

BASE_SEED, BASE_PER_CLASS = 1, 40
CHECK_SEED, CHECK_PER_CLASS = 99, 8  # a generated check set no model was trained on
HUMAN_WEIGHT = 3  # a person's label counts as much as three generated documents
RECHECK_SECONDS = 60  # long-running processes notice a newly activated model this quickly

_lock = threading.Lock()
_loaded: dict[str, TextModel] = {}  # model id (or base key) -> model
_active: dict[str, tuple[float, str | None]] = {}  # database url -> (checked at, model id)


def cache_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "efile" / "models"
    return Path(os.environ.get("EFILE_MODEL_CACHE") or default)


def _samples_digest() -> str:
    import efile.samples as samples

    h = hashlib.sha256()
    for p in sorted(Path(samples.__file__).parent.glob("*.py")):
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=1)
def base_key() -> str:
    """What the base model depends on. Its inputs are code and data files of this install,
    fixed for the life of a process, so it is computed once, not for every document."""
    import sklearn

    parts = [load_taxonomy().digest, _samples_digest(), sklearn.__version__,
             str(text_model.FORMAT), f"{BASE_SEED}:{BASE_PER_CLASS}"]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def generated_set(seed: int, per_class: int) -> tuple[list[str], list[str]]:
    from ..samples.corpus import training_texts

    pairs = training_texts(seed, per_class)
    return [t for t, _ in pairs], [k for _, k in pairs]


def base_model() -> TextModel:
    key = f"base-{base_key()}"
    with _lock:
        if key in _loaded:
            return _loaded[key]
        path = cache_dir() / f"doctype-{key}.joblib"
        model = None
        if path.exists():
            try:
                model = text_model.loads(path.read_bytes())
            except text_model.ModelUnusable as e:
                log.warning("cached base model unusable (%s); training again", e)
        if model is None:
            t0 = time.monotonic()
            texts, labels = generated_set(BASE_SEED, BASE_PER_CLASS)
            model = text_model.train(texts, labels, meta={"kind": "base", "key": key})
            log.info("trained the base model on %d documents in %.1f s", len(texts),
                     time.monotonic() - t0)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(model.dumps())
            tmp.replace(path)  # atomic: a second process training at once writes the same
        _loaded[key] = model
        return model


_pinned: list[TextModel] = []


@contextmanager
def pinned_model(model: TextModel) -> Iterator[None]:
    """Classify with this model inside the block, whatever the database says (efile eval
    measures the configured home's model in a throw-away home)."""
    _pinned.append(model)
    try:
        yield
    finally:
        _pinned.remove(model)


def active_model(ctx: Context) -> TextModel:
    if _pinned:
        return _pinned[-1]
    url = ctx.db.url
    now = time.monotonic()
    checked = _active.get(url)
    if checked is None or now - checked[0] > RECHECK_SECONDS:
        with ctx.db.session() as s:
            row = s.scalar(select(ClassifierModel).where(
                ClassifierModel.active.is_(True),
                ClassifierModel.taxonomy == load_taxonomy().digest))
            if row is not None and row.id not in _loaded:
                try:
                    m = text_model.loads(ctx.store.get(row.object_key, expected_sha256=row.sha256))
                    with _lock:
                        _loaded[row.id] = m
                except text_model.ModelUnusable as e:
                    log.warning("active model %s unusable (%s); using the base model", row.id, e)
                    row = None
            checked = (now, row.id if row else None)
            _active[url] = checked
    return _loaded[checked[1]] if checked[1] else base_model()


def forget_loaded() -> None:
    with _lock:
        _loaded.clear()
        _active.clear()


def human_labels(ctx: Context) -> list[tuple[str, str]]:
    """(text, type) of every document whose type a person set or confirmed, last word wins."""
    with ctx.db.session() as s:
        labels: dict[str, str] = {}
        for d in s.scalars(select(Decision).order_by(Decision.at, Decision.id)):
            if d.chosen.get("doc_type"):
                labels[d.document_id] = d.chosen["doc_type"]
        out = []
        for doc_id, type_id in labels.items():
            doc = s.get(Document, doc_id)
            if doc is not None and type_id in load_taxonomy():
                out.append(("\n".join(p.text for p in doc.pages), type_id))
        return out


def train(ctx: Context, *, activate: bool = True, per_class: int = BASE_PER_CLASS) -> dict:
    """Train on the generated corpus plus people's labels, measure on a generated check set,
    store in object storage, and make it the active model."""
    from sklearn.metrics import f1_score

    t0 = time.monotonic()
    texts, labels = generated_set(BASE_SEED, per_class)
    human = human_labels(ctx)
    for text, type_id in human:
        texts += [text] * HUMAN_WEIGHT
        labels += [type_id] * HUMAN_WEIGHT
    tax = load_taxonomy()
    model_id = new_id()
    model = text_model.train(texts, labels, meta={"kind": "trained", "id": model_id,
                                                  "human_labels": len(human)})
    check_texts, check_labels = generated_set(CHECK_SEED, CHECK_PER_CLASS)
    predicted = [p.type_id for p in model.predict_many(check_texts)]
    macro_f1 = round(float(f1_score(check_labels, predicted, average="macro")), 4)
    model.meta.update({"check_macro_f1": macro_f1, "seconds": round(time.monotonic() - t0, 1)})
    data = model.dumps()
    key = model_key(model_id)
    ctx.store.put(key, data, write_once=True, content_type="application/octet-stream")
    sha = hashlib.sha256(data).hexdigest()
    with ctx.db.session() as s:
        if activate:
            s.execute(update(ClassifierModel).values(active=False))
        s.add(ClassifierModel(id=model_id, object_key=key, sha256=sha, taxonomy=tax.digest,
                              active=activate, meta=model.meta))
    with _lock:
        _loaded[model_id] = model
        _active.pop(ctx.db.url, None)
    return {"model_id": model_id, "active": activate, "documents": len(texts),
            "human_labels": len(human), "check_macro_f1": macro_f1, "object_key": key,
            "sha256": sha, "seconds": model.meta["seconds"]}
