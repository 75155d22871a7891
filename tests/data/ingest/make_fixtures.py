"""Generate the ingest test fixtures: one small realistic export per format.

Run ``.venv/bin/python tests/data/ingest/make_fixtures.py`` to rebuild them.
Every fixture is drawn from one deterministic set of respondents, and
``expected/<fixture>.csv`` records what the store must hold after a default
import (incomplete responses left out), so round-trip tests compare against
what the file said, not against the code under test.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import openpyxl
import pandas as pd
import pyreadstat
import yaml

HERE = Path(__file__).parent
CODEBOOK = yaml.safe_load(
    (HERE.parents[2] / "data" / "codebook.yaml").read_text(encoding="utf-8")
)
SCALES = CODEBOOK["scales"]
QUESTIONS = {q["id"]: q for q in CODEBOOK["questions"]}
# The questions every fixture carries; agree5 and ethics3 form the Likert grids.
ASKED = (
    "share_caution",
    "leave_unprotected",
    "ethical_use",
    "refuse_share_journey",
    "track_browsing",
    "track_feeds",
    "track_ads",
    "spend_more",
    "expect_personal",
    "password_reuse",
)
GRID = ("track_browsing", "track_feeds", "track_ads")
COUNTRY_NAMES = {
    "fr": {"FR": "France", "DE": "Allemagne", "GB": "Royaume-Uni", "US": "États-Unis"},
    "en": {"FR": "France", "DE": "Germany", "GB": "UK", "US": "United States"},
}
GENDER_NAMES = {
    "fr": {"female": "Femme", "male": "Homme", "other": "Autre"},
    "en": {"female": "Female", "male": "Male", "other": "Other"},
}
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_OF_BAND = {
    "18-24": 21,
    "25-34": 29,
    "35-44": 40,
    "45-54": 50,
    "55-64": 60,
    "65+": 71,
}


def respondents(seed: int, n: int = 30) -> list[dict[str, object]]:
    """Deterministic respondents: segments, weight, answers, quality traits."""
    rng = random.Random(seed)
    people = []
    for i in range(n):
        answers: dict[str, int | None] = {}
        for qid in ASKED:
            codes = list(SCALES[QUESTIONS[qid]["type"]])
            answers[qid] = None if rng.random() < 0.06 else rng.choice(codes)
        people.append(
            {
                "id": f"R_{seed:02d}{i:04d}x{rng.randrange(16**6):06x}",
                "country": rng.choice(["FR", "DE", "GB", "US"]),
                "age_band": rng.choice(AGE_BANDS),
                "gender": rng.choice(["female", "male", "male", "female", "other"]),
                "weight": round(rng.uniform(0.4, 2.5), 3),
                "answers": answers,
                "seconds": rng.randint(300, 900),
                "finished": True,
            }
        )
    # quirks: two incomplete responses, one speeder, one straight-liner
    people[3]["finished"] = False
    people[7]["finished"] = False
    people[5]["seconds"] = 40
    for qid in GRID:
        people[9]["answers"][qid] = 3  # type: ignore[index]
    return people


def label(qid: str, code: int | None, lang: str) -> str:
    if code is None:
        return ""
    text = str(SCALES[QUESTIONS[qid]["type"]][code][lang])
    # French exports often write the typographic apostrophe
    return text.replace("'", "’") if lang == "fr" and code % 2 else text


def expected(
    name: str,
    people: list[dict[str, object]],
    kept_incomplete: bool = False,
    ids: bool = True,
) -> None:
    rows = []
    for row, person in enumerate(people):
        if not person["finished"] and not kept_incomplete:
            continue
        answers = person["answers"]
        assert isinstance(answers, dict)
        rows.append(
            {
                "respondent_id": person["id"] if ids else f"row-{row + 2}",
                "weight": person["weight"],
                "country": person["country"],
                "age_band": person["age_band"],
                "gender": person["gender"],
                **{q: answers[q] for q in ASKED},
            }
        )
    frame = pd.DataFrame(rows)
    for q in ASKED:
        frame[q] = frame[q].astype("Int16")
    (HERE / "expected").mkdir(exist_ok=True)
    frame.to_csv(HERE / "expected" / f"{name}.csv", index=False)


def write_csv(
    path: Path, rows: list[list[object]], encoding: str = "utf-8", delimiter: str = ","
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


# -- Qualtrics --------------------------------------------------------------------

QUALTRICS_META = (
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
)
QUALTRICS_QIDS = {
    "share_caution": "Q1",
    "leave_unprotected": "Q2",
    "ethical_use": "Q3",
    "refuse_share_journey": "Q4",
    "track_browsing": "Q5_1",
    "track_feeds": "Q5_2",
    "track_ads": "Q5_3",
    "spend_more": "Q6",
    "expect_personal": "Q7",
    "password_reuse": "Q8",
}
GRID_STEMS = {
    "fr": (
        "Dans quelle mesure est-il éthique que les entreprises vous suivent ?",
        {
            "track_browsing": "suivre votre navigation et vos achats en ligne",
            "track_feeds": "personnaliser vos fils d'actualité",
            "track_ads": "personnaliser la publicité",
        },
    ),
    "en": (
        "How ethical is it for companies to track you?",
        {
            "track_browsing": "Tracking your browsing and online purchases",
            "track_feeds": "Personalising your news feeds",
            "track_ads": "Personalising advertising",
        },
    ),
}


def question_text(qid: str, lang: str) -> str:
    if qid in GRID:
        stem, items = GRID_STEMS[lang]
        return f"{stem} - {items[qid]}"
    return str(QUESTIONS[qid]["text"][lang])


def qualtrics(
    name: str,
    lang: str,
    numeric: bool,
    seed: int,
    personal: dict[str, list[str]] | None = None,
) -> None:
    people = respondents(seed)
    names = [
        *QUALTRICS_META,
        *QUALTRICS_QIDS.values(),
        "Q9",
        "country",
        "age",
        "gender",
        "weight",
    ]
    texts = [
        *QUALTRICS_META,
        *(f"{QUALTRICS_QIDS[q]} - {question_text(q, lang)}" for q in ASKED),
        "Q9 - Commentaires" if lang == "fr" else "Q9 - Comments",
        "country",
        "age",
        "gender",
        "weight",
    ]
    ids = [json.dumps({"ImportId": n}) for n in names]
    rows: list[list[object]] = [names, texts, ids]
    for i, p in enumerate(people):
        answers = p["answers"]
        assert isinstance(answers, dict)
        done = bool(p["finished"])
        pii = {k: v[i % len(v)] for k, v in (personal or {}).items()}
        meta = [
            "2025-03-04 10:00:00",
            "2025-03-04 10:10:00",
            "0",
            pii.get("ip", f"192.0.2.{i + 1}"),
            "100" if done else "42",
            str(p["seconds"]),
            ("1" if done else "0") if numeric else ("True" if done else "False"),
            "2025-03-04 10:10:01",
            p["id"],
            pii.get("last", "Martin"),
            pii.get("first", "Claire"),
            pii.get("email", f"claire{i}@example.org"),
            pii.get("ref", f"EXT-{i:05d}"),
            pii.get("lat", "48.8566"),
            pii.get("lon", "2.3522"),
            "anonymous",
            lang.upper(),
        ]
        coded = [
            ("" if answers[q] is None else str(_numeric(q, answers[q])))
            if numeric
            else label(q, answers[q], lang)
            for q in ASKED
        ]
        comment = pii.get("comment", "RAS" if lang == "fr" else "Nothing to add")
        country = p["country"] if numeric else COUNTRY_NAMES[lang][str(p["country"])]
        gender = GENDER_NAMES[lang][str(p["gender"])]
        rows.append(
            [
                *meta,
                *coded,
                comment,
                country,
                AGE_OF_BAND[str(p["age_band"])],
                gender,
                p["weight"],
            ]
        )
    write_csv(HERE / name, rows, encoding="utf-8-sig" if lang == "fr" else "utf-8")
    expected(Path(name).stem, people)


def _numeric(qid: str, code: int) -> int:
    """Qualtrics numbers choices in order: "don't know" of agree5 comes out as 6."""
    return 6 if code == 9 and QUESTIONS[qid]["type"] == "agree5" else code


# -- SurveyMonkey ------------------------------------------------------------------

MONKEY_META = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
)


def monkey_rows(
    lang: str, seed: int
) -> tuple[list[list[object]], list[dict[str, object]]]:
    people = respondents(seed)
    first: list[object] = [*MONKEY_META]
    second: list[object] = [""] * len(MONKEY_META)
    stem, items = GRID_STEMS[lang]
    for q in ASKED:
        if q in GRID:
            first.append(stem if q == GRID[0] else "")
            second.append(items[q])
        else:
            first.append(QUESTIONS[q]["text"][lang])
            second.append("Response")
    segments = (
        ("Country", "Age", "Gender", "Weight")
        if lang == "en"
        else ("Pays", "Âge", "Sexe", "Poids")
    )
    first += list(segments)
    second += ["Response"] * 4
    rows: list[list[object]] = [first, second]
    for i, p in enumerate(people):
        answers = p["answers"]
        assert isinstance(answers, dict)
        start = pd.Timestamp("2025-03-04 09:00:00") + pd.Timedelta(minutes=13 * i)
        end = start + pd.Timedelta(seconds=int(str(p["seconds"])))
        rows.append(
            [
                str(p["id"]),
                "431552",
                start.strftime("%m/%d/%Y %I:%M:%S %p"),
                end.strftime("%m/%d/%Y %I:%M:%S %p"),
                f"198.51.100.{i + 1}",
                f"pat{i}@example.com",
                "Pat",
                "Doe",
                f"crm-{i}@example.com",
                *(label(q, answers[q], lang) for q in ASKED),
                COUNTRY_NAMES[lang][str(p["country"])],
                p["age_band"],
                GENDER_NAMES[lang][str(p["gender"])],
                p["weight"],
            ]
        )
    return rows, people


def surveymonkey() -> None:
    rows, people = monkey_rows("en", seed=3)
    write_csv(HERE / "surveymonkey_en.csv", rows)
    expected("surveymonkey_en", people, kept_incomplete=True)
    rows, people = monkey_rows("fr", seed=4)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet"
    for row in rows:
        sheet.append(row)
    book.save(HERE / "surveymonkey_fr.xlsx")
    expected("surveymonkey_fr", people, kept_incomplete=True)


# -- SPSS ----------------------------------------------------------------------------


def spss() -> None:
    """SPSS with its own codes: agree5 reversed, 98 don't know, 99 refused (missing)."""
    people = respondents(5)
    data: dict[str, list[object]] = {
        "resp_id": [],
        "country": [],
        "age": [],
        "gender": [],
        "weight": [],
    }
    spss_codes: dict[str, dict[int, int]] = {}
    value_labels: dict[str, dict[float, str]] = {}
    for q in ASKED:
        scale = SCALES[QUESTIONS[q]["type"]]
        top = max(c for c in scale if c != 9)
        mapping = {
            c: (top + 1 - c if QUESTIONS[q]["type"] == "agree5" else c)
            for c in scale
            if c != 9
        }
        mapping[9] = 98
        spss_codes[q] = mapping
        value_labels[q] = {float(mapping[c]): scale[c]["en"] for c in scale}
        value_labels[q][99.0] = "Refused"
        data[q] = []
    for i, p in enumerate(people):
        answers = p["answers"]
        assert isinstance(answers, dict)
        data["resp_id"].append(float(1001 + i))
        data["country"].append(str(p["country"]))
        data["age"].append(float(AGE_OF_BAND[str(p["age_band"])]))
        data["gender"].append(
            {"female": 2.0, "male": 1.0, "other": 3.0}[str(p["gender"])]
        )
        data["weight"].append(float(str(p["weight"])))
        for q in ASKED:
            code = answers[q]
            # a refusal (99) is a missing answer, as is a blank
            data[q].append(
                99.0
                if code is None and i % 2
                else None
                if code is None
                else float(spss_codes[q][code])
            )
        p["id"] = str(1001 + i)
        p["finished"] = True
    frame = pd.DataFrame(data)
    labels = [
        q
        if q in ("resp_id", "country", "age", "gender", "weight")
        else str(QUESTIONS[q]["text"]["en"])
        for q in frame.columns
    ]
    value_labels["gender"] = {1.0: "Male", 2.0: "Female", 3.0: "Other"}
    pyreadstat.write_sav(
        frame,
        HERE / "spss_en.sav",
        column_labels=labels,
        variable_value_labels=value_labels,
        missing_ranges={q: [98.0, 99.0] for q in ASKED},
    )
    expected("spss_en", people)


