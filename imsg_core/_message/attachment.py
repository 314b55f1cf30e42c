"""``IAttach`` on a ``__attach_version1.0_#XXXXXXXX`` storage (spec oxmsg §8).

An :class:`Attachment` is a :class:`~imsg_core._propobj.PropObject` whose storage is a child
of its message's storage. Its data is ``PR_ATTACH_DATA_BIN`` (a stream, read with
:meth:`Attachment.open` without loading it) or ``PR_ATTACH_DATA_OBJ`` (a storage: an
embedded message, :meth:`Attachment.open_embedded`, or an application's OLE storage,
:meth:`Attachment.open_object_storage`). :meth:`Attachment.save_changes` commits the
attachment into its message; the message's own ``save_changes`` makes it permanent.

This module never imports the message type (not even for typing): :class:`AttachmentBase`
is generic in its message type, described by the :class:`ParentMessage` protocol, and
:class:`imsg_core._message.Attachment` is ``AttachmentBase[Message]``. At run time the
parent message makes embedded messages (``ParentMessage._embedded_message``).
"""

from __future__ import annotations

import contextlib
import os
import struct
from typing import TYPE_CHECKING
from typing import Any
from typing import BinaryIO
from typing import Generic
from typing import Literal
from typing import Protocol
from typing import Self
from typing import TypeVar

from .. import props as P
from .._propobj import PropObject
from .._propproblems import PropError
from .._storage import Storage
from .._storage import Stream
from .._table import Table
from ..errors import SCODE
from ..errors import STG
from ..errors import InvalidParameterError
from ..errors import MAPIError
from ..errors import NoSupportError
from ..errors import NotFoundError
from ..errors import error_for
from ..errors import stg_error
from ..props.codec import PROPERTIES_STREAM
from ..props.constants import ATTACH_BY_REFERENCE
from ..props.constants import ATTACH_BY_VALUE
from ..props.constants import ATTACH_EMBEDDED_MSG
from ..props.constants import ATTACH_OLE
from ..props.constants import ATTACH_PREFIX
from ..props.constants import EMBEDDED_NAME
from ..props.constants import MAX_EMBEDDING_DEPTH
from ..props.constants import NO_ATTACHMENT
from ..props.tags import PR_ATTACH_CONTENT_ID
from ..props.tags import PR_ATTACH_DATA_BIN
from ..props.tags import PR_ATTACH_DATA_OBJ
from ..props.tags import PR_ATTACH_EXTENSION
from ..props.tags import PR_ATTACH_FILENAME
from ..props.tags import PR_ATTACH_LONG_FILENAME
from ..props.tags import PR_ATTACH_METHOD
from ..props.tags import PR_ATTACH_MIME_TAG
from ..props.tags import PR_ATTACH_NUM
from ..props.tags import PR_ATTACH_SIZE
from ..props.tags import PR_DISPLAY_NAME
from ..props.tags import PR_RENDERING_POSITION
from ..props.types import DEFAULT_ATTRS
from ..props.types import PROPATTR_READABLE
from ..props.types import PT_OBJECT
from ..props.types import pid
from ..props.types import ptype

if TYPE_CHECKING:
    from .._registry import Registry

__all__ = [
    "ATTACH_BY_REFERENCE",
    "ATTACH_BY_VALUE",
    "ATTACH_EMBEDDED_MSG",
    "ATTACH_OLE",
    "ATTACH_PREFIX",
    "NO_ATTACHMENT",
    "AttachmentBase",
    "ParentMessage",
    "attach_storage_name",
    "attachment_table",
]

#: ``PR_ATTACH_DATA_OBJ``'s entry value: (size, object kind) — 1 a message, 4 a storage.
_OBJ_MESSAGE = struct.pack("<II", 0xFFFFFFFF, 1)
_OBJ_STORAGE = struct.pack("<II", 0xFFFFFFFF, 4)
#: The default columns of ``GetAttachmentTable``.
TABLE_COLUMNS = (
    PR_ATTACH_NUM,
    PR_ATTACH_METHOD,
    PR_ATTACH_LONG_FILENAME,
    PR_ATTACH_FILENAME,
    PR_DISPLAY_NAME,
    PR_ATTACH_SIZE,
    PR_RENDERING_POSITION,
)


