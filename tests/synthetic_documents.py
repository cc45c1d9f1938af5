"""Synthetic identity documents for the OCR tests and bench: rendered with the shipped CJK font, degraded with a seed.

Layouts follow what each document shows (shared/specs/identifiers.md), not the real artwork. Every number is valid
(check characters computed as the spec says). Degradation: textured background, rotation up to 5 degrees, Gaussian
blur of radius 1 px, 1,000 px wide, JPEG quality 50.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont
from stdnum.cn import ric

from backend.domain.id_documents.hong_kong import hk_id_check_char
from backend.domain.id_documents.mrz import check_digit, composite_data

FONT = Path(__file__).resolve().parent.parent / "backend" / "data" / "fonts" / "wqy-microhei.ttc"
TODAY = date(2026, 6, 1)
KINDS = ("cn_resident_id", "hk_id", "hk_mo_travel_permit", "passport")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文海波宇浩然子轩梓涵欣怡俊杰嘉琪晓峰"
_PINYIN = {"王": "WANG", "李": "LI", "张": "ZHANG", "刘": "LIU", "陈": "CHEN", "杨": "YANG", "黄": "HUANG"}
_ETHNIC = "汉汉汉汉壮回满苗维吾尔土家彝蒙古藏"
_STREETS = ["香雪大道", "开创大道", "科学大道", "黄埔东路", "中山大道东", "丰乐北路", "护林路", "开泰大道"]
_REGIONS = ["440112", "440106", "440104", "110105", "360426", "412723", "310115", "330106"]
_HK_SURNAMES = ["CHAN", "WONG", "LEUNG", "CHEUNG", "LAU", "LEE", "HO", "NG", "TSANG", "YEUNG"]
_HK_GIVEN = ["Tai Man", "Siu Ming", "Ka Yan", "Wing Sze", "Chi Keung", "Mei Ling", "Ho Yin", "Hoi Lam"]
_MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()


@dataclass(frozen=True)
class Sample:
    """One rendered document: its kind, the photo part name, the PNG/JPEG bytes and the true field values."""

    kind: str
    part: str
    image: bytes
    truth: dict[str, str]


def font(size: int, *, mono: bool = False) -> ImageFont.FreeTypeFont:
    """The shipped CJK font (its Mono face for machine-readable zones)."""
    return ImageFont.truetype(str(FONT), size, index=1 if mono else 0)


def _birth(rng: random.Random, *, youngest: int = 20, oldest: int = 70) -> date:
    return TODAY - timedelta(days=rng.randint(youngest * 365, oldest * 365))


def _mainland_number(rng: random.Random, born: date, male: bool) -> str:
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{rng.choice(_REGIONS)}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum reads the first 17 of 18 characters


def _hk_number(rng: random.Random) -> str:
    body = rng.choice("ACDEGHKPRVYZ") + f"{rng.randrange(10**6):06d}"
    return f"{body}({hk_id_check_char(body)})"


def _canvas(rng: random.Random, size: tuple[int, int]) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    card = Image.new("RGB", size, (rng.randint(225, 245), rng.randint(232, 248), rng.randint(236, 250)))
    draw = ImageDraw.Draw(card)
    for _ in range(40):  # faint guilloche-like strokes
        x0, y0 = rng.randrange(size[0]), rng.randrange(size[1])
        draw.arc((x0, y0, x0 + rng.randint(80, 400), y0 + rng.randint(40, 200)), rng.randint(0, 360),
                 rng.randint(0, 360), fill=(rng.randint(200, 225), rng.randint(210, 230), rng.randint(220, 240)))
    return card, draw


def _text(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, *, mono: bool = False,
          colour: tuple[int, int, int] = (20, 20, 20)) -> None:
    draw.text(xy, text, fill=colour, font=font(size, mono=mono))


LABEL = (70, 90, 150)


def render(kind: str, rng: random.Random) -> list[tuple[str, Image.Image, dict[str, str]]]:
    """The document's parts (one, or both sides of the mainland card) with their true values."""
    male = rng.random() < 0.5
    if kind == "cn_resident_id":
        return _mainland(rng, male)
    if kind == "hk_id":
        return [("image", *_hk_id(rng, male))]
    if kind == "hk_mo_travel_permit":
        return [("image", *_permit(rng, male))]
    return [("image", *_passport(rng, male))]


