"""POST /api/v1/documents/read: multipart photos in, fields with confidences out; bad uploads are problems."""
from __future__ import annotations

import datetime as dt

import aiohttp
import pytest
from aiohttp import web

from backend.adapters.ocr import images
from backend.http.problems import problem_middleware
from backend.http.routes import documents_read
from backend.keys import CLOCK
from tests.synthetic_documents import TODAY, samples

PATH = "/api/v1/documents/read"


class FixedClock:
    def now(self) -> dt.datetime:
        return dt.datetime(TODAY.year, TODAY.month, TODAY.day, 1, 0, tzinfo=dt.timezone.utc)

    def timestamp(self) -> float:
        return self.now().timestamp()


@pytest.fixture
async def client(aiohttp_client):
    app = web.Application(middlewares=[problem_middleware])
    app[CLOCK] = FixedClock()
    for op in documents_read.operations():
        app.router.add_route(op.method, op.path, op.handler)
    return await aiohttp_client(app)


def form(type_: str, **parts: bytes) -> aiohttp.FormData:
    data = aiohttp.FormData(default_to_multipart=True)
    data.add_field("type", type_)
    for name, content in parts.items():
        data.add_field(name, content, filename=f"{name}.jpg", content_type="image/jpeg")
    return data


async def test_both_sides_of_a_degraded_mainland_card(client) -> None:
    front, back = samples("cn_resident_id", seed=7, degraded=True)
    response = await client.post(PATH, data=form("cn_resident_id", front=front.image, back=back.image),
                                 headers={"Accept-Language": "en"})
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
    body = await response.json()
    assert body["stored"] is False
    values = {f["name"]: f["value"] for f in body["fields"]}
    assert values["number"] == front.truth["number"] and values["expiry"] == back.truth["expiry"]
    sides = {f["name"]: f["side"] for f in body["fields"]}
    assert sides["number"] == "front" and sides["expiry"] == "back" and sides["issuing_authority"] == "back"
    number = next(f for f in body["fields"] if f["name"] == "number")
    assert number["checked"] is True and number["confidence"] > 0.9 and number["status"] == "ok"
    truth = {**front.truth, **back.truth}
    for field in body["fields"]:
        assert field["status"] == "confirm" or field["value"] == truth[field["name"]]
    assert body["needs_confirmation"] == [f["name"] for f in body["fields"] if f["status"] == "confirm"]


async def test_passport_data_page(client) -> None:
    [page] = samples("passport", seed=5, degraded=True)
    body = await (await client.post(PATH, data=form("passport", image=page.image))).json()
    values = {f["name"]: f["value"] for f in body["fields"]}
    assert values["number"] == page.truth["number"]
    line2 = next(f for f in body["fields"] if f["name"] == "mrz_line2")
    assert line2["status"] == "confirm" or line2["value"] == page.truth["mrz_line2"]


async def test_not_multipart_is_415(client) -> None:
    response = await client.post(PATH, json={"type": "hk_id"})
    assert response.status == 415 and (await response.json())["code"] == "upload_not_multipart"


async def test_a_pdf_is_415_whatever_it_claims_to_be(client) -> None:
    response = await client.post(PATH, data=form("hk_id", image=b"%PDF-1.7\n" + b"0" * 500))
    body = await response.json()
    assert response.status == 415 and body["code"] == "upload_type_unsupported"
    assert response.content_type == "application/problem+json" and set(body["messages"]) == {"zh-CN", "zh-HK", "en"}


async def test_a_photo_past_the_limit_is_413(client, monkeypatch) -> None:
    monkeypatch.setattr(documents_read, "MAX_IMAGE_BYTES", 10_000)
    response = await client.post(PATH, data=form("hk_id", image=b"\xff\xd8\xff" + b"0" * 20_000))
    assert response.status == 413 and (await response.json())["code"] == "upload_too_large"


@pytest.mark.parametrize(("type_", "parts", "code"), [
    ("driving_licence", {"image": b"x"}, "read_type_unknown"),
    ("cn_resident_id", {}, "upload_missing_image"),
    ("hk_id", {"front": b"x"}, "upload_unexpected_part"),
])
async def test_bad_forms_are_422(client, type_, parts, code) -> None:
    response = await client.post(PATH, data=form(type_, **parts))
    assert response.status == 422 and (await response.json())["code"] == code


async def test_a_corrupt_photo_is_422(client) -> None:
    jpeg = samples("hk_id", seed=1, degraded=True)[0].image
    response = await client.post(PATH, data=form("hk_id", image=jpeg[:300]))
    assert response.status == 422 and (await response.json())["code"] == "upload_unreadable"
    assert images.MAX_PIXELS >= 12_000_000


async def test_photos_larger_than_the_json_body_limit_are_streamed_not_refused(aiohttp_client) -> None:
    app = web.Application(middlewares=[problem_middleware], client_max_size=1024)  # as the app: 1 MiB for JSON
    for op in documents_read.operations():
        app.router.add_route(op.method, op.path, op.handler)
    client = await aiohttp_client(app)
    response = await client.post(PATH, data=form("hk_id", image=b"II*\0" + b"0" * 50_000))  # a TIFF, 50 kB
    assert response.status == 415 and (await response.json())["code"] == "upload_type_unsupported"