def attach_storage_name(num: int) -> str:
    """``__attach_version1.0_#%08X``."""
    return f"{ATTACH_PREFIX}{num:08X}"


def attachment_table(message_storage: Storage, nums: list[int], codepage: Any) -> Table:
    """``GetAttachmentTable`` of the attachments ``nums`` stored in ``message_storage``:
    every property but the data (``PR_ATTACH_DATA_BIN``/``_OBJ``), read from each
    attachment's property stream without opening an :class:`Attachment`."""
    rows = []
    for num in nums:
        with message_storage.open_storage(attach_storage_name(num), "r") as st:
            try:
                data = st.read_stream(PROPERTIES_STREAM)
            except NotFoundError:  # damaged attachment: a row with its number only
                data = b"\0" * 8
            _, entries = P.parse_property_stream(data, P.StreamKind.CHILD, where=st.path)
            row: dict[int, object] = {}
            for e in entries:
                if pid(e.tag) == pid(PR_ATTACH_DATA_BIN) or ptype(e.tag) == PT_OBJECT:
                    continue
                if not e.flags & PROPATTR_READABLE:
                    continue
                try:
                    row[e.tag] = P.read_value(st, e, codepage=codepage, where=st.path)
                except MAPIError as exc:
                    row[e.tag] = PropError(e.tag, exc.hresult)
            if not any(pid(t) == pid(PR_ATTACH_NUM) for t in row):
                row[PR_ATTACH_NUM] = num
        rows.append(row)
    return Table(rows, TABLE_COLUMNS)


#: The attachment type a :class:`ParentMessage` takes back (``_attachment_saved``, ...).
A_contra = TypeVar("A_contra", contravariant=True)


class ParentMessage(Protocol[A_contra]):
    """What an attachment uses of its parent message and of its embedded message (both
    a :class:`~imsg_core._message.Message`). ``A_contra`` is the attachment type that
    message hands out (:class:`~imsg_core._message.Attachment`)."""

    @property
    def session(self) -> Registry: ...
    @property
    def depth(self) -> int: ...
    @property
    def closed(self) -> bool: ...
    @property
    def unicode(self) -> bool: ...
    @property
    def _dirty(self) -> bool: ...
    def close(self) -> None: ...
    def save_changes(self, flags: int = ...) -> None: ...
    def copy_to(self, dest: Self) -> object: ...
    def save_as(self, location: Any, *, overwrite: bool = ..., **options: Any) -> None: ...
    def _take_numbering(self, src: Self) -> None: ...
    def _unicode(self) -> bool: ...
    def _codepage(self) -> Any: ...
    def _write_codepage(self) -> int | None: ...
    def _named_map(self) -> Any: ...
    def _named_map_changed(self) -> None: ...
    def _attachment_saved(self, att: A_contra) -> None: ...
    def _attachment_released(self, att: A_contra, *, discard: bool) -> None: ...
    def _embedded_message(
        self,
        parent: A_contra,
        storage: Storage,
        *,
        new: bool,
        writable: bool,
        unicode: bool | None = None,
        codepage: int | None = None,
    ) -> Self: ...


#: The message type of an :class:`AttachmentBase` (its parent's and its embedded message's).
M = TypeVar("M", bound="ParentMessage[Any]")


