""".msg <-> .eml conversion: corpus round trips, generated messages, S/MIME pass-through,
and extract-msg reading what .eml -> .msg writes."""

from __future__ import annotations

import email
import email.policy
import email.utils
import functools
import hashlib
import os
import re
import shutil
import subprocess
from collections import Counter
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import corpus_files
from conftest import corpus_ids
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import imsg_core
from fuzz import hyp
from imsg_core.convert import rtf as rtfmod
from imsg_core.convert.eml import eml_to_msg
from imsg_core.convert.eml import html_to_text
from imsg_core.convert.eml import message_to_email
from imsg_core.convert.eml import msg_to_eml
from imsg_core.errors import MAPIError
from imsg_core.props import tags as T

MESSAGES = corpus_files("**/*.msg") + corpus_files("**/*.oft")

#: Corpus files that are not compound files or are damaged beyond opening: they cannot be
#: converted at all (the CLI reports them as one-line errors).
UNOPENABLE = {
    "extract-text/test.msg": "plain text named .msg, not a compound file",
    "poi/clusterfuzz-testcase-minimized-POIHSMFFuzzer-4735011465854976.msg": (
        "fuzzed: the mini stream points past the end of the file"
    ),
}


def _ws(text: str | None) -> str:
    return " ".join((text or "").split())


def _smtp(addr: str | None) -> str:
    addr = (addr or "").strip().lower()
    return addr if re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", addr) else ""


def _entity_body(data: bytes) -> bytes:
    """An S/MIME entity without its header block: what the signature covers."""
    sep = re.search(rb"\r?\n\r?\n", data)
    return data[sep.end() :] if sep else data


def facts(msg: Any, depth: int = 0) -> dict[str, Any]:
    """What a .msg -> .eml -> .msg round trip must keep."""
    smime = (msg.message_class or "").lower().startswith("ipm.note.smime")
    atts: list[Any] = []
    for att in msg.attachments:
        if att.is_embedded:
            atts.append(("message", facts(att.message, depth + 1)))
        elif att.method == 6:  # OLE storage: travels as compound-file bytes (name only)
            atts.append(("ole", att.filename or att.display_name))
        elif att.method in (0, 1):
            data = att.data or b""
            if smime:
                atts.append(("smime", hashlib.sha256(_entity_body(data)).hexdigest()))
            else:
                atts.append((att.filename or att.display_name, hashlib.sha256(data).hexdigest()))
        # by reference / web reference: nothing is stored, nothing to carry
    recips = []
    for r in msg.recipients:
        if r.type in ("to", "cc", "bcc") and (r.name or r.email):
            recips.append((r.type, _smtp(r.email), _ws(r.name).lower()))
    return {
        "subject": _ws(msg.subject),
        "sender": (_smtp(msg.sender_email), _ws(msg.sender_name).lower()),
        "recipients": recips,
        "body": _ws(msg.body).replace("\u00a0", " "),
        "attachments": atts,
    }


