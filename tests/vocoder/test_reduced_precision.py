"""GAN vocoders' reduced-precision mode (bf16 generator): tracks fp32 for every generator family."""

from __future__ import annotations

import pytest
import torch

from tests.tacotron.fixtures import build_vocoder_folder, load_case, vocoder_input
from tests.vocoder_families.fixtures import GAN_CASES, load_released, references
from TTS.config import load_config
from TTS.core.precision import native_bf16
from TTS.vocoder.models import setup_model
from TTS.vocoder.models.gan import BF16_GENERATORS

#: Relative L2 of the waveform, bf16 generator vs fp32 (tiny deterministic-weight models).
TOLERANCE = 0.05


def _rel_l2(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).norm() / b.norm())


def _check(model: torch.nn.Module, mel: torch.Tensor) -> None:
    torch.manual_seed(1234)  # ParallelWaveGAN and UnivNet draw noise
    ref = model.inference(mel)
    assert model.enable_reduced_precision() == native_bf16("cpu")
    torch.manual_seed(1234)
    out = model.inference(mel)
    assert out.dtype == torch.float32 and out.shape == ref.shape
    if native_bf16("cpu"):
        assert 0 < _rel_l2(out, ref) < TOLERANCE
    else:
        torch.testing.assert_close(out, ref, rtol=0, atol=0)


@pytest.mark.parametrize("case", GAN_CASES)
def test_gan_generators(case, tmp_path):
    config, model = load_released(case, tmp_path)
    if config.generator_model not in BF16_GENERATORS:  # MelGAN family: no mode (yet)
        assert not hasattr(model, "enable_reduced_precision")
        return
    _check(model, torch.from_numpy(references(case)["mel"]))


def test_hifigan(tmp_path):
    checkpoint, config_path = build_vocoder_folder(tmp_path)
    config = load_config(config_path)
    model = setup_model(config)
    model.load_checkpoint(config, checkpoint, eval=True)
    meta, _ = load_case("hifigan_v2")
    _check(model, vocoder_input(meta))
