"""WavLM (Chen et al. 2022, arXiv:2110.13900) for feature extraction: waveform -> frame features.

16 kHz audio goes through a strided convolution stack (one frame per 320 samples with the
released layout), a layer norm, an optional projection to the transformer width and the
transformer. FreeVC reads the last layer, kNN-VC an intermediate one (``output_layer``).

Inference only: span masking and dropout of the original training code are not implemented.

Keys (as released): ``mask_emb``, ``feature_extractor.*``, ``layer_norm``,
``post_extract_proj`` (when the conv and transformer widths differ), ``encoder.*``.
"""

from __future__ import annotations

import logging

import torch
from torch import nn

from TTS.vc.layers.wavlm.config import WavLMConfig
from TTS.vc.layers.wavlm.encoder import LayerResult, TransformerEncoder
from TTS.vc.layers.wavlm.feature_extractor import ConvFeatureExtractor

__all__ = ["WavLM"]

logger = logging.getLogger(__name__)

FeatureOutput = torch.Tensor | tuple[torch.Tensor, list[LayerResult]]


def frame_padding_mask(padding_mask: torch.Tensor, frames: int) -> torch.Tensor:
    """Sample padding mask (B, samples) -> frame mask (B, frames): a frame is padding if any of
    its samples is. Trailing samples that do not fill a whole group are dropped first."""
    extra = padding_mask.size(1) % frames
    if extra:
        padding_mask = padding_mask[:, :-extra]
    return padding_mask.reshape(padding_mask.size(0), frames, -1).any(-1)


class WavLM(nn.Module):
    """Waveform (B, samples) at 16 kHz -> features (B, T', encoder_embed_dim)."""

    def __init__(self, cfg: WavLMConfig) -> None:
        super().__init__()
        if not isinstance(cfg, WavLMConfig):  # any object with the config's attributes
            cfg = WavLMConfig(vars(cfg))
        logger.debug("WavLM config: %s", cfg.to_dict())
        self.cfg = cfg
        conv_layers = cfg.conv_layers
        self.embed = conv_layers[-1][0]
        self.feature_extractor = ConvFeatureExtractor(conv_layers, mode=cfg.extractor_mode, conv_bias=cfg.conv_bias)
        self.post_extract_proj = (
            nn.Linear(self.embed, cfg.encoder_embed_dim) if self.embed != cfg.encoder_embed_dim else None
        )
        # Learned vector that replaced masked frames in training; kept so released files load strictly.
        self.mask_emb = nn.Parameter(torch.zeros(cfg.encoder_embed_dim))
        self.encoder = TransformerEncoder(cfg)
        self.layer_norm = nn.LayerNorm(self.embed)

    # No gradient ever flows through upstream's WavLM (its in-place positional term breaks backward),
    # so no graph is built. no_grad rather than inference_mode: the features may feed training.
    @torch.no_grad()
    def extract_features(
        self,
        source: torch.Tensor,
        padding_mask: torch.Tensor | None = None,
        mask: bool = False,
        ret_conv: bool = False,
        output_layer: int | None = None,
        ret_layer_results: bool = False,
    ) -> tuple[FeatureOutput, torch.Tensor | None]:
        """Features of a batch of waveforms, with upstream's return convention.

        The waveform is used as given: upstream does not normalise it here even when
        ``cfg.normalize`` is set, and neither do we.

        Args:
            source: (B, samples) float waveform at 16 kHz.
            padding_mask: (B, samples) bool, True at padded samples.
            mask: training-time span masking; not supported (raises).
            ret_conv: return the projected convolutional features instead of the transformer
                output. As upstream, they already include the positional-convolution term
                (the encoder adds it in place) and have padded frames zeroed.
            output_layer: 1-based transformer layer to stop after (its output, without the
                final norm); None for the full model.
            ret_layer_results: also return the per-layer results (see below).

        Returns:
            ``(features, padding_mask)``: features (B, T', D), or with ``ret_layer_results``
            the pair ``(features, layer_results)`` where layer_results is a list of
            ``(hidden (T', B, D), None)``: the encoder input then each layer's output up to
            ``output_layer`` (empty when ``output_layer`` is None). padding_mask is the
            (B, T') frame mask, or None.
        """
        if mask:
            raise NotImplementedError(
                "WavLM.extract_features(mask=True) is training-time span masking, which this inference-only "
                "WavLM does not implement; call it with mask=False."
            )
        if source.dim() != 2:
            raise ValueError(f"WavLM expects a (batch, samples) waveform, got shape {tuple(source.shape)}")
        features = self.feature_extractor(source).transpose(1, 2)
        features = self.layer_norm(features)
        if padding_mask is not None:
            padding_mask = frame_padding_mask(padding_mask, features.size(1))
        if self.post_extract_proj is not None:
            features = self.post_extract_proj(features)
        last_layer = None if output_layer is None else output_layer - 1
        hidden, layer_results = self.encoder(features, padding_mask=padding_mask, last_layer=last_layer)
        output: FeatureOutput = features if ret_conv else hidden
        if ret_layer_results:
            output = (output, layer_results)
        return output, padding_mask