def _recipients_match(before: list[Any], after: list[Any]) -> bool:
    # A recipient matches by SMTP address, or by display name when either side has no SMTP
    # address (Exchange X.500 addresses have no Internet form; transport headers may name
    # a recipient without an address).
    if len(before) != len(after):
        return False
    left = list(after)
    for kind, smtp, name in before:
        for i, (k2, s2, n2) in enumerate(left):
            if k2 == kind and ((smtp and smtp == s2) or (name and name == n2)):
                del left[i]
                break
        else:
            return False
    return True


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Names of the facts that differ."""
    bad = []
    if a["subject"] != b["subject"]:
        bad.append("subject")
    (s1, n1), (s2, n2) = a["sender"], b["sender"]
    if not ((s1 and s1 == s2) or (not s1 and (n1 == n2 or not n1))):
        bad.append("sender")
    if not _recipients_match(a["recipients"], b["recipients"]):
        bad.append("recipients")
    if a["body"] and a["body"] != b["body"]:
        bad.append("body")
    plain_a = [x for x in a["attachments"] if x[0] != "message"]
    plain_b = [x for x in b["attachments"] if x[0] != "message"]
    if Counter(map(repr, plain_a)) != Counter(map(repr, plain_b)):
        bad.append("attachments")
    else:
        left = [x[1] for x in b["attachments"] if x[0] == "message"]
        for _, inner in (x for x in a["attachments"] if x[0] == "message"):
            match = next((i for i, cand in enumerate(left) if not compare(inner, cand)), None)
            if match is None:
                bad.append("attachments")
                break
            del left[match]
        if left and "attachments" not in bad:
            bad.append("attachments")
    return bad


@pytest.mark.corpus
@pytest.mark.parametrize("path", MESSAGES, ids=corpus_ids(MESSAGES))
def test_msg_eml_msg_round_trip_keeps_the_message(path: Path) -> None:
    rel = str(path.relative_to(path.parents[1]))
    with imsg_core.Session() as s:
        if rel in UNOPENABLE:
            with pytest.raises(MAPIError):
                s.open(path)
            return
        msg = s.open(path)
        before = facts(msg)
        data = msg_to_eml(msg)
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        assert not [d for d in parsed.defects if "Boundary" in type(d).__name__]
        back = s.create("mem://round-trip")
        eml_to_msg(data, back)
        back.save_changes()
        after = facts(back)
    bad = compare(before, after)
    assert not bad, f"{rel}: {bad}: " + "; ".join(
        f"{k}: {before[k]!r:.200} -> {after[k]!r:.200}" for k in bad
    )


# --------------------------------------------------------------------------- generated
def _make(session: imsg_core.Session, *, nested: bool = True) -> Any:
    msg = session.create("mem://gen")
    msg.subject = "Grüße — report Q3"
    msg.sent = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
    msg.set_sender("ana@example.org", "Ana Ölmez")
    msg.body = "Hello,\r\nsee the figures.\r\n"
    msg.html = (
        '<html><body><p>Hello, see <b>the figures</b>.</p><img src="cid:chart@x"></body></html>'
    )
    msg.add_recipient("bo@example.org", "Bo, Jr.", "to")
    msg.add_recipient("cy@example.org", None, "cc")
    msg.add_recipient("di@example.org", "Di", "bcc")
    msg.add_attachment("figures.csv", b"a,b\r\n1,2\r\n", "text/csv").close()
    msg.add_attachment("chart.png", b"\x89PNG fake", "image/png", content_id="chart@x").close()
    msg.add_attachment("ünïcødé name.bin", bytes(range(256)), None).close()
    if nested:
        att = msg.create_attach()
        inner = att.open_embedded(create=True)
        inner.subject = "inner"
        inner.set_sender("ed@example.org", "Ed")
        inner.add_recipient("fi@example.org", "Fi", "to")
        inner.body = "inner body"
        inner.add_attachment("deep.txt", b"deep", "text/plain").close()
        inner.save_changes()
        att.set_props({T.PR_DISPLAY_NAME: "inner"})
        att.save_changes()
        att.close()
    msg.save_changes()
    return msg


def test_generated_message_round_trips_with_every_fact(session: imsg_core.Session) -> None:
    msg = _make(session)
    before = facts(msg)
    back = session.create("mem://back")
    eml_to_msg(msg_to_eml(msg), back)
    back.save_changes()
    assert compare(before, facts(back)) == []
    assert back.get_prop(T.PR_TRANSPORT_MESSAGE_HEADERS).startswith("From:")


def test_mime_structure_keeps_inline_images_related_and_embedded_as_rfc822(
    session: imsg_core.Session,
) -> None:
    em = message_to_email(_make(session))
    types = [p.get_content_type() for p in em.walk()]
    assert types[0] == "multipart/mixed"
    assert "multipart/alternative" in types and "multipart/related" in types
    related = next(p for p in em.walk() if p.get_content_type() == "multipart/related")
    img = next(p for p in related.iter_parts() if p.get_content_type() == "image/png")
    assert img["Content-ID"] == "<chart@x>"
    assert img.get_content_disposition() == "inline"
    rfc822 = next(p for p in em.walk() if p.get_content_type() == "message/rfc822")
    inner = rfc822.get_payload()[0]
    assert inner["Subject"] == "inner"
    assert [a.get_filename() for a in inner.iter_attachments()] == ["deep.txt"]
    assert em["Bcc"] is not None and "di@example.org" in str(em["Bcc"])


def test_eml_to_msg_writes_html_rtf_and_hidden_inline_images(session: imsg_core.Session) -> None:
    back = session.create("mem://x")
    eml_to_msg(msg_to_eml(_make(session, nested=False)), back)
    back.save_changes()
    rtf = back.rtf
    assert rtf is not None and rtfmod.encapsulated_kind(rtf) == "html"
    assert rtfmod.deencapsulate_html(rtf).replace("\r\n", "\n") == back.html.replace("\r\n", "\n")
    chart = next(a for a in back.attachments if a.filename == "chart.png")
    assert chart.content_id == "chart@x"
    assert chart.get_prop(0x7FFE000B) is True  # PR_ATTACHMENT_HIDDEN
    assert back.get_prop(T.PR_MESSAGE_FLAGS) & 0x8 == 0  # dated: not a draft


def test_html_only_email_gets_a_plain_body(session: imsg_core.Session) -> None:
    data = (
        b"From: a@b.c\r\nTo: d@e.f\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>One</p><p>Two &amp; three</p>\r\n"
    )
    back = session.create("mem://x")
    eml_to_msg(data, back)
    assert back.body == "One\r\n\r\nTwo & three"
    assert html_to_text("<style>x{}</style><div>a<br>b</div>") == "a\r\nb"


def test_rtf_only_message_gets_html_deencapsulated(session: imsg_core.Session) -> None:
    msg = session.create("mem://rtf")
    html = "<html><body><p>Only in RTF &amp; nowhere else</p></body></html>"
    msg.set_props({T.PR_RTF_COMPRESSED: rtfmod.compress(rtfmod.encapsulate_html(html))})
    msg.save_changes()
    em = message_to_email(msg)
    assert em.get_body(preferencelist=("html",)).get_content().strip() == html


def test_smime_multipart_signed_entity_passes_through_byte_for_byte(
    session: imsg_core.Session,
) -> None:
    entity = (
        b'Content-Type: multipart/signed; protocol="application/pkcs7-signature";\r\n'
        b' micalg=sha-256; boundary="BB"\r\n\r\n'
        b"--BB\r\nContent-Type: text/plain\r\n\r\nsigned text \r\n--BB\r\n"
        b"Content-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n"
        b"\r\nMIIBsignature==\r\n--BB--\r\n"
    )
    msg = session.create("mem://smime")
    msg.message_class = "IPM.Note.SMIME.MultipartSigned"
    msg.subject = "signed"
    msg.set_sender("a@b.c", "A")
    msg.add_attachment("smime.p7m", entity, "multipart/signed").close()
    msg.save_changes()
    out = msg_to_eml(msg)
    assert out.endswith(entity), "the signed entity must follow the headers unchanged"
    back = session.create("mem://smime-back")
    eml_to_msg(out, back)
    back.save_changes()
    assert back.message_class == "IPM.Note.SMIME.MultipartSigned"
    (att,) = back.attachments
    assert att.data == entity
    assert back.body is not None and "signed text" in back.body


def test_smime_opaque_blob_is_base64_pkcs7_mime(session: imsg_core.Session) -> None:
    der = b"\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x03" + bytes(100)
    msg = session.create("mem://enc")
    msg.message_class = "IPM.Note.SMIME"
    msg.subject = "encrypted"
    msg.add_attachment("smime.p7m", der, "application/pkcs7-mime").close()
    msg.save_changes()
    em = email.message_from_bytes(msg_to_eml(msg), policy=email.policy.default)
    assert em.get_content_type() == "application/pkcs7-mime"
    assert em.get_param("smime-type") == "enveloped-data"
    assert em.get_payload(decode=True) == der
    back = session.create("mem://enc-back")
    eml_to_msg(msg_to_eml(msg), back)
    assert back.message_class == "IPM.Note.SMIME"
    assert [a.data for a in back.attachments] == [der]


def test_malformed_mime_converts_without_raising(session: imsg_core.Session) -> None:
    data = (
        b"From: broken <<@@>>\r\nTo: ,,,\r\nDate: not a date\r\nSubject: =?bogus?q?x?=\r\n"
        b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain;"
        b" charset=no-such-charset\r\n\r\nbody\r\n--XX\r\nContent-Type: message/rfc822\r\n\r\n"
        b"garbage without headers"
    )
    back = session.create("mem://bad")
    eml_to_msg(data, back)
    back.save_changes()
    assert back.subject is not None


# --------------------------------------------------------------------------- extract-msg
@pytest.mark.corpus
def test_eml_to_msg_output_opens_in_extract_msg_with_the_same_values(tmp_path: Path) -> None:
    extract_msg = pytest.importorskip("extract_msg")
    sources = [p for p in MESSAGES if str(p.relative_to(p.parents[1])) not in UNOPENABLE]
    if not sources:
        pytest.skip("corpus absent")
    checked = 0
    for i, path in enumerate(sources[::6]):  # a spread of the corpus keeps this to seconds
        out = tmp_path / f"{i}.msg"
        with imsg_core.Session() as s:
            src = s.open(path)
            data = msg_to_eml(src)
            dest = s.create(out)
            eml_to_msg(data, dest)
            dest.save_changes()
            dest.close()
            ours = s.open(out)
            want = {
                "subject": ours.subject or "",
                "body": _ws(ours.body),
                "recipients": sorted(_smtp(r.email) or _ws(r.name) for r in ours.recipients),
                "attachments": sorted(
                    (a.filename or a.display_name or "")
                    for a in ours.attachments
                    if not a.is_embedded
                ),
            }
        with extract_msg.Message(str(out)) as em:
            got_recips = sorted(_smtp(r.email) or _ws(r.name) for r in em.recipients)
            got_atts = sorted(
                (a.longFilename or a.shortFilename or a.displayName or "")
                for a in em.attachments
                if getattr(getattr(a, "type", None), "name", "") == "DATA"
            )
            assert (em.subject or "") == want["subject"], path
            assert _ws(em.body) == want["body"], path
            assert got_recips == want["recipients"], path
            assert got_atts == want["attachments"], path
        checked += 1
    assert checked >= 20


@functools.cache
def _generated_eml() -> bytes:
    with imsg_core.Session() as s:
        return msg_to_eml(_make(s))


_SPLICES = [
    b"\r\n",
    b"--",
    b"=?utf-8?b?",
    b"Content-Type: message/rfc822\r\n\r\n",
    b";",
    b'"',
    b"<",
    b"\x00",
    b"boundary=",
    b"\xff\xfe",
    b"charset=\x00x",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mangled_mime_raises_nothing_but_mapi_errors(data: st.DataObject) -> None:
    base = bytearray(_generated_eml())
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(base) - 1))
        op = data.draw(st.integers(0, 2))
        if op == 0:
            base[pos] = data.draw(st.integers(0, 255))
        elif op == 1:
            del base[pos : pos + data.draw(st.integers(1, 60))]
        else:
            base[pos:pos] = data.draw(st.sampled_from(_SPLICES))

    def round_trip(raw: bytes) -> None:
        with imsg_core.Session() as s:
            out = s.create("mem://mangled")
            eml_to_msg(raw, out)
            out.save_changes()
            msg_to_eml(out)

    hyp.run_bounded(round_trip, bytes(base))  # only a MAPIError, within time and memory


STDLIB_EMAILS = sorted(
    (Path(email.__file__).resolve().parent.parent / "test" / "test_email" / "data").glob(
        "msg_*.txt"
    )
)


@pytest.mark.skipif(not STDLIB_EMAILS, reason="CPython's email test data is not installed")
def test_real_world_mime_from_cpythons_email_tests_converts_and_opens_in_extract_msg(
    tmp_path: Path,
) -> None:
    extract_msg = pytest.importorskip("extract_msg")
    for path in STDLIB_EMAILS:
        data = path.read_bytes()
        src = email.message_from_bytes(data, policy=email.policy.default)
        out = tmp_path / f"{path.stem}.msg"
        with imsg_core.Session() as s:
            dest = s.create(out)
            eml_to_msg(data, dest)
            dest.save_changes()
            dest.close()
            ours = s.open(out)
            subject = ours.subject
            recips = sorted((r.type, (r.email or "").lower()) for r in ours.recipients)
            msg_to_eml(ours)  # and back again
        want_subject = _ws(str(src["Subject"])) if src["Subject"] is not None else None
        assert (_ws(subject) if subject is not None else None) == want_subject, path.name
        want = sorted(
            (kind, addr.lower())
            for header, kind in (("To", "to"), ("Cc", "cc"), ("Bcc", "bcc"))
            for _, addr in email.utils.getaddresses([str(v) for v in src.get_all(header, [])])
            if addr
        )
        assert [r for r in recips if r[1]] == want, path.name
        with extract_msg.Message(str(out)) as em:
            assert _ws(em.subject) == _ws(subject), path.name


@pytest.mark.skipif(shutil.which("7z") is None, reason="7-Zip (the strictest CFB reader) absent")
def test_eml_to_msg_output_passes_7zip_the_strictest_compound_file_reader(
    session: imsg_core.Session, tmp_path: Path
) -> None:
    sources = [_generated_eml()]
    for path in corpus_files("pypi-msg-parser/complete.msg") + corpus_files("poi/*inline*.msg"):
        with imsg_core.Session() as s:
            sources.append(msg_to_eml(s.open(path)))
    for i, data in enumerate(sources):
        out = tmp_path / f"{i}.msg"
        dest = session.create(out)
        eml_to_msg(data, dest)
        dest.save_changes()
        dest.close()
        proc = subprocess.run(
            ["7z", "t", str(out)], capture_output=True, text=True, timeout=60, check=False
        )
        assert proc.returncode == 0 and "Everything is Ok" in proc.stdout, proc.stdout[-500:]


def test_dates_sent_from_date_received_from_the_last_hop(session: imsg_core.Session) -> None:
    data = (
        b"Received: from a by b; Tue, 7 Jan 2020 15:44:08 +0100\r\n"
        b"Received: from c by a; Tue, 7 Jan 2020 15:44:01 +0100\r\n"
        b"Date: Tue, 07 Jan 2020 15:43:59 +0100\r\nFrom: x@y.z\r\nSubject: d\r\n\r\nbody\r\n"
    )
    back = session.create("mem://dates")
    eml_to_msg(data, back)
    assert back.sent == datetime(2020, 1, 7, 14, 43, 59, tzinfo=UTC)
    assert back.received == datetime(2020, 1, 7, 14, 44, 8, tzinfo=UTC)


def test_smime_headers_with_non_ascii_are_encoded(session: imsg_core.Session) -> None:
    msg = session.create("mem://smime-utf8")
    msg.message_class = "IPM.Note.SMIME"
    msg.subject = "Grüße verschlüsselt"
    msg.add_attachment("smime.p7m", b"\x30\x80", "application/pkcs7-mime").close()
    msg.save_changes()
    raw = msg_to_eml(msg)
    assert raw.isascii()
    em = email.message_from_bytes(raw, policy=email.policy.default)
    assert em["Subject"] == "Grüße verschlüsselt"
    assert em.get_payload(decode=True) == b"\x30\x80"


@pytest.mark.corpus
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl absent")
def test_signed_corpus_messages_still_verify_after_conversion_and_round_trip(
    tmp_path: Path,
) -> None:
    signed = []
    for path in MESSAGES:
        if str(path.relative_to(path.parents[1])) in UNOPENABLE:
            continue
        with imsg_core.Session() as s:
            msg = s.open(path)
            if (msg.message_class or "").lower() != "ipm.note.smime.multipartsigned":
                continue
            first = msg_to_eml(msg)
            back = s.create(tmp_path / "back.msg")
            eml_to_msg(first, back)
            back.save_changes()
            second = msg_to_eml(back)
        signed.append(path)
        for i, data in enumerate((first, second)):
            eml = tmp_path / f"{path.stem}-{i}.eml"
            eml.write_bytes(data)
            proc = subprocess.run(
                ["openssl", "smime", "-verify", "-noverify", "-in", str(eml), "-out", os.devnull],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert proc.returncode == 0, (path.name, i, proc.stderr[-300:])
    if MESSAGES:
        assert len(signed) >= 3


@pytest.mark.corpus
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl absent")
def test_encrypted_corpus_messages_convert_to_parseable_pkcs7_mime(tmp_path: Path) -> None:
    found = 0
    for path in corpus_files("bbottema-omp/S_MIME test message *encrypted.msg"):
        with imsg_core.Session() as s:
            data = msg_to_eml(s.open(path))
        eml = tmp_path / "enc.eml"
        eml.write_bytes(data)
        proc = subprocess.run(
            ["openssl", "cms", "-cmsout", "-print", "-inform", "SMIME", "-in", str(eml)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr[-300:]
        assert "pkcs7-envelopedData" in proc.stdout
        assert "smime-type=enveloped-data" in data.decode("ascii")
        found += 1
    if MESSAGES:
        assert found == 2


# ---------------------------------------------------------------- senders with no SMTP address
def test_an_exchange_only_sender_is_a_valid_rfc5322_from(session: imsg_core.Session) -> None:
    """``From: "Tests Chang@FT (張毓倫)" <>`` is not RFC 5322: the display name is written
    alone as an empty group, the Exchange DN in ``X-Exchange-From``, and both come back."""
    dn = "/O=FT/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=TCHANG"
    msg = session.create("mem://exchange-only")
    msg.subject = "exchange"
    msg.set_props(
        {
            T.PR_SENDER_NAME: "Tests Chang@FT (張毓倫)",
            T.PR_SENDER_EMAIL_ADDRESS: dn,
            T.PR_SENDER_ADDRTYPE: "EX",
        }
    )
    msg.add_recipient("/O=FT/CN=RECIPIENTS/CN=ONLY", "Only Name", "to")
    msg.add_recipient("b@example.com", "B", "to")
    data = msg_to_eml(msg)
    assert b"<>" not in data
    em = email.message_from_bytes(data, policy=email.policy.strict)
    (group,) = em["From"].groups
    assert group.display_name == "Tests Chang@FT (張毓倫)" and group.addresses == ()
    assert em["X-Exchange-From"].strip() == dn
    assert [g.display_name for g in em["To"].groups] == ["Only Name", None]
    assert not em.defects and not em["From"].defects and not em["To"].defects
    back = session.create("mem://exchange-only-back")
    eml_to_msg(data, back)
    assert back.sender_name == "Tests Chang@FT (張毓倫)" and back.sender_email == dn
    assert [r.name for r in back.recipients] == ["Only Name", "B"]


# ---------------------------------------------------------------- delivery time
_RECEIVED_EML = (
    b"Received: (qmail 4242 invoked by uid 0)\r\n"
    b"Received: from relay.example by mx.example with ESMTP id 1;\r\n"
    b"\tTue, 2 Jan 2024 02:05:00 -0800 (PST)\r\n"
    b"Received: from client by relay.example; Tue, 2 Jan 2024 10:01:00 +0000\r\n"
    b"From: A <a@example.com>\r\nTo: b@example.com\r\nSubject: s\r\n"
    b"%s\r\nhi\r\n"
)


@pytest.mark.parametrize("date", [b"Date: Tue, 2 Jan 2024 09:00:00 +0000\r\n", b""])
def test_received_time_is_the_last_hops_received_date_not_date(
    session: imsg_core.Session, date: bytes
) -> None:
    msg = session.create(f"mem://received-{len(date)}")
    eml_to_msg(_RECEIVED_EML % date, msg)
    assert msg.received == datetime(2024, 1, 2, 10, 5, tzinfo=UTC)
    if date:
        assert msg.sent == datetime(2024, 1, 2, 9, 0, tzinfo=UTC)


def test_without_received_headers_the_delivery_time_falls_back_to_date(
    session: imsg_core.Session,
) -> None:
    msg = session.create("mem://no-received")
    eml_to_msg(b"From: a@example.com\r\nDate: Tue, 2 Jan 2024 09:00:00 +0000\r\n\r\nhi\r\n", msg)
    assert msg.received == msg.sent == datetime(2024, 1, 2, 9, 0, tzinfo=UTC)


def test_a_long_from_header_is_read_in_linear_time() -> None:
    """The empty-group rule (``"Name": ;``, a sender with no Internet address) must not
    backtrack: 200,000 spaces in From took minutes with a lazy name followed by ``\\s*``."""
    from imsg_core.convert.from_eml import _addresses

    def read_from(raw: bytes) -> None:
        em = email.message_from_bytes(raw, policy=email.policy.compat32)
        _addresses(em, "From")

    # time only: the standard library's address parser itself peaks near 40 MB here (issue 19)
    hyp.run_bounded(read_from, b"From: a" + b" " * 200_000 + b"b\r\n\r\nbody\r\n", memory=False)
