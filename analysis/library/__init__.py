"""The built-in library of trust metrics: the codebook and per-respondent values."""
