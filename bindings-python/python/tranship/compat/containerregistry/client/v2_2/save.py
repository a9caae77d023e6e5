"""``containerregistry.client.v2_2.save``: ``docker save`` tarballs and ``FromDisk`` folders.

``tarball`` and ``multi_image_tarball`` have tranship write the archive
(streamed, verified; the layers as the registry holds them, with
``manifest.json``, ``repositories`` and the per-layer folders old
loaders read, and the OCI layout Docker 25 writes) and append its
entries to the caller's open ``tarfile``. ``fast`` and ``uncompressed``
write the folder ``FromDisk`` reads, ``threads`` blobs at a time, each
streamed to its file.
"""

from __future__ import annotations

import concurrent.futures
import errno
import hashlib
import io
import os
import stat
import shutil
import tarfile
import tempfile
import zlib
from typing import Any

from tranship.compat.containerregistry import _support
from tranship.compat.containerregistry._errors import translated
from tranship.compat.containerregistry.client import docker_name
from tranship.compat.containerregistry.client.v2_2 import docker_image as v2_2_image


def _append_archive(tar: tarfile.TarFile, path: str) -> None:
    """Appends the entries of the tar at ``path`` to ``tar``, byte for byte."""
    with tarfile.open(path, "r:") as src:
        members = src.getmembers()
        end = src.offset  # where the end-of-archive blocks start
    tar._check("awx")  # type: ignore[attr-defined]
    base = tar.offset
    out = tar.fileobj
    assert out is not None
    with open(path, "rb") as f:
        if not _copy_in_kernel(f, out, end):
            remaining = end
            while remaining:
                chunk = f.read(min(remaining, 1 << 20))
                if not chunk:
                    raise OSError(f"{path}: shorter than its own entries")
                out.write(chunk)
                remaining -= len(chunk)
    for member in members:
        member.offset += base
        member.offset_data += base
        tar.members.append(member)  # type: ignore[attr-defined]
    tar.offset += end


def _copy_in_kernel(src: Any, out: Any, size: int) -> bool:
    """Copies ``size`` bytes of ``src`` to a plain file ``out`` at its position, in the kernel.

    False when ``out`` is not a plain file (a compressed stream, a pipe):
    the caller copies through Python then.
    """
    copy_range = getattr(os, "copy_file_range", None)
    if not isinstance(out, (io.BufferedWriter, io.BufferedRandom, io.FileIO)):
        return False  # a GzipFile, for one, has the fd of the compressed file
    try:
        out_fd = out.fileno()
        position = out.tell()
    except (AttributeError, OSError, ValueError):
        return False
    if copy_range is None or not stat.S_ISREG(os.fstat(out_fd).st_mode):
        return False
    out.flush()
    done = 0
    try:
        while done < size:
            n = copy_range(src.fileno(), out_fd, size - done, done, position + done)
            if n == 0:
                raise OSError(f"{src.name}: shorter than its own entries")
            done += n
    except OSError as err:
        if done or err.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
            raise
        return False
    out.seek(position + size)
    return True


def _archive_name(name: Any) -> str:
    """The ``docker-archive:FILE:NAME`` suffix for a tag (none for a digest)."""
    if isinstance(name, docker_name.Tag):
        return f":{name}"
    if isinstance(name, str) and "@" not in name:
        return f":{name}"
    return ""


def _source(image: Any) -> tuple[Any, str]:
    native, source = image._source()
    name = getattr(image, "_name", None)
    if source.startswith("docker://") and name is not None:
        native = _support.client(getattr(image, "_creds", None), name.registry)
    return native, source


def tarball(name: docker_name.Tag, image: v2_2_image.DockerImage, tar: tarfile.TarFile) -> None:
    """Writes ``image`` into the open ``tar`` as ``docker save`` would, tagged ``name``."""
    multi_image_tarball({name: image}, tar)


