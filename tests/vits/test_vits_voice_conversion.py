"""VITS / YourTTS voice conversion: parity with upstream coqui-tts 0.28 and the API/CLI paths.

References: tools/oracle/make_vits_vc_refs.py -> tests/data/parity/vits_vc/. The posterior
sample uses ``torch.randn_like``; both sides replace it with the stored noise (or zeros).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch

from tests.vits.fixtures import load_model
from TTS.core.errors import AudioLoadError, InvalidInputError

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "vits_vc"
TOL = 1e-4
PCM_TOL = 2.0 / 32768  # 16-bit file round trip


@contextlib.contextmanager
def fixed_noise(noise: np.ndarray):
    original = torch.randn_like
    fixed = torch.from_numpy(noise)

    def replacement(t, *args, **kwargs):
        assert tuple(t.shape) == tuple(fixed.shape), (t.shape, fixed.shape)
        return fixed.to(t)

    torch.randn_like = replacement
    try:
        yield
    finally:
        torch.randn_like = original


def _setup(name: str, folder: Path):
    model, _, _ = load_model(name, folder)
    ref = dict(np.load(DATA / f"{name}.npz"))
    info = json.loads((DATA / f"{name}.json").read_text())
    rate = info["source_rate"]
    sf.write(folder / "source.wav", ref["source_pcm"], rate, subtype="PCM_16")
    if "target_pcm" in ref:
        sf.write(folder / "target.wav", ref["target_pcm"], rate, subtype="PCM_16")
    return model, ref, folder


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    return _setup("multispeaker_ids", tmp_path_factory.mktemp("vc_multi"))


@pytest.fixture(scope="module")
def yourtts(tmp_path_factory):
    return _setup("yourtts_dvectors", tmp_path_factory.mktemp("vc_yourtts"))


def _as_saved(ref: np.ndarray) -> np.ndarray:
    """What the 16-bit writer stores (peak-normalised as upstream's save_wav), read back as float."""
    return ref * (32767 / max(0.01, float(np.abs(ref).max()))) / 32768


def _close(ours, ref: np.ndarray, tol: float = TOL) -> float:
    ours = np.asarray(ours, dtype=np.float32).reshape(-1)
    assert ours.shape == ref.shape, f"length {ours.shape} != upstream {ref.shape}"
    err = float(np.abs(ours - ref).max())
    assert err < tol, f"max abs error {err:.3g}"
    return err


# ----------------------------------------------------------------------------- parity


def test_source_spectrogram_matches_upstream(multi):
    from TTS.tts.layers.vits.voice_conversion import source_spectrogram

    model, ref, folder = multi
    spec = source_spectrogram(model, folder / "source.wav")[0].numpy()  # silence-trimmed like upstream
    assert spec.shape == (513, ref["spec_frame_sums"].shape[0])
    assert float(np.abs(spec[:, :4] - ref["spec_head"]).max()) < TOL
    np.testing.assert_allclose(spec.sum(0), ref["spec_frame_sums"], rtol=1e-5)


def test_speaker_ids_with_posterior_noise(multi):
    model, ref, folder = multi
    with fixed_noise(ref["noise"]):
        wav = model.voice_conversion(folder / "source.wav", None, source_speaker="p225", speaker="p227")
    assert wav.dtype == torch.float32 and wav.dim() == 1
    _close(wav, ref["wav_noise"])


def test_speaker_ids_posterior_mean_by_id(multi):
    model, ref, folder = multi
    wav = model.voice_conversion(folder / "source.wav", source_speaker=1, speaker="0", noise_scale=0.0)
    _close(wav, ref["wav_mean"])


def test_upstream_spectrogram_interface(multi):
    from TTS.tts.layers.vits.voice_conversion import source_spectrogram

    model, ref, folder = multi
    spec = source_spectrogram(model, folder / "source.wav")
    with fixed_noise(ref["noise"]):
        wav, mask, (z, z_p, z_hat) = model.inference_voice_conversion(spec, torch.tensor([spec.shape[-1]]), 0, 2)
    assert wav.shape == (1, 1, ref["wav_noise"].shape[0]) and mask.shape == (1, 1, spec.shape[-1])
    assert z.shape == z_p.shape == z_hat.shape == (1, model.args.hidden_channels, spec.shape[-1])
    _close(wav[0, 0], ref["wav_noise"])


def test_yourtts_dvectors_from_audio(yourtts):
    model, ref, folder = yourtts
    with fixed_noise(ref["noise"]):
        wav = model.voice_conversion(folder / "source.wav", folder / "target.wav")
    _close(wav, ref["wav_clone"])


def test_yourtts_dvectors_by_name(yourtts):
    model, ref, folder = yourtts
    wav = model.voice_conversion(
        folder / "source.wav", None, source_speaker="female-en-5", speaker="male-pt-3", noise_scale=0.0
    )
    _close(wav, ref["wav_names_mean"])


def test_source_resampled_to_model_rate(multi, tmp_path):
    model, ref, _ = multi
    pcm = ref["source_pcm"].astype(np.float32) / 32768
    sf.write(tmp_path / "src24k.wav", np.interp(np.arange(0, len(pcm), 22050 / 24000), np.arange(len(pcm)), pcm), 24000)
    wav = model.voice_conversion(tmp_path / "src24k.wav", source_speaker="p225", speaker="p226", noise_scale=0.0)
    assert abs(wav.shape[0] - ref["wav_mean"].shape[0]) <= 2 * 256 and torch.isfinite(wav).all()


# ----------------------------------------------------------------------------- errors


def test_errors_are_clear(multi, yourtts, tmp_path):
    model, _, folder = multi
    with pytest.raises(AudioLoadError, match="not found"):
        model.voice_conversion(tmp_path / "missing.wav", source_speaker="p225", speaker="p227")
    with pytest.raises(InvalidInputError, match="target speaker.*p225, p226, p227"):
        model.voice_conversion(folder / "source.wav", source_speaker="p225")
    with pytest.raises(InvalidInputError, match="source speaker.*reference_speaker_idx"):
        model.voice_conversion(folder / "source.wav", speaker="p227")
    with pytest.raises(InvalidInputError, match="Unknown speaker 'nobody'"):
        model.voice_conversion(folder / "source.wav", source_speaker="p225", speaker="nobody")
    y_model, _, y_folder = yourtts
    with pytest.raises(InvalidInputError, match="target speaker.*target_wav"):
        y_model.voice_conversion(y_folder / "source.wav")


def test_model_without_vc(tmp_path):
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
    from TTS.tts.models.vits import Vits

    single, _, _ = load_model("graphemes", tmp_path)
    with pytest.raises(InvalidInputError, match="single voice.*freevc24"):
        single.voice_conversion(tmp_path / "x.wav", speaker="a")
    args = VitsArgs(hidden_channels=8, hidden_channels_ffn_text_encoder=8, num_layers_text_encoder=1)
    args.use_speaker_embedding = True
    bare = Vits(VitsConfig(model_args=args, speakers=["a", "b"], use_phonemes=False))  # never loaded
    with pytest.raises(InvalidInputError, match="posterior encoder weights"):
        bare.voice_conversion(tmp_path / "x.wav", source_speaker="a", speaker="b")


# ----------------------------------------------------------------------------- API / CLI


def test_api_voice_conversion_to_file(multi, tmp_path):
    from TTS.api import TTS

    _, ref, folder = multi
    api = TTS(model_path=str(folder / "model.pth"), config_path=str(folder / "config.json"), progress_bar=False)
    out = tmp_path / "api.wav"
    with fixed_noise(ref["noise"]):
        api.voice_conversion_to_file(
            source_wav=str(folder / "source.wav"), speaker="p227", source_speaker="p225", file_path=str(out)
        )
    wav, rate = sf.read(out, dtype="float32")
    assert rate == 22050
    _close(wav, _as_saved(ref["wav_noise"]), PCM_TOL)


@pytest.mark.parametrize("source_flag", ["--reference_wav", "--source_wav"])
def test_cli_reference_wav_yourtts(yourtts, tmp_path, source_flag):
    """0.22's ``--reference_wav`` and 0.28's ``--source_wav``, both with the target in ``--speaker_wav``."""
    from TTS.bin.synthesize import main

    _, ref, folder = yourtts
    out = tmp_path / "cli.wav"
    argv = ["--model_path", str(folder / "model.pth"), "--config_path", str(folder / "config.json")]
    argv += [source_flag, str(folder / "source.wav"), "--speaker_wav", str(folder / "target.wav")]
    with fixed_noise(ref["noise"]), pytest.raises(SystemExit) as info:
        main([*argv, "--out_path", str(out), "--no-progress_bar"])
    assert info.value.code in (0, None)
    wav, rate = sf.read(out, dtype="float32")
    assert rate == 16000
    _close(wav, _as_saved(ref["wav_clone"]), PCM_TOL)


def test_cli_source_wav_with_speaker_idx(multi, tmp_path):
    from TTS.bin.synthesize import main

    _, ref, folder = multi
    out = tmp_path / "cli_ids.wav"
    argv = ["--model_path", str(folder / "model.pth"), "--config_path", str(folder / "config.json")]
    argv += ["--source_wav", str(folder / "source.wav"), "--reference_speaker_idx", "p225", "--speaker_idx", "p227"]
    with fixed_noise(ref["noise"]), pytest.raises(SystemExit) as info:
        main([*argv, "--out_path", str(out), "--no-progress_bar"])
    assert info.value.code in (0, None)
    _close(sf.read(out, dtype="float32")[0], _as_saved(ref["wav_noise"]), PCM_TOL)
