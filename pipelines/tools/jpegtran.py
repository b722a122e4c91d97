"""jpegtran (Debian libjpeg-turbo-progs): turn a JPEG and drop its metadata without decoding
it, by moving its DCT blocks, so a phone photo turned upright loses nothing."""

from __future__ import annotations

import shutil
import subprocess

from efile.errors import ToolFailed

# EXIF orientation -> the jpegtran transform that shows the photo upright (EXIF 2.32, 4.6.4)
TRANSFORMS: dict[int, list[str]] = {
    1: [],
    2: ["-flip", "horizontal"],
    3: ["-rotate", "180"],
    4: ["-flip", "vertical"],
    5: ["-transpose"],
    6: ["-rotate", "90"],
    7: ["-transverse"],
    8: ["-rotate", "270"],
}


class NotPerfect(Exception):
    """The photo's size is not a whole number of JPEG blocks: it cannot be turned losslessly
    without cutting its edge."""


def available() -> bool:
    return shutil.which("jpegtran") is not None


def upright_without_metadata(jpeg: bytes, orientation: int, timeout: float = 60) -> bytes:
    """The JPEG turned as its EXIF orientation says, with every marker dropped except its ICC
    colour profile (so also the EXIF block with its GPS position)."""
    cmd = ["jpegtran", "-copy", "icc", "-perfect", *TRANSFORMS.get(orientation, [])]
    try:
        done = subprocess.run(cmd, input=jpeg, capture_output=True, timeout=timeout)
    except FileNotFoundError as e:
        raise ToolFailed("jpegtran not installed (Debian: libjpeg-turbo-progs)") from e
    except subprocess.TimeoutExpired as e:
        raise ToolFailed(f"jpegtran did not finish within {timeout:g} s") from e
    err = done.stderr.decode(errors="replace").strip()
    if done.returncode not in (0, 2) or not done.stdout:  # 2: warnings, output written
        if "not perfect" in err:
            raise NotPerfect(err)
        raise ToolFailed(f"jpegtran failed ({done.returncode}): {err.splitlines()[-1] if err else ''}")
    return done.stdout
