"""Vendor reliability figures on a small case computed by hand."""

from __future__ import annotations

from datetime import date

import pytest
from pannes.incidents.reliability import compare_vendors, format_table, vendor_reliability

from pannes.errors import UserInputError
from pannes.records import Duration, Incident


def _incident(iid, vendors, start, hours, impact, cause, mentioned=False):
    return Incident(id=iid, title=iid, vendors=vendors, impact=impact, cause=cause,
                    duration=Duration([], *hours), start=date.fromisoformat(start),
                    known_from_mentions=mentioned)


@pytest.fixture
def stats_store(make_store):
    store = make_store()
    store.save_incidents([
        _incident("a1", ["Alpha"], "2023-03-01", (2, 4), ["data_loss", "service_unavailable"], "hardware"),
        _incident("a2", ["Alpha"], "2024-05-01", (10, 10), ["service_unavailable"], "power"),
        _incident("a3", ["Alpha"], "2024-07-01", (None, None), ["data_breach"], "unknown"),
        _incident("a4", ["Alpha"], "2024-09-01", (20, None), ["email_messaging"], "hardware"),
        _incident("b1", ["Beta"], "2024-01-10", (1, 3), ["website_down"], "ddos"),
        _incident("ab", ["Alpha", "Beta"], "2024-02-01", (5, 7), ["data_loss"], "third_party",
                  mentioned=True),
    ])
    return store


def test_one_vendor_all_time(stats_store):
    [alpha] = vendor_reliability(stats_store, ["alpha"])
    # durations: a1 3 (middle of 2-4), a2 10, a4 20 (only a lower bound), ab 6; a3 unknown
    assert alpha.incidents == 5
    assert (alpha.with_duration, alpha.unknown_duration) == (4, 1)
    assert alpha.total_hours == pytest.approx(39)
    assert alpha.median_hours == pytest.approx(8)  # (6 + 10) / 2
    assert (alpha.longest_hours, alpha.longest_incident) == (20, "a4")
    assert alpha.data_loss_or_breach == 3  # a1, a3, ab
    assert alpha.share_data_loss_or_breach == pytest.approx(0.6)
    assert alpha.by_year == [("2023", 1), ("2024", 4)]
    assert alpha.by_cause == [("hardware", 2), ("power", 1), ("third_party", 1), ("unknown", 1)]
    assert dict(alpha.by_impact) == {"data_loss": 2, "service_unavailable": 2,
                                     "data_breach": 1, "email_messaging": 1}
    assert (alpha.first_start, alpha.last_start) == (date(2023, 3, 1), date(2024, 9, 1))


def test_period_and_comparison(stats_store):
    alpha, beta = compare_vendors(stats_store, ["Alpha", "BETA"], since=date(2024, 1, 1))
    assert (alpha.incidents, alpha.total_hours, alpha.median_hours) == (4, 36, 10)
    assert (beta.incidents, beta.total_hours, beta.median_hours) == (2, 8, 4)
    assert (beta.longest_hours, beta.longest_incident) == (6, "ab")
    assert beta.share_data_loss_or_breach == pytest.approx(0.5)
    [beta] = vendor_reliability(stats_store, ["Beta"], include_mentioned=False)
    assert beta.incidents == 1 and beta.median_hours == 2
    table = format_table([alpha, beta])
    assert "Alpha" in table and "unknown duration" in table


def test_all_vendors_most_incidents_first(stats_store):
    assert [s.vendor for s in vendor_reliability(stats_store)] == ["Alpha", "Beta"]


def test_unknown_vendor_is_explained(stats_store):
    with pytest.raises(UserInputError, match="Did you mean Alpha"):
        vendor_reliability(stats_store, ["Alpah"])
    with pytest.raises(UserInputError, match="at least two"):
        compare_vendors(stats_store, ["Alpha"])


@pytest.fixture
def brands_store(make_store):
    """Incidents of brands whose group the real vendor base declares as their parent."""
    import json
    from importlib import resources

    from pannes.nlp.vendors import VendorBase
    from pannes.store.sqlite_incidents import VENDOR_GROUPS_KEY

    store = make_store()
    base = VendorBase.from_files([resources.files("pannes.nlp") / "data" / "vendors.jsonl"])
    store.set_meta(VENDOR_GROUPS_KEY, json.dumps(base.groups()))
    store.save_incidents([
        _incident("psn1", ["PlayStation Network"], "2024-01-10", (2, 2), ["service_unavailable"], "unknown"),
        _incident("psn2", ["PlayStation Network", "Sony"], "2024-03-10", (4, 4), ["data_breach"],
                  "cyberattack"),
        _incident("sony", ["Sony"], "2024-05-10", (6, 6), ["service_unavailable"], "unknown"),
        _incident("azure", ["Microsoft Azure"], "2024-02-10", (1, 1), ["cloud"], "configuration_change"),
    ])
    return store


def test_brands_roll_up_into_their_group(brands_store):
    assert [s.vendor for s in vendor_reliability(brands_store)] == [
        "PlayStation Network", "Sony", "Microsoft Azure"]
    sony, microsoft = vendor_reliability(brands_store, by_group=True)
    # psn2 names both Sony and its network: one incident of the group, not two
    assert (sony.vendor, sony.incidents, sony.total_hours, sony.median_hours) == ("Sony", 3, 12, 4)
    assert sony.by_cause == [("unknown", 2), ("cyberattack", 1)]
    assert (microsoft.vendor, microsoft.incidents) == ("Microsoft", 1)
    # a brand's name asks for its group
    [group] = vendor_reliability(brands_store, ["playstation network"], by_group=True)
    assert group.vendor == "Sony" and group.incidents == 3
