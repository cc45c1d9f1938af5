"""The pure protocol helpers against the spec's vectors."""
from __future__ import annotations

import base64

import pytest

from backend.adapters.wechat.errors import WeChatDataError
from backend.adapters.wechat.protocol import (
    cert_hash,
    checksession_signature,
    classify_verify_ret,
    data_signature,
    decrypt_user_data,
    encrypt_user_data,
    errcode_of,
    hmac_sha256_hex,
    parse_body,
    verify_data_signature,
)

# The official WXBizDataCrypt sample (WeChat's "开放数据校验与解密" demo).
SAMPLE_APPID = "wx4f4bc4dec97d474b"
SAMPLE_SESSION_KEY = "tiihtNczf5v6AKRyjwEUhQ=="
SAMPLE_IV = "r7BXXKkLb8qrSNn05n0qiA=="
SAMPLE_ENCRYPTED_DATA = (
    "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4l"
    "GOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInN"
    "lxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/"
    "r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7Xjf"
    "hQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew=="
)


def test_cert_hash_vector() -> None:
    assert (
        cert_hash("IDENTITY_CARD", "张三", "310101199801011234")
        == "3c241f7ff324977aeb91f173bb2a7b06569e6fd784d5573db34a636d8671108b"
    )


def test_hmac_sha256_vector() -> None:
    assert (
        hmac_sha256_hex("o0q0otL8aEzpcZL/FT9WsQ==", '{"foo":"bar"}')
        == "654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b"
    )


def test_checksession_signature_is_hmac_of_empty_string_keyed_with_key_text() -> None:
    assert checksession_signature("o0q0otL8aEzpcZL/FT9WsQ==") == hmac_sha256_hex("o0q0otL8aEzpcZL/FT9WsQ==", "")


def test_data_signature_vector() -> None:
    # The rawData / signature example of WeChat's user-info documentation.
    raw = (
        '{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong",'
        '"country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol650'
        '3Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}'
    )
    signature = "75e81ceda165f4ffa64f4068af58c64b8f54b88c"
    assert data_signature(raw, "HyVFkGl5F5OQWJZZaNzBBg==") == signature
    assert verify_data_signature(raw, signature.upper(), "HyVFkGl5F5OQWJZZaNzBBg==")
    assert not verify_data_signature(raw, signature, "HyVFkGl5F5OQWJZZaNzBBa==")


def test_decrypt_official_sample() -> None:
    data = decrypt_user_data(SAMPLE_SESSION_KEY, SAMPLE_ENCRYPTED_DATA, SAMPLE_IV, SAMPLE_APPID)
    assert data["openId"] == "oGZUI0egBJY1zhBYw2KhdUfwVJJE"
    assert data["watermark"] == {"timestamp": 1477314187, "appid": SAMPLE_APPID}


def test_decrypt_official_sample_for_another_app_fails_watermark() -> None:
    with pytest.raises(WeChatDataError) as caught:
        decrypt_user_data(SAMPLE_SESSION_KEY, SAMPLE_ENCRYPTED_DATA, SAMPLE_IV, "wx0000000000000000")
    assert caught.value.code == "field_invalid"
    assert "watermark" in caught.value.params["reason"]


def test_encrypt_then_decrypt_round_trip() -> None:
    key = base64.b64encode(bytes(range(16))).decode()
    payload = {"phoneNumber": "13123456789", "watermark": {"timestamp": 1637744274, "appid": "wx1"}, "名": "张三"}
    encrypted, iv = encrypt_user_data(key, payload)
    assert decrypt_user_data(key, encrypted, iv, "wx1") == payload


def test_decrypt_with_a_rotated_key_fails_without_leaking_the_key() -> None:
    old_key = base64.b64encode(b"A" * 16).decode()
    new_key = base64.b64encode(b"B" * 16).decode()
    encrypted, iv = encrypt_user_data(old_key, {"watermark": {"appid": "wx1"}}, iv=b"\0" * 16)
    with pytest.raises(WeChatDataError) as caught:
        decrypt_user_data(new_key, encrypted, iv, "wx1")
    assert new_key not in str(caught.value) and old_key not in str(caught.value)


@pytest.mark.parametrize(
    ("session_key", "encrypted", "iv", "field"),
    [
        ("abc", SAMPLE_ENCRYPTED_DATA, SAMPLE_IV, "session_key"),
        (SAMPLE_SESSION_KEY, SAMPLE_ENCRYPTED_DATA, "abc", "iv"),
        ("!!!!!!!!!!!!!!!!!!!!!!!!", SAMPLE_ENCRYPTED_DATA, SAMPLE_IV, "session_key"),
        (SAMPLE_SESSION_KEY, "abc", SAMPLE_IV, "encryptedData"),
        (SAMPLE_SESSION_KEY, base64.b64encode(b"x" * 15).decode(), SAMPLE_IV, "encryptedData"),
    ],
)
def test_decrypt_rejects_malformed_input(session_key: str, encrypted: str, iv: str, field: str) -> None:
    with pytest.raises(WeChatDataError) as caught:
        decrypt_user_data(session_key, encrypted, iv, SAMPLE_APPID)
    assert caught.value.params["field"] == field


def test_parse_body_ignores_content_type_and_defaults_errcode() -> None:
    body = parse_body(b'{"session_key":"k","openid":"o"}')
    assert errcode_of(body) == 0
    assert errcode_of(parse_body(b'{"errcode":"40029","errmsg":"invalid code"}')) == 40029
    with pytest.raises(ValueError):
        parse_body(b"[1]")
    with pytest.raises(ValueError):
        parse_body(b"<html>")


def test_classify_verify_ret() -> None:
    assert classify_verify_ret(10000) == "pass"
    assert all(classify_verify_ret(code) == "cancel" for code in range(90002, 90007))
    assert classify_verify_ret(90017) == "timeout"
    assert classify_verify_ret(10004) == "mismatch"
    assert classify_verify_ret(90018) == "failed"
