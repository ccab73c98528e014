"""Photo pipeline bench: a 4000x3000 phone-like JPEG through ingest(), timed.

Run from the project root:  python -m bench.photos [--runs 5] [--quality 82]
Targets: <= 0.5 s and <= 400 KB stored (full + thumbnail) per photo.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from PIL import ExifTags, Image, ImageChops

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.photos import ingest

SIZE = (4000, 3000)
TARGET_SECONDS, TARGET_BYTES = 0.5, 400 * 1024


def camera_image(size: tuple[int, int] = SIZE) -> Image.Image:
    """Gradients, blotches at two scales and sensor grain: compresses like a real photo."""
    channels = []
    for angle in (0, 90, 45):
        gradient = Image.linear_gradient("L").rotate(angle, Image.Resampling.BICUBIC)
        layer = gradient.resize(size, Image.Resampling.BICUBIC)
        for scale, sigma, weight in ((40, 60, 0.5), (6, 40, 0.3)):
            noise = Image.effect_noise((size[0] // scale, size[1] // scale), sigma)
            layer = Image.blend(layer, noise.resize(size, Image.Resampling.BICUBIC), weight)
        channels.append(ImageChops.add(layer, Image.effect_noise(size, 7), offset=-128))
    return Image.merge("RGB", channels)


def camera_exif() -> Image.Exif:
    """Orientation 6 (held upright), capture time, and a GPS fix in Yima."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Orientation] = "Bench", 6
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2024:07:01 10:30:00"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (34.0, 44.0, 30.0), 3: "E", 4: (111.0, 53.0, 0.0)}
    return exif


def camera_jpeg() -> bytes:
    """The bench input: quality 92 like a phone camera, with EXIF."""
    out = io.BytesIO()
    camera_image().save(out, "JPEG", quality=92, exif=camera_exif())
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print per-photo time and stored sizes; non-zero if over target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quality", type=int, default=82)
    args = parser.parse_args(argv)
    data = camera_jpeg()
    print(f"input: {SIZE[0]}x{SIZE[1]} JPEG q92, {len(data) / 1024:.0f} KB")
    times = []
    for run in range(1, args.runs + 1):
        start = time.perf_counter()
        photo = ingest(data, quality=args.quality)
        times.append(time.perf_counter() - start)
        print(f"run {run}: {times[-1]:.3f} s")
    stored = photo.size_bytes + len(photo.thumb)
    print(
        f"stored: {photo.width}x{photo.height} {photo.size_bytes / 1024:.0f} KB"
        f" + thumb {len(photo.thumb) / 1024:.0f} KB = {stored / 1024:.0f} KB"
    )
    print(f"time per photo: median {statistics.median(times):.3f} s, max {max(times):.3f} s")
    print(f"metadata: taken_at={photo.taken_at} lat={photo.latitude:.5f} lon={photo.longitude:.5f}")
    ok = statistics.median(times) <= TARGET_SECONDS and stored <= TARGET_BYTES
    print("within target (<= 0.5 s, <= 400 KB)" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
