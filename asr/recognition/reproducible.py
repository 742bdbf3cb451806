"""A view of a model that decodes the same audio to the same text every time."""

import shutil
from pathlib import Path


def undithered(model: Path, into: Path) -> Path:
    """``model`` with Kaldi's dither off, as links to its files plus a changed ``conf/``."""
    # Kaldi adds random noise (dither) to every frame from a process-wide generator, so two
    # decodes of the same audio can differ by a word. Tests that compare a live stream with
    # an offline decode load this view; the weights are the model's own.
    into.mkdir(parents=True, exist_ok=True)
    for entry in model.iterdir():
        if entry.name != "conf":
            link = into / entry.name
            if not link.exists():
                link.symlink_to(entry.resolve())
    conf = into / "conf"
    if conf.exists():
        shutil.rmtree(conf)
    shutil.copytree(model / "conf", conf)
    mfcc = conf / "mfcc.conf"
    lines = mfcc.read_text().splitlines() if mfcc.exists() else []
    lines = [line for line in lines if not line.startswith("--dither")] + ["--dither=0"]
    mfcc.write_text("\n".join(lines) + "\n")
    return into
