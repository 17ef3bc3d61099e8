"""WavLM settings, with the field names and defaults of the released ``cfg`` dictionaries.

The released ``WavLM-Large.pt`` stores its settings as a plain dict (fairseq style), which
``WavLMConfig(cfg_dict)`` takes as it is: known fields override the defaults below, and keys
we do not use (training options of the original recipe) are kept as attributes so nothing in
a released file is rejected.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["ConvLayerSpec", "WavLMConfig", "parse_conv_layers"]

logger = logging.getLogger(__name__)

#: One convolution of the waveform feature extractor: (output channels, kernel size, stride).
ConvLayerSpec = tuple[int, int, int]
# Longest repeat accepted in a layer expression ("[(512,3,2)] * 4").
_MAX_REPEAT = 64


@dataclass(init=False)
class WavLMConfig:
    """Architecture of a WavLM model. ``WavLMConfig(cfg_dict)`` or ``WavLMConfig(**fields)``."""

    extractor_mode: str = "default"
    """``"default"``: one group norm (a group per channel) after the first convolution only;
    ``"layer_norm"``: a layer norm after every convolution (WavLM-Large)."""
    encoder_layers: int = 12
    """Transformer layers."""
    encoder_embed_dim: int = 768
    """Transformer width."""
    encoder_ffn_embed_dim: int = 3072
    """Hidden width of each feed-forward block."""
    encoder_attention_heads: int = 12
    """Attention heads per layer."""
    activation_fn: str = "gelu"
    """Feed-forward activation: ``relu``, ``gelu``, ``gelu_accurate``, ``tanh``, ``linear`` or ``glu``."""
    layer_norm_first: bool = False
    """Pre-norm transformer layers (norm before attention / feed-forward) plus a final norm."""
    conv_feature_layers: str = "[(512,10,5)] + [(512,3,2)] * 4 + [(512,2,2)] * 2"
    """Feature-extractor convolutions as a list expression of ``(dim, kernel, stride)`` tuples."""
    conv_bias: bool = False
    """Bias in the feature-extractor convolutions."""
    feature_grad_mult: float = 1.0
    """Gradient scale for the feature extractor (training only)."""
    normalize: bool = False
    """The model was trained on zero-mean, unit-variance waveforms. ``extract_features`` does not
    apply this itself (neither does upstream); callers that want it normalise the input."""
    dropout: float = 0.1
    """Transformer dropout (training only)."""
    attention_dropout: float = 0.1
    """Attention-weight dropout (training only)."""
    activation_dropout: float = 0.0
    """Feed-forward dropout (training only)."""
    encoder_layerdrop: float = 0.0
    """Probability of skipping a whole layer (training only)."""
    dropout_input: float = 0.0
    """Dropout on the extracted features (training only)."""
    dropout_features: float = 0.0
    """Dropout on the features used as targets (training only)."""
    mask_length: int = 10
    """Span length of time masking (training only)."""
    mask_prob: float = 0.65
    """Share of frames masked (training only)."""
    mask_selection: str = "static"
    """How span lengths are drawn (training only)."""
    mask_other: float = 0
    """Second parameter of the span-length distribution (training only)."""
    no_mask_overlap: bool = False
    """Forbid overlapping time masks (training only)."""
    mask_min_space: int = 1
    """Frames kept between non-overlapping spans (training only)."""
    mask_channel_length: int = 10
    """Span length of channel masking (training only)."""
    mask_channel_prob: float = 0.0
    """Share of channels masked (training only)."""
    mask_channel_selection: str = "static"
    """How channel span lengths are drawn (training only)."""
    mask_channel_other: float = 0
    """Second parameter of the channel span distribution (training only)."""
    no_mask_channel_overlap: bool = False
    """Forbid overlapping channel masks (training only)."""
    mask_channel_min_space: int = 1
    """Channels kept between non-overlapping channel spans (training only)."""
    conv_pos: int = 128
    """Kernel size of the convolutional positional embedding."""
    conv_pos_groups: int = 16
    """Groups of the convolutional positional embedding."""
    relative_position_embedding: bool = False
    """Add a learned, bucketed relative-position bias to the attention scores."""
    num_buckets: int = 320
    """Relative-position buckets (half for each direction)."""
    max_distance: int = 1280
    """Distance (frames) at which the logarithmic buckets end."""
    gru_rel_pos: bool = False
    """Scale the relative-position bias by a gate computed from each query."""

    def __init__(self, cfg: Mapping[str, Any] | None = None, **overrides: Any) -> None:
        for field in fields(self):
            setattr(self, field.name, field.default)
        if cfg is not None:
            self.update(cfg)
        if overrides:
            self.update(overrides)

    def update(self, cfg: Mapping[str, Any]) -> None:
        """Set every key of ``cfg`` as an attribute (unknown keys are kept too, as released files have them)."""
        known = {field.name for field in fields(self)}
        extra = sorted(set(cfg) - known)
        if extra:
            logger.debug("WavLM config keys not used for inference: %s", ", ".join(extra))
        self.__dict__.update(cfg)

    @classmethod
    def from_dict(cls, cfg: Mapping[str, Any]) -> WavLMConfig:
        """Same as ``WavLMConfig(cfg)``."""
        return cls(cfg)

    def to_dict(self) -> dict[str, Any]:
        """Every attribute, including keys kept from a released ``cfg``."""
        return dict(self.__dict__)

    @property
    def conv_layers(self) -> list[ConvLayerSpec]:
        """``conv_feature_layers`` as a list of ``(dim, kernel, stride)``."""
        return parse_conv_layers(self.conv_feature_layers)


def _literal(node: ast.AST, spec: str) -> Any:
    """Evaluate a list expression made only of int literals, lists, tuples, ``+`` and ``*``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.List):
        return [_literal(item, spec) for item in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_literal(item, spec) for item in node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mult):
        left, right = _literal(node.left, spec), _literal(node.right, spec)
        if isinstance(node.op, ast.Add) and type(left) is type(right) and not isinstance(left, int):
            return left + right
        if isinstance(node.op, ast.Mult):
            items, times = (left, right) if isinstance(left, list) else (right, left)
            if isinstance(items, list) and isinstance(times, int) and 0 <= times <= _MAX_REPEAT:
                return items * times
    raise ValueError(f"conv_feature_layers {spec!r}: only lists of (dim, kernel, stride) tuples, + and * are allowed")


def parse_conv_layers(spec: str | Sequence[Sequence[int]]) -> list[ConvLayerSpec]:
    """Read ``"[(512,10,5)] + [(512,3,2)] * 4"`` (or an already parsed list) without ``eval``.

    Raises:
        ValueError: anything other than a list of ``(dim, kernel, stride)`` integer triples.
    """
    if isinstance(spec, str):
        try:
            value = _literal(ast.parse(spec.strip(), mode="eval").body, spec)
        except SyntaxError as err:
            raise ValueError(f"conv_feature_layers {spec!r} is not a list expression: {err.msg}") from None
    else:
        value = spec
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(f"conv_feature_layers {spec!r} must describe at least one convolution")
    layers: list[ConvLayerSpec] = []
    for item in value:
        if not isinstance(item, list | tuple) or len(item) != 3 or not all(isinstance(n, int) and n > 0 for n in item):
            raise ValueError(f"conv_feature_layers {spec!r}: {item!r} is not a (dim, kernel, stride) triple")
        layers.append((int(item[0]), int(item[1]), int(item[2])))
    return layers
