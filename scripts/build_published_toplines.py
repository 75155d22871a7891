"""Rewrite data/reference/published_toplines.csv from the codebook."""

from analysis import config
from analysis.ingest.toplines import published_toplines_frame
from analysis.library.codebook import load_codebook

if __name__ == "__main__":
    frame = published_toplines_frame(load_codebook())
    frame.to_csv(config.PUBLISHED_TOPLINES, index=False)
    print(f"wrote {len(frame)} rows to {config.PUBLISHED_TOPLINES}")
