"""Safe checkpoint loading: allow-list, refusals, no writes, weight-norm folding, strict loading."""

from __future__ import annotations

import builtins
import collections
import contextlib
import dataclasses
import hashlib
import io
import os
import re
import sys
import tarfile
import types

import numpy as np
import pytest
import torch
from torch import nn

from TTS.core import checkpoint as ckpt
from TTS.core.checkpoint import (
    CheckpointNotFoundError,
    fold_weight_norm,
    load_checkpoint_file,
    load_state_dict_strict,
    register_safe_globals,
)
from TTS.core.errors import CheckpointError, ModelNotFoundError


def _sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _state() -> dict:
    torch.manual_seed(0)
    return {"model": {"a.weight": torch.randn(3, 4), "a.bias": torch.randn(3)}, "step": 7}


def test_round_trip_path_and_file_object_never_writes(tmp_path):
    path = tmp_path / "model.pth"
    state = _state()
    torch.save(state, path)
    before, mtime = _sha(path), os.stat(path).st_mtime_ns
    for mmap in (None, True, False):
        loaded = load_checkpoint_file(path, mmap=mmap)
        assert loaded["step"] == 7
        torch.testing.assert_close(loaded["model"]["a.weight"], state["model"]["a.weight"])
        loaded["model"]["a.weight"].add_(1.0)  # private mapping: must not reach the file
    with open(path, "rb") as fh:
        loaded = load_checkpoint_file(fh)
    torch.testing.assert_close(loaded["model"]["a.bias"], state["model"]["a.bias"])
    loaded = load_checkpoint_file(io.BytesIO(path.read_bytes()))
    assert loaded["step"] == 7
    assert _sha(path) == before and os.stat(path).st_mtime_ns == mtime


def test_legacy_non_zip_format_loads(tmp_path):
    path = tmp_path / "old.pth"
    torch.save(_state(), path, _use_new_zipfile_serialization=False)
    assert load_checkpoint_file(path)["step"] == 7  # mmap is skipped for this format


def test_trainer_extras_numpy_and_ordered_dict(tmp_path):
    path = tmp_path / "trainer.pth"
    extras = {
        "model_loss": {"train_loss": np.float32(0.25), "eval_loss": np.float64(0.5)},
        "best_step": np.int64(1200),
        "stats": np.arange(6, dtype=np.float32).reshape(2, 3),
        "dtype": np.dtype("int16"),
        "model": collections.OrderedDict(w=torch.ones(2)),
        "config": {"model": "vits", "audio": {"sample_rate": 22050}},  # trainer stores configs as dicts
        "date": "May 01, 2021",
        "names": {"a", "b"},
    }
    torch.save(extras, path)
    loaded = load_checkpoint_file(path)
    assert loaded["model_loss"]["train_loss"] == np.float32(0.25)
    assert loaded["best_step"] == 1200
    np.testing.assert_array_equal(loaded["stats"], extras["stats"])
    assert loaded["dtype"] == np.dtype("int16")
    assert isinstance(loaded["model"], collections.OrderedDict)
    assert loaded["config"]["audio"]["sample_rate"] == 22050


def test_missing_file_is_named(tmp_path):
    path = tmp_path / "nope" / "model.pth"
    with pytest.raises(CheckpointNotFoundError, match=re.escape(str(path))) as info:
        load_checkpoint_file(path)
    assert isinstance(info.value, ModelNotFoundError) and isinstance(info.value, CheckpointError)
    with pytest.raises(CheckpointError, match="folder"):
        load_checkpoint_file(tmp_path)
    empty = tmp_path / "empty.pth"
    empty.write_bytes(b"")
    with pytest.raises(CheckpointError, match="empty"):
        load_checkpoint_file(empty)


