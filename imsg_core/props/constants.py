"""Every MAPI flag and non-property constant of the message layer, defined once.

Property tags are in :mod:`.tags`, property types and ``PROPATTR_*`` bits in :mod:`.types`,
property sets and ``MNID_*`` in :mod:`.named`. This module holds the rest of ``mapidefs.h`` /
``imessage.h`` that the library uses (spec imsg-api §12): open, save, copy and recipient
flags, ``PR_ATTACH_METHOD`` and ``PR_OBJECT_TYPE`` values, message flags, the ``.msg``
layout's storage names and the limits the reader enforces.
"""

from __future__ import annotations

import uuid

__all__ = [
    "ATTACH_BY_REFERENCE",
    "ATTACH_BY_REF_ONLY",
    "ATTACH_BY_REF_RESOLVE",
    "ATTACH_BY_VALUE",
    "ATTACH_BY_WEBREFERENCE",
    "ATTACH_DIALOG",
    "ATTACH_EMBEDDED_MSG",
    "ATTACH_OLE",
    "ATTACH_PREFIX",
    "ATT_INVISIBLE_IN_HTML",
    "ATT_INVISIBLE_IN_RTF",
    "ATT_MHTML_REF",
    "CLEAR_NRN_PENDING",
    "CLEAR_READ_FLAG",
    "CLEAR_RN_PENDING",
    "CLSID_MAIL_MESSAGE",
    "DT_MAILUSER",
    "EMBEDDED_NAME",
    "FORCE_SAVE",
    "FORCE_SUBMIT",
    "GENERATE_RECEIPT_ONLY",
    "IMSG_NO_ISTG_COMMIT",
    "KEEP_OPEN_READONLY",
    "KEEP_OPEN_READWRITE",
    "MAPI_ASSOCIATED",
    "MAPI_ATTACH",
    "MAPI_BCC",
    "MAPI_BEST_ACCESS",
    "MAPI_CC",
    "MAPI_CREATE",
    "MAPI_DECLINE_OK",
    "MAPI_DEFERRED_ERRORS",
    "MAPI_DIALOG",
    "MAPI_MAILUSER",
    "MAPI_MESSAGE",
    "MAPI_MODIFY",
    "MAPI_MOVE",
    "MAPI_NOREPLACE",
    "MAPI_NO_IDS",
    "MAPI_NO_STRINGS",
    "MAPI_ORIG",
    "MAPI_P1",
    "MAPI_SUBMITTED",
    "MAPI_TO",
    "MAPI_UNICODE",
    "MAX_CHILDREN",
    "MAX_EMBEDDING_DEPTH",
    "MODRECIP_ADD",
    "MODRECIP_MODIFY",
    "MODRECIP_REMOVE",
    "MSGFLAG_HASATTACH",
    "MSGFLAG_NRN_PENDING",
    "MSGFLAG_READ",
    "MSGFLAG_RN_PENDING",
    "MSGFLAG_UNSENT",
    "NO_ATTACHMENT",
    "RECIP_PREFIX",
    "STORE_UNICODE_OK",
    "STREAM_APPEND",
    "SUPPRESS_RECEIPT",
    "UNICODE_SUPPORT_MASK",
]

# -- OpenIMsgOnIStg / OpenIMsgSession ------------------------------------------------------
IMSG_NO_ISTG_COMMIT = 0x00000001
MAPI_UNICODE = 0x80000000

# -- OpenProperty / OpenAttach access --------------------------------------------------------
MAPI_MODIFY = 0x00000001
MAPI_CREATE = 0x00000002
STREAM_APPEND = 0x00000004
MAPI_BEST_ACCESS = 0x00000010
MAPI_ASSOCIATED = 0x00000040
MAPI_DEFERRED_ERRORS = 0x00000008

# -- SaveChanges ---------------------------------------------------------------------------
KEEP_OPEN_READONLY = 0x1
KEEP_OPEN_READWRITE = 0x2
FORCE_SAVE = 0x4

