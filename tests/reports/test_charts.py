"""The server-side SVG charts: well-formed XML, escaped labels, accessible, suppressed bars drawn without a bar."""

import xml.etree.ElementTree as ET

import pytest

from reports.charts import Bar, column_chart, horizontal_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    """Parse a chart we built (trusted input: the test checks it is well-formed)."""
    return ET.fromstring(svg)  # noqa: S314


HOSTILE = '<script>alert("x")</script> & «Ош» \u202e ң ө ү'


@pytest.mark.parametrize("draw", [horizontal_bar_chart, column_chart])
def test_a_chart_is_valid_xml_with_its_labels_escaped(draw):
    svg = draw(chart_id="c1", title=HOSTILE, description="Таблица төмөндө.", bars=[Bar(HOSTILE, 7, "7")])

    root = _parse(svg)  # raises on malformed XML

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert not list(root.iter(f"{SVG}script"))
    assert root.find(f"{SVG}title").text == HOSTILE


@pytest.mark.parametrize("draw", [horizontal_bar_chart, column_chart])
def test_a_chart_is_an_image_with_a_title_and_a_description(draw):
    root = _parse(draw(chart_id="by-sex", title="Жынысы боюнча", description="Д", bars=[Bar("Аял", 5, "5")]))

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "by-sex-title by-sex-desc"
    assert root.find(f"{SVG}title").get("id") == "by-sex-title"
    assert root.find(f"{SVG}desc").text == "Д"


def test_the_longest_bar_fills_the_room_and_the_others_are_in_proportion():
    root = _parse(
        horizontal_bar_chart(chart_id="c", title="t", description="d", bars=[Bar("а", 10, "10"), Bar("б", 5, "5")])
    )

    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(2 * widths[1], abs=1)


@pytest.mark.parametrize("draw", [horizontal_bar_chart, column_chart])
def test_a_suppressed_count_has_no_bar_and_shows_under_five(draw):
    svg = draw(chart_id="c", title="t", description="d", bars=[Bar("Эркек", None, "<5"), Bar("Аял", 9, "9")])
    root = _parse(svg)

    assert len(list(root.iter(f"{SVG}rect"))) == 1
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "<5" in texts  # the parsed text; escaped in the markup
    assert "&lt;5" in svg


def test_a_long_label_is_cut_in_the_chart_and_whole_in_its_tooltip():
    long_label = "Мажбурлап иштетүү же кызмат көрсөтүү, кулчулук же кулчулукка окшош каада-салттар, эрксиз абал" * 2
    root = _parse(horizontal_bar_chart(chart_id="c", title="t", description="d", bars=[Bar(long_label, 3, "3")]))

    group = root.find(f"{SVG}g")
    assert group.find(f"{SVG}title").text == f"{long_label}: 3"
    assert group.find(f"{SVG}text").text.endswith("…")


def test_an_empty_chart_is_still_valid_xml():
    _parse(horizontal_bar_chart(chart_id="c", title="t", description="d", bars=[]))
    _parse(column_chart(chart_id="c", title="t", description="d", bars=[]))
