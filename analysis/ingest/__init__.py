"""Ingest: survey exports as analysts have them, mapped, validated, made private.

The upload page and the ``ingest`` command call the same four steps::

    raw = read_survey(path)                      # detect and read the file
    mapping = suggest_mapping(raw, codebook)     # or load_profile("my-survey")
    result = prepare_wave(raw, mapping, codebook, "FR-2025-Q1")
    if result.report.ok:
        WaveStore().add_wave(result.wave)

Modules: ``detection`` (format, encoding, delimiter), ``safety`` (hostile
files), ``readers`` and ``excel`` (reading), ``labels`` and ``recode``
(answer labels, segment values), ``mapping`` (suggestions), ``profiles``
(saved mappings), ``validation`` and ``quality`` (checks), ``privacy``
(personal data), ``prepare`` (the wave and its report), ``toplines``
(published aggregates) and ``demo`` (the synthetic demo waves).
"""
