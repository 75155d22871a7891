"""The view a page is handed: the chosen wave's record and the waves beside it."""

from dashboard.view import View


def test_the_view_carries_the_wave_records(demo_store):
    waves = tuple(w for w in demo_store.waves() if w.meta.kind == "respondents")
    names = [w.name for w in waves]
    assert names == ["Demo-2017", "Demo-2019", "Demo-2025"]  # stored order
    latest = View(info=waves[-1], waves=waves)
    assert latest.wave == "Demo-2025"
    assert latest.info.meta.synthetic
    assert latest.previous is waves[1]
    assert View(info=waves[0], waves=waves).previous is None
    assert latest.infos(["Demo-2025", "Demo-2017"]) == (waves[2], waves[0])
