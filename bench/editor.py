"""Benchmark: the design studio with a 200-component design (tests/rendering/designs.py ``chain_design``).

Against `runserver` with one Celery worker on a private Redis (the editor asks for an estimate after
loading), in Debian's Chromium driven by Playwright, it measures, as medians over several page loads:
- interactive: from navigation start until the save state is idle ("All changes saved") and the canvas has
  made its first fit with the cards in view drawn (past 250 components only those are drawn), read from the
  page's own clock (performance.now());
- save round trip: the PUT of the whole design with If-Match, from the request being sent to its answer
  (Playwright's resource timing), after a label edit in the properties panel;
- autosave to saved: from the autosave's PUT starting until the header says saved, on the page's clock;
- edit to saved: from typing that edit until the header says saved again (includes the 0.8 s autosave delay
  and the typing itself).

Everything it starts (Redis, worker, web server, SQLite file) is private to the run and stopped at the end.
Run: .venv/bin/python bench/editor.py [--runs N] [--size 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.processes import private_site  # noqa: E402

PASSWORD = "a long bench pass phrase"
# Interactive: the save state idle and the canvas showing what it will show — the first fit done
# (data-canvas-ready; a large design draws only the cards in view) with cards drawn; a bundle older than
# that marker counts from every card being in the DOM.
INTERACTIVE = """(components) => {
  if (!document.querySelector('[data-save-state=saved]')) return false;
  const cards = document.querySelectorAll('[data-component-id]').length;
  const canvas = document.querySelector('.canvas');
  if (canvas && canvas.hasAttribute('data-canvas-ready')) return cards > 0;
  return cards === components;
}"""


# performance.now() once the header says saved; the start of the newest PUT (the autosave) on that clock.
SAVED_AT = "() => document.querySelector('[data-save-state=saved]') ? performance.now() : false"
PUT_STARTED = """() => {
  const puts = performance.getEntriesByType('resource').filter((e) => e.name.includes('/design/')
    && e.initiatorType === 'fetch');
  return puts.length ? puts[puts.length - 1].startTime : NaN;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tierplan-bench-editor-") as work, private_site(Path(work)) as base:
        from playwright.sync_api import sync_playwright

        from tests.rendering.designs import chain_design

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{base}/accounts/signup/")
            page.fill("input[name=username]", "bench")
            page.fill("input[name=email]", "bench@example.com")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
            doc = chain_design(args.size, name=f"Bench {args.size}")
            answer = page.request.post(f"{base}/api/projects/", data={"design": doc}, headers={"X-CSRFToken": csrf})
            assert answer.status == 201, answer.text()
            project = answer.json()["id"]
            components = len(doc["components"])

            interactive, put_ms, after_autosave, edit_ms = [], [], [], []
            for run in range(args.runs + 1):  # the first load warms caches up and is not counted
                page.goto(f"{base}/projects/{project}/edit/")
                page.wait_for_function(INTERACTIVE, arg=components, polling="raf", timeout=60_000)
                ready = page.evaluate("performance.now()")
                # At this zoom a node is a few pixels wide: select one from the keyboard (focus, Enter).
                page.locator(".react-flow__node-component").nth(3).focus()
                page.keyboard.press("Enter")
                with page.expect_response(lambda r: r.request.method == "PUT") as response:
                    started = time.perf_counter()
                    page.fill(".properties-panel input[name=label]", f"Edited {run}")
                # The page's own clock when "saved" shows, against when the autosave's PUT started.
                saved_at = page.wait_for_function(SAVED_AT, polling="raf").json_value()
                saved = time.perf_counter()
                put_started = page.evaluate(PUT_STARTED)
                timing = response.value.request.timing
                if run:
                    interactive.append(ready)
                    put_ms.append(timing["responseEnd"] - timing["requestStart"])
                    after_autosave.append(saved_at - put_started)
                    edit_ms.append((saved - started) * 1000)
            browser.close()

        print(
            f"{'components':>10} {'runs':>5} {'interactive ms':>15} {'save PUT ms':>12} {'autosave→saved ms':>18} "
            f"{'edit→saved ms':>14}"
        )
        print(
            f"{components:>10} {args.runs:>5} {statistics.median(interactive):>15.0f} "
            f"{statistics.median(put_ms):>12.0f} {statistics.median(after_autosave):>18.0f} "
            f"{statistics.median(edit_ms):>14.0f}"
        )


if __name__ == "__main__":
    main()