# -- Excel and plain CSV -------------------------------------------------------------


def plain_rows(
    lang: str, seed: int, by_id: bool
) -> tuple[list[list[object]], list[dict[str, object]]]:
    people = respondents(seed)
    header: list[object] = (
        ["Identifiant", "Pays", "Âge", "Sexe", "Poids"]
        if lang == "fr"
        else ["respondent_id", "country", "age", "gender", "weight"]
    )
    header += [q if by_id else question_text(q, lang) for q in ASKED]
    rows: list[list[object]] = [header]
    for p in people:
        answers = p["answers"]
        assert isinstance(answers, dict)
        p["finished"] = True
        rows.append(
            [
                str(p["id"]),
                COUNTRY_NAMES[lang][str(p["country"])],
                AGE_OF_BAND[str(p["age_band"])],
                GENDER_NAMES[lang][str(p["gender"])],
                p["weight"],
                *(label(q, answers[q], lang) for q in ASKED),
            ]
        )
    return rows, people


def excel() -> None:
    rows, people = plain_rows("fr", seed=6, by_id=False)
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Vague de mars 2025, panel en ligne, pondéré âge × sexe"])
    data = book.create_sheet("Données")
    for row in rows:
        data.append(row)
    book.save(HERE / "excel_fr.xlsx")
    expected("excel_fr", people)


