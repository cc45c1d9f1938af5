"""The clickable simulator in a real browser: Debian's Chromium, headless, driven by Playwright through a whole
formation on the /mock/app/ pages, with a screenshot of every screen kept as a test artefact."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.phone import mainland_id

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", REPO / "test-artifacts")) / "simulator"
# The flags a sandboxed root session needs, and no calls home on a machine without internet.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

async_api = pytest.importorskip("playwright.async_api")


@pytest.fixture
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run installs Debian's chromium package")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture
async def page(chromium_path, tmp_path):
    async with async_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path, headless=True, args=FLAGS)
        context = await browser.new_context(viewport={"width": 420, "height": 900}, locale="zh-CN")
        page = await context.new_page()
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        await browser.close()
        assert errors == [], errors


async def _shot(page, name: str, backend: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{backend}-{name}.png"), full_page=True)


async def _on_screen(page, screen: str) -> None:
    try:
        await page.wait_for_selector(f'section[data-screen="{screen}"]:not([hidden])')
    except async_api.TimeoutError:
        raise AssertionError(f"the {screen!r} screen never showed; the page said: {await page.inner_text('#notice')!r}")


async def test_a_tester_forms_a_company_by_clicking_through_the_pages(server_factory, page, database_url) -> None:
    backend = "postgres" if database_url.startswith("postgres") else "sqlite"
    server = await server_factory()
    base = str(server.make_url("")).rstrip("/")

    await page.goto(f"{base}/mock/app")  # redirected to /mock/app/
    await _on_screen(page, "login")
    await page.wait_for_function("document.fonts.status === 'loaded'")
    await _shot(page, "1-login", backend)
    await page.click("#login-go")

    await _on_screen(page, "identity")
    await page.wait_for_selector("#consent-text dd")  # the consent text is shown before anything is collected
    await page.check("#consent-accept")
    await page.fill("#identity-name", "张三")
    await page.fill("#identity-number", mainland_id(seq=7))
    await page.wait_for_selector("#identity-inline.good")  # the inline check answered
    await _shot(page, "2-identity", backend)
    await page.click("#identity-go")

    await _on_screen(page, "name")
    await page.fill("#name-input", "广州市黄埔区XY信息技术有限公司")  # Latin letters in the 字号: findings shown
    await page.wait_for_selector("#name-findings li")
    assert await page.is_disabled("#name-go")
    await page.fill("#name-input", "广州市黄埔区云帆信息技术有限公司")
    await page.wait_for_selector("#name-status.good")
    await _shot(page, "3-name", backend)
    await page.click("#name-go")

    await _on_screen(page, "details")
    await page.fill("#details-address", "广州市黄埔区萝岗街道科学大道100号")
    await page.fill("#details-scope", "软件开发\n信息技术咨询服务")
    await _shot(page, "4-details", backend)
    await page.click("#details-go")

    await _on_screen(page, "documents")
    await page.click("#documents-go")
    await page.wait_for_selector("#documents-list li a")
    await page.click("#documents-list li a >> nth=0")
    await page.wait_for_selector("#document-preview:not([hidden])")
    # the PDF viewer loading in the frame moves the page under the pointer: let it settle (six documents make the
    # page taller than the screen, so the buttons sit below the frame)
    preview = await (await page.query_selector("#document-preview")).content_frame()
    await preview.wait_for_load_state("load")
    await _shot(page, "5-documents", backend)
    await page.locator("#documents-next").scroll_into_view_if_needed()
    await page.click("#documents-next")

    await _on_screen(page, "sign")
    await page.click("#sign-go")
    await page.wait_for_selector("#submit-go:not([hidden])")
    await _shot(page, "6-sign", backend)
    await page.click("#submit-go")

    await _on_screen(page, "status")
    await page.wait_for_selector("#status-state.good")
    await page.wait_for_selector("#timeline li")
    await _shot(page, "7-status", backend)
    await page.click("#status-licence")

    await _on_screen(page, "licence")
    await page.wait_for_selector("#licence-proof.good")
    fields = await page.inner_text("#licence-fields")
    assert "广州市黄埔区云帆信息技术有限公司" in fields and "张三" in fields
    uscc = re.search(r"91440112[0-9A-Z]{10}", fields).group(0)
    # the QR image loads after the fields (wait for it rather than read its width at once)
    await page.wait_for_function("document.getElementById('licence-qr').complete")
    qr_loaded = await page.evaluate("document.getElementById('licence-qr').naturalWidth")
    assert qr_loaded > 0
    # the project's CJK font drew the page: the text is readable on a machine without Chinese fonts
    assert await page.evaluate("document.fonts.check('16px KaibanCJK', '营业执照')")
    await _shot(page, "8-licence", backend)

    # what the page showed is what the public endpoint serves
    served = await page.evaluate(f"fetch('/api/v1/licences/{uscc}').then(r => r.json())")
    assert served["status"] == "active" and served["licence"]["name"] == "广州市黄埔区云帆信息技术有限公司"
