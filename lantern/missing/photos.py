"""Checking a missing-person photo and re-encoding it. A photo from a carer's phone carries
metadata (often the GPS position where it was taken, which may be the child's placement):
Lantern keeps only the pixels, as a JPEG no larger than police need."""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
ACCEPTED = {"JPEG", "PNG", "WEBP"}


class PhotoError(ValueError):
    pass


def prepare(upload) -> bytes:
    """The photo as a metadata-free JPEG, or PhotoError with a GOV.UK-worded message."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise PhotoError("The selected file must be smaller than 10MB")
    data = upload.read()
    try:
        with warnings.catch_warnings():
            # A decompression bomb (a tiny file claiming enormous dimensions) is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                probe.verify()
            with Image.open(io.BytesIO(data)) as opened:
                image = ImageOps.exif_transpose(opened)
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PhotoError("The selected file must be a JPG or PNG") from None
    if kind not in ACCEPTED:
        raise PhotoError("The selected file must be a JPG or PNG")
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=85)  # no exif= argument: no metadata is written
    return out.getvalue()
