"""OpenVoice voice conversion against upstream coqui-tts 0.28 (tools/oracle/make_openvoice_refs.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch

from tests.parity.weights import deterministic_state_dict
from TTS.core.errors import InvalidInputError, ModelNotFoundError
from TTS.vc.configs.openvoice_config import OpenVoiceConfig
from TTS.vc.models.openvoice import OpenVoice

DATA = Path(__file__).resolve().parents[1] / "data" / "parity" / "openvoice"
MANIFEST = json.loads((DATA / "manifest.json").read_text())
CASES = sorted(MANIFEST["cases"])


@pytest.fixture(scope="module")
def refs() -> dict[str, np.ndarray]:
    with np.load(DATA / "refs.npz") as data:
        return {k: data[k] for k in data.files}


@pytest.fixture(scope="module")
def recordings(tmp_path_factory, refs) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("openvoice_audio")
    paths = {}
    for name in ("source", "target_a", "target_b"):
        paths[name] = folder / f"{name}.wav"
        sf.write(paths[name], refs[name], MANIFEST["rate"], subtype="FLOAT")
    return paths


def released_folder(root: Path, case: str) -> Path:
    """The oracle's converter folder: OpenVoice's config.json and checkpoint.pth (legacy weight-norm keys)."""
    spec = MANIFEST["cases"][case]
    folder = root / case / "converter"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(spec["original_config"]))
    state = deterministic_state_dict(spec["shapes"], salt=MANIFEST["salt"])
    torch.save({"model": {k: torch.from_numpy(v) for k, v in state.items()}}, folder / "checkpoint.pth")
    return folder


def load(folder: Path, tau: float) -> OpenVoice:
    config = OpenVoiceConfig.from_original(json.loads((folder / "config.json").read_text()))
    config.model_args.tau = tau  # not part of OpenVoice's own config file
    model = OpenVoice.init_from_config(config)
    model.load_checkpoint(config, str(folder / "checkpoint.pth"), eval=True)
    return model


@pytest.mark.parametrize("case", CASES)
def test_conversion_matches_upstream(case, refs, recordings, tmp_path):
    model = load(released_folder(tmp_path, case), MANIFEST["cases"][case]["args"]["tau"])
    g_src, spec = model.extract_se(str(recordings["source"]))
    np.testing.assert_allclose(spec.numpy(), refs["spec"], atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(g_src.numpy(), refs[f"{case}_g_src"], atol=1e-5, rtol=0)
    targets = [str(recordings["target_a"]), str(recordings["target_b"])]
    np.testing.assert_allclose(model.target_embedding(targets).numpy(), refs[f"{case}_g_tgt"], atol=1e-5, rtol=0)
    torch.manual_seed(MANIFEST["seed"])
    wav = model.voice_conversion(str(recordings["source"]), targets)
    assert wav.shape == refs[f"{case}_wav"].shape
    np.testing.assert_allclose(wav, refs[f"{case}_wav"], atol=1e-4, rtol=0)


def test_through_the_synthesizer_and_the_api(refs, recordings, tmp_path):
    from TTS.utils.synthesizer import Synthesizer

    case = "zero_g"
    folder = released_folder(tmp_path, case)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    synth = Synthesizer(vc_checkpoint=str(folder / "checkpoint.pth"), vc_config=str(folder / "config.json"))
    assert isinstance(synth.vc_model, OpenVoice) and synth.output_sample_rate == MANIFEST["rate"]
    synth.vc_model.args.tau = MANIFEST["cases"][case]["args"]["tau"]
    torch.manual_seed(MANIFEST["seed"])
    wav = synth.voice_conversion(str(recordings["source"]), [str(recordings["target_a"]), str(recordings["target_b"])])
    np.testing.assert_allclose(np.asarray(wav, dtype=np.float32), refs[f"{case}_wav"], atol=1e-4, rtol=0)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # the user's files are only read


def test_bad_input(recordings, tmp_path):
    folder = released_folder(tmp_path, "zero_g")
    model = load(folder, 0.3)
    with pytest.raises(InvalidInputError, match="target_wav"):
        model.voice_conversion(str(recordings["source"]), None)
    with pytest.raises(InvalidInputError, match="too short"):
        model.voice_conversion(np.zeros(50, dtype=np.float32), [str(recordings["target_a"])])
    with pytest.raises(InvalidInputError, match="at least one target"):
        model.target_embedding([])
    with pytest.raises(ModelNotFoundError):
        model.load_checkpoint(model.config, str(tmp_path / "missing.pth"))
    with pytest.raises(Exception, match="not found|No such|missing"):
        model.voice_conversion(str(tmp_path / "missing.wav"), [str(recordings["target_a"])])
    other = OpenVoice(OpenVoiceConfig())  # the released defaults: 1024-point spectrogram, not this folder's 256
    with pytest.raises(InvalidInputError, match="filter_length 256"):
        other.load_checkpoint(other.config, str(folder / "checkpoint.pth"))
    silent = model.voice_conversion(np.zeros(8000, dtype=np.float32), [np.zeros(8000, dtype=np.float32)])
    assert np.isfinite(silent).all()

    from TTS.config import load_config
    from TTS.utils.synthesizer import Synthesizer

    config = load_config(folder / "config.json")  # OpenVoice's own format is understood everywhere
    assert isinstance(config, OpenVoiceConfig) and config.audio.fft_size == 256
    with pytest.raises(InvalidInputError, match="voice_conversion_models"):  # given as a TTS model
        Synthesizer(tts_checkpoint=str(folder / "checkpoint.pth"), tts_config_path=str(folder / "config.json"))


def test_released_defaults_build():
    config = OpenVoiceConfig()
    model = OpenVoice(config)
    assert model.spec_channels == 513 and model.ref_enc.gru.input_size == 128 * 9
    keys = model.state_dict().keys()
    assert "dec.cond_layer.weight" in keys and "flow.flows.3.post.weight" in keys and "enc_q.proj.weight" in keys


def test_released_model_by_name_from_the_hub_cache(refs, recordings, tmp_path, monkeypatch):
    """``TTS("voice_conversion_models/.../openvoice_v2")`` finds the converter in the Hugging Face cache."""
    from tests.manage.test_layouts import make_hf_snapshot
    from TTS.api import TTS

    monkeypatch.setenv("TTS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for var in ("HF_ENDPOINT", "HUGGINGFACE_HUB_CACHE", "XDG_DATA_HOME"):
        monkeypatch.delenv(var, raising=False)
    folder = released_folder(tmp_path / "release", "zero_g")
    original = json.loads((folder / "config.json").read_text())
    original["model"]["tau"] = 0.0  # the posterior mean: no randomness, so the CLI's audio can be compared
    (folder / "config.json").write_text(json.dumps(original))
    files = {f"converter/{p.name}": p.read_bytes() for p in folder.iterdir()}
    make_hf_snapshot(tmp_path / "hf", "myshell-ai/OpenVoiceV2", files)
    api = TTS("voice_conversion_models/multilingual/multi-dataset/openvoice_v2")
    model = api.voice_converter.vc_model
    assert isinstance(model, OpenVoice) and model.config.audio.fft_size == 256 and model.args.tau == 0.0
    out = tmp_path / "converted.wav"
    api.voice_conversion_to_file(str(recordings["source"]), str(recordings["target_a"]), file_path=str(out))
    wav, rate = sf.read(out, dtype="float32")
    direct = load(folder, 0.0).voice_conversion(str(recordings["source"]), [str(recordings["target_a"])])
    assert rate == MANIFEST["rate"] and wav.shape == direct.shape
    peak = max(0.01, float(np.abs(direct).max()))  # saved files are peak-normalised, as upstream writes them
    np.testing.assert_allclose(wav, direct / peak, atol=2 / 32768)  # 16-bit file

    # the CLI: tts --model_name ... --source_wav ... --target_wav ...
    import logging

    from TTS.bin.synthesize import main

    cli_out = tmp_path / "cli.wav"
    argv = ["--model_name", "voice_conversion_models/multilingual/multi-dataset/openvoice_v2", "--no-progress_bar"]
    argv += ["--source_wav", str(recordings["source"]), "--target_wav", str(recordings["target_a"])]
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--out_path", str(cli_out)])
    logging.getLogger("TTS").handlers.clear()
    assert exit_info.value.code in (0, None)
    cli_wav, cli_rate = sf.read(cli_out, dtype="float32")
    assert cli_rate == MANIFEST["rate"]
    np.testing.assert_allclose(cli_wav, direct / peak, atol=2 / 32768)


def test_stored_voices(recordings, tmp_path):
    model = load(released_folder(tmp_path, "conditioned"), 0.0)
    voices = tmp_path / "voices"
    source, target = str(recordings["source"]), str(recordings["target_b"])
    direct = model.voice_conversion(source, target, speaker_id="Ana Florence", voice_dir=voices)
    stored = voices / "Ana_Florence.pth"  # upstream's file name
    assert stored.is_file()
    voice = torch.load(stored, weights_only=True)  # plain tensors and metadata, as upstream's clone_voice
    assert voice["metadata"]["source_files"] == [target] and voice["speaker_embedding"].shape == (1, 24, 1)
    assert voice["metadata"]["model"]["name"] == "openvoice" and voice["metadata"]["speaker_id"] == "Ana_Florence"
    again = model.voice_conversion(source, speaker_id="Ana Florence", voice_dir=voices)
    np.testing.assert_array_equal(again, direct)
    np.testing.assert_array_equal(
        model.voice_conversion(source, [], speaker_id="Ana Florence", voice_dir=voices), direct
    )
    with pytest.raises(InvalidInputError, match="No stored voice 'Bob'"):
        model.voice_conversion(source, speaker_id="Bob", voice_dir=voices)
    with pytest.raises(InvalidInputError, match="target_wav"):
        model.voice_conversion(source, speaker_id="Ana Florence")  # no voice_dir
    torch.save({"speaker_embedding": torch.zeros(1, 512, 1), "gpt_conditioning_latents": torch.zeros(1, 32, 1024)},
               voices / "xtts_voice.pth")  # fmt: skip
    with pytest.raises(InvalidInputError, match="not an OpenVoice voice"):
        model.voice_conversion(source, speaker_id="xtts_voice", voice_dir=voices)


@pytest.mark.parametrize(
    ("name", "slug"),  # upstream 0.28's TTS.utils.generic_utils.slugify on these names
    [("Ana Florence", "Ana_Florence"), ("Zoë x", "Zoe_x"), ("  a--b  ", "a--b"), ("x/../y", "x_y"),
     ("Ünïcödé_Name!", "Unicode_Name"), ("a__b", "a_b")],
)  # fmt: skip
def test_voice_file_names_are_upstream_names(name, slug, tmp_path):
    from TTS.utils.voices import find_voice_file, voice_path

    assert voice_path(tmp_path, name) == tmp_path / f"{slug}.pth"
    (tmp_path / f"{slug}.pth").write_bytes(b"")
    assert find_voice_file(tmp_path, name) == tmp_path / f"{slug}.pth"


def test_channels_and_short_targets(recordings, tmp_path):
    model = load(released_folder(tmp_path, "zero_g"), 0.0)
    mono = torch.from_numpy(sf.read(recordings["target_a"], dtype="float32")[0])
    stereo = torch.stack([mono, 0.5 * mono])  # (C, T)
    expected = model.target_embedding([0.75 * mono])
    torch.testing.assert_close(model.target_embedding([stereo]), expected)
    torch.testing.assert_close(model.target_embedding([stereo.T.numpy()]), expected)  # (T, C)
    torch.testing.assert_close(model.target_embedding([mono[None]]), model.target_embedding([mono]))
    with pytest.raises(InvalidInputError, match="shape"):
        model.target_embedding([torch.zeros(20, 30)])
    with pytest.raises(InvalidInputError, match="target recording is too short"):
        model.voice_conversion(str(recordings["source"]), [np.zeros(40, dtype=np.float32)])
    nan = mono.clone()
    nan[100] = float("nan")
    with pytest.raises(InvalidInputError, match="NaN"):
        model.target_embedding([nan])
    voices = tmp_path / "voices"  # a voice cloned from samples in memory is not stored, as upstream does
    model.voice_conversion(str(recordings["source"]), [mono], speaker_id="mem", voice_dir=voices)
    assert not voices.exists()


def test_our_own_state_dict_loads_back(tmp_path):
    model = load(released_folder(tmp_path, "conditioned"), 0.0)
    folder = tmp_path / "ours"
    folder.mkdir()
    torch.save({"model": model.state_dict()}, folder / "checkpoint.pth")
    again = OpenVoice(model.config)
    again.load_checkpoint(model.config, str(folder / "checkpoint.pth"))
    for key, value in model.state_dict().items():
        torch.testing.assert_close(again.state_dict()[key], value, msg=key)
    (folder / "config.json").write_text("{not json")
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        again.load_checkpoint(model.config, str(folder / "checkpoint.pth"))
