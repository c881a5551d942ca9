"""Regenerate the README's pictures: docs/editor.png, docs/review.png and docs/diagram.png.

Starts a private Tierplan on loopback (its own Redis, SQLite file, worker and web server; see
tests/processes.py ``private_site``), signs a person up, creates a project from a pattern and then, in
Debian's Chromium driven by Playwright: the editor once its costs and findings are in, the review page an
outsider opens from a review link once its diagram, costs and findings are in, and the diagram a render job
draws as PNG. These three files are the one kind of generated file the repository keeps; run this after a
visible change to the studio, the review page or the renderer, look at the pictures, and commit them.

Run: .venv/bin/python scripts/docs_screenshots.py [--pattern SLUG] [--out docs]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.processes import private_site  # noqa: E402

PASSWORD = "a long screenshot pass phrase"
VIEWPORT = {"width": 1280, "height": 800}


def api(page: Any, method: str, url: str, **data: Any) -> Any:
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.fetch(url, method=method, data=data or None, headers={"X-CSRFToken": csrf})
    if not answer.ok:
        raise RuntimeError(f"{method} {url}: {answer.status} {answer.text()}")
    return answer


def rendered_png(page: Any, base: str, project: int) -> bytes:
    """The diagram as a render job draws it (PNG), waiting for the worker."""
    job = api(page, "POST", f"{base}/api/projects/{project}/jobs/", kind="render", params={"format": "png"}).json()
    deadline = time.monotonic() + 120
    while job["status"] not in ("succeeded", "failed"):
        if time.monotonic() > deadline:
            raise RuntimeError("the render job did not finish in 2 minutes")
        time.sleep(0.3)
        job = api(page, "GET", f"{base}/api/jobs/{job['id']}/").json()
    if job["status"] != "succeeded":
        raise RuntimeError(f"the render job failed: {job['error']}")
    return api(page, "GET", f"{base}/api/artifacts/{job['artifacts'][0]['id']}/download/").body()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pattern", default="spa-cloudfront-api", help="the pattern shown (default spa-cloudfront-api)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="tierplan-screenshots-") as work, private_site(Path(work)) as base:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"{base}/accounts/signup/")
            page.fill("input[name=username]", "maria")
            page.fill("input[name=email]", "maria@example.com")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            project = api(page, "POST", f"{base}/api/projects/", pattern=args.pattern).json()["id"]

            page.goto(f"{base}/projects/{project}/edit/")
            page.locator(".canvas[data-canvas-ready]").wait_for(timeout=60_000)
            page.locator("[data-component-id] .cost").first.wait_for(timeout=60_000)
            page.locator("[data-save-state=saved]").wait_for()
            page.wait_for_timeout(500)  # the fit's animation
            page.screenshot(path=str(args.out / "editor.png"))

            link = api(page, "POST", f"{base}/api/projects/{project}/share-links/", label="Architecture review").json()
            outsider = browser.new_context(viewport=VIEWPORT)
            review = outsider.new_page()
            review.goto(link["url"] if link["url"].startswith("http") else f"{base}{link['url']}")
            review.wait_for_function(
                "() => { const img = document.querySelector('img.diagram'); return img && img.complete && img.naturalWidth > 0; }",
                timeout=120_000,
            )
            review.locator("[data-total]").wait_for(timeout=60_000)
            review.screenshot(path=str(args.out / "review.png"))
            outsider.close()

            (args.out / "diagram.png").write_bytes(rendered_png(page, base, project))
            browser.close()
    for name in ("editor.png", "review.png", "diagram.png"):
        path = args.out / name
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
