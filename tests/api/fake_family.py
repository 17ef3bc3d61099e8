"""A fake spectrogram TTS family and a fake vocoder family that follow the model contract.

They let the synthesizer's mel -> vocoder path (renormalisation, sample-rate
stretch, Griffin-Lim fallback) be tested before the real spectrogram families exist.
Tests register them in ``TTS.families.FAMILIES`` with ``monkeypatch.setitem``.
"""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from TTS.config.shared_configs import BaseAudioConfig, BaseTrainingConfig
from TTS.core.checkpoint import load_checkpoint_file
from TTS.families import Family
from TTS.tts.configs.shared_configs import BaseTTSConfig

MEL_FAMILY = Family("tests.api.fake_family:FakeMelConfig", "tests.api.fake_family:FakeMelModel", needs_vocoder=True)
VOCODER_FAMILY = Family("tests.api.fake_family:FakeVocoderConfig", "tests.api.fake_family:FakeVocoder", "vocoder")


@dataclass
class FakeMelConfig(BaseTTSConfig):
    model: str = "fake_mel"


@dataclass
class FakeVocoderConfig(BaseTrainingConfig):
    model: str = "fake_vocoder"
    audio: BaseAudioConfig = field(default_factory=BaseAudioConfig)


class FakeMelModel(nn.Module):
    """Text -> a denormalised (dB) mel ``(C, T)`` with 10 frames per character."""

    def __init__(self, config: FakeMelConfig) -> None:
        super().__init__()
        self.config = config
        self.scale = nn.Parameter(torch.zeros(1))
        self.calls: list[dict[str, Any]] = []

    @classmethod
    def init_from_config(cls, config: FakeMelConfig) -> "FakeMelModel":
        return cls(config)

    def load_checkpoint(self, config: Any, checkpoint_path: str, eval: bool = True, **_: Any) -> None:
        state = load_checkpoint_file(checkpoint_path)
        self.load_state_dict(state["model"])
        if eval:
            self.eval()

    speaker_names: list[str] = []
    language_names: list[str] = []

    @property
    def output_sample_rate(self) -> int:
        return int(self.config.audio.sample_rate)

    @torch.inference_mode()
    def synthesize(self, text: str, *, speaker=None, language=None, speaker_wav=None, **kwargs: Any) -> dict:
        self.calls.append({"text": text, **kwargs})
        frames = 10 * len(text)
        mels = self.config.audio.num_mels
        # dB values in the normal speech range, varying over time and frequency
        grid = np.linspace(0, 1, frames, dtype=np.float32)[None, :] + np.linspace(0, 1, mels, dtype=np.float32)[:, None]
        mel = -60.0 + 40.0 * np.sin(3 * grid) + float(self.scale)
        return {"mel": mel.astype(np.float32)}


class FakeVocoder(nn.Module):
    """Mel ``(B, C, T)`` -> wav ``(B, 1, T * hop)``; remembers its last input."""

    def __init__(self, config: FakeVocoderConfig) -> None:
        super().__init__()
        self.hop = int(config.audio.hop_length)
        self.bias = nn.Parameter(torch.zeros(1))
        self.last_input: torch.Tensor | None = None

    @classmethod
    def init_from_config(cls, config: FakeVocoderConfig) -> "FakeVocoder":
        return cls(config)

    def load_checkpoint(self, config: Any, checkpoint_path: str, eval: bool = True, **_: Any) -> None:
        self.load_state_dict(load_checkpoint_file(checkpoint_path)["model"])
        if eval:
            self.eval()

    @torch.inference_mode()
    def inference(self, mel: torch.Tensor) -> torch.Tensor:
        self.last_input = mel.clone()
        frame_values = torch.tanh(mel.mean(dim=1, keepdim=True)) * 0.5 + 0.1 + self.bias
        return frame_values.repeat_interleave(self.hop, dim=-1)


def write_model(folder, config: Any, model_cls: type) -> tuple[str, str]:
    """Save ``config.json`` and ``model.pth`` for a fake model in ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    model = model_cls(config)
    torch.save({"model": model.state_dict()}, folder / "model.pth")
    config.save_json(folder / "config.json")
    return str(folder / "model.pth"), str(folder / "config.json")
