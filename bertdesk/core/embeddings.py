"""A model's frozen view of texts: mean-pooled embeddings, and a logistic-regression head on them.

Three jobs use these: the label-error finder (out-of-fold heads), "what to label next" (k-means
over the embeddings) and the frozen-encoder training for sheets with few labels.
"""

from __future__ import annotations

import time

import numpy as np

from .cancel import check
from .events import Progress, emit

EMBED_BATCH = 32
HEAD_CS = (0.1, 0.3, 1.0, 3.0, 10.0)         # inverse regularisation strengths a head chooses from
HEAD_C_FEW = 10.0                           # when a class has too few rows for an inner cross-validation


def embed(model_name, task, examples, *, on_event=None, cancel=None) -> np.ndarray:
    """Mean-pooled last-layer embeddings of each example's text with the model ``model_name``
    (bundled, folder or hub id)."""
    from transformers import AutoModel

    from .models import load_model, load_tokenizer, resolve_model

    source = resolve_model(model_name)
    return embed_with(load_model(AutoModel, source), load_tokenizer(source), task, examples,
                      on_event=on_event, cancel=cancel)


def embed_with(encoder, tokenizer, task, examples, *, on_event=None, cancel=None) -> np.ndarray:
    """Mean-pooled last-layer embeddings (pairs: both texts), float32, [n, hidden]; texts longer
    than the task's window are cut to it. ``encoder`` is a BertModel (or any model whose output has
    ``last_hidden_state``)."""
    import torch

    from .heads import mean_pool

    encoder.eval()
    n, out, t0 = len(examples), [], time.time()
    pairs = getattr(examples, "pairs", None)
    order = np.argsort([len(t) for t in examples.texts], kind="stable")     # similar lengths, less padding
    with torch.inference_mode():
        for start in range(0, n, EMBED_BATCH):
            check(cancel)
            idx = order[start:start + EMBED_BATCH]
            texts = [examples.texts[i] for i in idx]
            second = [pairs[i] for i in idx] if pairs is not None else None
            enc = tokenizer(texts, second, truncation=True, max_length=task.max_length, padding=True,
                            return_tensors="pt")
            device = next(encoder.parameters()).device
            hidden = encoder(**{k: v.to(device) for k, v in enc.items()}).last_hidden_state
            pooled = mean_pool(hidden, enc["attention_mask"].to(device))
            out.append((idx, pooled.float().cpu().numpy()))
            done = min(n, start + EMBED_BATCH)
            elapsed = time.time() - t0
            emit(on_event, Progress("embedding", done, n, elapsed, elapsed / done * (n - done)))
    result = np.zeros((n, out[0][1].shape[1] if out else 0), dtype=np.float32)
    for idx, vectors in out:
        result[idx] = vectors
    return result


def fit_head(embeddings: np.ndarray, y: np.ndarray, *, seed: int = 42, balanced: bool = False):
    """A logistic-regression head on L2-normalised embeddings (a scikit-learn pipeline); its
    regularisation is chosen by an inner cross-validation on log loss when every class has at
    least 2 rows. ``balanced``: classes weighted by inverse frequency."""
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import Normalizer

    smallest = int(np.bincount(y)[np.unique(y)].min())
    if smallest >= 2:
        inner = max(2, min(3, smallest))
        head = LogisticRegressionCV(Cs=HEAD_CS, cv=inner, max_iter=2000, l1_ratios=(0,), scoring="neg_log_loss",
                                    use_legacy_attributes=False, random_state=seed,
                                    class_weight="balanced" if balanced else None)
    else:
        head = LogisticRegression(C=HEAD_C_FEW, max_iter=2000, random_state=seed,
                                  class_weight="balanced" if balanced else None)
    return make_pipeline(Normalizer(), head).fit(embeddings, y)


def head_weights(pipeline, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """The fitted head as one linear layer over normalised embeddings: (weight [n_classes, hidden],
    bias [n_classes]) giving the same class probabilities under a softmax. A class the head never
    saw gets a logit far below the others."""
    lr = pipeline[-1]
    coef, intercept = np.asarray(lr.coef_, dtype=np.float64), np.asarray(lr.intercept_, dtype=np.float64)
    if len(lr.classes_) == 2 and coef.shape[0] == 1:
        # a binary head scores one class against the other: logits (0, z) give sigmoid(z) under a softmax
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        intercept = np.array([0.0, intercept[0]])
    weight = np.zeros((n_classes, coef.shape[1]))
    bias = np.full(n_classes, -30.0)
    weight[lr.classes_] = coef
    bias[lr.classes_] = intercept
    return weight.astype(np.float32), bias.astype(np.float32)
