"""The signed form of a statement: canonical JSON, Ed25519 with known answers, key ids, and a
verification that says why it fails (domain/signatures.py; docs/statements.md)."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api import examples
from domain.signatures import (
    PublicKey,
    SigningKey,
    StatementFormatError,
    b64encode,
    canonical,
    key_id_of,
    keys_of,
    read_json,
    signed_document,
    verify,
)

#: RFC 8032 section 7.1, TEST 1: secret key, public key, and the signature of the empty message
RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC8032_EMPTY_SIGNATURE = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)
DOC = Path(__file__).resolve().parents[3] / "docs" / "statements.md"
KEY = SigningKey.from_raw(RFC8032_SECRET)
ROTATED = SigningKey.from_raw(bytes(range(32)))
VALID_FROM = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def keys(*signing: SigningKey) -> dict[str, PublicKey]:
    """The listed keys of signing keys, valid from 1 January 2026."""
    return {k.key_id: PublicKey(k.key_id, k.public_key, VALID_FROM) for k in signing}


def document(content: dict[str, Any] | None = None, key: SigningKey = KEY) -> dict[str, Any]:
    """A statement document signed by ``key``."""
    signed = copy.deepcopy(content or examples.STATEMENT_CONTENT)
    return signed_document(signed, key.key_id, b64encode(key.sign(canonical(signed))))


def failure(verification: Any) -> str:
    """The check that failed."""
    assert not verification.valid
    last = verification.checks[-1]
    assert not last.ok
    return str(last.what)


def test_ed25519_signs_as_rfc_8032_says_and_the_key_id_is_a_digest_of_the_public_key() -> None:
    """Known answers: RFC 8032 TEST 1, and the key id (hex of SHA-256's first 8 bytes)."""
    assert KEY.public_key == RFC8032_PUBLIC
    assert KEY.sign(b"") == RFC8032_EMPTY_SIGNATURE
    assert KEY.key_id == key_id_of(RFC8032_PUBLIC) == "21fe31dfa154a261"
    assert SigningKey.from_pem(KEY.pem()).private_bytes() == RFC8032_SECRET


def test_canonical_json_sorts_members_and_writes_text_as_utf_8_without_spaces() -> None:
    """RFC 8785: members sorted by UTF-16 code units, no whitespace, short escapes, UTF-8."""
    value = {"b": [1, True, None], "a": "é\n\u001f", "\ufb33": 0, "\U0001f600": 1}
    # UTF-16 code units: U+1F600 is D83D DE00, so it sorts before U+FB33
    expected = '{"a":"é\\n\\u001f","b":[1,true,null],"\U0001f600":1,"\ufb33":0}'
    assert canonical(value) == expected.encode()
    with pytest.raises(StatementFormatError, match="no canonical JSON form"):
        canonical({"n": 2**53})


def test_a_signed_statement_verifies_and_says_what_it_checked() -> None:
    """Every check holds and names what it checked."""
    verification = verify(document(), keys(KEY))
    assert verification.valid
    assert verification.statement_id == examples.STATEMENT_ID
    said = " | ".join(c.what for c in verification.checks)
    assert "canonical JSON (RFC 8785)" in said
    assert f"key {KEY.key_id} is listed" in said
    assert "the Ed25519 signature verifies" in said


def test_the_documented_example_is_signed_by_the_example_key() -> None:
    """The OpenAPI example and its keys verify (api/examples.py, from RFC 8032's test key)."""
    assert verify(examples.STATEMENT, keys_of(examples.KEYS)).valid
    assert document() == examples.STATEMENT


def test_a_changed_value_in_the_signed_content_fails_verification() -> None:
    """A changed name, level or day: the signature no longer verifies, and it says so."""
    for path, value in [
        (("organisation", "name"), "Groenwerk Utrecht B.V."),
        (("answer", "level"), "trede_3"),
        (("question", "on"), "2026-06-16"),
        (("issued_at",), "2026-12-01T09:00:01+00:00"),
    ]:
        changed = document()
        target = changed["statement"]
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        assert "does not verify" in failure(verify(changed, keys(KEY))), path


@given(st.data())
def test_every_changed_byte_of_the_canonical_content_fails_verification(
    data: st.DataObject,
) -> None:
    """Change any one byte of the signed bytes: either they are no longer a JSON statement, or
    the signature fails; never does a changed content verify."""
    signed = document()
    message = bytearray(canonical(signed["statement"]))
    index = data.draw(st.integers(0, len(message) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != message[index]))
    message[index] = byte
    try:
        changed = read_json(bytes(message))
    except StatementFormatError:
        return
    tampered = {**signed, "statement": changed}
    assert not verify(tampered, keys(KEY)).valid


def test_each_way_of_being_wrong_is_said_in_plain_words() -> None:
    """Shape, ids, alg, base64 variant, unknown key, a changed key list, a key not yet valid."""
    good = document()

    def with_signature(**changes: Any) -> dict[str, Any]:
        return {**good, "signature": {**good["signature"], **changes}}

    url_safe = base64.urlsafe_b64encode(base64.b64decode(good["signature"]["value"])).decode()
    cases = [
        ({"statement": good["statement"]}, 'is not {"id", "statement", "signature"}'),
        ({**good, "id": "another"}, "is not the statement's own id"),
        (with_signature(alg="RS256"), "not 'Ed25519'"),
        (with_signature(value=url_safe.replace("+", "-").replace("/", "_")), "base64url"),
        (with_signature(value="AAAA"), "holds 3 bytes, not 64"),
        (with_signature(key_id="0000000000000000"), "lists no key '0000000000000000'"),
    ]
    for tampered, said in cases:
        assert said in failure(verify(tampered, keys(KEY))), said
    swapped = {KEY.key_id: PublicKey(KEY.key_id, ROTATED.public_key, VALID_FROM)}
    assert "the list of keys was changed" in failure(verify(good, swapped))
    later = {
        KEY.key_id: PublicKey(KEY.key_id, KEY.public_key, dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    }
    assert "before key 21fe31dfa154a261 became valid" in failure(verify(good, later))


def test_a_statement_of_a_rotated_key_verifies_while_the_key_is_listed() -> None:
    """Old statements keep verifying beside new ones once a new key signs."""
    old, new = document(key=KEY), document(key=ROTATED)
    both = keys(KEY, ROTATED)
    assert verify(old, both).valid
    assert verify(new, both).valid
    assert "lists no key" in failure(verify(old, keys(ROTATED)))


def test_a_member_the_signature_does_not_cover_is_noted_not_trusted() -> None:
    """A document with more members (a later proof, say) still verifies, saying what is not
    signed; a change to such a member is no change to the statement."""
    extended = {**document(), "proof": {"index": 7}}
    verification = verify(extended, keys(KEY))
    assert verification.valid
    assert verification.notes == [
        "the document also holds 'proof', which the signature does not cover"
    ]


def test_json_with_a_member_named_twice_is_refused_and_keys_are_read_from_their_list() -> None:
    """RFC 8785 needs I-JSON; the keys list of GET /api/v1/keys is read back as listed."""
    with pytest.raises(StatementFormatError, match="appears twice"):
        read_json('{"id": "a", "id": "b"}')
    listed = {"keys": [PublicKey(KEY.key_id, KEY.public_key, VALID_FROM).document()]}
    assert keys_of(json.loads(json.dumps(listed))) == keys(KEY)
    with pytest.raises(StatementFormatError, match="not a list of keys"):
        keys_of({"key": []})


def test_the_worked_example_of_docs_statements_md_runs_as_written(tmp_path: Path) -> None:
    """Its files are the OpenAPI example; its Python (only cryptography and rfc8785) prints what
    the page says, and a changed level makes it raise InvalidSignature."""
    text = DOC.read_text(encoding="utf-8")
    blocks = dict(re.findall(r"<!-- (\S+: \S+) -->\n```\w*\n(.*?)```", text, re.DOTALL))
    statement, keys = blocks["file: statement.json"], blocks["file: keys.json"]
    assert json.loads(statement) == examples.STATEMENT
    assert json.loads(keys) == examples.KEYS
    (tmp_path / "statement.json").write_text(statement, encoding="utf-8")
    (tmp_path / "keys.json").write_text(keys, encoding="utf-8")
    for name in ("verify", "sign"):
        ran = run_python(blocks[f"run: {name}"], tmp_path)
        assert ran.returncode == 0, ran.stderr
        assert ran.stdout == blocks[f"output: {name}"]
    (tmp_path / "statement.json").write_text(statement.replace("trede_2", "trede_3", 1))
    tampered = run_python(blocks["run: verify"], tmp_path)
    assert tampered.returncode == 1
    assert "InvalidSignature" in tampered.stderr


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a snippet with this interpreter in ``cwd``."""
    return subprocess.run(  # noqa: S603 (our own documentation's code)
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
