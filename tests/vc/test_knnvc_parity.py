"""kNN-VC voice conversion against upstream coqui-tts 0.28 (tools/oracle/make_knnvc_refs.py).

A tiny WavLM in WavLM-Large's layout sits where ``get_wavlm`` looks for it
(``$TTS_HOME/tts/wavlm/WavLM-Large.pt``) and a tiny ``pre_linear`` HiFi-GAN vocoder in the released
layout; both get the oracle's deterministic weights.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch

from tests.parity.weights import deterministic_state_dict
from TTS.core.errors import InvalidInputError
from TTS.vc.configs.knnvc_config import KNNVCConfig
from TTS.vc.models.knnvc import KNNVC

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "knnvc"
MANIFEST = json.loads((DATA / "manifest.json").read_text())
SALT = MANIFEST["salt"]
MODEL_NAME = "voice_conversion_models/multilingual/multi-dataset/knnvc"
VOCODER_DIR = "vocoder_models--en--librispeech100--wavlm-hifigan_prematched"
FEATURE_ATOL = 1e-5  # WavLM features and kNN averages
AUDIO_ATOL = 1e-4  # through the vocoder


@pytest.fixture(scope="module")
def refs() -> dict[str, np.ndarray]:
    with np.load(DATA / "refs.npz") as data:
        return {k: data[k] for k in data.files}


@pytest.fixture(scope="module")
def recordings(tmp_path_factory, refs) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("knnvc_audio")
    paths = {}
    for name, rate in MANIFEST["rates"].items():
        paths[name] = str(folder / f"{name}.wav")
        sf.write(paths[name], refs[name], rate, subtype="FLOAT")
    return paths


def _tensors(shapes: dict, salt: str) -> dict[str, torch.Tensor]:
    return {k: torch.from_numpy(v) for k, v in deterministic_state_dict(shapes, salt=salt).items()}


def place_wavlm(home: Path) -> Path:
    """The tiny WavLM where get_wavlm() looks for WavLM-Large.pt under ``TTS_HOME``."""
    path = home / "tts" / "wavlm" / "WavLM-Large.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"cfg": MANIFEST["wavlm_cfg"], "model": _tensors(MANIFEST["wavlm_shapes"], SALT + "_wavlm")}, path)
    return path


def vocoder_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(MANIFEST["vocoder_config"]))
    state = _tensors(MANIFEST["vocoder_shapes"], SALT + "_vocoder")
    torch.save({"model": state, "config": MANIFEST["vocoder_config"]}, folder / "model.pth")
    return folder


def knnvc_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(MANIFEST["knnvc_config"]))
    return folder


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TTS_HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    place_wavlm(home)
    return home


@pytest.fixture
def synth(home, tmp_path):
    from TTS.utils.synthesizer import Synthesizer

    vc, voc = knnvc_folder(tmp_path / "knnvc"), vocoder_folder(tmp_path / "vocoder")
    return Synthesizer(
        vc_checkpoint=str(vc),
        vc_config=str(vc / "config.json"),
        vocoder_checkpoint=str(voc / "model.pth"),
        vocoder_config=str(voc / "config.json"),
    )


def test_features_matching_and_audio_match_upstream(synth, refs, recordings):
    model = synth.vc_model
    assert isinstance(model, KNNVC) and synth.output_sample_rate == 16000
    targets = [recordings["target_a"], recordings["target_b"]]  # 16 kHz and 22.05 kHz, silence at both ends
    np.testing.assert_allclose(
        model.get_features(recordings["source"]).numpy(), refs["source_features"], atol=FEATURE_ATOL
    )
    matching = model.get_matching_set(targets)
    assert matching.shape == refs["matching_set"].shape  # the same frames survive the silence trimming
    np.testing.assert_allclose(matching.numpy(), refs["matching_set"], atol=FEATURE_ATOL)
    np.testing.assert_allclose(
        model.voice_conversion(recordings["source"], targets).numpy(), refs["converted"], atol=FEATURE_ATOL
    )
    top2 = model.voice_conversion(recordings["source"], targets, topk=2)
    np.testing.assert_allclose(top2.numpy(), refs["converted_top2"], atol=FEATURE_ATOL)
    wav = np.asarray(synth.voice_conversion(recordings["source"], targets), dtype=np.float32)
    assert wav.shape == refs["wav"].shape
    np.testing.assert_allclose(wav, refs["wav"], atol=AUDIO_ATOL)


def test_by_name_through_the_api_and_the_cli(home, refs, recordings, tmp_path):
    """``TTS(knnvc)`` writes the default config, fetches nothing and loads its default vocoder from the cache."""
    from TTS.api import TTS
    from TTS.bin.synthesize import main

    vocoder_folder(home / "tts" / VOCODER_DIR)
    api = TTS(MODEL_NAME)
    assert isinstance(api.voice_converter.vc_model, KNNVC)
    assert (home / "tts" / MODEL_NAME.replace("/", "--") / "config.json").is_file()
    out = tmp_path / "converted.wav"
    targets = [recordings["target_a"], recordings["target_b"]]
    api.voice_conversion_to_file(recordings["source"], targets, file_path=str(out))
    wav, rate = sf.read(out, dtype="float32")
    peak = max(0.01, float(np.abs(refs["wav"]).max()))  # files are peak-normalised, as upstream writes them
    assert rate == 16000
    np.testing.assert_allclose(wav, refs["wav"] / peak, atol=2 / 32768 + AUDIO_ATOL / peak)

    cli_out = tmp_path / "cli.wav"
    argv = [
        "--model_name",
        MODEL_NAME,
        "--no-progress_bar",
        "--source_wav",
        recordings["source"],
        "--target_wav",
        *targets,
    ]
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--out_path", str(cli_out)])
    logging.getLogger("TTS").handlers.clear()
    assert exit_info.value.code in (0, None)
    np.testing.assert_allclose(sf.read(cli_out, dtype="float32")[0], wav, atol=2 / 32768)


def test_stored_voices(synth, refs, recordings, tmp_path):
    voices = tmp_path / "voices"
    model = synth.vc_model
    targets = [recordings["target_a"], recordings["target_b"]]
    first = model.voice_conversion(recordings["source"], targets, speaker_id="Ana Florence", voice_dir=voices)
    stored = torch.load(voices / "Ana_Florence.pth", weights_only=True)
    assert stored["metadata"]["model"] == {"name": "wavlm", "layer": 6}
    np.testing.assert_allclose(stored["matching_set"].numpy(), refs["matching_set"], atol=FEATURE_ATOL)
    again = model.voice_conversion(recordings["source"], speaker_id="Ana Florence", voice_dir=voices)
    torch.testing.assert_close(again, first)
    with pytest.raises(InvalidInputError, match="No stored voice"):
        model.voice_conversion(recordings["source"], speaker_id="nobody", voice_dir=voices)
    torch.save({"speaker_embedding": torch.zeros(1, 8, 1)}, voices / "other.pth")  # another model's voice
    with pytest.raises(InvalidInputError, match="not a kNN-VC voice"):
        model.voice_conversion(recordings["source"], speaker_id="other", voice_dir=voices)
    torch.save(["not", "a", "voice"], voices / "list.pth")
    with pytest.raises(InvalidInputError, match="not a kNN-VC voice"):
        model.voice_conversion(recordings["source"], speaker_id="list", voice_dir=voices)
    torch.save({"matching_set": torch.zeros(50, 1024)}, voices / "large.pth")  # made with another WavLM
    with pytest.raises(InvalidInputError, match="another model"):
        model.voice_conversion(recordings["source"], speaker_id="large", voice_dir=voices)


def test_bad_input(synth, recordings, tmp_path):
    from TTS.utils.synthesizer import Synthesizer

    model = synth.vc_model
    silence = tmp_path / "silence.wav"
    sf.write(silence, np.zeros(16000, dtype=np.float32), 16000)
    with pytest.raises(InvalidInputError, match="silent"):
        model.voice_conversion(recordings["source"], [str(silence)])
    short = tmp_path / "short.wav"
    sf.write(short, np.full(200, 0.1, dtype=np.float32), 16000)
    with pytest.raises(InvalidInputError, match="too short"):
        model.get_features(str(short))
    with pytest.raises(InvalidInputError, match="topk"):
        model.voice_conversion(recordings["source"], [recordings["target_a"]], topk=10_000)
    with pytest.raises(InvalidInputError, match="topk"):
        model.voice_conversion(recordings["source"], [recordings["target_a"]], topk=2.5)
    noise = tmp_path / "noise.wav"
    sf.write(noise, (0.05 * np.random.default_rng(0).standard_normal(16000)).astype(np.float32), 16000)
    with pytest.raises(InvalidInputError, match="No speech found"):
        model.voice_conversion(recordings["source"], [str(noise)])
    query = model.get_features(recordings["source"])
    with pytest.raises(InvalidInputError, match="shorter than one frame"):
        model.match(query, query, target_duration=1e-4)
    with pytest.raises(InvalidInputError, match="target recordings"):
        model.voice_conversion(recordings["source"])
    bare = Synthesizer(vc_checkpoint=synth.vc_checkpoint, vc_config=synth.vc_config_path)
    with pytest.raises(InvalidInputError, match="vocoder"):
        bare.voice_conversion(recordings["source"], recordings["target_a"])


def test_matching_rules():
    model = KNNVC(KNNVCConfig(), wavlm=torch.nn.Identity())
    pool = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0]])
    query = torch.tensor([[2.0, 0.1], [0.0, -3.0]])
    dist = model.fast_cosine_dist(query, pool)
    expected = 1 - torch.nn.functional.cosine_similarity(query[:, None], pool[None], dim=-1)
    torch.testing.assert_close(dist, expected, atol=1e-6, rtol=0)
    out = model.match(query, pool, topk=1)
    torch.testing.assert_close(out, pool[[0, 3]][None])  # nearest by angle, not by length
    synth_set = pool * 10
    torch.testing.assert_close(model.match(query, pool, synth_set=synth_set, topk=1), synth_set[[0, 3]][None])
    stretched = model.match(query, pool, topk=2, target_duration=4 * model.hop_length / 16000)
    linear = torch.nn.functional.interpolate(query.T[None], size=4, mode="linear")[0].T  # 2 -> 4 frames
    torch.testing.assert_close(stretched, model.match(linear, pool, topk=2))


def test_wavlm_is_loaded_when_built_as_upstream_does(home, tmp_path):
    model = KNNVC.init_from_config(KNNVCConfig())
    keys = set(model.state_dict())
    assert "wavlm.mask_emb" in keys or any(k.startswith("wavlm.") for k in keys)
    again = KNNVC(KNNVCConfig(), wavlm=type(model.wavlm)(model.wavlm.cfg))
    again.load_state_dict(model.state_dict())  # a model's own state dict loads back
    model.load_checkpoint(model.config, checkpoint_dir=str(tmp_path), eval=True)  # nothing else to load
    assert not model.training


def test_samples_in_memory(synth, refs, recordings, tmp_path):
    """Tensors/arrays as source and targets: channels averaged, int16 PCM scaled, nothing stored for them."""
    model = synth.vc_model
    source = refs["source"]
    expected = model.get_features(recordings["source"])
    torch.testing.assert_close(model.get_features(torch.from_numpy(source)), expected)
    stereo = np.stack([source, source])  # (2, T): the mean is the same signal
    torch.testing.assert_close(model.get_features(stereo), expected, atol=1e-6, rtol=0)
    pcm = np.round(source * 32767).astype(np.int16)
    np.testing.assert_allclose(model.get_features(pcm).numpy(), expected.numpy(), atol=1e-2)  # 16-bit rounding
    target = model._load(recordings["target_a"], "target")[0].cpu()  # 16 kHz file -> samples
    voices = tmp_path / "voices"
    model.voice_conversion(torch.from_numpy(source), [target], speaker_id="mem", voice_dir=voices)
    assert not voices.exists()  # only recordings given as files are stored, as upstream does


def test_targets_without_silence_to_trim_are_used_whole(synth, recordings, caplog):
    """Speech up to the edges: where the detector never triggers (upstream fails) that end is kept as it is."""
    model = synth.vc_model
    with caplog.at_level(logging.WARNING, logger="TTS"):
        matching = model.get_matching_set([recordings["source"]])
    untrimmed = model.get_features(recordings["source"])
    assert "silence found in the target recording" in caplog.text
    assert 0 < matching.shape[0] <= untrimmed.shape[0]


def test_reduced_precision(synth, recordings):
    """bf16 WavLM where it is native: close to fp32 features; elsewhere exactly fp32. The synthesizer's
    reduced_precision switches it with the vocoder's bf16 mode."""
    from TTS.core.precision import native_bf16
    from TTS.utils.synthesizer import Synthesizer

    model = synth.vc_model
    fp32 = model.get_features(recordings["source"])
    on = model.enable_reduced_precision()
    assert on == native_bf16("cpu")
    fast = model.get_features(recordings["source"])
    assert fast.dtype == torch.float32 and fast.shape == fp32.shape
    if on:
        assert float((fast - fp32).norm() / fp32.norm()) < 0.05
    else:
        torch.testing.assert_close(fast, fp32)
    both = Synthesizer(
        vc_checkpoint=synth.vc_checkpoint,
        vc_config=synth.vc_config_path,
        vocoder_checkpoint=synth.vocoder_checkpoint,
        vocoder_config=synth.vocoder_config_path,
        reduced_precision=True,
    )
    assert both.vc_model._wavlm_bf16 and both.vocoder_model._generator_bf16
    wav = np.asarray(both.voice_conversion(recordings["source"], recordings["target_a"]), dtype=np.float32)
    assert np.isfinite(wav).all() and wav.size > 0
