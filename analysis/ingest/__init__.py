"""Ingest: survey exports as analysts have them, detected, validated, made private.

The upload page and the ``ingest`` command take one route, in the sandboxed
worker::

    prepared = prepare_untrusted(path, codebook, wave_name="FR-2025-Q1")
    prepared.proposals                 # each column's role, type and link
    if prepared.result.ok:
        WaveStore().add_wave(prepared.result.wave)

The analyst's choices (and a saved profile's) are
:class:`~analysis.ingest.column_roles.Overrides`, passed back to run again.

Modules: ``sandbox`` (the worker process that reads untrusted files, with its
limits) and ``prepared`` (what it does with them); ``detection`` (format,
encoding, delimiter), ``safety`` (hostile files, size caps), ``readers``,
``excel`` and ``spss`` (reading; ``readers``' ``read_survey`` is the
in-process reader the worker runs); ``questionnaire``, ``column_roles``,
``roles``, ``drafts``, ``question_types``, ``multi``, ``segments``, ``links``,
``wording`` and ``frame`` (questionnaire detection); ``proposals`` (the
mapping editor's rows); ``mapping``, ``profiles`` and ``profile_overrides``
(saved mapping profiles); ``from_file`` (the wave and its report),
``validation`` and ``quality`` (checks); ``privacy`` and ``privacy_content``
(personal data); ``toplines`` (published aggregates) and ``demo`` (the
synthetic demo waves).
"""
