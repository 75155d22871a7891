"""Ingest: survey exports as analysts have them, mapped, validated, made private.

The upload page and the ``ingest`` command call the same four steps::

    raw = read_untrusted(path)                   # read it in the sandbox
    mapping = suggest_mapping(raw, codebook)     # or load_profile("my-survey")
    result = prepare_wave(raw, mapping, codebook, "FR-2025-Q1")
    if result.report.ok:
        WaveStore().add_wave(result.wave)

Modules: ``sandbox`` (the worker process that reads untrusted files, with
its limits), ``detection`` (format, encoding, delimiter), ``safety`` (hostile
files, size caps), ``readers``, ``excel`` and ``spss`` (reading; ``readers``'
``read_survey`` is the in-process reader the sandbox runs), ``labels`` and ``recode``
(answer labels, segment values), ``mapping`` (suggestions), ``profiles``
(saved mappings), ``validation`` and ``quality`` (checks), ``privacy``
(personal data), ``prepare`` (the wave and its report), ``toplines``
(published aggregates) and ``demo`` (the synthetic demo waves).
"""
