"""B5 rapport PDF, warm worker: what the Celery task `reports.tasks.rapport_pdf_render` does for one rapport (claim the
row, check the content hash, render twice for the verification code, store the file) against a one-line PDF rendered
by the same WeasyPrint setup (trafficking_cms/pdf.py). Targets: median ≤ 8× the one-line PDF; 95th percentile ≤ 250 ms.
"""

import statistics
import time

from bench.core import Context, Result, percentile


def _rapport():
    """A unit, an officer, a case and its rapport of their own: names of this run, so a second run on the same
    database (CI's bench_smoke is kept between runs) does not collide with the factories' sequences."""
    import uuid

    from accounts.roles import Role
    from tests.factories import CaseFactory, RapportFactory, UnitFactory, UserFactory

    tag = uuid.uuid4().hex[:10]
    unit = UnitFactory(kind="district", code=f"bench-b5-{tag}", name=f"B5 {tag}")
    officer = UserFactory(unit=unit, username=f"b5-{tag}", roles=[Role.INSPECTOR])
    return RapportFactory(case=CaseFactory(created_by=officer, number=f"B5-{tag}")), officer


def run(ctx: Context) -> list[Result]:
    from reports.documents import rapport_content_hash
    from reports.models import RapportPdf
    from reports.pdf_services import rapport_pdf_render
    from trafficking_cms.pdf import render_pdf

    rapport, officer = _rapport()
    language = "ky"
    content_hash = rapport_content_hash(rapport=rapport, language=language)

    def one_render() -> RapportPdf:
        pdf = RapportPdf.objects.create(
            rapport=rapport, language=language, content_hash=content_hash, created_by=officer
        )
        start = time.perf_counter()
        done = rapport_pdf_render(pdf_id=str(pdf.pk))  # what the task runs, in this (warm) process
        elapsed = time.perf_counter() - start
        assert done.status == RapportPdf.Status.READY, done.status
        pages = done.pages
        done.file.delete(save=False)
        done.delete()
        return elapsed, pages

    def one_line_render() -> float:
        start = time.perf_counter()
        render_pdf("<p>Бир сап.</p>")
        return time.perf_counter() - start

    repeat = 10 if ctx.smoke else 40
    for _ in range(3):  # warm: fonts, style sheets, templates
        one_render()
        one_line_render()
    # Interleaved, so both see the same load of the machine (another process's burst hits both medians alike).
    times, one_line_times, pages = [], [], 0
    for _ in range(repeat):
        elapsed, pages = one_render()
        times.append(elapsed)
        one_line_times.append(one_line_render())
    median = statistics.median(times)
    p95 = percentile(times, 0.95)
    one_line = statistics.median(one_line_times)
    ratio = median / one_line
    detail = f"rapport {pages} page(s) median {median * 1000:.1f} ms, one-line PDF {one_line * 1000:.1f} ms, n={repeat}"
    return [
        Result("B5a", "rapport_pdf_vs_one_line", ratio, "<=", 8, detail),
        Result("B5b", "rapport_pdf_p95_ms", p95 * 1000, "<=", 250, f"p95 of {repeat} task renders; {detail}"),
    ]


if __name__ == "__main__":
    from bench._standalone import main

    main(run)
