"""OverFlow (inference): neural HMM sampling followed by an inverse Glow flow, then the data statistics.

Layers live in :mod:`TTS.tts.layers.overflow`. Sampling uses ``torch`` random draws when
``sampling_temp > 0`` (released default 0.334): seed torch for repeatable output.
"""

from __future__ import annotations

from typing import Any

import torch

from TTS.tts.configs.overflow_config import OverflowConfig
from TTS.tts.layers.overflow.decoder import Decoder
from TTS.tts.layers.overflow.hmm_tts import NeuralHMMTTSBase

__all__ = ["Overflow", "OverflowConfig"]


class Overflow(NeuralHMMTTSBase):
    """OverFlow model; checkpoint keys ``encoder``, ``neural_hmm``, ``decoder.glow_decoder``, ``mean``, ``std``."""

    def __init__(
        self, config: OverflowConfig, ap: Any = None, tokenizer: Any = None, speaker_manager: Any = None
    ) -> None:
        super().__init__(config)
        if ap is not None:
            self.ap = ap
        c = self.config
        self.decoder = Decoder(
            c.out_channels,
            c.hidden_channels_dec,
            c.kernel_size_dec,
            c.dilation_rate,
            c.num_flow_blocks_dec,
            c.num_block_layers,
            num_splits=c.num_splits,
            num_squeeze=c.num_squeeze,
            sigmoid_scale=c.sigmoid_scale,
            c_in_channels=c.c_in_channels,
        )

    @torch.inference_mode()
    def inference(self, text: torch.Tensor, aux_input: dict[str, Any] | None = None) -> dict[str, Any]:
        """Token ids ``text`` (B, T_in) -> ``model_outputs`` (B, T_out, C), ``model_outputs_len`` (B,),
        ``alignments`` (B, T_hmm + 1, N) one-hot state paths, ``hmm_outputs`` (B, T_hmm, C)."""
        outputs = self._sample(text, aux_input)
        mels, lengths = self.decoder.inverse(outputs["hmm_outputs"].transpose(1, 2), outputs["hmm_outputs_len"])
        outputs.update({"model_outputs": self.inverse_normalize(mels.transpose(1, 2)), "model_outputs_len": lengths})
        return outputs
