"""The commands of ``python -m analysis``: where each lives and what it does.

Only the command being run is imported, so ``python -m analysis estimate`` does
not pay for plotly, kaleido or the ingest readers.
"""

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": (
        "analysis.cli.demo",
        "store the synthetic demo waves and the published toplines",
    ),
    "ingest": (
        "analysis.cli.ingest",
        "import a survey export (Qualtrics, SurveyMonkey, SPSS, Excel, CSV, "
        "toplines) as a wave",
    ),
    "waves": (
        "analysis.cli.waves",
        "list the stored waves; delete, restore or purge one",
    ),
    "erase-respondent": (
        "analysis.cli.erase",
        "erase one respondent from every wave, by the id they were given",
    ),
    "audit": (
        "analysis.cli.audit",
        "who signed in, exported and changed what, and when",
    ),
    "backup": (
        "analysis.cli.backup",
        "back the store up while the app runs, or restore a backup",
    ),
    "questions": (
        "analysis.cli.questions",
        "a stored wave's own questions, with their answers and library links",
    ),
    "metric": (
        "analysis.cli.metric",
        "add, list or delete an analyst's metric (a question and its answers)",
    ),
    "weight": (
        "analysis.cli.weight",
        "weight a stored wave to population targets; list or delete its weightings",
    ),
    "estimate": (
        "analysis.cli.estimate",
        "a proportion with its interval, from a CSV file or a stored wave's "
        "question or metric",
    ),
    "compare": (
        "analysis.cli.compare",
        "segments of one metric with column letters and adjusted p-values",
    ),
    "table": (
        "analysis.cli.table",
        "a banner table: any questions down the side, Total and banners "
        "across, with letters (JSON, CSV or Excel)",
    ),
    "trend": (
        "analysis.cli.trend",
        "wave-on-wave change of a metric, with Newcombe intervals",
    ),
    "export": ("analysis.cli.export", "export a wave's charts as slides"),
    "passphrase": (
        "analysis.cli.passphrase",
        "hash an analyst passphrase for $CONFIANCE_ANALYST_PASSWORD_HASH",
    ),
}
