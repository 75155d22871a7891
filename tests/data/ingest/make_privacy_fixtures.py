"""Generate the wider-net personal data fixture: ``plain_personal_wide.csv``.

Run ``.venv/bin/python tests/data/ingest/make_privacy_fixtures.py`` to rebuild
it. A plain CSV of the usual respondents (``make_fixtures.plain_rows``) whose
id column holds people's names, with postcodes (FR, GB, US ZIP+4), GPS pairs,
IPv6 addresses, obfuscated e-mails and national phone numbers in columns whose
names say nothing, and two headers that are personal data themselves. Every
planted string is written to ``planted_wide.json``; none may reach the store,
the import report or the CLI's output. Two controls must stay: five-digit
answer codes and round amounts, which look like postcodes but are not.
``expected/plain_personal_wide.csv`` holds the generator's library codes of
each respondent, under the file's id (a planted name).
"""

from __future__ import annotations

import json

from make_fixtures import HERE, expected, plain_rows, write_csv

FIRST = ["Zéphyrine", "Anatole", "Philomène", "Barnabé", "Eulalie"]
LAST = [
    "Quillebeufski",
    "Tartempionne",
    "Vercingetorax",
    "Lampadaire",
    "Ornicarus",
    "Brindezingue",
]
PLANTED = {
    "names": [f"{f} {last}" for last in LAST for f in FIRST],
    "postcode_fr": ["13008", "69003", "31415", "59777", "33127", "67213"],
    "postcode_gb": ["SW1A 2AA", "EC1A 1BB", "M13 9PL", "B33 8TH", "LS2 7EY"],
    "zip4": ["94105-1234", "60601-4321", "30301-9876", "73301-5555", "02139-4307"],
    "gps": ["44.837789, -0.579180", "50.629250, 3.057256", "47.218371, -1.553621"],
    "ipv6": ["2001:db8:85a3::8a2e:370:7334", "2001:db8:1234:5678::beef"],
    "comment": [
        "écrivez à zoe.plantee (at) exemple [dot] fr",
        "mail: barnabe[at]plantage[dot]test",
        "call me at (415) 555-2671 after six",
        "Rückruf unter 030 12345678 bitte",
        "ring 020 7946 0958 any time",
        "contact: ornicar at jardin dot test",
    ],
    "headers": ["jean.dupont@planted.test", "Marie Curie (06 12 34 56 78)"],
}
EXTRA = ["where", "zone", "Q_loc", "Custom 2", "meta_a", "comment"]
CONTROLS = ["answer_code", "income"]


def main() -> None:
    rows, people = plain_rows("en", seed=11, by_id=True)
    header = rows[0]
    rows[0] = [*header, *EXTRA, *PLANTED["headers"], *CONTROLS]
    for i, row in enumerate(rows[1:]):
        row[0] = PLANTED["names"][i % len(PLANTED["names"])]
        extra = [
            PLANTED[key][i % len(PLANTED[key])]
            for key in ("gps", "postcode_gb", "postcode_fr", "zip4", "ipv6", "comment")
        ]
        controls = [str(10001 + i % 5), str(20000 + 1000 * (i % 9))]
        row.extend([*extra, str(i % 2), "oui" if i % 3 else "non", *controls])
    write_csv(HERE / "plain_personal_wide.csv", rows)
    (HERE / "planted_wide.json").write_text(
        json.dumps(PLANTED, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    assert len(people) == len(rows) - 1
    ids = [row[0] for row in rows[1:]]  # the planted names
    named = [{**p, "id": i} for p, i in zip(people, ids, strict=True)]
    expected("plain_personal_wide", named)


if __name__ == "__main__":
    main()