def multi_image_tarball(tag_to_image: dict[docker_name.Tag, v2_2_image.DockerImage],
                        tar: tarfile.TarFile, tag_to_v1_image: Any = None) -> None:
    """Writes the images into the open ``tar``, each tagged with its key.

    ``tag_to_v1_image`` is accepted and unused (the legacy entries are
    derived from each image).
    """
    with tempfile.TemporaryDirectory(prefix="tranship-save-") as scratch:
        singles = []
        for i, (tag, image) in enumerate(tag_to_image.items()):
            native, source = _source(image)
            out = os.path.join(scratch, f"{i}.tar")
            _support.copy(native, source, f"docker-archive:{out}{_archive_name(tag)}", legacy=True)
            singles.append(f"docker-archive:{out}{_archive_name(tag)}")
        if len(singles) == 1:
            _append_archive(tar, os.path.join(scratch, "0.tar"))
            return
        # Each image is named by its source: the single archive, with its tag.
        out = os.path.join(scratch, "all.tar")
        with translated():
            _support.local_client().copy_all(singles, f"docker-archive:{out}", legacy=True)
        _append_archive(tar, out)


def _hex_of_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in _support.read_chunks(f):
            h.update(chunk)
    return h.hexdigest()


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def fast(image: v2_2_image.DockerImage, directory: str, threads: int = 1,
         cache_directory: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    """Writes the ``FromDisk`` folder of ``image`` into the existing ``directory``.

    ``config.json``, ``digest`` (the manifest's, ``sha256:...``),
    ``manifest.json``, and per layer, base first, ``NNN.tar.gz`` and
    ``NNN.sha256`` (its hex digest). With ``cache_directory``, layers are
    kept there by hex digest and linked from ``directory``. Returns the
    config's path and the ``(NNN.sha256, NNN.tar.gz)`` pairs.
    """
    config_file = os.path.join(directory, "config.json")
    _write(config_file, image.config_file().encode("utf8"))
    _write(os.path.join(directory, "digest"), image.digest().encode("utf8"))
    _write(os.path.join(directory, "manifest.json"), image.manifest().encode("utf8"))

    def layer(blob: str, layer_name: str) -> None:
        hex_ = blob.split(":", 1)[1]
        if not cache_directory:
            image.blob_to_file(blob, layer_name)
            return
        cached = os.path.join(cache_directory, hex_)
        if not (os.path.exists(cached) and _hex_of_file(cached) == hex_):
            image.blob_to_file(blob, cached)
        if os.path.lexists(layer_name):
            os.unlink(layer_name)
        os.symlink(cached, layer_name)

    layers = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, threads)) as executor:
        futures = []
        for idx, blob in enumerate(reversed(image.fs_layers())):
            layer_name = os.path.join(directory, "%03d.tar.gz" % idx)
            digest_name = os.path.join(directory, "%03d.sha256" % idx)
            _write(digest_name, blob.split(":", 1)[1].encode("utf8"))
            futures.append(executor.submit(layer, blob, layer_name))
            layers.append((digest_name, layer_name))
        for future in concurrent.futures.as_completed(futures):
            future.result()
    return config_file, layers


def _write_uncompressed(image: v2_2_image.DockerImage, diff_id: str, path: str) -> None:
    digest = image._diff_id_to_digest(diff_id)
    with image.open_blob(digest) as f, open(path, "wb") as out:
        head = f.read(2)
        f.seek(0)
        if head != b"\x1f\x8b":
            shutil.copyfileobj(f, out, 1 << 20)
            return
        d = zlib.decompressobj(wbits=31)
        for chunk in _support.read_chunks(f):
            out.write(d.decompress(chunk))
        out.write(d.flush())


def uncompressed(image: v2_2_image.DockerImage, directory: str,
                 threads: int = 1) -> tuple[str, list[tuple[str, str]]]:
    """``fast`` with each layer decompressed: ``NNN.tar`` and ``NNN.sha256`` (its diff_id)."""
    config_file = os.path.join(directory, "config.json")
    _write(config_file, image.config_file().encode("utf8"))
    _write(os.path.join(directory, "digest"), image.digest().encode("utf8"))
    _write(os.path.join(directory, "manifest.json"), image.manifest().encode("utf8"))
    layers = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, threads)) as executor:
        futures = []
        for idx, diff_id in enumerate(reversed(image.diff_ids())):
            digest_name = os.path.join(directory, "%03d.sha256" % idx)
            layer_name = os.path.join(directory, "%03d.tar" % idx)
            _write(digest_name, diff_id.split(":", 1)[1].encode("utf8"))
            futures.append(executor.submit(_write_uncompressed, image, diff_id, layer_name))
            layers.append((digest_name, layer_name))
        for future in concurrent.futures.as_completed(futures):
            future.result()
    return config_file, layers
