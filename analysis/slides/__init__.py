"""Charts as 1920×1080 PNG slides and as decks (PPTX, ZIP)."""
