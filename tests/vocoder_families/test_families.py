"""Tiny checks of the vocoder families beyond parity: configs, registry, PQMF, noise schedules, WaveRNN folding."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
import torch

from TTS.core.errors import CheckpointError, InvalidInputError


@pytest.mark.parametrize(
    ("name", "config_class"),
    [
        ("melgan", "MelganConfig"),
        ("multiband_melgan", "MultibandMelganConfig"),
        ("fullband_melgan", "FullbandMelganConfig"),
        ("parallel_wavegan", "ParallelWaveganConfig"),
        ("univnet", "UnivnetConfig"),
        ("wavegrad", "WavegradConfig"),
        ("wavernn", "WavernnConfig"),
    ],
)
def test_registry_and_config_round_trip(name, config_class):
    import TTS.vocoder.configs as configs
    from TTS.families import get_family, is_implemented

    family = get_family(name)
    assert family.kind == "vocoder" and is_implemented(name)
    cls = getattr(configs, config_class)
    assert family.load_config_class() is cls
    config = cls()
    again = cls()
    again.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again.to_dict() == config.to_dict()


def test_released_generator_names_build_the_right_networks():
    from TTS.vocoder.configs import FullbandMelganConfig, MelganConfig, MultibandMelganConfig
    from TTS.vocoder.models import setup_model
    from TTS.vocoder.models.fullband_melgan_generator import FullbandMelganGenerator
    from TTS.vocoder.models.multiband_melgan_generator import MultibandMelganGenerator

    small = {"upsample_factors": [2], "num_res_blocks": 1}
    mb = setup_model(MultibandMelganConfig(generator_model_params=small))
    assert isinstance(mb.model_g, MultibandMelganGenerator)
    assert mb.model_g.layers[1].out_channels == 384 and mb.model_g.layers[-2].out_channels == 4
    fb = setup_model(FullbandMelganConfig(generator_model="fullband_melgan_generator", generator_model_params=small))
    assert isinstance(fb.model_g, FullbandMelganGenerator)
    with pytest.raises(InvalidInputError, match="fullband_melgan_generator"):
        setup_model(MelganConfig(generator_model="melgan_fb_generator", generator_model_params=small))


def test_univnet_config_takes_cond_channels_from_audio():
    from TTS.vocoder.configs import UnivnetConfig

    config = UnivnetConfig(audio={"num_mels": 64})
    assert config.generator_model_params["cond_channels"] == 64


def test_pqmf_filters_and_reconstruction():
    from TTS.vocoder.layers.pqmf import PQMF

    pqmf = PQMF()
    assert tuple(pqmf.H.shape) == (4, 1, 63) and tuple(pqmf.G.shape) == (1, 4, 63)
    assert tuple(pqmf.updown_filter.shape) == (4, 4, 4)
    t = torch.arange(4096, dtype=torch.float32)
    x = torch.sin(2 * torch.pi * 0.01 * t)[None, None]
    bands = pqmf.analysis(x)
    assert bands.shape == (1, 4, 1024)
    y = pqmf.synthesis(bands)
    assert y.shape == x.shape
    # In band the round trip is a short delay with near-unit gain (upstream's filters are not a perfect
    # reconstruction bank; exact values are covered by the multi-band parity test).
    ref = x[0, 0, 200:3800]
    best = max(torch.nn.functional.cosine_similarity(y[0, 0, 200 + d : 3800 + d], ref, dim=0) for d in range(8))
    assert best > 0.99


def test_wavegrad_noise_schedule_file_loads_safely(tmp_path):
    from TTS.vocoder.configs import WavegradArgs, WavegradConfig
    from TTS.vocoder.models.wavegrad import Wavegrad

    args = WavegradArgs(
        in_channels=4,
        y_conv_channels=2,
        x_conv_channels=4,
        dblock_out_channels=[2],
        ublock_out_channels=[4, 2],
        upsample_factors=[2, 2],
        upsample_dilations=[[1, 2, 1, 2], [1, 2, 4, 8]],
    )
    model = Wavegrad(WavegradConfig(model_params=args))
    betas = np.linspace(1e-4, 0.05, 5)
    np.save(tmp_path / "schedule.npy", {"beta": betas}, allow_pickle=True)  # upstream's file format
    model.load_noise_schedule(tmp_path / "schedule.npy")
    assert model.num_steps == 5 and model.sigma.dtype == torch.float32
    np.save(tmp_path / "plain.npy", betas)
    model.load_noise_schedule(tmp_path / "plain.npy")
    assert model.num_steps == 5

    class Evil:
        def __reduce__(self):
            return (print, ("owned",))

    with open(tmp_path / "evil.npy", "wb") as fh:
        np.lib.format.write_array_header_1_0(fh, {"descr": "|O", "fortran_order": False, "shape": ()})
        pickle.dump(Evil(), fh)
    with pytest.raises(CheckpointError):
        model.load_noise_schedule(tmp_path / "evil.npy")
    out = model.inference(torch.zeros(1, 4, 3), y_n=torch.zeros(12))
    assert out.shape == (1, 1, 12) and out.abs().max() <= 1.0


def test_wavernn_fold_and_unfold_are_inverse_for_flat_signal():
    from TTS.vocoder.models.wavernn import fold_with_overlap, xfade_and_unfold

    x = torch.arange(50, dtype=torch.float32)[None, :, None]
    folded = fold_with_overlap(x, target=10, overlap=4)
    assert folded.shape == (4, 18, 1)
    assert torch.equal(folded[1, :, 0], torch.arange(14, 32, dtype=torch.float32))
    joined = xfade_and_unfold(torch.ones(4, 18), overlap=4)
    # Inside every overlap the equal-power fades sum to >= 1; segment centres are untouched.
    assert joined.shape == (4 * 14 + 4,)
    assert torch.allclose(joined[4:14], torch.ones(10))


def test_wavernn_mode_as_string_bits(tmp_path):
    from TTS.vocoder.configs import WavernnArgs, WavernnConfig
    from TTS.vocoder.models.wavernn import Wavernn

    args = WavernnArgs(rnn_dims=4, fc_dims=4, compute_dims=4, res_out_dims=4, num_res_blocks=1, mode="9")
    config = WavernnConfig(model_args=args)
    config.audio["hop_length"] = 256
    model = Wavernn(config)
    assert model.n_classes == 512
    with pytest.raises(ValueError, match="mode"):
        Wavernn(WavernnConfig(model_args=WavernnArgs(mode="nope")))


def test_wavernn_gauss_mode_runs_and_inference_keeps_eval_mode(capsys):
    from TTS.vocoder.configs import WavernnArgs, WavernnConfig
    from TTS.vocoder.models.wavernn import Wavernn

    args = WavernnArgs(rnn_dims=4, fc_dims=4, compute_dims=4, res_out_dims=4, num_res_blocks=1, mode="gauss")
    config = WavernnConfig(model_args=args)
    config.audio["hop_length"] = 256
    model = Wavernn(config).eval()
    torch.manual_seed(0)
    out = model.inference(torch.randn(80, 3))
    assert out.shape == (2 * 256,) and out.abs().max() <= 1.0
    assert not model.training  # upstream leaves the model in training mode (BatchNorm then drifts)
    assert capsys.readouterr().out == ""  # no progress printed to stdout
