from rasd.reconcile import Reported, reconcile


def R(source, group, best, low=None, high=None, stance="asserts"):
    return Reported(source, stance, group, best if low is None else low, best, best if high is None else high)


def test_per_group_minimum_summed_over_groups():
    figs = [R("RU", "soldiers", 40), R("RU", "militants", 50), R("SOHR", "soldiers", 30)]
    fat, contested = reconcile(figs, denied=False)
    assert fat["best"] == 80  # min(40, 30) + 50
    assert fat["high"] == 90  # Russia's own total
    assert contested  # 40 and 30 do not overlap


def test_denial_sets_low_to_zero_and_contests():
    fat, contested = reconcile([R("RU", "soldiers", 40), R("RU", "militants", 50)], denied=True)
    assert fat == {"low": 0, "best": 90, "high": 90}
    assert contested


def test_unknown_group_is_not_added_but_wins_when_larger():
    fat, _ = reconcile([R("A", "civilians", 3), R("B", "unknown", 12, 10, 99)], denied=False)
    assert fat["best"] == 12
    fat, _ = reconcile([R("A", "civilians", 30), R("B", "unknown", 12, 10, 99)], denied=False)
    assert fat["best"] == 30


def test_overlapping_intervals_are_not_contested():
    _, contested = reconcile([R("A", "civilians", 12, 10, 99), R("B", "civilians", 20)], denied=False)
    assert not contested


def test_no_killed_figures_gives_zero():
    assert reconcile([], denied=False) == ({"low": 0, "best": 0, "high": 0}, False)
