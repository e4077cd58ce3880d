"""Real-date axes and the time slider's range."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from factionmap.store.db import make_engine
from factionmap.store.models import Base
from factionmap.web.sample import build_network_sample
from factionmap.web.timeline import (
    TimeAxis,
    month_label,
    month_number,
    slider_range,
    weighted_bounds,
)


def test_months_are_consecutive_numbers():
    assert month_number("2024-01") - month_number("2023-12") == 1
    assert month_label(month_number("1999-07")) == "1999-07"


def test_axis_is_proportional_to_elapsed_time():
    axis = TimeAxis.for_months("2020-01", "2021-12", 0.0, 730.0)
    x = axis.month_x
    # half a year and a year apart are drawn half as far and as far apart
    assert x("2021-01") - x("2020-01") == pytest.approx(2 * (x("2020-07") - x("2020-01")), rel=0.02)
    assert x("2020-01") > 0 and x("2021-12") < 730


def test_ticks_are_round_and_few():
    axis = TimeAxis.for_months("2019-03", "2024-02", 0.0, 600.0)
    ticks = axis.ticks(max_ticks=8)
    assert 2 <= len(ticks) <= 8
    assert [label for _, label in ticks] == ["2020", "2021", "2022", "2023", "2024"]
    assert all(a < b for (a, _), (b, _) in zip(ticks, ticks[1:], strict=False))
    short = TimeAxis.for_months("2024-01", "2024-04", 0.0, 100.0).ticks()
    assert [label for _, label in short] == ["2024-01", "2024-02", "2024-03", "2024-04",
                                             "2024-05"]


def test_weighted_bounds_leave_out_a_stray_date():
    weights = {month_number("1850-01"): 1.0, month_number("2053-06"): 1.0}
    weights |= {month_number(f"2023-{m:02d}"): 20.0 for m in range(1, 13)}
    lo, hi = weighted_bounds(weights) or (0, 0)
    assert (month_label(lo), month_label(hi)) == ("2023-01", "2023-12")
    assert weighted_bounds({}) is None


def test_slider_range_is_the_bulk_of_the_evidence(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 's.db'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        build_network_sample(session)
        session.commit()
        got = slider_range(session, today=dt.date(2025, 6, 1))
    # the sample's reports run through 2022 and 2023; one event was misdated to 1850
    assert got.months[0] >= "2022-01" and got.months[-1] >= "2023-11"
    assert got.months[-1] <= "2024-02"
    assert got.n_before == 1
    assert 20 <= len(got.months) <= 30
