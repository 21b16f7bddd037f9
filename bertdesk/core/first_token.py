"""The last encoder layer for the first token alone.

BERT's sequence classifier reads one vector: the pooler's, made from the last layer's output at the
first token ([CLS]). Every other token's last-layer output is computed and dropped. Computed for that
token alone (its query against every token's keys and values, then the attention output, the layer
norms and the feed-forward block for one position), the logits are the same and the last layer costs
2/12 of its matrix products: for six layers, 86 % of the model's. ``Predictor.run`` with torch uses
it (labeling, evaluating a sheet, the suggestions' predictions, the label-error folds), and so do the
ONNX graphs ``core.fast`` builds (for labeling and for ``bertdesk-cli export``); the parity checks
compare with the whole model (``Predictor.run(whole=True)``). Training and the views that read hidden
states or attention maps use the whole model.
"""

from __future__ import annotations

import contextlib


def _first_token_layer(layer):
    """BERT's encoder layer computing only the first token's output: its query attends to every
    token's keys and values, as in the full layer, and nothing else is computed. Exact for a model
    whose outputs read only that token."""
    import torch

    class FirstToken(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = layer

        def forward(self, hidden_states, attention_mask=None, *args, **kwargs):
            attn = self.layer.attention.self
            batch, length, _ = hidden_states.shape
            heads, size = attn.num_attention_heads, attn.attention_head_size
            first = hidden_states[:, :1]
            query = attn.query(first).view(batch, 1, heads, size).transpose(1, 2)
            key = attn.key(hidden_states).view(batch, length, heads, size).transpose(1, 2)
            value = attn.value(hidden_states).view(batch, length, heads, size).transpose(1, 2)
            scores = torch.matmul(query, key.transpose(2, 3)) * getattr(attn, "scaling", size ** -0.5)
            if attention_mask is not None:
                mask = attention_mask.bool()[:, None, None, :] if attention_mask.dim() == 2 \
                    else attention_mask[..., :1, :]               # [batch, 1, 1 or length, length]
                scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min) if mask.dtype == torch.bool \
                    else scores + mask
            context = torch.matmul(torch.softmax(scores, -1), value).transpose(1, 2).reshape(batch, 1, heads * size)
            return self.layer.feed_forward_chunk(self.layer.attention.output(context, first))

    return FirstToken()


@contextlib.contextmanager
def last_layer_first_token(model, task):
    """While in it: ``model``'s last layer computes the first token alone, where the task reads only
    it (``Task.reads_first_token``) and the model is BERT's classifier (its pooler reads that token);
    any other model is left whole. Not for training, nor for anything reading hidden states or
    attention maps; the caller holds the model (``Predictor.lock``) while in it."""
    if model is None or not task.reads_first_token:
        yield
        return
    from transformers import BertForSequenceClassification

    layers = getattr(getattr(getattr(model, "bert", None), "encoder", None), "layer", None)
    last = layers[-1] if layers is not None and len(layers) else None
    usable = (type(model) is BertForSequenceClassification and last is not None
              and not getattr(model.config, "is_decoder", False)      # causal masks: not one query's view
              and type(last).__name__ == "BertLayer" and not getattr(last, "add_cross_attention", False)
              and getattr(last, "chunk_size_feed_forward", 0) == 0)
    if not usable:
        yield
        return
    layers[-1] = _first_token_layer(last)
    try:
        yield
    finally:
        layers[-1] = last
