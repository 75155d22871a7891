"""Generate the questionnaire-detection fixtures: files as analysts have them.

Run ``.venv/bin/python tests/data/ingest/make_questionnaire_fixtures.py`` to
rebuild them. Each file is drawn from the same deterministic respondents as
``make_fixtures.py``, and ``expected/<fixture>.csv`` records what detection
must find for each respondent (library codes of the trust questions, segments
as stored, multi-select ticks, 0–10 scores, design columns), written by this
script from what it drew, not by the code under test.

- ``spss_varlabels.sav``: SPSS with variable labels only (no value labels),
  the library's codes, a numeric age, a 0–10 scale.
- ``csv_fr_snake.csv``: French snake_case headers (``usage_ethique_possible``),
  a 0/1 multi-select block, choices in one cell ("Prix;Service"), ages in
  years, a country the library does not know.
- ``stratified_psu.csv``: strata, PSUs and an fpc; gender in a column named
  ``Q7``; ISO-3 countries; reworded trust questions; a label-or-blank
  multi-select set with its "other — specify" text; open comments.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pyreadstat
from make_fixtures import (
    AGE_BANDS,
    AGE_OF_BAND,
    QUESTIONS,
    SCALES,
    label,
    respondents,
    write_csv,
)

HERE = Path(__file__).parent
NETWORKS = ("facebook", "instagram", "tiktok")
MOTIFS = ("Prix", "Qualité", "Service", "Confiance")
CHANNELS = ("Email", "Social media", "Text message")
ISO3 = {"FR": "FRA", "DE": "DEU", "GB": "GBR", "US": "USA"}
FR_COUNTRIES = {"FR": "France", "DE": "Allemagne", "GB": "Royaume-Uni", "US": "Groland"}
STORED_COUNTRY = {"FR": "FR", "DE": "DE", "GB": "GB", "US": "Groland"}


def age_in(band: str, rng: random.Random) -> int:
    """An age in years inside a band (65+ up to 90)."""
    low = int(band.split("-")[0].rstrip("+"))
    high = 90 if band.endswith("+") else int(band.split("-")[1])
    return rng.randint(low, high)


def coded(qid: str, code: int | None) -> float | None:
    return None if code is None else float(code)


def expected(name: str, rows: list[dict[str, object]]) -> None:
    (HERE / "expected").mkdir(exist_ok=True)
    pd.DataFrame(rows).to_csv(HERE / "expected" / f"{name}.csv", index=False)


# -- SPSS, variable labels only ------------------------------------------------


SPSS_ASKED = {
    "q1": "share_caution",
    "q2": "leave_unprotected",
    "q3": "ethical_use",
    "q4": "track_browsing",
    "q5": "password_reuse",
}


def spss_varlabels() -> None:
    rng = random.Random(11)
    people = respondents(11, n=40)
    data: dict[str, list[object]] = {
        k: [] for k in ("respid", "country", "age", "gender", "wgt", *SPSS_ASKED, "q6")
    }
    rows = []
    for i, p in enumerate(people):
        answers = p["answers"]
        assert isinstance(answers, dict)
        age = age_in(str(p["age_band"]), rng)
        nps = None if i % 9 == 4 else rng.randint(0, 10)
        data["respid"].append(float(5001 + i))
        data["country"].append(str(p["country"]))
        data["age"].append(float(age))
        data["gender"].append(
            {"male": 1.0, "female": 2.0, "other": 3.0}[str(p["gender"])]
        )
        data["wgt"].append(float(str(p["weight"])))
        for var, qid in SPSS_ASKED.items():
            data[var].append(coded(qid, answers[qid]))
        data["q6"].append(None if nps is None else float(nps))
        rows.append(
            {
                "respondent_id": str(5001 + i),
                "country": p["country"],
                "age_band": p["age_band"],
                "gender": {"male": "1", "female": "2", "other": "3"}[str(p["gender"])],
                "weight": p["weight"],
                **{qid: answers[qid] for qid in SPSS_ASKED.values()},
                "q6": nps,
            }
        )
    labels = {
        "respid": "Respondent number",
        "country": "Country of residence",
        "age": "Age in years",
        "gender": "Gender",
        "wgt": "Weight",
        "q6": "How likely are you to recommend your bank to a friend (0-10)?",
        **{var: str(QUESTIONS[qid]["text"]["en"]) for var, qid in SPSS_ASKED.items()},
    }
    frame = pd.DataFrame(data)
    pyreadstat.write_sav(
        frame,
        HERE / "spss_varlabels.sav",
        column_labels=[labels[c] for c in frame.columns],
    )
    expected("spss_varlabels", rows)


# -- French snake_case CSV -----------------------------------------------------------


SNAKE_ASKED = {
    "partage_donnees_precaution": "share_caution",
    "usage_ethique_possible": "ethical_use",
    "arret_achat_marque_non_protegee": "leave_unprotected",
    "mot_de_passe_identique_comptes": "password_reuse",
}
REGIONS = ("Île-de-France", "Bretagne", "Occitanie", "Grand Est")


def csv_fr_snake() -> None:
    rng = random.Random(12)
    people = respondents(12, n=40)
    header = [
        "id_repondant",
        "pays",
        "age",
        "sexe",
        "region",
        "poids",
        *SNAKE_ASKED,
        *(f"reseaux_{n}" for n in NETWORKS),
        "recommandation_0_10",
        "motifs_achat",
    ]
    table: list[list[object]] = [header]
    rows = []
    for i, p in enumerate(people):
        answers = p["answers"]
        assert isinstance(answers, dict)
        age = age_in(str(p["age_band"]), rng)
        ticks = [int(rng.random() < 0.45) for _ in NETWORKS]
        score = rng.randint(0, 10)
        motifs = [m for m in MOTIFS if rng.random() < 0.4] or [MOTIFS[0]]
        shown = i % 10 != 3  # one respondent in ten skipped the set
        table.append(
            [
                f"FR{i:04d}",
                FR_COUNTRIES[str(p["country"])],
                age,
                {"female": "Femme", "male": "Homme", "other": "Autre"}[
                    str(p["gender"])
                ],
                REGIONS[i % len(REGIONS)],
                str(p["weight"]).replace(".", ","),
                *(label(q, answers[q], "fr") for q in SNAKE_ASKED.values()),
                *(ticks if shown else ["", "", ""]),
                score,
                ";".join(motifs),
            ]
        )
        rows.append(
            {
                "respondent_id": f"FR{i:04d}",
                "country": STORED_COUNTRY[str(p["country"])],
                "age_band": p["age_band"],
                "gender": p["gender"],
                "region": REGIONS[i % len(REGIONS)],
                "weight": p["weight"],
                **{qid: answers[qid] for qid in SNAKE_ASKED.values()},
                **{
                    f"reseaux_{n}": (t if shown else None)
                    for n, t in zip(NETWORKS, ticks, strict=True)
                },
                "recommandation_0_10": score,
                **{f"motifs_achat | {m}": int(m in motifs) for m in MOTIFS},
            }
        )
    write_csv(HERE / "csv_fr_snake.csv", table, delimiter=";")
    expected("csv_fr_snake", rows)


# -- stratified sample with PSUs -------------------------------------------------------


REWORDED = {
    "Do you think firms can use your personal information in an ethical way?": (
        "ethical_use"
    ),
    "Would you stop purchasing from a company that doesn't protect your personal data?": (
        "leave_unprotected"
    ),
    "These days I'm cautious when I share personal data with brands": "share_caution",
}
STRATA = {"FR": "north", "DE": "north", "GB": "south", "US": "south"}
FPC = {"north": 1200, "south": 900}


def stratified_psu() -> None:
    rng = random.Random(13)
    people = respondents(13, n=48)
    header = [
        "case_id",
        "stratum",
        "psu",
        "fpc",
        "final_weight",
        "Q7",
        "country_iso3",
        "age_group",
        *REWORDED,
        *(f"Q9_{k}" for k in range(1, len(CHANNELS) + 2)),
        "Q9_4_TEXT",
        "Q10",
    ]
    table: list[list[object]] = [header]
    rows = []
    for i, p in enumerate(people):
        answers = p["answers"]
        assert isinstance(answers, dict)
        stratum = STRATA[str(p["country"])]
        psu = f"{stratum}-{i % 4 + 1}"
        ticks = [rng.random() < 0.5 for _ in CHANNELS]
        other = "Carrier pigeon" if i % 7 == 2 else ""
        if not any(ticks) and not other:
            ticks[0] = True
        table.append(
            [
                f"C{i:03d}",
                stratum,
                psu,
                FPC[stratum],
                p["weight"],
                {"female": "Female", "male": "Male", "other": "Other"}[
                    str(p["gender"])
                ],
                ISO3[str(p["country"])],
                p["age_band"],
                *(_en_label(qid, answers[qid]) for qid in REWORDED.values()),
                *(c if t else "" for c, t in zip(CHANNELS, ticks, strict=True)),
                "Other" if other else "",
                other,
                "I would write to jo.smith@example.org" if i % 11 == 5 else "Fine",
            ]
        )
        rows.append(
            {
                "respondent_id": f"C{i:03d}",
                "strata": stratum,
                "cluster": psu,
                "fpc": FPC[stratum],
                "weight": p["weight"],
                "country": p["country"],
                "age_band": p["age_band"],
                "gender": p["gender"],
                **{qid: answers[qid] for qid in REWORDED.values()},
                **{f"Q9_{k + 1}": int(t) for k, t in enumerate(ticks)},
                "Q9_4": int(bool(other)),
                "Q9_4_TEXT": other or None,
            }
        )
    write_csv(HERE / "stratified_psu.csv", table)
    expected("stratified_psu", rows)


def _en_label(qid: str, code: int | None) -> str:
    """English labels, with "Not sure" for "don't know" as some tools write it."""
    if code == 9:
        return "Not sure"
    return label(qid, code, "en")


def main() -> None:
    assert AGE_BANDS and AGE_OF_BAND and SCALES  # the shared generator's tables
    spss_varlabels()
    csv_fr_snake()
    stratified_psu()


if __name__ == "__main__":
    main()
