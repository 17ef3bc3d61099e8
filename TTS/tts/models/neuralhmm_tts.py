"""Neural-HMM TTS (inference): neural HMM sampling, then the data statistics (no flow).

Layers live in :mod:`TTS.tts.layers.overflow`. Released default ``sampling_temp`` is 0
(means are emitted), but the prenet keeps dropout at inference: seed torch for repeatable output.
"""

from __future__ import annotations

from typing import Any

import torch

from TTS.tts.configs.neuralhmm_tts_config import NeuralhmmTTSConfig
from TTS.tts.layers.overflow.hmm_tts import NeuralHMMTTSBase

__all__ = ["NeuralhmmTTS", "NeuralhmmTTSConfig"]


class NeuralhmmTTS(NeuralHMMTTSBase):
    """Neural-HMM TTS model; checkpoint keys ``encoder``, ``neural_hmm``, ``mean``, ``std``."""

    def __init__(
        self, config: NeuralhmmTTSConfig, ap: Any = None, tokenizer: Any = None, speaker_manager: Any = None
    ) -> None:
        super().__init__(config)
        if ap is not None:
            self.ap = ap

    @torch.inference_mode()
    def inference(self, text: torch.Tensor, aux_input: dict[str, Any] | None = None) -> dict[str, Any]:
        """Token ids ``text`` (B, T_in) -> ``model_outputs`` (B, T_out, C), ``model_outputs_len`` (B,),
        ``alignments`` (B, T_out + 1, N) one-hot state paths."""
        outputs = self._sample(text, aux_input)
        outputs.update(
            {
                "model_outputs": self.inverse_normalize(outputs["hmm_outputs"]),
                "model_outputs_len": outputs["hmm_outputs_len"],
            }
        )
        return outputs