def _mainland(rng: random.Random, male: bool):
    born = _birth(rng)
    number = _mainland_number(rng, born, male)
    name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
    ethnic = rng.choice(["汉", "汉", "汉", "壮", "回", "满", "苗"])
    address = f"广东省广州市黄埔区{rng.choice(_STREETS)}{rng.randint(1, 999)}号{rng.randint(1, 30)}栋{rng.randint(101, 2808)}房"
    card, d = _canvas(rng, (856, 540))
    _text(d, (60, 50), "姓名", 26, colour=LABEL); _text(d, (160, 44), name, 36)
    _text(d, (60, 120), "性别", 26, colour=LABEL); _text(d, (160, 114), "男" if male else "女", 34)
    _text(d, (290, 120), "民族", 26, colour=LABEL); _text(d, (390, 114), ethnic, 34)
    _text(d, (60, 190), "出生", 26, colour=LABEL)
    _text(d, (160, 184), f"{born.year}年{born.month}月{born.day}日", 34)
    _text(d, (60, 260), "住址", 26, colour=LABEL)
    for i in range(0, len(address), 12):
        _text(d, (160, 254 + 50 * (i // 12)), address[i:i + 12], 32)
    _text(d, (60, 450), "公民身份号码", 26, colour=LABEL); _text(d, (260, 442), number, 38)
    portrait = {"name": name, "sex": "male" if male else "female", "ethnicity": ethnic,
                "birth_date": born.isoformat(), "address": address, "number": number}
    back, d = _canvas(rng, (856, 540))
    _text(d, (250, 90), "中华人民共和国", 48); _text(d, (260, 170), "居民身份证", 60)
    authority = f"广州市公安局{rng.choice(['黄埔', '天河', '越秀', '海珠'])}分局"
    issued = TODAY - timedelta(days=rng.randint(100, 3000))
    age_at_issue = (issued - born).days // 365
    if age_at_issue >= 46:
        period, expiry = f"{issued:%Y.%m.%d}-长期", "long_term"
    else:
        years = 10 if age_at_issue < 26 else 20
        end = issued.replace(year=issued.year + years)
        period, expiry = f"{issued:%Y.%m.%d}-{end:%Y.%m.%d}", end.isoformat()
    _text(d, (120, 380), "签发机关", 28, colour=LABEL); _text(d, (270, 374), authority, 32)
    _text(d, (120, 450), "有效期限", 28, colour=LABEL); _text(d, (270, 444), period, 32)
    emblem = {"issuing_authority": authority, "validity_start": issued.isoformat(), "expiry": expiry}
    return [("front", card, portrait), ("back", back, emblem)]


def _hk_id(rng: random.Random, male: bool):
    born = _birth(rng)
    surname, given = rng.choice(_HK_SURNAMES), rng.choice(_HK_GIVEN)
    name_zh = rng.choice("陳黃梁張劉李何吳曾楊") + "".join(rng.choice("大文小明嘉欣詠詩志強美玲浩賢凱琳") for _ in range(2))
    code = " ".join(f"{rng.randrange(10000):04d}" for _ in range(3))
    number = _hk_number(rng)
    issued = TODAY - timedelta(days=rng.randint(100, 3000))
    symbols = rng.choice(["***AZ", "***AJZ", "**AZ"])
    card, d = _canvas(rng, (856, 540))
    _text(d, (40, 20), "香港永久性居民身份證", 30); _text(d, (40, 60), "HONG KONG PERMANENT IDENTITY CARD", 22)
    _text(d, (40, 110), name_zh, 40)
    _text(d, (40, 170), f"{surname}, {given}", 32)
    _text(d, (40, 225), code, 32)
    _text(d, (40, 285), "出生日期 Date of Birth", 20, colour=LABEL)
    _text(d, (40, 315), f"{born:%d-%m-%Y}   {'男 M' if male else '女 F'}", 32)
    _text(d, (40, 375), symbols, 32)
    _text(d, (40, 430), f"({issued:%m-%y})   {issued:%d-%m-%y}", 30)
    _text(d, (520, 470), number, 38)
    truth = {"name_zh": name_zh, "name_en": f"{surname}, {given}", "chinese_commercial_code": code,
             "birth_date": born.isoformat(), "sex": "male" if male else "female", "symbols": symbols,
             "issue_date": issued.isoformat(), "number": number}
    return card, truth


def _permit(rng: random.Random, male: bool):
    born = _birth(rng)
    surname, given = rng.choice(_HK_SURNAMES), rng.choice(_HK_GIVEN).upper()
    name_zh = rng.choice("陈黄梁张刘李何吴曾杨") + "".join(rng.choice("大文小明嘉欣咏诗志强美玲浩贤") for _ in range(2))
    number = rng.choice("HM") + f"{rng.randrange(10**8):08d}"
    renewal = f"{rng.randint(0, 9):02d}"
    start = TODAY - timedelta(days=rng.randint(100, 3000))
    end = start.replace(year=start.year + 10) - timedelta(days=1)
    authority = "公安部出入境管理局"
    card, d = _canvas(rng, (856, 540))
    _text(d, (40, 20), "港澳居民来往内地通行证", 34)
    _text(d, (40, 70), "MAINLAND TRAVEL PERMIT FOR HONG KONG AND MACAO RESIDENTS", 18)
    _text(d, (260, 120), "姓名", 24, colour=LABEL); _text(d, (340, 114), name_zh, 34)
    _text(d, (340, 165), f"{surname}, {given}", 28)
    _text(d, (260, 220), "出生日期", 24, colour=LABEL); _text(d, (380, 214), f"{born:%Y.%m.%d}", 30)
    _text(d, (600, 220), "性别", 24, colour=LABEL); _text(d, (670, 214), "男" if male else "女", 30)
    _text(d, (260, 280), "有效期限", 24, colour=LABEL); _text(d, (380, 274), f"{start:%Y.%m.%d}-{end:%Y.%m.%d}", 30)
    _text(d, (260, 340), "签发机关", 24, colour=LABEL); _text(d, (380, 334), authority, 30)
    _text(d, (40, 440), number, 40)
    _text(d, (520, 448), "换证次数", 24, colour=LABEL); _text(d, (640, 442), renewal, 32)
    truth = {"name_zh": name_zh, "name_en": f"{surname}, {given}", "birth_date": born.isoformat(),
             "sex": "male" if male else "female", "validity_start": start.isoformat(), "expiry": end.isoformat(),
             "issuing_authority": authority, "number": number, "renewal_count": renewal}
    return card, truth


def mrz_lines(*, surname: str, given: str, number: str, born: date, male: bool, expiry: date) -> tuple[str, str]:
    """The two TD3 lines with their check digits (ICAO 9303)."""
    names = f"{surname}<<{given.replace(' ', '<')}"
    line1 = f"P<CHN{names}".ljust(44, "<")[:44]
    optional = "<" * 14
    line2 = (f"{number}{check_digit(number)}CHN{born:%y%m%d}{check_digit(f'{born:%y%m%d}')}{'M' if male else 'F'}"
             f"{expiry:%y%m%d}{check_digit(f'{expiry:%y%m%d}')}{optional}<")
    line2 += check_digit(composite_data(line2 + "0"))
    return line1, line2


def _passport(rng: random.Random, male: bool):
    born = _birth(rng)
    surname = rng.choice(list(_PINYIN.values()))
    given = rng.choice(["WEI", "FANG", "JIANMING", "XIAOHONG", "ZIHAN", "HAOYU"])
    number = "E" + f"{rng.randrange(10**8):08d}"
    issued = TODAY - timedelta(days=rng.randint(100, 3000))
    expiry = issued.replace(year=issued.year + 10) - timedelta(days=1)
    line1, line2 = mrz_lines(surname=surname, given=given, number=number, born=born, male=male, expiry=expiry)
    place = rng.choice(["广东/GUANGDONG", "湖南/HUNAN", "北京/BEIJING", "江西/JIANGXI"])
    page, d = _canvas(rng, (1250, 880))
    _text(d, (380, 30), "中华人民共和国 护照", 36); _text(d, (420, 80), "PASSPORT", 30)
    def pd(value: date) -> str:
        return f"{value.day:02d} {_MONTHS[value.month - 1]} {value.year}"
    fields = [
        ((380, 140), "类型/Type", "P"), ((620, 140), "国家码/Country Code", "CHN"),
        ((900, 140), "护照号/Passport No.", number),
        ((380, 220), "姓/Surname", surname), ((380, 300), "名/Given names", given),
        ((380, 380), "国籍/Nationality", "中国/CHINESE"), ((800, 380), "性别/Sex", "男/M" if male else "女/F"),
        ((380, 460), "出生日期/Date of birth", pd(born)), ((800, 460), "出生地点/Place of birth", place),
        ((380, 540), "签发日期/Date of issue", pd(issued)), ((800, 540), "有效期至/Date of expiry", pd(expiry)),
        ((380, 620), "签发机关/Authority", "国家移民管理局"),
    ]
    for (x, y), label, value in fields:
        _text(d, (x, y), label, 20, colour=LABEL); _text(d, (x, y + 28), value, 30)
    _text(d, (30, 720), line1, 42, mono=True); _text(d, (30, 790), line2, 42, mono=True)
    truth = {"document_type": "P", "issuing_state": "CHN", "number": number, "surname": surname,
             "given_names": given, "nationality": "中国/CHINESE", "sex": "male" if male else "female",
             "birth_date": born.isoformat(), "place_of_birth": place, "issue_date": issued.isoformat(),
             "expiry": expiry.isoformat(), "authority": "国家移民管理局", "mrz_line1": line1, "mrz_line2": line2}
    return page, truth


def degrade(card: Image.Image, rng: random.Random, *, width: int = 1000) -> Image.Image:
    """A photo of the card: textured background, rotation up to 5 degrees, blur 1 px, `width` wide."""
    w, h = card.size
    background = Image.effect_noise((w + 160, h + 160), 40).convert("RGB")
    tint = Image.new("RGB", background.size, (rng.randint(90, 160), rng.randint(80, 140), rng.randint(60, 120)))
    background = Image.blend(background, tint, 0.6).filter(ImageFilter.GaussianBlur(2))
    background.paste(card, (80, 80))
    rotated = background.rotate(rng.uniform(-5, 5), resample=Image.BICUBIC, expand=True,
                                fillcolor=(rng.randint(60, 120),) * 3)
    blurred = rotated.filter(ImageFilter.GaussianBlur(1))
    return blurred.resize((width, round(blurred.height * width / blurred.width)), Image.LANCZOS)


def encode(image: Image.Image, *, degraded: bool) -> bytes:
    """JPEG quality 50 for a degraded photo, PNG for a clean render."""
    out = io.BytesIO()
    if degraded:
        image.save(out, "JPEG", quality=50)
    else:
        image.save(out, "PNG")
    return out.getvalue()


def samples(kind: str, *, seed: int, degraded: bool) -> list[Sample]:
    """The parts of one document of `kind`, rendered from `seed`, clean or degraded."""
    rng = random.Random(f"{kind}-{seed}")
    out = []
    for part, card, truth in render(kind, rng):
        image = degrade(card, rng) if degraded else card
        out.append(Sample(kind=kind, part=part, image=encode(image, degraded=degraded), truth=truth))
    return out