@pytest.mark.parametrize("keep", [0.5, 0.97])
def test_truncated_zip(tmp_path, keep):
    path = tmp_path / "model.pth"
    torch.save({"model": {"w": torch.randn(256, 256)}}, path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(CheckpointError, match="truncated or corrupt") as info:
        load_checkpoint_file(path)
    assert str(path) in str(info.value)


def test_not_a_checkpoint(tmp_path):
    path = tmp_path / "model.pth"
    path.write_bytes(b"<html><body>502 Bad Gateway</body></html>")
    with pytest.raises(CheckpointError, match="not a PyTorch checkpoint"):
        load_checkpoint_file(path)


def test_legacy_tar_format_gets_instructions(tmp_path):
    path = tmp_path / "model.pth.tar"
    payload = tmp_path / "storages"
    payload.write_bytes(b"\x80\x02K\x00.")
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        tar.add(payload, arcname="storages")
    before = _sha(path)
    with pytest.raises(CheckpointError, match="legacy .tar format") as info:
        load_checkpoint_file(path)
    assert "torch.save" in str(info.value) and "untouched" in str(info.value)
    assert _sha(path) == before


class _Exploit:
    """Pickles to a call of ``func(*args)``: what a malicious checkpoint does."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


@pytest.mark.parametrize(
    "make, offender",
    [
        (lambda marker: _Exploit(os.system, f"touch {marker}"), r"(posix|nt|os)\.system"),
        (lambda marker: _Exploit(builtins.eval, f"open({str(marker)!r}, 'w').write('pwned')"), r"builtins\.eval"),
        (lambda marker: _Exploit(builtins.exec, f"open({str(marker)!r}, 'w').write('pwned')"), r"builtins\.exec"),
    ],
)
@pytest.mark.parametrize("zip_format", [True, False])
def test_malicious_pickle_refused_and_not_run(tmp_path, make, offender, zip_format):
    marker = tmp_path / "pwned"
    path = tmp_path / "model.pth"
    torch.save({"model": {"w": torch.ones(1)}, "x": make(marker)}, path, _use_new_zipfile_serialization=zip_format)
    assert not marker.exists()
    with pytest.raises(CheckpointError, match=offender) as info:
        load_checkpoint_file(path)
    assert "Nothing from the file was run" in str(info.value)
    assert not marker.exists(), "the payload ran"


# A class pickled under a legacy module path that does not exist any more.
@dataclasses.dataclass
class _NewArgs:
    gpt_layers: int = 30
    extra: dict = dataclasses.field(default_factory=dict)


@contextlib.contextmanager
def _legacy_names(names: dict[type, str]):
    """While active, pickle each class under ``names[cls]`` (as an old release would have named it)."""
    created, replaced, saved = [], [], []
    try:
        for cls, legacy in names.items():
            module_name, _, attr = legacy.rpartition(".")
            parts = module_name.split(".")
            for i in range(len(parts)):
                mod = ".".join(parts[: i + 1])
                if mod not in sys.modules:
                    sys.modules[mod] = types.ModuleType(mod)
                    created.append(mod)
            module = sys.modules[module_name]
            replaced.append((module, attr, getattr(module, attr, _MISSING)))
            setattr(module, attr, cls)
            saved.append((cls, cls.__module__, cls.__qualname__))
            cls.__module__, cls.__qualname__ = module_name, attr
        yield
    finally:
        for cls, module_name, qualname in saved:
            cls.__module__, cls.__qualname__ = module_name, qualname
        for module, attr, old in reversed(replaced):
            if old is _MISSING:
                delattr(module, attr)
            else:
                setattr(module, attr, old)
        for mod in reversed(created):
            del sys.modules[mod]


_MISSING = object()


def _save_under_legacy_name(obj, cls, legacy: str, path) -> None:
    with _legacy_names({cls: legacy}):
        torch.save(obj, path)


def test_released_xtts_layout_loads(tmp_path):
    """The released XTTS v2 model.pth pickles these four names; they must load as our classes."""
    xtts_config = pytest.importorskip("TTS.tts.configs.xtts_config")
    shared = pytest.importorskip("TTS.config.shared_configs")
    had_model_module = "TTS.tts.models.xtts" in sys.modules
    config = xtts_config.XttsConfig()
    config.model_args = xtts_config.XttsArgs(gpt_layers=3)
    config.audio = xtts_config.XttsAudioConfig()
    config.datasets = [shared.BaseDatasetConfig(formatter="ljspeech")]
    path = tmp_path / "model.pth"
    released = {
        xtts_config.XttsArgs: "TTS.tts.models.xtts.XttsArgs",
        xtts_config.XttsAudioConfig: "TTS.tts.models.xtts.XttsAudioConfig",
        shared.BaseDatasetConfig: "TTS.tts.configs.shared_configs.BaseDatasetConfig",
    }
    with _legacy_names(released):
        torch.save({"config": config, "model": {"gpt.w": torch.ones(2)}}, path)
    assert set(torch.serialization.get_unsafe_globals_in_checkpoint(path)) == {
        "TTS.tts.configs.xtts_config.XttsConfig",
        *released.values(),
    }
    loaded = load_checkpoint_file(path)
    assert isinstance(loaded["config"], xtts_config.XttsConfig)
    assert isinstance(loaded["config"].model_args, xtts_config.XttsArgs)
    assert loaded["config"].model_args.gpt_layers == 3
    assert isinstance(loaded["config"].audio, xtts_config.XttsAudioConfig)
    assert loaded["config"].datasets[0].formatter == "ljspeech"
    assert had_model_module or "TTS.tts.models.xtts" not in sys.modules


def test_registered_legacy_name_resolves_without_importing_it(tmp_path):
    legacy = "legacy_pkg_xyz.models.old.OldArgs"
    path = tmp_path / "model.pth"
    _save_under_legacy_name({"config": _NewArgs(12, {"k": [1, 2]})}, _NewArgs, legacy, path)
    with pytest.raises(CheckpointError, match=re.escape(legacy)):
        load_checkpoint_file(path)
    register_safe_globals([(_NewArgs, legacy)])
    try:
        cfg = load_checkpoint_file(path)["config"]
    finally:
        ckpt._REGISTERED.pop(legacy)
    assert isinstance(cfg, _NewArgs) and cfg.gpt_layers == 12 and cfg.extra == {"k": [1, 2]}
    assert "legacy_pkg_xyz.models.old" not in sys.modules


def test_lazy_table_resolves_by_import_string_and_skips_missing(tmp_path, monkeypatch):
    module_dir = tmp_path / "mods"
    module_dir.mkdir()
    (module_dir / "lazy_cfg_mod_abc.py").write_text(
        "import dataclasses\n@dataclasses.dataclass\nclass Cfg:\n    n: int = 1\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(module_dir))
    import lazy_cfg_mod_abc

    legacy = "legacy_pkg_xyz.configs.Cfg"
    path = tmp_path / "model.pth"
    _save_under_legacy_name({"config": lazy_cfg_mod_abc.Cfg(5)}, lazy_cfg_mod_abc.Cfg, legacy, path)
    del sys.modules["lazy_cfg_mod_abc"]
    monkeypatch.setitem(ckpt._LAZY_CLASSES, legacy, ("no_such_module_q:Cfg", "lazy_cfg_mod_abc:Cfg"))
    monkeypatch.setitem(ckpt._LAZY_CLASSES, "other.Missing", ("no_such_module_q:Missing",))  # skipped quietly
    assert load_checkpoint_file(path)["config"].n == 5

    monkeypatch.setitem(ckpt._LAZY_CLASSES, legacy, ("no_such_module_q:Cfg",))
    with pytest.raises(CheckpointError, match="could not be imported"):
        load_checkpoint_file(path)


def test_released_names_are_allowed():
    names = ckpt.safe_global_names()
    for name in (
        "TTS.tts.configs.xtts_config.XttsConfig",
        "TTS.tts.models.xtts.XttsArgs",
        "TTS.tts.models.xtts.XttsAudioConfig",
        "TTS.config.shared_configs.BaseDatasetConfig",
        "TTS.tts.configs.shared_configs.BaseDatasetConfig",
        "numpy.core.multiarray.scalar",
        "numpy._core.multiarray.scalar",
        "numpy.dtype",
    ):
        assert name in names
    had_model_module = "TTS.tts.models.xtts" in sys.modules  # other tests may have imported it
    allowed, missing = ckpt._lazy_globals()
    # Whatever config modules exist now must resolve to classes named like the released ones.
    for cls, name in allowed:
        assert cls.__name__ == name.rsplit(".", 1)[1]
    assert set(missing) | {name for _, name in allowed} == set(ckpt._LAZY_CLASSES)
    assert had_model_module or "TTS.tts.models.xtts" not in sys.modules  # loading never imports the model module


# ---------------------------------------------------------------- weight norm


@pytest.mark.filterwarnings("ignore:.*weight_norm.*:FutureWarning")
@pytest.mark.parametrize("legacy", [True, False])
@pytest.mark.parametrize("transposed", [False, True])
def test_fold_weight_norm_matches_torch(legacy, transposed):
    torch.manual_seed(1)
    conv = nn.ConvTranspose1d(4, 6, 5) if transposed else nn.Conv1d(4, 6, 5)
    dim = 1 if transposed else 0
    if legacy:
        wn = nn.utils.weight_norm(conv, dim=dim)
    else:
        wn = nn.utils.parametrizations.weight_norm(conv, dim=dim)
    with torch.no_grad():  # make g differ from ||v|| so folding is really tested
        g = wn.weight_g if legacy else wn.parametrizations.weight.original0
        g.mul_(torch.rand_like(g) + 0.5)
    wn(torch.zeros(1, 4, 8))  # the legacy hook recomputes `weight` on forward
    expected = wn.weight.detach().clone()
    sd = {f"block.conv.{k}": v for k, v in wn.state_dict().items()}
    folded = fold_weight_norm(sd, dims={"block.conv": dim} if dim else None)
    assert set(folded) == {"block.conv.weight", "block.conv.bias"}
    torch.testing.assert_close(folded["block.conv.weight"], expected, rtol=1e-6, atol=1e-6)
    assert "block.conv.weight_g" in sd or "block.conv.parametrizations.weight.original0" in sd  # input untouched


def test_fold_weight_norm_keeps_order_and_other_keys():
    sd = {"a.weight": torch.ones(1), "b.weight_v": torch.ones(2, 3), "b.weight_g": torch.full((2, 1), 2.0)}
    folded = fold_weight_norm(sd)
    assert list(folded) == ["a.weight", "b.weight"]
    torch.testing.assert_close(folded["b.weight"], torch.full((2, 3), 2.0 / 3**0.5))
    whole = fold_weight_norm(sd, dims={"b": None})
    torch.testing.assert_close(whole["b.weight"].norm(), torch.tensor(2.0)[None].squeeze() * 1.0)


# ---------------------------------------------------------------- strict loading


class _Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(3, 4)
        self.decoder = nn.Sequential(nn.Linear(4, 2))


def test_load_state_dict_strict_renames_and_ignores():
    src = _Tiny()
    sd = {f"xtts.{k}": v for k, v in src.state_dict().items()}
    sd = {k.replace("decoder.0.", "dec.layers.0."): v for k, v in sd.items()}
    sd["xtts.dvae.codebook"] = torch.zeros(3)
    sd["torch_mel_spectrogram_dvae.window"] = torch.zeros(3)
    dst = _Tiny()
    load_state_dict_strict(
        dst,
        sd,
        ignore_prefixes=("dvae.", "torch_mel_spectrogram_dvae."),
        rename={"xtts.": "", re.compile(r"^dec\.layers\.(\d+)\."): r"decoder.\1."},
    )
    for key, value in src.state_dict().items():
        torch.testing.assert_close(dst.state_dict()[key], value)


def test_load_state_dict_strict_names_bad_keys():
    sd = _Tiny().state_dict()
    sd.pop("encoder.bias")
    sd["postnet.weight"] = torch.zeros(1)
    sd["decoder.0.weight"] = torch.zeros(5, 5)
    with pytest.raises(CheckpointError) as info:
        load_state_dict_strict(_Tiny(), sd)
    message = str(info.value)
    assert "missing keys: encoder.bias" in message
    assert "unexpected keys: postnet.weight" in message
    assert "decoder.0.weight (checkpoint (5, 5), model (2, 4))" in message


def test_load_state_dict_strict_assign_shares_mmapped_tensors(tmp_path):
    src = _Tiny()
    path = tmp_path / "model.pth"
    torch.save({"model": src.state_dict()}, path)
    sd = load_checkpoint_file(path, mmap=True)["model"]
    dst = load_state_dict_strict(_Tiny(), sd, assign=True)
    assert dst.encoder.weight.data_ptr() == sd["encoder.weight"].data_ptr()  # no second copy
    assert isinstance(dst.encoder.weight, nn.Parameter)
    torch.testing.assert_close(dst.encoder.weight, src.encoder.weight)


def test_truncated_zip_that_mmap_rejects_with_einval(tmp_path):
    """Some cut points make torch.load raise a bare ``OSError(EINVAL)``; it is still a truncated file."""
    full = tmp_path / "full.pth"
    torch.save({"model": {"w": torch.randn(1000, 100)}, "step": 3}, full)
    data = full.read_bytes()
    path = tmp_path / "model.pth"
    raw_oserrors = 0
    for cut in range(600, len(data) - 1, 4001):
        path.write_bytes(data[:cut])
        try:
            torch.load(path, weights_only=True, mmap=True)
        except OSError:
            raw_oserrors += 1
        except Exception:  # noqa: BLE001 - other cut points fail otherwise; only counting EINVAL ones
            pass
        with pytest.raises(CheckpointError) as info:
            load_checkpoint_file(path)
        message = str(info.value)
        assert "truncated or corrupt" in message and "download" in message, message
        assert "Errno" not in message and str(path) in message
    assert raw_oserrors, "no cut point reproduced torch's EINVAL; the test no longer covers it"


@pytest.mark.parametrize("protocol", [4, 5])
def test_plain_pickle_with_new_protocol_names_the_refused_global(tmp_path, protocol):
    import pickle
    import warnings

    marker = tmp_path / "pwned"
    path = tmp_path / "speakers.pth"
    path.write_bytes(pickle.dumps({"a": _Exploit(os.system, f"touch {marker}")}, protocol=protocol))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(CheckpointError) as info:
            load_checkpoint_file(path)
    message = str(info.value)
    assert re.search(r"(posix|nt|os)\.system", message), message
    assert "Nothing from the file was run" in message
    assert "weights_only" not in message and "Re-running" not in message
    assert not [w for w in caught if "pickle protocol" in str(w.message)], [str(w.message) for w in caught]
    assert not marker.exists()


def test_new_protocol_pickle_without_bad_globals_says_to_resave(tmp_path):
    import pickle

    path = tmp_path / "data.pth"
    path.write_bytes(pickle.dumps({"a": [1, 2, 3]}, protocol=5))
    try:
        loaded = load_checkpoint_file(path)
    except CheckpointError as err:
        assert "weights_only" not in str(err) and "torch.save" in str(err)
    else:  # a torch whose safe unpickler reads protocol 5 frames
        assert loaded == {"a": [1, 2, 3]}


def test_checkpoint_without_tensors_says_so():
    with pytest.raises(CheckpointError, match="holds no model weights"):
        load_state_dict_strict(torch.nn.Linear(2, 2), {"step": 1})
    with pytest.raises(CheckpointError, match="holds no model weights"):
        load_state_dict_strict(torch.nn.Linear(2, 2), {})
    with pytest.raises(CheckpointError, match="missing keys: bias"):
        load_state_dict_strict(torch.nn.Linear(2, 2), {"weight": torch.zeros(2, 2)})
