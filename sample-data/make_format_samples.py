#!/usr/bin/env python3
"""Write small image files of the formats and layouts the job reads, each with the RGB pixels that PIL's
Image.open(f).convert("RGB") gives (the training pipelines' decoder), into job/src/test/resources/formats/.

  tiff_rgb_lzw.tif       8-bit RGB, LZW
  tiff_rgb_deflate.tif   8-bit RGB, deflate with horizontal predictor off (PIL's default)
  tiff_grey16.tif        16-bit grey (PIL mode I;16)
  tiff_multipage.tif     two pages: the job reads the first only
  tiff_rgba.tif          8-bit RGBA (alpha dropped, not composited)
  webp_lossless.webp     lossless WebP
  webp_lossy.webp        lossy WebP (quality 90): quarantined by the job (image/WebpCheck.java)
  webp_alpha.webp        lossless WebP with alpha
  png_grey16.png         16-bit grey PNG
  png_grey_alpha.png     8-bit grey + alpha PNG (mode LA)
  jpeg_cmyk_icc.jpg      CMYK JPEG (Adobe, inverted, as libjpeg writes it) with an embedded ICC profile

expected.json holds, per file, width, height and the expected packed RGB values row by row, and a
tolerance in 0..255 levels (0 where decoders must agree exactly). For 16-bit images the expected value
is round(v / 257): PIL's convert("RGB") clips 16-bit values at 255 instead, which no model is trained
to expect from a photograph; the job scales (docs/options.md says so).

Usage (from the repository root): /usr/bin/python3 sample-data/make_format_samples.py
"""

import io
import json
import os

import numpy as np
from PIL import Image, ImageCms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "job", "src", "test", "resources", "formats")
W, H = 20, 20  # square: a decoder of the same size leaves every pixel as it is


def pattern(seed, channels):
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:H, 0:W]
    base = np.stack([xs * 10, ys * 15, (xs + ys) * 6, 255 - xs * 8][:channels], axis=-1)
    return np.clip(base + rng.integers(0, 40, (H, W, channels)), 0, 255).astype(np.uint8)


def pil_rgb(path):
    return np.asarray(Image.open(path).convert("RGB")).astype(np.int64)


def packed(rgb):
    return (rgb[..., 0] << 16 | rgb[..., 1] << 8 | rgb[..., 2]).reshape(-1).tolist()


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    def record(name, rgb, tolerance=0):
        expected[name] = {"width": int(rgb.shape[1]), "height": int(rgb.shape[0]),
                          "tolerance": tolerance, "rgb": packed(rgb)}

    rgb = Image.fromarray(pattern(1, 3), "RGB")
    rgb.save(os.path.join(OUT, "tiff_rgb_lzw.tif"), compression="tiff_lzw")
    rgb.save(os.path.join(OUT, "tiff_rgb_deflate.tif"), compression="tiff_deflate")
    for name in ["tiff_rgb_lzw.tif", "tiff_rgb_deflate.tif"]:
        record(name, pil_rgb(os.path.join(OUT, name)))

    grey16 = (pattern(2, 1)[..., 0].astype(np.uint16) * 257 + np.arange(W)[None, :] * 3).astype(np.uint16)
    Image.fromarray(grey16, "I;16").save(os.path.join(OUT, "tiff_grey16.tif"))
    Image.fromarray(grey16, "I;16").save(os.path.join(OUT, "png_grey16.png"))
    scaled = np.floor(grey16.astype(np.float64) / 257 + 0.5).astype(np.int64)
    for name in ["tiff_grey16.tif", "png_grey16.png"]:
        check = np.asarray(Image.open(os.path.join(OUT, name))).astype(np.int64)
        assert (check == grey16).all(), name
        record(name, np.stack([scaled] * 3, axis=-1))

    first = Image.fromarray(pattern(3, 3), "RGB")
    second = Image.fromarray(255 - pattern(4, 3), "RGB")
    first.save(os.path.join(OUT, "tiff_multipage.tif"), save_all=True, append_images=[second])
    assert Image.open(os.path.join(OUT, "tiff_multipage.tif")).n_frames == 2
    record("tiff_multipage.tif", pil_rgb(os.path.join(OUT, "tiff_multipage.tif")))

    rgba = Image.fromarray(pattern(5, 4), "RGBA")
    rgba.save(os.path.join(OUT, "tiff_rgba.tif"))
    record("tiff_rgba.tif", pil_rgb(os.path.join(OUT, "tiff_rgba.tif")))

    rgb.save(os.path.join(OUT, "webp_lossless.webp"), lossless=True)
    record("webp_lossless.webp", pil_rgb(os.path.join(OUT, "webp_lossless.webp")))
    rgb.save(os.path.join(OUT, "webp_lossy.webp"), quality=90)
    # No pixels expected: the job refuses lossy WebP (its reader's VP8 decoder tints colours).
    rgba.save(os.path.join(OUT, "webp_alpha.webp"), lossless=True, exact=True)
    record("webp_alpha.webp", pil_rgb(os.path.join(OUT, "webp_alpha.webp")))

    la = Image.fromarray(pattern(6, 2), "LA")
    la.save(os.path.join(OUT, "png_grey_alpha.png"))
    record("png_grey_alpha.png", pil_rgb(os.path.join(OUT, "png_grey_alpha.png")))

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    cmyk = Image.fromarray(pattern(7, 4), "CMYK")
    cmyk.save(os.path.join(OUT, "jpeg_cmyk_icc.jpg"), quality=95, icc_profile=profile)
    assert Image.open(os.path.join(OUT, "jpeg_cmyk_icc.jpg")).info.get("icc_profile")
    # libjpeg and the JDK's decoder differ by an IDCT rounding level or two.
    record("jpeg_cmyk_icc.jpg", pil_rgb(os.path.join(OUT, "jpeg_cmyk_icc.jpg")), tolerance=3)

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=0)
    print("wrote", len(expected), "files to", OUT)


if __name__ == "__main__":
    main()
