"""Take the README screenshots from a running demo: `python scripts/screenshots.py http://127.0.0.1:8000`."""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def missed_conference(page, base: str) -> str:
    """The uid of an approved conference record the executing unit missed, found through the API."""
    events = page.request.get(f"{base}/api/v1/events?country=THA&page_size=200").json()["items"]
    for event in events:
        for conference in page.request.get(f"{base}/api/v1/events/{event['uid']}/conferences").json():
            if conference["executing_unit_represented"] is False and conference["status"] == "APPROVED":
                return conference["uid"]
    raise SystemExit("the demo has no conference the executing unit missed")


def evaluation(page, base: str) -> None:
    """The evaluation dashboard for Thailand, and the portfolio's pictures."""
    page.goto(f"{base}/evaluation/?country=THA")
    page.screenshot(path=OUT / "evaluation.png")
    page.goto(f"{base}/evaluation/portfolio/")
    page.evaluate("document.getElementById('h-pictures').scrollIntoView()")
    page.screenshot(path=OUT / "portfolio-pictures.png")


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        page.goto(f"{base}/login/")
        page.get_by_label("User name").fill("planner")
        page.get_by_label("Password").fill("goldthread-demo")
        page.get_by_role("button", name="Log in").click()
        page.screenshot(path=OUT / "home.png")
        page.goto(f"{base}/events/?country=THA")
        page.screenshot(path=OUT / "events.png")
        page.get_by_role("link", name="EVT-2027-HG", exact=True).click()
        event_url = page.url
        page.screenshot(path=OUT / "event.png", full_page=True)
        page.goto(f"{base}/conferences/{missed_conference(page, base)}/")
        page.screenshot(path=OUT / "conference.png")
        page.goto(event_url)
        page.get_by_role("link", name="Executor packet").click()
        page.screenshot(path=OUT / "packet.png")
        page.goto(event_url)
        page.get_by_role("link", name="Travel readiness").click()
        page.screenshot(path=OUT / "readiness.png")
        page.goto(event_url)
        page.locator(".chain a").nth(2).click()
        page.screenshot(path=OUT / "objective.png")
        page.goto(f"{base}/countries/THA/folder/")
        page.screenshot(path=OUT / "folder.png")
        page.goto(f"{base}/countries/THA/folder/entry/")
        page.screenshot(path=OUT / "folder-section.png", full_page=True)
        page.goto(f"{base}/aars/?status=RETURNED")
        page.get_by_role("row").filter(has_text="Returned with comments").get_by_role("link").first.click()
        page.get_by_role("link", name="Edit the report").click()
        page.get_by_label("What actually happened").fill("The partner staff produced the plan on day four of five.")
        page.get_by_label("Why", exact=True).fill("Orders arrived in English only; translation took a day.")
        page.get_by_text("Critical content: 25/100").wait_for()  # the live score has caught up, nothing saved
        page.screenshot(path=OUT / "aar-edit.png")
        page.goto(f"{base}/lessons/?q=interpreters")
        page.screenshot(path=OUT / "lessons.png")
        page.goto(f"{base}/indicators/?country=THA")
        page.get_by_role("link", name="MOE-THA-PLAN", exact=True).click()
        page.get_by_role("link", name="Fiscal years").click()
        page.evaluate("document.getElementById('h-trend').scrollIntoView()")
        page.screenshot(path=OUT / "indicator.png")
        evaluation(page, base)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
