"""HiFi-GAN v2 vocoder against upstream coqui-tts 0.28 (tools/oracle/make_spectrogram_refs.py).

The released-size v2 generator with deterministic weights, stored with legacy
``weight_g``/``weight_v`` keys in both released checkpoint layouts, loaded through
``GAN.load_checkpoint`` (the safe loader) from a ``config.json`` read by ``load_config``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from tests.tacotron.fixtures import build_vocoder_folder, load_case, vocoder_input
from TTS.config import load_config
from TTS.core.errors import CheckpointError, InvalidInputError
from TTS.vocoder.configs import HifiganConfig
from TTS.vocoder.models import setup_generator, setup_model
from TTS.vocoder.models.gan import GAN


@pytest.mark.parametrize("layout", ["old", "new"])
def test_hifigan_v2_matches_upstream(layout, tmp_path):
    meta, refs = load_case("hifigan_v2")
    checkpoint, config_path = build_vocoder_folder(tmp_path, layout=layout)
    config = load_config(config_path)
    model = setup_model(config)
    assert isinstance(model, GAN)
    model.load_checkpoint(config, checkpoint, eval=True)
    assert not model.training
    wav = model.inference(vocoder_input(meta)).numpy()
    assert wav.shape == refs["wav"].shape == (1, 1, (24 + 2 * 5) * 256)
    np.testing.assert_allclose(wav, refs["wav"], atol=1e-4, rtol=0)
    assert model.output_sample_rate == 22050


def test_old_vocoder_config_with_only_generator_model(tmp_path):
    meta, _ = load_case("hifigan_v2")
    config = dict(meta["config"])
    del config["model"]
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    model = setup_model(load_config(path))
    assert isinstance(model, GAN)


def test_checkpoint_that_does_not_match_names_the_keys(tmp_path):
    checkpoint, config_path = build_vocoder_folder(tmp_path)
    state = torch.load(checkpoint, weights_only=True)
    del state["model"]["conv_post.bias"]
    torch.save(state, checkpoint)
    config = load_config(config_path)
    model = setup_model(config)
    with pytest.raises(CheckpointError, match="conv_post.bias"):
        model.load_checkpoint(config, checkpoint, eval=True)


def test_unimplemented_generator_is_a_clear_error():
    config = HifiganConfig()
    config.generator_model = "nonexistent_generator"
    with pytest.raises(InvalidInputError, match="nonexistent_generator"):
        setup_generator(config)