def european_csv() -> None:
    rows, people = plain_rows("fr", seed=7, by_id=True)
    for row in rows[1:]:
        row[4] = str(row[4]).replace(".", ",")  # decimal comma, as French Excel writes
    write_csv(HERE / "csv_fr_cp1252.csv", rows, encoding="cp1252", delimiter=";")
    expected("csv_fr_cp1252", people)
    rows, people = plain_rows("en", seed=8, by_id=False)
    write_csv(HERE / "csv_en_utf16.txt", rows, encoding="utf-16", delimiter="\t")
    expected("csv_en_utf16", people)
    rows, people = plain_rows("fr", seed=9, by_id=False)
    write_csv(HERE / "csv_fr_bom_comma.csv", rows, encoding="utf-8-sig")
    expected("csv_fr_bom_comma", people)


def toplines() -> None:
    rows: list[list[object]] = [
        ["metric", "segment_var", "segment_value", "percent", "base_n"]
    ]
    for metric, base in (("share_with_caution", 62.5), ("churn_unprotected", 48.0)):
        rows.append([metric, "total", "total", base, 1000])
        rows.append([metric, "country", "FR", base + 3, 500])
        rows.append([metric, "country", "DE", base - 3, ""])
    write_csv(HERE / "toplines_fr.csv", rows, encoding="cp1252", delimiter=";")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(HERE / "toplines.xlsx")


