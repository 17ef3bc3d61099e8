"""``ModelManager``: list the registry and fetch released models into the model cache.

Upstream-compatible façade over ``TTS.utils.model_registry`` (what exists),
``TTS.utils.model_paths`` (where it lives, what counts as complete) and
``TTS.utils.download`` (how it is fetched). Listing imports neither torch nor
huggingface_hub. Messages go to this module's logger at INFO (the ``tts`` CLI shows
them as plain lines), or to the ``echo`` callable given to the constructor.
"""

from __future__ import annotations

import logging
import os
import shutil
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

from TTS.core.errors import DownloadError
from TTS.utils.generic_utils import get_user_data_dir
from TTS.utils.hf_cache import find_hf_snapshot
from TTS.utils.model_paths import (
    NO_CHECKPOINT_MODELS,
    find_model_files,
    is_model_dir_complete,
    model_dir_name,
    split_model_name,
    update_config_paths,
    write_atomic,
)
from TTS.utils.model_registry import (
    LICENSE_URLS,
    format_model_info,
    format_model_list,
    iter_models,
    load_models_file,
    lookup_model,
    model_name_by_index,
)
from TTS.utils.model_tos import ask_tos, ensure_tos, tos_agreed

__all__ = ["LICENSE_URLS", "ModelItem", "ModelManager"]

logger = logging.getLogger(__name__)

HF_MARKER = ".hf_snapshot"  # in the model folder: the snapshot commit we completed
FAIRSEQ_URL = "https://dl.fbaipublicfiles.com/mms/tts/{lang}.tar.gz"


class ModelItem(TypedDict, total=False):
    """A registry entry, plus ``model_name`` and ``model_type`` filled in by the manager."""

    model_name: str
    model_type: str
    description: str
    license: str
    author: str
    contact: str
    tos_required: bool
    default_vocoder: str | None
    github_rls_url: str | list[str]
    hf_url: list[str]
    repo_id: str
    revision: str
    allow: list[str] | None
    ignore: list[str] | None
    checksums: dict[str, str]


def _url_name(url: str) -> str:
    return Path(urllib.parse.unquote(urllib.parse.urlparse(url).path)).name