# -- GetNamesFromIDs -----------------------------------------------------------------------
MAPI_NO_STRINGS = 0x1
MAPI_NO_IDS = 0x2

# -- ModifyRecipients ----------------------------------------------------------------------
MODRECIP_ADD = 0x2
MODRECIP_MODIFY = 0x4
MODRECIP_REMOVE = 0x8

# -- CopyTo / CopyProps --------------------------------------------------------------------
MAPI_MOVE = 0x1
MAPI_NOREPLACE = 0x2
MAPI_DECLINE_OK = 0x4
MAPI_DIALOG = 0x8

# -- SetReadFlag ---------------------------------------------------------------------------
SUPPRESS_RECEIPT = 0x1
CLEAR_READ_FLAG = 0x4
GENERATE_RECEIPT_ONLY = 0x10
CLEAR_RN_PENDING = 0x20
CLEAR_NRN_PENDING = 0x40

# -- SubmitMessage / DeleteAttach ----------------------------------------------------------
FORCE_SUBMIT = 0x1
ATTACH_DIALOG = 0x1

# -- PR_MESSAGE_FLAGS ----------------------------------------------------------------------
MSGFLAG_READ = 0x1
MSGFLAG_UNSENT = 0x8
MSGFLAG_HASATTACH = 0x10
MSGFLAG_RN_PENDING = 0x100
MSGFLAG_NRN_PENDING = 0x200

# -- PR_STORE_SUPPORT_MASK -----------------------------------------------------------------
STORE_UNICODE_OK = 0x00040000
#: ``PR_STORE_SUPPORT_MASK`` Outlook writes in Unicode files (spec oxmsg §6).
UNICODE_SUPPORT_MASK = 0x00040E79

# -- PR_RECIPIENT_TYPE ---------------------------------------------------------------------
MAPI_ORIG = 0
MAPI_TO = 1
MAPI_CC = 2
MAPI_BCC = 3
MAPI_P1 = 0x10000000
MAPI_SUBMITTED = 0x80000000

# -- PR_OBJECT_TYPE ------------------------------------------------------------------------
MAPI_MESSAGE = 5
MAPI_MAILUSER = 6
MAPI_ATTACH = 7

# -- PR_ATTACH_METHOD ----------------------------------------------------------------------
NO_ATTACHMENT = 0
ATTACH_BY_VALUE = 1
ATTACH_BY_REFERENCE = 2
ATTACH_BY_REF_RESOLVE = 3
ATTACH_BY_REF_ONLY = 4
ATTACH_EMBEDDED_MSG = 5
ATTACH_OLE = 6
ATTACH_BY_WEBREFERENCE = 7

# -- PR_ATTACH_FLAGS -------------------------------------------------------------------------
ATT_INVISIBLE_IN_HTML = 0x1
ATT_INVISIBLE_IN_RTF = 0x2
#: attRenderedInBody: the attachment is referenced from the HTML body (MHTML).
ATT_MHTML_REF = 0x4

# -- PR_DISPLAY_TYPE of a recipient ------------------------------------------------------------
DT_MAILUSER = 0

# -- the .msg layout (spec oxmsg §2) ---------------------------------------------------------
#: Prefix of a recipient storage; 8 hex digits follow.
RECIP_PREFIX = "__recip_version1.0_#"
#: Prefix of an attachment storage; 8 hex digits follow.
ATTACH_PREFIX = "__attach_version1.0_#"
#: The storage of ``PR_ATTACH_DATA_OBJ`` (an embedded message or OLE storage).
EMBEDDED_NAME = "__substg1.0_3701000D"
#: ``CLSID_MailMessage``, the class of a top-level message's root storage (spec oxmsg §13).
CLSID_MAIL_MESSAGE = uuid.UUID("00020D0B-0000-0000-C000-000000000046")

# -- limits ----------------------------------------------------------------------------------
#: Deepest embedded-message nesting opened or created (spec oxmsg §14: bound recursion).
MAX_EMBEDDING_DEPTH = 64
#: Most recipients / attachments in one message (spec oxmsg §2).
MAX_CHILDREN = 2048
