"""The suppression of small counts for analysts, without a database: 1-4 hidden, 0 and 5+ shown, and no hidden count
that can be worked out from a total and the shown cells."""

from itertools import product

import pytest

from reports.stats import COMPLEMENTARY, SMALL, THRESHOLD, Cell, protect_cells, protect_partition


def test_counts_from_one_to_four_are_shown_as_under_five_and_zero_and_five_as_they_are():
    cells = protect_cells([0, 1, 2, 3, 4, 5, 17], exact=False)

    assert [cell.shown for cell in cells] == ["0", "<5", "<5", "<5", "<5", "5", "17"]
    assert all(cell.value is None for cell in cells if cell.hidden)


def test_heads_see_every_count_exactly():
    cells, total, _ = protect_partition([1, 3, 20], exact=True)

    assert [cell.shown for cell in cells] == ["1", "3", "20"]
    assert total == Cell(24)


def test_one_small_count_beside_a_total_hides_the_smallest_other_count_too():
    cells, total, degenerate = protect_partition([3, 6, 40], exact=False)

    assert [cell.hidden for cell in cells] == [SMALL, COMPLEMENTARY, ""]
    assert total.shown == "49"
    assert not degenerate


def test_a_table_without_small_counts_is_shown_whole():
    cells, total, _ = protect_partition([0, 5, 12], exact=False)

    assert [cell.shown for cell in cells] == ["0", "5", "12"]
    assert total.shown == "17"


def test_a_small_total_is_suppressed_too():
    cells, total, _ = protect_partition([1, 2, 0], exact=False)

    assert total.shown == "<5"
    assert [cell.shown for cell in cells][:2] == ["<5", "<5"]


def _possible_values(cells: list[Cell], total: int | None, shown_values: list[int]) -> list[set[int]]:
    """What a reader can work out for each hidden cell: every value consistent with the total and the rule."""
    hidden = [i for i, cell in enumerate(cells) if cell.hidden]
    if total is None:  # the total is hidden: the reader cannot subtract
        return [set(range(0, 2 * THRESHOLD)) for _ in hidden]
    rest = total - sum(v for i, v in enumerate(shown_values) if not cells[i].hidden)
    small = range(1, THRESHOLD)
    zeros_hidden = any(cell.hidden == COMPLEMENTARY and shown_values[i] == 0 for i, cell in enumerate(cells))
    # A cell hidden beside a small one holds 5 or more; or possibly 0, once zeros had to be hidden too.
    other = range(0 if zeros_hidden else THRESHOLD, rest + 1)
    ranges = [small if cells[i].hidden == SMALL else other for i in hidden]
    options = [set() for _ in hidden]
    for combination in product(*ranges):
        if sum(combination) == rest:
            for position, value in enumerate(combination):
                options[position].add(value)
    return options


@pytest.mark.parametrize(
    "values",
    [
        [3, 6, 40],
        [1, 5],
        [1, 1, 1, 1, 1],
        [4, 0, 0, 9],
        [2, 2, 30],
        [1, 5, 5],
        [4, 4, 4],
        [1, 0],
        [0, 3, 0, 12],
        [2, 7],
    ],
)
def test_no_suppressed_count_can_be_worked_out_from_the_total(values):
    cells, total, _ = protect_partition(values, exact=False)
    shown_total = None if total.hidden else total.value

    for index, options in zip(
        [i for i, c in enumerate(cells) if c.hidden], _possible_values(cells, shown_total, values), strict=True
    ):
        if cells[index].hidden == SMALL:
            assert len(options & set(range(1, THRESHOLD))) > 1, (values, [c.shown for c in cells], index)


def test_when_nothing_else_can_be_hidden_the_total_is_hidden_and_the_table_marked():
    _cells, total, degenerate = protect_partition([1, 1, 1, 1, 1], exact=False)

    assert degenerate
    assert total.hidden
    assert total.value is None
