"""dashboard.status_counts.per_state: each state's value kept under its version, and the
whole set kept as one entry, without ever serving a value its version or clock outgrew."""

from __future__ import annotations

from django.core.cache import caches

from dashboard.status_counts import per_state


class Reader:
    """A `read` that answers "<state>@<version>" and records which states it was asked."""

    def __init__(self, versions: dict[int, str]) -> None:
        self.versions = versions
        self.asked: list[list[int]] = []

    def __call__(self, missing: list[int]) -> dict[int, str]:
        self.asked.append(sorted(missing))
        return {state: f"{state}@{self.versions[state]}" for state in missing}


def test_a_second_visit_reads_nothing_and_a_moved_version_reads_its_state_alone() -> None:
    caches["figures"].clear()
    versions = {1: "a", 2: "b", 3: "c"}
    read = Reader(versions)
    assert per_state("test", [1, 2, 3], versions, read) == ["1@a", "2@b", "3@c"]
    assert per_state("test", [1, 2, 3], versions, read) == ["1@a", "2@b", "3@c"]
    assert read.asked == [[1, 2, 3]]
    versions[2] = "b2"
    assert per_state("test", [1, 2, 3], versions, read) == ["1@a", "2@b2", "3@c"]
    assert read.asked == [[1, 2, 3], [2]]
    # Another set of the same states (another coordinator) shares the per-state entries.
    assert per_state("test", [3, 1], versions, read) == ["3@c", "1@a"]
    assert read.asked == [[1, 2, 3], [2]]


def test_a_value_that_no_longer_holds_is_read_again_though_the_set_was_kept() -> None:
    caches["figures"].clear()
    versions = {1: "a", 2: "b"}
    read = Reader(versions)
    stale: set[str] = set()

    def holds(value: str) -> bool:  # as the overdue count's clock does
        return value not in stale

    per_state("test", [1, 2], versions, read, holds=holds)
    stale.add("2@b")
    assert per_state("test", [1, 2], versions, read, holds=holds) == ["1@a", "2@b"]
    assert read.asked == [[1, 2], [2]]


def test_kinds_of_values_do_not_mix() -> None:
    caches["figures"].clear()
    versions = {1: "a"}
    assert per_state("totals", [1], versions, lambda m: {1: "totals"}) == ["totals"]
    assert per_state("overdue", [1], versions, lambda m: {1: "overdue"}) == ["overdue"]
