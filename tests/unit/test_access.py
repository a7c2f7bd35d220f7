"""Access cookies of the password gate: signed, bound to the password and the server, limited in age."""

from __future__ import annotations

from ecom_analytics.ui.access import issue_token, safe_next_path, signing_key, token_is_valid

SERVER = bytes(range(32))
HOUR = 3600.0


def test_a_token_is_valid_for_its_password_and_server_within_its_age():
    key = signing_key("s3cret", SERVER)
    token = issue_token(key, now=1_000_000)
    assert token.startswith("1000000.") and len(token.split(".")[1]) == 64
    assert token_is_valid(token, key, max_age_s=12 * HOUR, now=1_000_000 + 11 * HOUR)
    assert not token_is_valid(token, key, max_age_s=12 * HOUR, now=1_000_000 + 13 * HOUR)  # too old
    assert not token_is_valid(token, key, max_age_s=12 * HOUR, now=1_000_000 - 3600)  # issued in the future


def test_a_token_fails_for_another_password_another_server_or_any_tampering():
    key = signing_key("s3cret", SERVER)
    token = issue_token(key, now=1_000_000)
    assert not token_is_valid(token, signing_key("other", SERVER), max_age_s=HOUR, now=1_000_000)
    assert not token_is_valid(token, signing_key("s3cret", bytes(32)), max_age_s=HOUR, now=1_000_000)
    issued, signature = token.split(".")
    later = str(int(issued) + 100)  # a copied signature on a newer time
    assert not token_is_valid(f"{later}.{signature}", key, max_age_s=HOUR, now=1_000_050)
    for bad in (None, "", "abc", "1.2.3", f"{issued}.{signature[:-1]}", f"x{issued}.{signature}", 12):
        assert not token_is_valid(bad, key, max_age_s=HOUR, now=1_000_000)


def test_only_paths_of_this_app_are_followed_after_a_sign_in():
    assert safe_next_path("/overview?orders=0123456789abcdef&lang=zh") == "/overview?orders=0123456789abcdef&lang=zh"
    assert safe_next_path("/") == "/"
    for bad in ("https://evil.example/x", "//evil.example/x", "javascript:alert(1)", "overview", "/\\evil.example",
                None, 5, "/" + "a" * 3000):
        assert safe_next_path(bad) is None
