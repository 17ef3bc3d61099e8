"""What every vocoder model shares: its config, its audio processor, the inference contract.

A vocoder turns normalised mel frames ``(B, C_mel, T)`` into audio ``(B, 1, T * hop)``
with ``inference``; the synthesizer normalises the spectrogram model's output with
the vocoder's own ``audio`` settings first.
"""

from __future__ import annotations

from typing import Any

from torch import nn

__all__ = ["BaseVocoder"]


class BaseVocoder(nn.Module):
    """Base class of the vocoder families (``MODEL_TYPE = "vocoder"``)."""

    MODEL_TYPE = "vocoder"

    def __init__(self, config: Any) -> None:
        super().__init__()
        self.config = config
        self._ap: Any = None

    @classmethod
    def init_from_config(cls, config: Any, verbose: bool = True) -> BaseVocoder:
        """Build the model from its config (``verbose`` is accepted for upstream compatibility)."""
        return cls(config)

    @property
    def ap(self) -> Any:
        """The ``AudioProcessor`` for this vocoder's ``audio`` settings (built on first use)."""
        if self._ap is None:
            from TTS.utils.audio import AudioProcessor

            self._ap = AudioProcessor(**dict(self.config.audio), verbose=False)
        return self._ap

    @property
    def output_sample_rate(self) -> int:
        """Sample rate of the audio this vocoder produces (Hz)."""
        return int(self.config.audio["sample_rate"])

    @property
    def speaker_names(self) -> list[str]:
        """Vocoders have no speakers (kept for the model contract)."""
        return []

    @property
    def language_names(self) -> list[str]:
        """Vocoders have no languages (kept for the model contract)."""
        return []