class AttachmentBase(PropObject, Generic[M]):
    """One attachment of a message, generic in the message type ``M``; the public class
    is :class:`imsg_core._message.Attachment` (``AttachmentBase[Message]``).

    Attributes:
        num: its ``PR_ATTACH_NUM`` (the storage number), what :meth:`Message.open_attach`
            and :meth:`Message.delete_attach` take.
    """

    stream_kind = P.StreamKind.CHILD
    object_kind = "attachment"

    def __init__(
        self, message: M, storage: Storage, num: int, *, writable: bool, new: bool = False
    ) -> None:
        super().__init__(message.session, storage, writable=writable, new=new)
        self._message = message
        self.num = num
        self._embedded: M | None = None
        self._new = new
        self._saved = False

    def _where(self) -> str:
        return self._storage.path if not self._storage.closed else f"attachment #{self.num}"

    @property
    def message_parent(self) -> M:
        """The message this attachment belongs to."""
        return self._message

    def _unicode(self) -> bool:
        return self._message._unicode()

    def _codepage(self) -> Any:
        return self._message._codepage()

    def _write_codepage(self) -> int | None:
        return self._message._write_codepage()

    def _named_map(self) -> Any:
        return self._message._named_map()

    def _named_map_changed(self) -> None:
        self._message._named_map_changed()

    # -- convenience ---------------------------------------------------------------------
    @property
    def method(self) -> int:
        """``PR_ATTACH_METHOD`` (``ATTACH_BY_VALUE``, ``ATTACH_EMBEDDED_MSG``, ...)."""
        v = self.get_prop(PR_ATTACH_METHOD, None)
        if isinstance(v, int):
            return v
        return ATTACH_EMBEDDED_MSG if self._object_tag() is not None else ATTACH_BY_VALUE

    @property
    def filename(self) -> str | None:
        """Long file name, else the 8.3 name, else the display name."""
        return self._first_str(PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME, PR_DISPLAY_NAME)

    @filename.setter
    def filename(self, value: str) -> None:
        self._raise(self.set_props({PR_ATTACH_LONG_FILENAME: value, PR_ATTACH_FILENAME: value}))

    @property
    def display_name(self) -> str | None:
        """``PR_DISPLAY_NAME``."""
        return self._first_str(PR_DISPLAY_NAME)

    @property
    def mime_type(self) -> str | None:
        """``PR_ATTACH_MIME_TAG``."""
        return self._first_str(PR_ATTACH_MIME_TAG)

    @property
    def content_id(self) -> str | None:
        """``PR_ATTACH_CONTENT_ID``."""
        return self._first_str(PR_ATTACH_CONTENT_ID)

    @property
    def size(self) -> int:
        """Size in bytes of the attachment data (``PR_ATTACH_DATA_BIN`` stream), else
        ``PR_ATTACH_SIZE``, else 0."""
        self._check()
        stored = self._find(PR_ATTACH_DATA_BIN)
        if stored is not None:
            name = P.substg_name(stored)
            if self._storage.exists(name):
                return self._storage.stat_child(name).size
        v = self.get_prop(PR_ATTACH_SIZE, None)
        return v if isinstance(v, int) else 0

    @property
    def has_data(self) -> bool:
        """True when the attachment holds data bytes (``PR_ATTACH_DATA_BIN``), what
        :meth:`open` and :attr:`data` give; False for an embedded message
        (:attr:`is_embedded`), an OLE object, a reference or a damaged attachment."""
        self._check()
        return self._find(PR_ATTACH_DATA_BIN) is not None

    def open(self) -> Stream:
        """The attachment data as a read-only stream (never loaded whole), as
        :meth:`pathlib.Path.open` opens a file's. Raises :class:`NotFoundError` when there
        is no ``PR_ATTACH_DATA_BIN``; for an embedded message or an OLE object the error
        says what to use instead (:attr:`message`, :meth:`open_object_storage`,
        :meth:`save_as`)."""
        self._check_data("open")
        return self.open_property(PR_ATTACH_DATA_BIN, "r")

    @property
    def data(self) -> bytes | None:
        """The attachment data read whole; ``None`` when the attachment has no data of its
        own (by reference, or not filled in). Raises :class:`NotFoundError` for an
        embedded message or an OLE object, whose content is not bytes (use
        :attr:`message`, :meth:`open_object_storage` or :meth:`save_as`)."""
        self._check_data("data")
        v = self.get_prop(PR_ATTACH_DATA_BIN, None)
        return v if isinstance(v, bytes) else None

    @data.setter
    def data(self, value: bytes) -> None:
        self._raise(self.set_props({PR_ATTACH_DATA_BIN: value, PR_ATTACH_METHOD: ATTACH_BY_VALUE}))

    def _check_data(self, what: str) -> None:
        """Raise the error that says what to use when the attachment holds an object."""
        self._check()
        if self._find(PR_ATTACH_DATA_BIN) is not None or self._object_tag() is None:
            return
        name = self.filename or self.display_name
        label = f"attachment #{self.num}" + (f" ({name!r})" if name else "")
        if self.is_embedded:
            raise NotFoundError(
                f"{label} is an embedded message, not data: att.{what} has nothing to give; "
                "use att.message (or att.open_embedded()) to read it, att.save_as(path) to "
                "write it as a .msg file"
            )
        raise NotFoundError(
            f"{label} is an OLE object, not data: use att.open_object_storage() to read it"
        )

    def save_as(self, location: Any, *, overwrite: bool = True, **options: Any) -> None:
        """Write the attachment to ``location`` in one call: an embedded message as its
        own ``.msg`` (:meth:`Message.save_as <imsg_core.Message.save_as>`: any location
        the session opens, ``options`` go to the backend), data as a file (a local path or
        any fsspec URL, ``options`` being its storage options), streamed. Raises
        :class:`CollisionError` (also :class:`FileExistsError`) when ``overwrite=False``
        and the location exists, :class:`NotFoundError` for an attachment without data,
        :class:`NoSupportError` for an OLE object."""
        self._check()
        if self.is_embedded:
            self.open_embedded().save_as(location, overwrite=overwrite, **options)
            return
        if self._object_tag() is not None:
            raise NoSupportError(
                f"attachment #{self.num} is an OLE object; copy its storage with "
                "att.open_object_storage().copy_to(...)"
            )
        import fsspec  # loaded on first use

        target = os.fspath(location) if isinstance(location, os.PathLike) else location
        fs, path = fsspec.core.url_to_fs(target, **options)
        if not overwrite and fs.exists(path):
            raise stg_error(STG.STG_E_FILEALREADYEXISTS, f"{target!s} exists and overwrite=False")
        with self.open() as src, fs.open(path, "wb") as out:
            while chunk := src.read(1 << 20):
                out.write(chunk)

    @property
    def is_embedded(self) -> bool:
        """True when the attachment holds an embedded message."""
        tag = self._object_tag()
        return tag is not None and self.method != ATTACH_OLE

    @property
    def message(self) -> M | None:
        """The embedded message (opened read-only unless the attachment is writable), or
        ``None`` when there is none."""
        if not self.is_embedded:
            return None
        return self.open_embedded()

    def _raise(self, problems: list[Any]) -> None:
        if problems:
            p = problems[0]
            raise error_for(p.scode, f"property 0x{p.tag:08X} of attachment #{self.num}")

    # -- the object property ----------------------------------------------------------------
    def _object_tag(self) -> int | None:
        self._check()
        for t in self._by_id.get(pid(PR_ATTACH_DATA_OBJ), ()):
            if ptype(t) == PT_OBJECT:
                return t
        if self._storage.exists(EMBEDDED_NAME):
            return PR_ATTACH_DATA_OBJ
        return None

    def open_embedded(
        self,
        *,
        create: bool = False,
        mode: Literal["r", "r+"] | None = None,
        unicode: bool | None = None,
        codepage: int | None = None,
    ) -> M:
        """``OpenProperty(PR_ATTACH_DATA_OBJ, IID_IMessage)``: the embedded message.

        ``create=True`` (``MAPI_CREATE|MAPI_MODIFY``) makes a new, empty embedded message,
        discarding any existing object, and sets ``PR_ATTACH_METHOD`` to
        ``ATTACH_EMBEDDED_MSG``. The embedded message shares the top-level message's
        named-property map; its own ``save_changes`` commits it into this attachment, whose
        ``save_changes`` commits it into the message. A second open returns the same object
        (the first open's access applies). A created message takes ``unicode`` /
        ``codepage`` (default: those of the parent message). Raises
        :class:`NotFoundError` when there is no embedded message,
        :class:`AccessDeniedError` to create on a read-only attachment,
        ``MAPI_E_TOO_COMPLEX`` beyond :data:`~imsg_core._message.MAX_EMBEDDING_DEPTH`.
        """
        self._check()
        if self._embedded is not None and not self._embedded.closed and not create:
            return self._embedded
        depth = self._message.depth + 1
        if depth > MAX_EMBEDDING_DEPTH:
            raise MAPIError(
                f"embedded message at {self._where()!r} is nested {depth} levels deep; the "
                f"limit is {MAX_EMBEDDING_DEPTH}",
                SCODE.MAPI_E_TOO_COMPLEX,
            )
        if create:
            self._check_write("create an embedded message")
            if self._embedded is not None:
                self._embedded.close()
                self._embedded = None
            self._remove(pid(PR_ATTACH_DATA_OBJ))
            st = self._storage.create_storage(EMBEDDED_NAME, overwrite=True)
            # A valid empty embedded message until its first save_changes.
            empty = P.PropertyStreamHeader(kind=P.StreamKind.EMBEDDED)
            st.write_stream(PROPERTIES_STREAM, P.build_property_stream(empty, []))
            st.commit()
            self._add_entry(P.RawEntry(PR_ATTACH_DATA_OBJ, DEFAULT_ATTRS, _OBJ_MESSAGE))
            self._set_one(PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG, check=False)
            msg = self._message._embedded_message(
                self,
                st,
                new=True,
                writable=True,
                unicode=self._message._unicode() if unicode is None else unicode,
                codepage=self._message._write_codepage() if codepage is None else codepage,
            )
        else:
            if self._object_tag() is None or not self._storage.exists(EMBEDDED_NAME):
                raise NotFoundError(f"attachment {self._where()!r} holds no embedded message")
            want = mode or ("r+" if self.writable else "r")
            if want == "r+":
                self._check_write("open the embedded message for writing")
            st = self._storage.open_storage(EMBEDDED_NAME, want)
            msg = self._message._embedded_message(self, st, new=False, writable=want == "r+")
        self._embedded = msg
        return msg

    def open_object_storage(self, *, create: bool = False) -> Storage:
        """``OpenProperty(PR_ATTACH_DATA_OBJ, IID_IStorage)``: the attachment's data storage
        (an OLE document, ``ATTACH_OLE``). ``create=True`` makes a new empty one and sets
        ``PR_ATTACH_METHOD`` to ``ATTACH_OLE``."""
        self._check()
        if create:
            self._check_write("create an attachment storage")
            self._remove(pid(PR_ATTACH_DATA_OBJ))
            st = self._storage.create_storage(EMBEDDED_NAME, overwrite=True)
            self._add_entry(P.RawEntry(PR_ATTACH_DATA_OBJ, DEFAULT_ATTRS, _OBJ_STORAGE))
            self._set_one(PR_ATTACH_METHOD, ATTACH_OLE, check=False)
            return st
        if not self._storage.exists(EMBEDDED_NAME):
            raise NotFoundError(f"attachment {self._where()!r} holds no object storage")
        return self._storage.open_storage(EMBEDDED_NAME, "r+" if self.writable else "r")

    def _delete_object(self, tag: int) -> None:
        if self._embedded is not None:
            self._embedded.close()
            self._embedded = None
        super()._delete_object(tag)

    def _fill(
        self,
        filename: str,
        data: bytes | bytearray | memoryview | BinaryIO,
        mime_type: str | None,
        content_id: str | None,
    ) -> None:
        """Fill a new by-value attachment and save it (``Message.add_attachment``)."""
        for what, text in (
            ("filename", filename),
            ("mime_type", mime_type),
            ("content_id", content_id),
        ):
            if not isinstance(text, str) and (text is not None or what == "filename"):
                raise InvalidParameterError(
                    f"add_attachment: {what} must be a str, not {type(text).__name__}"
                )
        if not isinstance(data, (bytes, bytearray, memoryview)) and not callable(
            getattr(data, "read", None)
        ):
            raise InvalidParameterError(
                "add_attachment: data must be bytes or a readable binary file object, "
                f"not {type(data).__name__}"
            )
        values: list[tuple[int, object, int]] = [
            (PR_ATTACH_METHOD, ATTACH_BY_VALUE, DEFAULT_ATTRS),
            (PR_ATTACH_LONG_FILENAME, filename, DEFAULT_ATTRS),
            (PR_ATTACH_FILENAME, filename, DEFAULT_ATTRS),
            (PR_DISPLAY_NAME, filename, DEFAULT_ATTRS),
        ]
        ext = filename.rsplit(".", 1)[1] if "." in filename else ""
        if ext:
            values.append((PR_ATTACH_EXTENSION, "." + ext, DEFAULT_ATTRS))
        if mime_type:
            values.append((PR_ATTACH_MIME_TAG, mime_type, DEFAULT_ATTRS))
        if content_id:
            values.append((PR_ATTACH_CONTENT_ID, content_id, DEFAULT_ATTRS))
        if isinstance(data, (bytes, bytearray, memoryview)):
            values.append((PR_ATTACH_DATA_BIN, bytes(data), DEFAULT_ATTRS))
            size = len(data)
        else:
            size = 0
            with self.open_property(PR_ATTACH_DATA_BIN, "w") as out:
                while chunk := data.read(1 << 20):
                    if not isinstance(chunk, (bytes, bytearray, memoryview)):
                        raise InvalidParameterError(
                            "add_attachment: data must be a binary file object; its read "
                            f"returned {type(chunk).__name__}"
                        )
                    out.write(chunk)
                    size += len(chunk)
        values.append((PR_ATTACH_SIZE, size, DEFAULT_ATTRS))
        self._put_many(values)  # a new attachment: no attribute checks to make
        self.save_changes()

    def _copy_object_from(self, src: AttachmentBase[M]) -> None:
        """Copy ``src``'s ``PR_ATTACH_DATA_OBJ`` (an OLE storage, or an embedded message
        copied with ``copy_to``) into this new attachment (``Message.copy_to``)."""
        obj = src._object_tag()
        if obj is None:
            return
        if src.method == ATTACH_OLE or not src._holds_message():
            with (
                src.open_object_storage() as s_st,
                self.open_object_storage(create=True) as d_st,
            ):
                s_st.copy_to(d_st)
                d_st.commit()
        else:
            emb_src = src.open_embedded()
            emb_dst = self.open_embedded(
                create=True,
                unicode=emb_src.unicode,
                codepage=emb_src._write_codepage(),
            )
            emb_src.copy_to(emb_dst)
            emb_dst._take_numbering(emb_src)
            emb_dst.save_changes()
            emb_dst.close()
        e = src._entries.get(obj)
        if e is not None:
            self._entries[PR_ATTACH_DATA_OBJ] = P.RawEntry(PR_ATTACH_DATA_OBJ, e.flags, e.value)

    def _holds_message(self) -> bool:
        try:
            with self._storage.open_storage(EMBEDDED_NAME, "r") as st:
                return bool(st.exists(PROPERTIES_STREAM))
        except MAPIError:
            return False

    # -- saving / release -------------------------------------------------------------------
    def save_changes(self, flags: int = 0x2) -> None:
        """Commit this attachment into its message (see :meth:`PropObject.save_changes`);
        the message's ``save_changes`` writes it to the medium."""
        if self._embedded is not None and not self._embedded.closed and self._embedded._dirty:
            pass  # MAPI: an unsaved embedded message's changes are not part of this save
        super().save_changes(flags)
        self._saved = True
        self._message._attachment_saved(self)

    def _imsg_release(self) -> None:
        if self._released:
            return
        super()._imsg_release()
        with contextlib.suppress(MAPIError):
            self._storage.close()
        self._message._attachment_released(self, discard=self._new and not self._saved)

    def __repr__(self) -> str:
        state = "released" if self._released else repr(self.filename)
        return f"<Attachment #{self.num} {state}>"
