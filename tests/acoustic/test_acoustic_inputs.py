"""Spectrogram models through the real pipeline, and what they do with bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.acoustic.fixtures import build_folder, load_case, load_model
from TTS.core.errors import CheckpointError, InvalidInputError


@pytest.fixture(scope="module")
def glow_folder(tmp_path_factory):
    manifest, _ = load_case("glow_single")
    return build_folder(manifest, tmp_path_factory.mktemp("glow"))


def test_synthesizer_runs_glow_with_griffin_lim(glow_folder):
    from TTS.utils.synthesizer import Synthesizer

    checkpoint, config = glow_folder
    synth = Synthesizer(tts_checkpoint=str(checkpoint), tts_config_path=str(config))
    assert synth.output_sample_rate == 22050
    wav = synth.tts("Hi there.")
    assert len(wav) > 10000 and np.isfinite(wav).all()


def test_empty_text_is_refused(tmp_path):
    model, _, _ = load_model("fast_pitch", tmp_path)
    for text in ("", "   "):
        with pytest.raises(InvalidInputError, match="empty"):
            model.synthesize(text)


def test_speakers_are_listed_and_checked(tmp_path):
    model, _, _ = load_model("fast_pitch_multi", tmp_path)
    assert model.speaker_names == ["p225", "p226", "p227"]
    with pytest.raises(InvalidInputError, match="p225"):
        model.synthesize("Hello.", speaker="nobody")
    with pytest.raises(InvalidInputError, match="several speakers"):
        model.synthesize("Hello.")
    by_name = model.synthesize("Hello.", speaker="p226")["mel"]
    by_id = model.synthesize("Hello.", speaker=1)["mel"]
    np.testing.assert_array_equal(by_name, by_id)


def test_speedy_speech_short_input_says_what_to_do(tmp_path):
    model, _, _ = load_model("speedy_speech", tmp_path)
    with pytest.raises(InvalidInputError, match="longer sentence"):
        model.inference(torch.tensor([[3, 4, 5]]))


def test_hmm_sampling_is_bounded(tmp_path, caplog):
    model, _, _ = load_model("neuralhmm", tmp_path)
    torch.manual_seed(0)
    out = model.inference(torch.tensor([[3, 17, 25, 9]]), aux_input={"max_sampling_time": 5, "duration_threshold": 0.0})
    assert out["model_outputs"].shape[1] == 5
    assert "max_sampling_time" in caplog.text


def test_overflow_keeps_float_statistics(tmp_path):
    """Upstream truncates the checkpoint's mean/std into int64 buffers; we keep the trained floats."""
    manifest, _ = load_case("neuralhmm")
    manifest = {**manifest, "stats": {"mean": -4.25, "std": 2.5, "init_transition_prob": 0.1}}
    checkpoint, config_path = build_folder(manifest, tmp_path)
    from TTS.config import load_config
    from TTS.tts.models.neuralhmm_tts import NeuralhmmTTS

    config = load_config(str(config_path))
    model = NeuralhmmTTS.init_from_config(config)
    model.load_checkpoint(config, checkpoint_path=str(checkpoint))
    assert model.mean.item() == -4.25 and model.std.item() == 2.5
    assert model.mean.dtype == torch.float32


def test_mismatched_checkpoint_names_the_keys(tmp_path):
    manifest, _ = load_case("glow_single")
    checkpoint, config_path = build_folder(manifest, tmp_path)
    state = torch.load(checkpoint, weights_only=True)
    del state["model"]["encoder.proj_m.weight"]
    torch.save(state, checkpoint)
    from TTS.config import load_config
    from TTS.tts.models.glow_tts import GlowTTS

    config = load_config(str(config_path))
    with pytest.raises(CheckpointError, match="encoder.proj_m.weight"):
        GlowTTS.init_from_config(config).load_checkpoint(config, checkpoint_path=str(checkpoint))


def test_families_resolve_to_our_classes():
    from TTS.families import get_family, is_implemented

    for name in ("glow_tts", "fast_pitch", "fast_speech", "fastspeech2", "speedy_speech", "overflow", "neuralhmm_tts"):
        assert is_implemented(name), name
        family = get_family(name)
        assert family.needs_vocoder
        assert family.load_model_class().__module__.startswith("TTS.tts.models.")
