"""Rewrite data/reference/published_toplines.csv from the codebook."""

from analysis.codebook import load_codebook
from analysis.toplines import PUBLISHED_TOPLINES, published_toplines_frame

if __name__ == "__main__":
    frame = published_toplines_frame(load_codebook())
    frame.to_csv(PUBLISHED_TOPLINES, index=False)
    print(f"wrote {len(frame)} rows to {PUBLISHED_TOPLINES}")
