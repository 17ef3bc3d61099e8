"""The model-family registry: the config ``model`` field -> config class, model class, kind.

The table is declarative and imports nothing: classes are named as
``"module:Class"`` strings and imported only when a config or model of that
family is loaded. Adding a family means adding one row here.

Kinds:
- ``"tts"``: text in; ``model.synthesize(...)`` returns ``{"wav": ...}`` (end to end)
  or ``{"mel": ...}`` (spectrogram models, which need a vocoder).
- ``"vocoder"``: mel in, wav out; ``model.inference(mel)`` with mel ``(B, C, T)``
  returns ``(B, 1, T')``.
- ``"vc"``: voice conversion (source wav + target speaker wav).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from TTS.core.errors import InvalidInputError, MissingDependencyError

__all__ = [
    "FAMILIES",
    "Family",
    "check_released_model",
    "family_from_model_name",
    "family_name_from_config_dict",
    "get_family",
    "import_string",
    "is_implemented",
]

Kind = Literal["tts", "vocoder", "vc"]


@dataclass(frozen=True)
class Family:
    """One model family: where its config and model classes live, and what it does."""

    config_class: str
    model_class: str
    kind: Kind = "tts"
    #: True for spectrogram models whose output must go through a vocoder.
    needs_vocoder: bool = False

    def load_config_class(self) -> type:
        """Import and return the config class."""
        return import_string(self.config_class)

    def load_model_class(self) -> type:
        """Import and return the model class."""
        return import_string(self.model_class)


def _tts(config: str, model: str, *, mel: bool = False) -> Family:
    return Family(f"TTS.tts.configs.{config}", f"TTS.tts.models.{model}", "tts", needs_vocoder=mel)


def _vocoder(config: str, model: str = "gan:GAN") -> Family:
    return Family(f"TTS.vocoder.configs.{config}", f"TTS.vocoder.models.{model}", "vocoder")


def _vc(config: str, model: str) -> Family:
    return Family(f"TTS.vc.configs.{config}", f"TTS.vc.models.{model}", "vc")


# Keys are the lower-cased ``model`` field of a config.json (vocoder configs that
# only name a ``generator_model`` map through :func:`family_name_from_config_dict`).
FAMILIES: Mapping[str, Family] = {
    # end-to-end TTS
    "xtts": _tts("xtts_config:XttsConfig", "xtts:Xtts"),
    "vits": _tts("vits_config:VitsConfig", "vits:Vits"),
    "bark": _tts("bark_config:BarkConfig", "bark:Bark"),
    "tortoise": _tts("tortoise_config:TortoiseConfig", "tortoise:Tortoise"),
    "delightful_tts": _tts("delightful_tts_config:DelightfulTTSConfig", "delightful_tts:DelightfulTTS"),
    # spectrogram TTS (mel out, paired with a vocoder)
    "tacotron": _tts("tacotron_config:TacotronConfig", "tacotron:Tacotron", mel=True),
    "tacotron2": _tts("tacotron2_config:Tacotron2Config", "tacotron2:Tacotron2", mel=True),
    "glow_tts": _tts("glow_tts_config:GlowTTSConfig", "glow_tts:GlowTTS", mel=True),
    "speedy_speech": _tts("speedy_speech_config:SpeedySpeechConfig", "forward_tts:ForwardTTS", mel=True),
    "align_tts": _tts("align_tts_config:AlignTTSConfig", "align_tts:AlignTTS", mel=True),
    "fast_pitch": _tts("fast_pitch_config:FastPitchConfig", "forward_tts:ForwardTTS", mel=True),
    "fast_speech": _tts("fast_speech_config:FastSpeechConfig", "forward_tts:ForwardTTS", mel=True),
    "fastspeech2": _tts("fastspeech2_config:Fastspeech2Config", "forward_tts:ForwardTTS", mel=True),
    "overflow": _tts("overflow_config:OverflowConfig", "overflow:Overflow", mel=True),
    "neuralhmm_tts": _tts("neuralhmm_tts_config:NeuralhmmTTSConfig", "neuralhmm_tts:NeuralhmmTTS", mel=True),
    # vocoders
    "hifigan": _vocoder("hifigan_config:HifiganConfig"),
    "melgan": _vocoder("melgan_config:MelganConfig"),
    "multiband_melgan": _vocoder("multiband_melgan_config:MultibandMelganConfig"),
    "fullband_melgan": _vocoder("fullband_melgan_config:FullbandMelganConfig"),
    "parallel_wavegan": _vocoder("parallel_wavegan_config:ParallelWaveganConfig"),
    "univnet": _vocoder("univnet_config:UnivnetConfig"),
    "wavegrad": _vocoder("wavegrad_config:WavegradConfig", "wavegrad:Wavegrad"),
    "wavernn": _vocoder("wavernn_config:WavernnConfig", "wavernn:Wavernn"),
    # voice conversion
    "freevc": _vc("freevc_config:FreeVCConfig", "freevc:FreeVC"),
    "knnvc": _vc("knnvc_config:KNNVCConfig", "knnvc:KNNVC"),
    "openvoice": _vc("openvoice_config:OpenVoiceConfig", "openvoice:OpenVoice"),
}


def import_string(target: str) -> Any:
    """Import ``"package.module:Name"`` and return ``Name``.

    Raises:
        MissingDependencyError: the module imports something that is not installed.
        InvalidInputError: the module or name does not exist (a family not implemented yet).
    """
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] != "TTS":
            raise MissingDependencyError(
                f"{target} needs the package '{exc.name}', which is not installed: pip install {exc.name}"
            ) from exc
        raise InvalidInputError(f"{target} is not implemented in coqui-tts-ng yet.") from exc
    try:
        return getattr(module, attr)
    except AttributeError as exc:
        raise InvalidInputError(f"{target} is not implemented in coqui-tts-ng yet.") from exc


def family_name_from_config_dict(config: Mapping[str, Any]) -> str:
    """The registry key for a config dict: its ``model`` field (lower case).

    Old vocoder configs name only ``generator_model`` (e.g. ``"hifigan_generator"``);
    the ``_generator`` / ``_discriminator`` suffix is dropped.
    """
    name = config.get("model") or config.get("generator_model")
    if not isinstance(name, str) or not name:
        raise InvalidInputError("The config has no 'model' field, so its model family is unknown.")
    return name.replace("_generator", "").replace("_discriminator", "").lower()


def get_family(name: str) -> Family:
    """Return the family registered under ``name`` (case-insensitive).

    Raises:
        InvalidInputError: ``name`` is not a known family; the message lists the known ones.
    """
    family = FAMILIES.get(name.lower())
    if family is None:
        known = ", ".join(sorted(FAMILIES))
        raise InvalidInputError(f"Unknown model family '{name}'. Known families: {known}.")
    return family


def is_implemented(name: str) -> bool:
    """True when both the config and the model module of family ``name`` exist in this install."""
    family = get_family(name)
    for target in (family.config_class, family.model_class):
        module_name = target.partition(":")[0]
        try:
            if importlib.util.find_spec(module_name) is None:
                return False
        except ModuleNotFoundError:
            return False
    return True


# Released model names ("tts_models/en/ljspeech/tacotron2-DDC") do not say their
# family; their last part does, by convention. Used to refuse a model we cannot
# run before downloading it.
_NAME_PREFIXES: tuple[tuple[str, str], ...] = (
    ("xtts", "xtts"),
    ("vits", "vits"),
    ("your_tts", "vits"),
    ("jenny", "vits"),
    ("glow", "glow_tts"),
    ("tacotron2", "tacotron2"),
    ("capacitron_t2", "tacotron2"),
    ("tacotron", "tacotron"),
    ("fast_pitch", "fast_pitch"),
    ("speedy_speech", "speedy_speech"),
    ("overflow", "overflow"),
    ("neural_hmm", "neuralhmm_tts"),
    ("tortoise", "tortoise"),
    ("bark", "bark"),
    ("hifigan", "hifigan"),
    ("wavlm_hifigan", "hifigan"),
    ("multiband_melgan", "multiband_melgan"),
    ("fullband_melgan", "fullband_melgan"),
    ("melgan", "melgan"),
    ("parallel_wavegan", "parallel_wavegan"),
    ("univnet", "univnet"),
    ("wavegrad", "wavegrad"),
    ("wavernn", "wavernn"),
    ("freevc", "freevc"),
    ("knnvc", "knnvc"),
    ("openvoice", "openvoice"),
)


def family_from_model_name(model_name: str) -> str | None:
    """Guess the family of a released model from its name, e.g. ``".../glow-tts"`` -> ``"glow_tts"``.

    Returns None when the name does not follow a known convention.
    """
    parts = model_name.strip("/").split("/")
    if len(parts) >= 3 and parts[-2] == "fairseq":
        return "vits"
    last = parts[-1].lower().replace("-", "_")
    for prefix, family in _NAME_PREFIXES:
        if last.startswith(prefix):
            return family
    return None


def check_released_model(model_name: str) -> dict[str, Any]:
    """Fail fast (before any download) for an unknown released model or one whose family is not implemented.

    Returns the registry entry (empty for names outside the registry, e.g. fairseq models).

    Raises:
        ModelNotFoundError: unknown name (the message suggests close names).
        InvalidInputError: the model's family cannot run in this version.
    """
    entry: dict[str, Any] = {}
    if "/fairseq/" not in model_name:
        from TTS.utils.model_registry import load_models_file, lookup_model

        entry = dict(lookup_model(load_models_file(), model_name))
    family = family_from_model_name(model_name)
    if family is not None and family in FAMILIES and not is_implemented(family):
        available = ", ".join(name for name in FAMILIES if is_implemented(name)) or "none"
        raise InvalidInputError(
            f"{model_name} is a '{family}' model, which coqui-tts-ng cannot run yet. "
            f"Model families available now: {available}."
        )
    return entry
