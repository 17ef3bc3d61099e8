"""WavLM's transformer: a convolutional positional embedding, then post- or pre-norm layers.

Keys (as released): ``pos_conv.0.weight``/``bias`` (stored weight-normed in released files as
``weight_g``/``weight_v`` over dim 2, or as torch's ``parametrizations.weight.original0/1``;
folded into a plain weight when loading), ``layers.N.{self_attn, self_attn_layer_norm, fc1,
fc2, final_layer_norm}`` (``fc1.linear`` with the ``glu`` activation), ``layer_norm``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from TTS.core.state_dict import fold_weight_norm
from TTS.vc.layers.wavlm.attention import RelativePositionAttention
from TTS.vc.layers.wavlm.config import WavLMConfig

__all__ = ["LayerResult", "PositionalConv", "TransformerEncoder", "TransformerEncoderLayer"]

#: One entry of the per-layer outputs: (hidden states (T, B, C), attention weights, always None here).
LayerResult = tuple[torch.Tensor, None]

#: Dim of the positional convolution's weight that weight norm keeps (the kernel taps).
POS_CONV_NORM_DIM = 2


def _gelu_fp32(x: torch.Tensor) -> torch.Tensor:
    return F.gelu(x.float()).to(x.dtype)


def _gelu_tanh(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * torch.pow(x, 3))))


_ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "relu": F.relu,
    "gelu": _gelu_fp32,
    "gelu_fast": _gelu_tanh,
    "gelu_accurate": _gelu_tanh,
    "tanh": torch.tanh,
    "linear": lambda x: x,
}


class _GluLinear(nn.Module):
    """Linear to 2 x dim, first half times swish(second half); the projection is ``linear``."""

    def __init__(self, in_dim: int, out_dim: int) -> None:
        super().__init__()
        self.out_dim = out_dim
        self.linear = nn.Linear(in_dim, out_dim * 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        value, gate = self.linear(x).split(self.out_dim, dim=-1)
        return value * F.silu(gate)


class PositionalConv(nn.Module):
    """Grouped conv over time, trimmed to the input length, then GELU: (B, C, T) -> (B, C, T).

    The conv is registered as ``0``. Weight-normed checkpoints (either spelling) are folded
    into the plain weight by ``_load_from_state_dict``, so nested ``load_state_dict`` calls
    (a model holding a WavLM) accept released files as they are.
    """

    def __init__(self, dim: int, kernel: int, groups: int) -> None:
        super().__init__()
        self.add_module("0", nn.Conv1d(dim, dim, kernel, padding=kernel // 2, groups=groups))
        # "Same" padding of an even kernel yields one extra frame at the end.
        self.trim = 1 if kernel % 2 == 0 else 0

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):  # type: ignore[no-untyped-def]
        conv = prefix + "0"
        pairs = (("weight_g", "weight_v"), ("parametrizations.weight.original0", "parametrizations.weight.original1"))
        for g_name, v_name in pairs:
            g_key, v_key = f"{conv}.{g_name}", f"{conv}.{v_name}"
            if g_key in state_dict and v_key in state_dict:
                folded = fold_weight_norm(
                    {g_key: state_dict[g_key], v_key: state_dict[v_key]}, {conv: POS_CONV_NORM_DIM}
                )
                del state_dict[g_key], state_dict[v_key]
                state_dict[f"{conv}.weight"] = folded[f"{conv}.weight"]
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self._modules["0"](x)
        if self.trim:
            y = y[:, :, : -self.trim]
        return F.gelu(y)


class TransformerEncoderLayer(nn.Module):
    """Attention and feed-forward blocks with residuals on (B, T, C); post-norm or pre-norm."""

    def __init__(self, cfg: WavLMConfig, has_relative_attention_bias: bool) -> None:
        super().__init__()
        dim = cfg.encoder_embed_dim
        self.layer_norm_first = bool(cfg.layer_norm_first)
        self.self_attn = RelativePositionAttention(
            dim,
            cfg.encoder_attention_heads,
            has_relative_attention_bias=has_relative_attention_bias,
            num_buckets=cfg.num_buckets,
            max_distance=cfg.max_distance,
            gru_rel_pos=bool(cfg.gru_rel_pos),
        )
        self.self_attn_layer_norm = nn.LayerNorm(dim)
        if cfg.activation_fn == "glu":
            self.fc1: nn.Module = _GluLinear(dim, cfg.encoder_ffn_embed_dim)
            self.activation: Callable[[torch.Tensor], torch.Tensor] = _ACTIVATIONS["linear"]
        elif cfg.activation_fn in _ACTIVATIONS:
            self.fc1 = nn.Linear(dim, cfg.encoder_ffn_embed_dim)
            self.activation = _ACTIVATIONS[cfg.activation_fn]
        else:
            raise ValueError(f"activation_fn {cfg.activation_fn!r} is not one of {sorted([*_ACTIVATIONS, 'glu'])}")
        self.fc2 = nn.Linear(cfg.encoder_ffn_embed_dim, dim)
        self.final_layer_norm = nn.LayerNorm(dim)

    def _feed_forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.activation(self.fc1(x)))

    def forward(
        self,
        x: torch.Tensor,
        padding_mask: torch.Tensor | None = None,
        position_bias: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """x (B, T, C) -> (x, the ungated position bias for the next layer)."""
        if self.layer_norm_first:
            attended, position_bias = self.self_attn(self.self_attn_layer_norm(x), padding_mask, position_bias)
            x = x + attended
            x = x + self._feed_forward(self.final_layer_norm(x))
        else:
            attended, position_bias = self.self_attn(x, padding_mask, position_bias)
            x = self.self_attn_layer_norm(x + attended)
            x = self.final_layer_norm(x + self._feed_forward(x))
        return x, position_bias


class TransformerEncoder(nn.Module):
    """Frame features (B, T, C) -> contextual features (B, T, C), optionally stopping early."""

    def __init__(self, cfg: WavLMConfig) -> None:
        super().__init__()
        dim = cfg.encoder_embed_dim
        self.layer_norm_first = bool(cfg.layer_norm_first)
        self.pos_conv = PositionalConv(dim, cfg.conv_pos, cfg.conv_pos_groups)
        relative = bool(getattr(cfg, "relative_position_embedding", False))
        self.layers = nn.ModuleList(
            TransformerEncoderLayer(cfg, has_relative_attention_bias=relative and index == 0)
            for index in range(cfg.encoder_layers)
        )
        self.layer_norm = nn.LayerNorm(dim)

    def forward(
        self,
        x: torch.Tensor,
        padding_mask: torch.Tensor | None = None,
        last_layer: int | None = None,
    ) -> tuple[torch.Tensor, list[LayerResult]]:
        """Run the layers on x (B, T, C).

        Args:
            padding_mask: (B, T) bool, True at padded frames (zeroed here, **in place** in ``x``,
                and never attended to).
            last_layer: 0-based index of the layer whose output is returned (no final norm
                then); None runs every layer and applies the final norm of pre-norm models.

        Returns:
            (features (B, T, C), per-layer results): with ``last_layer`` given, the
            encoder input followed by each layer's output up to ``last_layer``, each as
            ((T, B, C), None); an empty list otherwise.
        """
        if padding_mask is not None:
            x[padding_mask] = 0
        # In place, as upstream: a caller holding `x` (ret_conv) sees the positional term added.
        x += self.pos_conv(x.transpose(1, 2)).transpose(1, 2)
        if not self.layer_norm_first:
            x = self.layer_norm(x)
        results: list[LayerResult] = []
        if last_layer is not None:
            results.append((x.transpose(0, 1), None))
        position_bias = None
        for index, layer in enumerate(self.layers):
            x, position_bias = layer(x, padding_mask, position_bias)
            if last_layer is not None:
                results.append((x.transpose(0, 1), None))
            if index == last_layer:
                break
        if self.layer_norm_first and last_layer is None:
            x = self.layer_norm(x)
        return x, results