class ModelManager:
    """List and download the models of ``.models.json``.

    Args:
        models_file: registry to use; defaults to the one shipped in ``TTS/.models.json``.
        output_prefix: models go to ``<output_prefix>/tts``; default ``get_user_data_dir("tts")``.
        progress_bar: show a tqdm bar while downloading.
        verbose: emit listing and status messages.
        hf_cache_dir: Hugging Face hub cache (default: huggingface_hub's, from the environment).
        hf_endpoint: Hugging Face endpoint (default: ``$HF_ENDPOINT`` or huggingface.co).
        echo: called with each message line instead of logging it at INFO.
    """

    def __init__(
        self,
        models_file: str | os.PathLike[Any] | None = None,
        output_prefix: str | os.PathLike[Any] | None = None,
        progress_bar: bool = False,
        verbose: bool = True,
        *,
        hf_cache_dir: str | os.PathLike[Any] | None = None,
        hf_endpoint: str | None = None,
        echo: Callable[[str], None] | None = None,
    ) -> None:
        self.progress_bar = progress_bar
        self.verbose = verbose
        self.output_prefix = get_user_data_dir("tts") if output_prefix is None else Path(output_prefix) / "tts"
        self.hf_cache_dir = hf_cache_dir
        self.hf_endpoint = hf_endpoint
        self._echo = echo
        self.models_dict: dict[str, Any] = {}
        self.read_models_file(models_file)

    def read_models_file(self, file_path: str | os.PathLike[Any] | None) -> None:
        """Load a registry file (ours when None)."""
        self.models_dict = load_models_file(file_path)

    def _say(self, lines: list[str]) -> None:
        if not self.verbose:
            return
        for line in lines:
            if self._echo is not None:
                self._echo(line)
            else:
                logger.info("%s", line)

    # ----------------------------------------------------------------------------- listing
    def is_downloaded(self, model_name: str) -> bool:
        """Whether a complete copy of ``model_name`` is on disk (model folder or HF cache)."""
        item = lookup_model(self.models_dict, model_name)
        folder = self.output_prefix / model_dir_name(model_name)
        needs_checkpoint = split_model_name(model_name)[3] not in NO_CHECKPOINT_MODELS
        if is_model_dir_complete(
            folder, expected_files=self._expected_files(item), require_checkpoint=needs_checkpoint
        ):
            return True
        return "repo_id" in item and self._complete_hf_snapshot(model_name, item, folder) is not None

    def _list(self, model_type: str | None) -> list[str]:
        models = self.models_dict if model_type is None else {model_type: self.models_dict.get(model_type, {})}
        downloaded = {"/".join(p): self.is_downloaded("/".join(p)) for p in iter_models(models)}
        lines, names = format_model_list(models, self.output_prefix, downloaded)
        if model_type is not None:
            lines = lines[:-3]  # upstream prints the folder footer only for the full list
        self._say(lines)
        return names

    def _list_models(self, model_type: str, model_count: int = 0) -> list[str]:
        return self._list(model_type)

    def list_models(self) -> list[str]:
        """Emit the numbered list of all models (as ``tts --list_models``) and return their names."""
        return self._list(None)

    def list_tts_models(self) -> list[str]:
        """Emit and return the ``tts_models`` names."""
        return self._list("tts_models")

    def list_vocoder_models(self) -> list[str]:
        """Emit and return the ``vocoder_models`` names."""
        return self._list("vocoder_models")

    def list_vc_models(self) -> list[str]:
        """Emit and return the ``voice_conversion_models`` names."""
        return self._list("voice_conversion_models")

    def list_langs(self) -> list[str]:
        """Emit and return every ``type/language``."""
        langs = [f"{mtype}/{lang}" for mtype in self.models_dict for lang in self.models_dict[mtype]]
        self._say(["Name format: type/language"] + [f"  {x}" for x in langs])
        return langs

    def list_datasets(self) -> list[str]:
        """Emit and return every ``type/language/dataset``."""
        sets = [
            f"{t}/{lang}/{ds}" for t, langs in self.models_dict.items() for lang, dss in langs.items() for ds in dss
        ]
        self._say(["Name format: type/language/dataset"] + [f"  {x}" for x in sets])
        return sets

    def model_info_by_idx(self, model_query: str) -> None:
        """Emit the details of ``"<model_type>/<idx>"`` (1-based, as listed); raises for a bad query."""
        self._say(format_model_info(self.models_dict, model_name_by_index(self.models_dict, model_query)))

    def model_info_by_full_name(self, model_query_name: str) -> None:
        """Emit the details of ``type/language/dataset/model``; ModelNotFoundError with close names."""
        self._say(format_model_info(self.models_dict, model_query_name))

    @staticmethod
    def print_model_license(model_item: ModelItem) -> None:
        """Log the model's licence and where to read it."""
        licence = (model_item.get("license") or "").strip()
        if not licence:
            logger.info("Model's license - No license information available")
            return
        logger.info("Model's license - %s", licence)
        logger.info("Check %s for more info.", LICENSE_URLS.get(licence.lower(), "https://opensource.org/licenses"))

    # ----------------------------------------------------------------------------- terms of service
    @staticmethod
    def tos_agreed(model_item: ModelItem, model_full_path: str | os.PathLike[Any]) -> bool:
        """Whether the model needs no agreement, or ``COQUI_TOS_AGREED=1`` / ``tos_agreed.txt`` gives it."""
        return tos_agreed(model_item, model_full_path)

    @staticmethod
    def ask_tos(model_full_path: str | os.PathLike[Any]) -> bool:
        """Ask on the terminal to accept the CPML; on "y" record it in ``tos_agreed.txt``."""
        return ask_tos(model_full_path)

    # ----------------------------------------------------------------------------- model items
    @staticmethod
    def set_model_url(model_item: ModelItem) -> ModelItem:
        """Set ``model_item["model_url"]`` to where the model comes from (0.22 API)."""
        item: dict[str, Any] = model_item  # type: ignore[assignment]
        if "github_rls_url" in item:
            item["model_url"] = item["github_rls_url"]
        elif "hf_url" in item:
            item["model_url"] = item["hf_url"]
        elif "repo_id" in item:
            item["model_url"] = f"https://huggingface.co/{item['repo_id']}"
        elif "fairseq" in item.get("model_name", ""):
            item["model_url"] = FAIRSEQ_URL.format(lang=item["model_name"].split("/")[1])
        else:
            item["model_url"] = None
        return model_item

    def _set_model_item(self, model_name: str) -> tuple[ModelItem, str, str]:
        """``(entry, folder name, model)`` for ``model_name``; ModelNotFoundError if unknown."""
        if model_name.count("/") != 3:
            lookup_model(self.models_dict, model_name)  # raises, with close names
        model_type, lang, dataset, model = split_model_name(model_name)
        if dataset == "fairseq" and model_type == "tts_models":  # any MMS language, not listed
            entry: dict[str, Any] = {
                "license": "CC BY-NC 4.0",
                "default_vocoder": None,
                "author": "fairseq",
                "description": "this model is released by Meta under Fairseq repo. Visit "
                "https://github.com/facebookresearch/fairseq/tree/main/examples/mms for more info.",
            }
        else:
            entry = dict(lookup_model(self.models_dict, model_name))
        entry.update(model_name=model_name, model_type=model_type)
        return entry, model_dir_name(model_name), model  # type: ignore[return-value]

    @staticmethod
    def _expected_files(model_item: ModelItem) -> list[str]:
        urls = model_item.get("hf_url") or model_item.get("github_rls_url")
        return [_url_name(u) for u in urls] if isinstance(urls, list) else []

    # ----------------------------------------------------------------------------- download
    def download_model(self, model_name: str) -> tuple[Path, Path | None, ModelItem]:
        """Make ``model_name`` available locally; return ``(checkpoint, config.json, entry)``.

        Uses a complete copy left by ``TTS`` 0.22, ``coqui-tts`` 0.28 (model folder or Hugging
        Face cache) or us; otherwise downloads it. For models made of several checkpoints
        (tortoise-v2, bark, knnvc) the first element is the folder.
        """
        model_item, dir_name, model = self._set_model_item(model_name)
        output_path = self.output_prefix / dir_name
        ensure_tos(model_name, model_item, output_path)
        needs_checkpoint = model not in NO_CHECKPOINT_MODELS
        if "repo_id" in model_item:
            output_path = self._resolve_hf_model(model_name, model_item, output_path)
        elif is_model_dir_complete(
            output_path, expected_files=self._expected_files(model_item), require_checkpoint=needs_checkpoint
        ):
            logger.info("%s is already downloaded.", model_name)
        else:
            output_path = self.create_dir_and_download_model(model_name, model_item, output_path)
        if not needs_checkpoint:
            config_path = output_path / "config.json"
            if model == "tortoise-v2" and not config_path.is_file():  # generated beside, not in the HF cache
                config_path = self.output_prefix / dir_name / "config.json"
            self._write_default_config(model, config_path)
            return output_path, config_path, model_item
        # The config is returned as shipped: stale side-file paths in it are resolved in memory when
        # the model is loaded (model_paths.resolve_config_paths); the user's files are never rewritten.
        checkpoint, config_path = find_model_files(output_path)
        return checkpoint, config_path, model_item

    def create_dir_and_download_model(self, model_name: str, model_item: ModelItem, output_path: Path) -> Path:
        """Download a release (zip, tar or file list) into ``output_path``; return the model folder."""
        from TTS.utils.download import extract_flat, fetch_url, file_lock, publish_folder

        if "repo_id" in model_item:
            return self._resolve_hf_model(model_name, model_item, output_path)
        sources = self._sources(model_name, model_item)
        checksums = model_item.get("checksums") or {}
        staging = output_path.parent / f".{output_path.name}.partial"
        self.output_prefix.mkdir(parents=True, exist_ok=True)
        with file_lock(output_path.parent / ".locks" / f"{output_path.name}.lock"):
            if sources and is_model_dir_complete(output_path, expected_files=self._expected_files(model_item)):
                return output_path  # another process finished it while we waited
            logger.info("Downloading model to %s", output_path)
            files_dir, downloads = staging / "model", staging / "downloads"
            shutil.rmtree(files_dir, ignore_errors=True)
            files_dir.mkdir(parents=True)
            try:
                for url, is_archive in sources:
                    name = _url_name(url)
                    target = fetch_url(
                        url, downloads / name, checksum=checksums.get(name), progress_bar=self.progress_bar
                    )
                    if is_archive:
                        try:
                            extract_flat(target, files_dir)
                        except DownloadError:
                            target.unlink(missing_ok=True)  # a bad archive is not worth resuming
                            raise
                    else:
                        os.replace(target, files_dir / name)
            except DownloadError as err:
                raise DownloadError(self._manual_install_hint(model_name, sources, output_path, err)) from err
            publish_folder(files_dir, output_path)
            shutil.rmtree(staging, ignore_errors=True)
        self.print_model_license(model_item)
        return output_path

    def download_fairseq_model(self, model_name: str, output_path: Path) -> None:
        """Fetch a Fairseq MMS model (``tts_models/<iso>/fairseq/vits``) into ``output_path``."""
        item, _, _ = self._set_model_item(model_name)
        self.create_dir_and_download_model(model_name, item, Path(output_path))

    @staticmethod
    def _sources(model_name: str, model_item: ModelItem) -> list[tuple[str, bool]]:
        """``(url, is_archive)`` pairs to fetch."""
        if model_name.split("/")[2] == "fairseq":
            return [(FAIRSEQ_URL.format(lang=model_name.split("/")[1]), True)]
        urls = model_item.get("github_rls_url") or model_item.get("hf_url")
        if isinstance(urls, str):
            return [(urls, True)]
        return [(u, False) for u in urls or []]

    @staticmethod
    def _manual_install_hint(model_name: str, sources: list[tuple[str, bool]], folder: Path, err: Exception) -> str:
        urls = " ".join(url for url, _ in sources)
        what = "unpack the files inside the archive" if any(a for _, a in sources) else "put the files"
        return f"Could not download {model_name}: {err} To install it by hand, download {urls} and {what} into {folder}"

    def _resolve_hf_model(self, model_name: str, model_item: ModelItem, output_path: Path) -> Path:
        """A complete copy of a Hugging Face model: HF cache, else model folder, else download."""
        from TTS.utils.hf_cache import hf_snapshot_download

        snapshot = self._complete_hf_snapshot(model_name, model_item, output_path)
        if snapshot is not None:
            logger.info("%s is already downloaded (%s).", model_name, snapshot)
            return snapshot
        needs_checkpoint = split_model_name(model_name)[3] not in NO_CHECKPOINT_MODELS
        if is_model_dir_complete(output_path, require_checkpoint=needs_checkpoint):
            logger.info("%s is already downloaded (%s).", model_name, output_path)
            return output_path
        repo = model_item["repo_id"]
        patterns = ""
        if model_item.get("allow"):
            patterns += f" matching {', '.join(model_item['allow'])}"
        if model_item.get("ignore"):
            patterns += f" except {', '.join(model_item['ignore'])}"
        hint = (
            f"To install {model_name} by hand, download the files{patterns} of "
            f"https://huggingface.co/{repo}/tree/{model_item.get('revision') or 'main'} into {output_path}"
        )
        try:
            snapshot = hf_snapshot_download(
                repo,
                revision=model_item.get("revision"),
                allow_patterns=model_item.get("allow"),
                ignore_patterns=model_item.get("ignore"),
                cache_dir=self.hf_cache_dir,
                endpoint=self.hf_endpoint,
                progress_bar=self.progress_bar,
            )
        except DownloadError as err:
            raise DownloadError(f"{err} {hint}") from err
        # Offline, huggingface_hub hands back whatever partial snapshot the cache holds.
        if not is_model_dir_complete(snapshot, require_checkpoint=needs_checkpoint):
            raise DownloadError(
                f"Could not get all files of {repo} (the Hub may be unreachable); {snapshot} is incomplete. {hint}"
            )
        output_path.mkdir(parents=True, exist_ok=True)
        write_atomic(output_path / HF_MARKER, snapshot.name)
        self.print_model_license(model_item)
        return snapshot

    def _complete_hf_snapshot(self, model_name: str, model_item: ModelItem, output_path: Path) -> Path | None:
        snapshot = find_hf_snapshot(model_item["repo_id"], model_item.get("revision"), self.hf_cache_dir)
        if snapshot is None:
            return None
        try:
            if (output_path / HF_MARKER).read_text(encoding="utf-8").strip() == snapshot.name:
                return snapshot  # we finished this very snapshot before
        except OSError:
            pass
        literal = [p for p in model_item.get("allow") or [] if not any(c in p for c in "*?[")]
        if literal:
            ok = all((snapshot / p).is_file() for p in literal)
        else:
            needs_checkpoint = split_model_name(model_name)[3] not in NO_CHECKPOINT_MODELS
            ok = is_model_dir_complete(snapshot, require_checkpoint=needs_checkpoint)
        return snapshot if ok else None

    @staticmethod
    def _write_default_config(model: str, config_path: Path) -> None:
        """knnvc and tortoise-v2 ship no config: write the default one, as upstream does."""
        if config_path.is_file() or model not in ("knnvc", "tortoise-v2"):
            return
        module, cls = {
            "knnvc": ("TTS.vc.configs.knnvc_config", "KNNVCConfig"),
            "tortoise-v2": ("TTS.tts.configs.tortoise_config", "TortoiseConfig"),
        }[model]
        try:
            import importlib

            config = getattr(importlib.import_module(module), cls)()
        except (ImportError, AttributeError):
            logger.warning("%s.%s is not available: no default config written to %s", module, cls, config_path)
            return
        config_path.parent.mkdir(parents=True, exist_ok=True)
        config.save_json(str(config_path))

    # ----------------------------------------------------------------------------- files
    @staticmethod
    def _find_files(output_path: Path) -> tuple[Path, Path]:
        """``(checkpoint, config.json)`` in a model folder (ModelNotFoundError when missing)."""
        return find_model_files(Path(output_path))

    @staticmethod
    def _find_speaker_encoder(output_path: Path) -> Path | None:
        """The speaker encoder checkpoint shipped in a model folder, if any."""
        for name in ("model_se.pth", "model_se.pth.tar"):
            if (Path(output_path) / name).is_file():
                return Path(output_path) / name
        return None

    def _update_paths(self, output_path: Path, config_path: Path, files_dir: Path | None = None) -> None:
        """Rewrite ``config.json`` so its file fields name the files in ``output_path``.

        Upstream's name for what it did after every download. Only for callers that ask for it:
        downloading and loading never call it (stale paths are resolved in memory at load time).
        """
        update_config_paths(Path(config_path), Path(output_path), files_dir=files_dir)
