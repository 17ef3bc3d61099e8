"""load_tts_samples and the common formatters on tiny hand-made corpora."""

from __future__ import annotations

import pytest

from TTS.config.shared_configs import BaseDatasetConfig
from TTS.tts.configs.shared_configs import BaseTTSConfig
from TTS.tts.datasets import load_tts_samples, split_dataset
from TTS.tts.datasets.formatters import coqui, get_formatter, libri_tts, ljspeech, register_formatter, vctk


def _ljspeech(root, n=20):
    (root / "wavs").mkdir(parents=True)
    lines = [f"LJ{i:03d}|Raw {i}.|Normalised text {i}." for i in range(n)]
    (root / "metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_ljspeech(tmp_path):
    items = ljspeech(_ljspeech(tmp_path, 3), "metadata.csv")
    assert items[0] == {
        "text": "Normalised text 0.",
        "audio_file": str(tmp_path / "wavs" / "LJ000.wav"),
        "speaker_name": "ljspeech",
        "root_path": str(tmp_path),
    }
    (tmp_path / "bad.csv").write_text("LJ1|only two\n")
    with pytest.raises(IndexError):
        ljspeech(tmp_path, "bad.csv")


def test_coqui_and_vctk_and_libritts(tmp_path):
    (tmp_path / "clips").mkdir()
    for name in ("a.wav", "b.wav"):
        (tmp_path / "clips" / name).write_bytes(b"")
    (tmp_path / "meta.csv").write_text(
        "audio_file|text|speaker_name|emotion_name\nclips/a.wav|Hi.|s1|happy\nclips/b.wav|Yo.|s2|sad\n"
        "clips/missing.wav|No.|s1|sad\n",
        encoding="utf-8",
    )
    items = coqui(tmp_path, "meta.csv", ignored_speakers=["s2"])
    assert [(i["text"], i["speaker_name"], i["emotion_name"]) for i in items] == [("Hi.", "s1", "happy")]

    vctk_root = tmp_path / "vctk"
    for spk in ("p225", "p280"):
        (vctk_root / "txt" / spk).mkdir(parents=True)
        (vctk_root / "wav48_silence_trimmed" / spk).mkdir(parents=True)
        (vctk_root / "txt" / spk / f"{spk}_001.txt").write_text("Please call Stella.\n")
        (vctk_root / "wav48_silence_trimmed" / spk / f"{spk}_001_mic1.flac").write_bytes(b"")
    items = vctk(vctk_root, mic="mic2")
    assert [i["speaker_name"] for i in items] == ["VCTK_p280"]  # p225 has no mic2 file; p280 falls back to mic1
    assert items[0]["text"] == "Please call Stella."

    lt = tmp_path / "libri"
    (lt / "84" / "121").mkdir(parents=True)
    (lt / "84" / "121" / "84_121_000001_000000.wav").write_bytes(b"")
    (lt / "84" / "121" / "84_121.trans.tsv").write_text("84_121_000001_000000\tIt's $5.\tIt's five dollars.\n")
    items = libri_tts(lt)
    assert items[0]["speaker_name"] == "LTTS_84" and items[0]["text"] == "It's five dollars."


def test_load_tts_samples_config_and_list_forms(tmp_path):
    root = _ljspeech(tmp_path / "lj")
    dataset = BaseDatasetConfig(
        formatter="ljspeech", path=str(root), meta_file_train="metadata.csv", language="en", dataset_name="lj"
    )
    config = BaseTTSConfig(datasets=[dataset])
    train, evals = load_tts_samples(config, eval_split=True, eval_split_size=0.1)
    assert len(train) == 18 and len(evals) == 2
    assert train[0]["language"] == "en" and train[0]["audio_unique_name"].startswith("lj#wavs/LJ")
    # 0.22 form: a list of dataset configs (or one)
    train2, evals2 = load_tts_samples([dataset], eval_split=False)
    assert len(train2) == 20 and evals2 == []
    train3, _ = load_tts_samples(dataset, eval_split=False, formatter=get_formatter("ljspeech"))
    assert len(train3) == 20
    with pytest.raises(ValueError, match="Unknown dataset formatter"):
        load_tts_samples(BaseTTSConfig(datasets=[BaseDatasetConfig(formatter="nope", path=str(root))]))


def test_split_dataset_matches_upstream_split():
    # Indices produced by upstream coqui-tts 0.28 split_dataset for the same input (seeded numpy).
    items = [{"speaker_name": f"s{i % 3}", "i": i} for i in range(40)]
    evals, train = split_dataset(items, None, 5)
    assert [x["i"] for x in evals] == [6, 24, 27, 33, 0] and len(train) == 35
    items = [{"speaker_name": "s", "i": i} for i in range(40)]
    evals, train = split_dataset(items, None, 0.1)
    assert [x["i"] for x in evals] == [22, 20, 25, 4] and len(train) == 36
    with pytest.raises(ValueError, match="eval_split_size"):
        split_dataset([{"speaker_name": "s"}] * 5, None, 0.01)


def test_register_formatter():
    def mine(root_path, meta_file, ignored_speakers=None, **kwargs):
        return []

    register_formatter("my_test_formatter", mine)
    assert get_formatter("MY_TEST_FORMATTER") is mine
    with pytest.raises(ValueError, match="already registered"):
        register_formatter("my_test_formatter", mine)