# -- personal data --------------------------------------------------------------------

PLANTED = {
    "first": ["Zéphyrine", "Anatole"],
    "last": ["Quillebeuf", "Tartempion"],
    "email": ["zephyrine.quillebeuf@planted.test", "anatole.tartempion@planted.test"],
    "ip": ["203.0.113.77", "203.0.113.78"],
    "lat": ["43.296482", "45.764043"],
    "lon": ["5.369780", "4.835659"],
    "ref": ["CRM-PLANTED-4471", "CRM-PLANTED-4472"],
    "comment": [
        "Rappelez-moi au 06 12 34 56 78",
        "écrire à joseph.planted@courriel.test",
    ],
}


def profile() -> None:
    """The committed profile data/mappings/confiance-qualtrics-en.yaml.

    It is the detection of the numeric Qualtrics export saved as a profile:
    each column's role, segment name and library link.
    """
    from analysis.ingest.profile_overrides import detection_profile
    from analysis.ingest.profiles import save_profile
    from analysis.ingest.questionnaire import detect_questionnaire
    from analysis.ingest.readers import read_survey
    from analysis.library.codebook import load_codebook

    raw = read_survey(HERE / "qualtrics_en_numeric.csv")
    detection = detect_questionnaire(raw, load_codebook())
    save_profile(
        detection_profile(detection, "confiance-qualtrics-en"), "confiance-qualtrics-en"
    )


def main() -> None:
    qualtrics("qualtrics_fr_text.csv", "fr", numeric=False, seed=1)
    qualtrics("qualtrics_en_numeric.csv", "en", numeric=True, seed=2)
    qualtrics("qualtrics_personal.csv", "fr", numeric=False, seed=10, personal=PLANTED)
    (HERE / "planted.json").write_text(
        json.dumps(PLANTED, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    surveymonkey()
    spss()
    excel()
    european_csv()
    toplines()
    profile()


if __name__ == "__main__":
    main()
