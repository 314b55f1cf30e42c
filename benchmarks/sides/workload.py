"""What the write cases write: deterministic message specs and attachment bytes."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace

CHUNK = 1 << 20
MSG_KEYS = ("properties", "recipients", "attachments", "embedded", "attachment_bytes")
# The per-file read as a user writes it: open, subject, body, every attachment's data or
# embedded message's subject (the subject and body texts differ in terminators and
# encodings between libraries, so only their presence is not compared).
USER_READ_KEYS = ("attachments", "embedded", "attachment_bytes")
RECIPIENT_TYPES = (1, 2, 3)  # MAPI_TO, MAPI_CC, MAPI_BCC


@functools.lru_cache(maxsize=8)
def _block(seed: int) -> bytes:
    """1 MiB of deterministic pseudo-random bytes (SHA-256 in counter mode)."""
    out = bytearray()
    i = 0
    while len(out) < CHUNK:
        out += hashlib.sha256(f"{seed}:{i}".encode()).digest() * 64
        i += 1
    return bytes(out[:CHUNK])


def payload_chunks(size: int, seed: int = 0) -> Iterator[bytes]:
    """``size`` deterministic bytes as chunks of at most 1 MiB (never held whole)."""
    block = _block(seed)
    done = 0
    while done < size:
        n = min(CHUNK, size - done)
        yield block[:n] if n < CHUNK else block
        done += n


def attachment_payload(size: int, seed: int = 0) -> bytes:
    """``size`` deterministic bytes in one object (for writers that need bytes)."""
    if size <= CHUNK:
        return _block(seed)[:size]
    return b"".join(payload_chunks(size, seed))


@dataclass(frozen=True)
class WriteSpec:
    """A message to write: subject, plain and HTML bodies, recipients, attachments.

    ``attachments`` holds ``(filename, size, seed)``; recipients are generated as
    ``("Recipient N", "recipient.N@example.com", TO/CC/BCC in turn)``.
    """

    subject: str = "Benchmark message"
    body: str = "Hello,\n\nthis is the plain-text body of a benchmark message.\n" * 4
    html: str | None = (
        "<html><body><p>Hello,</p><p>this is the <b>HTML</b> body of a benchmark "
        "message.</p></body></html>"
    )
    n_recipients: int = 3
    attachments: tuple[tuple[str, int, int], ...] = (
        ("first.bin", 10_000, 1),
        ("second.bin", 10_000, 2),
    )

    def recipients(self) -> Iterator[tuple[str, str, int]]:
        for i in range(self.n_recipients):
            yield (f"Recipient {i}", f"recipient.{i}@example.com", RECIPIENT_TYPES[i % 3])

    def numbered(self, i: int) -> WriteSpec:
        return replace(self, subject=f"{self.subject} #{i}")

    @property
    def attachment_bytes(self) -> int:
        return sum(size for _, size, _ in self.attachments)


THOUSAND = WriteSpec()


def big_attachment(size: int) -> WriteSpec:
    """A message with one attachment of ``size`` bytes."""
    return WriteSpec(
        subject=f"{size} bytes", html=None, n_recipients=1, attachments=(("big.bin", size, 7),)
    )


def many_recipients(n: int) -> WriteSpec:
    """A message with ``n`` recipients and no attachment."""
    return WriteSpec(subject=f"{n} recipients", html=None, n_recipients=n, attachments=())
