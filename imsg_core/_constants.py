"""The property constants the top-level package exports: every ``PR_*`` tag of
:mod:`imsg_core.props.tags` and the ``PT_*`` types and ``PS_*``/``PSETID_*`` property sets of
:mod:`imsg_core.props`, listed so that ``dir(imsg_core)``, editors and ``mypy`` see them
(``tests/test_message_oneline.py`` keeps the list complete). Defined in :mod:`imsg_core.props`
only; this module names them again and defines nothing.
"""

from typing import TYPE_CHECKING

__all__ = [
    "PR_7BIT_DISPLAY_NAME",
    "PR_AB_PROVIDERS",
    "PR_ACCESS",
    "PR_ACCESS_LEVEL",
    "PR_ACCOUNT",
    "PR_ACKNOWLEDGEMENT_MODE",
    "PR_ADDRTYPE",
    "PR_ALTERNATE_RECIPIENT",
    "PR_ALTERNATE_RECIPIENT_ALLOWED",
    "PR_ARCHIVE_DATE",
    "PR_ARCHIVE_PERIOD",
    "PR_ARCHIVE_TAG",
    "PR_ASSISTANT",
    "PR_ASSISTANT_TELEPHONE_NUMBER",
    "PR_ATTACHMENT_CONTACTPHOTO",
    "PR_ATTACHMENT_FLAGS",
    "PR_ATTACHMENT_HIDDEN",
    "PR_ATTACHMENT_LINKID",
    "PR_ATTACHMENT_X400_PARAMETERS",
    "PR_ATTACH_ADDITIONAL_INFO",
    "PR_ATTACH_CONTENT_BASE",
    "PR_ATTACH_CONTENT_ID",
    "PR_ATTACH_CONTENT_LOCATION",
    "PR_ATTACH_DATA_BIN",
    "PR_ATTACH_DATA_OBJ",
    "PR_ATTACH_ENCODING",
    "PR_ATTACH_EXTENSION",
    "PR_ATTACH_FILENAME",
    "PR_ATTACH_FLAGS",
    "PR_ATTACH_LONG_FILENAME",
    "PR_ATTACH_LONG_PATHNAME",
    "PR_ATTACH_METHOD",
    "PR_ATTACH_MIME_SEQUENCE",
    "PR_ATTACH_MIME_TAG",
    "PR_ATTACH_NUM",
    "PR_ATTACH_PATHNAME",
    "PR_ATTACH_PAYLOAD_CLASS",
    "PR_ATTACH_PAYLOAD_PROV_GUID_STR",
    "PR_ATTACH_RENDERING",
    "PR_ATTACH_SIZE",
    "PR_ATTACH_TAG",
    "PR_ATTACH_TRANSPORT_NAME",
    "PR_ATTR_HIDDEN",
    "PR_ATTR_READONLY",
    "PR_ATTR_SYSTEM",
    "PR_AUTHORIZING_USERS",
    "PR_AUTO_FORWARDED",
    "PR_AUTO_FORWARD_COMMENT",
    "PR_AUTO_RESPONSE_SUPPRESS",
    "PR_BIRTHDAY",
    "PR_BLOCK_STATUS",
    "PR_BODY",
    "PR_BODY_CONTENT_ID",
    "PR_BODY_CONTENT_LOCATION",
    "PR_BODY_CRC",
    "PR_BODY_HTML",
    "PR_BUSINESS2_TELEPHONE_NUMBER",
    "PR_BUSINESS_FAX_NUMBER",
    "PR_BUSINESS_HOME_PAGE",
    "PR_BUSINESS_TELEPHONE_NUMBER",
    "PR_CALLBACK_TELEPHONE_NUMBER",
    "PR_CAR_TELEPHONE_NUMBER",
    "PR_CHANGE_KEY",
    "PR_CHILDRENS_NAMES",
    "PR_CLIENT_SUBMIT_TIME",
    "PR_COMMENT",
    "PR_COMPANY_MAIN_PHONE_NUMBER",
    "PR_COMPANY_NAME",
    "PR_COMPUTER_NETWORK_NAME",
    "PR_CONTACT_ADDRTYPES",
    "PR_CONTACT_DEFAULT_ADDRESS_INDEX",
    "PR_CONTACT_EMAIL_ADDRESSES",
    "PR_CONTACT_ENTRYIDS",
    "PR_CONTACT_VERSION",
    "PR_CONTAINER_CLASS",
    "PR_CONTENT_CONFIDENTIALITY_ALGORITHM_ID",
    "PR_CONTENT_CORRELATOR",
    "PR_CONTENT_FILTER_SCL",
    "PR_CONTENT_IDENTIFIER",
    "PR_CONTENT_INTEGRITY_CHECK",
    "PR_CONTENT_LENGTH",
    "PR_CONTENT_RETURN_REQUESTED",
    "PR_CONVERSATION_ID",
    "PR_CONVERSATION_INDEX",
    "PR_CONVERSATION_INDEX_TRACKING",
    "PR_CONVERSATION_KEY",
    "PR_CONVERSATION_TOPIC",
    "PR_CONVERSION_EITS",
    "PR_CONVERSION_PROHIBITED",
    "PR_CONVERSION_WITH_LOSS_PROHIBITED",
    "PR_CONVERTED_EITS",
    "PR_CORRELATE",
    "PR_CORRELATE_MTSID",
    "PR_COUNTRY",
    "PR_CREATION_TIME",
    "PR_CREATION_VERSION",
    "PR_CREATOR_ADDRTYPE",
    "PR_CREATOR_EMAIL_ADDRESS",
    "PR_CREATOR_ENTRYID",
    "PR_CREATOR_FLAGS",
    "PR_CREATOR_GUID",
    "PR_CREATOR_NAME",
    "PR_CREATOR_SID",
    "PR_CREATOR_SIMPLE_DISP_NAME",
    "PR_CREATOR_SMTP_ADDRESS",
    "PR_CURRENT_VERSION",
    "PR_CUSTOMER_ID",
    "PR_DEFAULT_STORE",
    "PR_DEFERRED_DELIVERY_TIME",
    "PR_DEFERRED_SEND_TIME",
    "PR_DELEGATION",
    "PR_DELETE_AFTER_SUBMIT",
    "PR_DELIVERY_POINT",
    "PR_DELIVER_TIME",
    "PR_DEPARTMENT_NAME",
    "PR_DEPTH",
    "PR_DISABLE_FULL_FIDELITY",
    "PR_DISCARD_REASON",
    "PR_DISCLOSE_RECIPIENTS",
    "PR_DISCLOSURE_OF_RECIPIENTS",
    "PR_DISCRETE_VALUES",
    "PR_DISC_VAL",
    "PR_DISPLAY_BCC",
    "PR_DISPLAY_CC",
    "PR_DISPLAY_NAME",
    "PR_DISPLAY_NAME_PREFIX",
    "PR_DISPLAY_TO",
    "PR_DISPLAY_TYPE",
    "PR_DISPLAY_TYPE_EX",
    "PR_DL_EXPANSION_HISTORY",
    "PR_DL_EXPANSION_PROHIBITED",
    "PR_DSN_REMOTE_MTA",
    "PR_EMAIL_ADDRESS",
    "PR_END_DATE",
    "PR_ENTRYID",
    "PR_EXCEPTION_ENDTIME",
    "PR_EXCEPTION_STARTTIME",
    "PR_EXPIRY_TIME",
    "PR_EXPLICIT_CONVERSION",
    "PR_FLAG_COMPLETE_TIME",
    "PR_FLAG_STATUS",
    "PR_FOLLOWUP_ICON",
    "PR_FORM_CATEGORY",
    "PR_FORM_CATEGORY_SUB",
    "PR_FORM_CLSID",
    "PR_FORM_CONTACT_NAME",
    "PR_FORM_DESIGNER_GUID",
    "PR_FORM_DESIGNER_NAME",
    "PR_FORM_HIDDEN",
    "PR_FORM_HOST_MAP",
    "PR_FORM_MESSAGE_BEHAVIOR",
    "PR_FORM_VERSION",
    "PR_FTP_SITE",
    "PR_GENDER",
    "PR_GENERATION",
    "PR_GIVEN_NAME",
    "PR_GOVERNMENT_ID_NUMBER",
    "PR_HASATTACH",
    "PR_HAS_DAMS",
    "PR_HOBBIES",
    "PR_HOME2_TELEPHONE_NUMBER",
    "PR_HOME_ADDRESS_CITY",
    "PR_HOME_ADDRESS_COUNTRY",
    "PR_HOME_ADDRESS_POSTAL_CODE",
    "PR_HOME_ADDRESS_POST_OFFICE_BOX",
    "PR_HOME_ADDRESS_STATE_OR_PROVINCE",
    "PR_HOME_ADDRESS_STREET",
    "PR_HOME_FAX_NUMBER",
    "PR_HOME_TELEPHONE_NUMBER",
    "PR_HTML",
    "PR_ICON",
    "PR_ICON_INDEX",
    "PR_IMPLICIT_CONVERSION_PROHIBITED",
    "PR_IMPORTANCE",
    "PR_INCOMPLETE_COPY",
    "PR_INET_MAIL_OVERRIDE_FORMAT",
    "PR_INITIALS",
    "PR_INITIAL_DETAILS_PANE",
    "PR_INSTANCE_KEY",
    "PR_INTERNET_APPROVED",
    "PR_INTERNET_ARTICLE_NUMBER",
    "PR_INTERNET_CONTROL",
    "PR_INTERNET_CPID",
    "PR_INTERNET_DISTRIBUTION",
    "PR_INTERNET_FOLLOWUP_TO",
    "PR_INTERNET_LINES",
    "PR_INTERNET_MESSAGE_ID",
    "PR_INTERNET_NEWSGROUPS",
    "PR_INTERNET_ORGANIZATION",
    "PR_INTERNET_PATH",
    "PR_INTERNET_PRECEDENCE",
    "PR_INTERNET_REFERENCES",
    "PR_IN_REPLY_TO_ID",
    "PR_IPM_ID",
    "PR_IPM_RETURN_REQUESTED",
    "PR_ISDN_NUMBER",
    "PR_KEYWORD",
    "PR_LANGUAGE",
    "PR_LANGUAGES",
    "PR_LAST_MODIFICATION_TIME",
    "PR_LAST_MODIFIER_ADDRTYPE",
    "PR_LAST_MODIFIER_EMAIL_ADDRESS",
    "PR_LAST_MODIFIER_ENTRYID",
    "PR_LAST_MODIFIER_FLAGS",
    "PR_LAST_MODIFIER_GUID",
    "PR_LAST_MODIFIER_NAME",
    "PR_LAST_MODIFIER_SID",
    "PR_LAST_MODIFIER_SIMPLE_DISP_NAME",
    "PR_LAST_MODIFIER_SMTP_ADDRESS",
    "PR_LAST_VERB_EXECUTED",
    "PR_LAST_VERB_EXECUTION_TIME",
    "PR_LATEST_DELIVERY_TIME",
    "PR_LIST_HELP",
    "PR_LIST_SUBSCRIBE",
    "PR_LIST_UNSUBSCRIBE",
    "PR_LOCALE_ID",
    "PR_LOCALITY",
    "PR_LOCAL_COMMIT_TIME",
    "PR_LOCATION",
    "PR_MAIL_PERMISSION",
    "PR_MANAGER_NAME",
    "PR_MAPPING_SIGNATURE",
    "PR_MDB_PROVIDER",
    "PR_MESSAGE_ATTACHMENTS",
    "PR_MESSAGE_CC_ME",
    "PR_MESSAGE_CLASS",
    "PR_MESSAGE_CODEPAGE",
    "PR_MESSAGE_DELIVERY_ID",
    "PR_MESSAGE_DELIVERY_TIME",
    "PR_MESSAGE_DOWNLOAD_TIME",
    "PR_MESSAGE_FLAGS",
    "PR_MESSAGE_LOCALE_ID",
    "PR_MESSAGE_RECIPIENTS",
    "PR_MESSAGE_RECIP_ME",
    "PR_MESSAGE_SECURITY_LABEL",
    "PR_MESSAGE_SIZE",
    "PR_MESSAGE_SIZE_EXTENDED",
    "PR_MESSAGE_SUBMISSION_ID",
    "PR_MESSAGE_TOKEN",
    "PR_MESSAGE_TO_ME",
    "PR_MHS_COMMON_NAME",
    "PR_MIDDLE_NAME",
    "PR_MINI_ICON",
    "PR_MOBILE_TELEPHONE_NUMBER",
    "PR_MODIFY_VERSION",
    "PR_MSG_EDITOR_FORMAT",
    "PR_MSG_STATUS",
    "PR_NATIVE_BODY_INFO",
    "PR_NDR_DIAG_CODE",
    "PR_NDR_REASON_CODE",
    "PR_NDR_STATUS_CODE",
    "PR_NEXT_SEND_ACCT",
    "PR_NICKNAME",
    "PR_NNTP_XREF",
    "PR_NON_RECEIPT_NOTIFICATION_REQUESTED",
    "PR_NON_RECEIPT_REASON",
    "PR_NORMALIZED_SUBJECT",
    "PR_NT_SECURITY_DESCRIPTOR",
    "PR_NULL",
    "PR_OBJECT_TYPE",
    "PR_OBSOLETED_IPMS",
    "PR_OFFICE_LOCATION",
    "PR_ORGANIZATIONAL_ID_NUMBER",
    "PR_ORIGINALLY_INTENDED_RECIPIENT_NAME",
    "PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE",
    "PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS",
    "PR_ORIGINALLY_INTENDED_RECIP_ENTRYID",
    "PR_ORIGINAL_AUTHOR_ADDRTYPE",
    "PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS",
    "PR_ORIGINAL_AUTHOR_ENTRYID",
    "PR_ORIGINAL_AUTHOR_NAME",
    "PR_ORIGINAL_AUTHOR_SEARCH_KEY",
    "PR_ORIGINAL_DELIVERY_TIME",
    "PR_ORIGINAL_DISPLAY_BCC",
    "PR_ORIGINAL_DISPLAY_CC",
    "PR_ORIGINAL_DISPLAY_NAME",
    "PR_ORIGINAL_DISPLAY_TO",
    "PR_ORIGINAL_EITS",
    "PR_ORIGINAL_ENTRYID",
    "PR_ORIGINAL_MESSAGE_ID",
    "PR_ORIGINAL_SEARCH_KEY",
    "PR_ORIGINAL_SENDER_ADDRTYPE",
    "PR_ORIGINAL_SENDER_EMAIL_ADDRESS",
    "PR_ORIGINAL_SENDER_ENTRYID",
    "PR_ORIGINAL_SENDER_NAME",
    "PR_ORIGINAL_SENDER_SEARCH_KEY",
    "PR_ORIGINAL_SENSITIVITY",
    "PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE",
    "PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS",
    "PR_ORIGINAL_SENT_REPRESENTING_ENTRYID",
    "PR_ORIGINAL_SENT_REPRESENTING_NAME",
    "PR_ORIGINAL_SENT_REPRESENTING_SEARCH_KEY",
    "PR_ORIGINAL_SUBJECT",
    "PR_ORIGINAL_SUBMIT_TIME",
    "PR_ORIGINATING_MTA_CERTIFICATE",
    "PR_ORIGINATOR_AND_DL_EXPANSION_HISTORY",
    "PR_ORIGINATOR_CERTIFICATE",
    "PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED",
    "PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED",
    "PR_ORIGINATOR_REQUESTED_ALTERNATE_RECIPIENT",
    "PR_ORIGINATOR_RETURN_ADDRESS",
    "PR_ORIGIN_CHECK",
    "PR_ORIG_MESSAGE_CLASS",
    "PR_OTHER_ADDRESS_CITY",
    "PR_OTHER_ADDRESS_COUNTRY",
    "PR_OTHER_ADDRESS_POSTAL_CODE",
    "PR_OTHER_ADDRESS_POST_OFFICE_BOX",
    "PR_OTHER_ADDRESS_STATE_OR_PROVINCE",
    "PR_OTHER_ADDRESS_STREET",
    "PR_OTHER_TELEPHONE_NUMBER",
    "PR_OWNER_APPT_ID",
    "PR_PAGER_TELEPHONE_NUMBER",
    "PR_PARENT_DISPLAY",
    "PR_PARENT_ENTRYID",
    "PR_PARENT_KEY",
    "PR_PARENT_SOURCE_KEY",
    "PR_PERSONAL_HOME_PAGE",
    "PR_PHYSICAL_DELIVERY_BUREAU_FAX_DELIVERY",
    "PR_PHYSICAL_DELIVERY_MODE",
    "PR_PHYSICAL_DELIVERY_REPORT_REQUEST",
    "PR_PHYSICAL_FORWARDING_ADDRESS",
    "PR_PHYSICAL_FORWARDING_ADDRESS_REQUESTED",
    "PR_PHYSICAL_FORWARDING_PROHIBITED",
    "PR_PHYSICAL_RENDITION_ATTRIBUTES",
    "PR_POLICY_TAG",
    "PR_POSTAL_ADDRESS",
    "PR_POSTAL_CODE",
    "PR_POST_FOLDER_ENTRIES",
    "PR_POST_FOLDER_NAMES",
    "PR_POST_OFFICE_BOX",
    "PR_POST_REPLY_DENIED",
    "PR_POST_REPLY_FOLDER_ENTRIES",
    "PR_POST_REPLY_FOLDER_NAMES",
    "PR_PREDECESSOR_CHANGE_LIST",
    "PR_PREFERRED_BY_NAME",
    "PR_PREPROCESS",
    "PR_PREVIEW",
    "PR_PRIMARY_CAPABILITY",
    "PR_PRIMARY_FAX_NUMBER",
    "PR_PRIMARY_SEND_ACCOUNT",
    "PR_PRIMARY_TELEPHONE_NUMBER",
    "PR_PRIORITY",
    "PR_PROCESSED",
    "PR_PROFESSION",
    "PR_PROOF_OF_DELIVERY",
    "PR_PROOF_OF_DELIVERY_REQUESTED",
    "PR_PROOF_OF_SUBMISSION",
    "PR_PROOF_OF_SUBMISSION_REQUESTED",
    "PR_PROVIDER_DISPLAY",
    "PR_PROVIDER_DLL_NAME",
    "PR_PROVIDER_ORDINAL",
    "PR_PROVIDER_SUBMIT_TIME",
    "PR_PROVIDER_UID",
    "PR_RADIO_TELEPHONE_NUMBER",
    "PR_RCVD_BY_FLAGS",
    "PR_RCVD_BY_SIMPLE_DISP_NAME",
    "PR_RCVD_REPRESENTING_ADDRTYPE",
    "PR_RCVD_REPRESENTING_EMAIL_ADDRESS",
    "PR_RCVD_REPRESENTING_ENTRYID",
    "PR_RCVD_REPRESENTING_FLAGS",
    "PR_RCVD_REPRESENTING_NAME",
    "PR_RCVD_REPRESENTING_SEARCH_KEY",
    "PR_RCVD_REPRESENTING_SIMPLE_DISP_NAME",
    "PR_RCVD_REPRESENTING_SMTP_ADDRESS",
    "PR_READ",
    "PR_READ_RECEIPT_ADDRTYPE",
    "PR_READ_RECEIPT_EMAIL_ADDRESS",
    "PR_READ_RECEIPT_ENTRYID",
    "PR_READ_RECEIPT_NAME",
    "PR_READ_RECEIPT_REQUESTED",
    "PR_READ_RECEIPT_SEARCH_KEY",
    "PR_READ_RECEIPT_SMTP_ADDRESS",
    "PR_RECEIPT_TIME",
    "PR_RECEIVED_BY_ADDRTYPE",
    "PR_RECEIVED_BY_EMAIL_ADDRESS",
    "PR_RECEIVED_BY_ENTRYID",
    "PR_RECEIVED_BY_NAME",
    "PR_RECEIVED_BY_SEARCH_KEY",
    "PR_RECEIVED_BY_SMTP_ADDRESS",
    "PR_RECIPIENT_CERTIFICATE",
    "PR_RECIPIENT_DISPLAY_NAME",
    "PR_RECIPIENT_ENTRYID",
    "PR_RECIPIENT_FLAGS",
    "PR_RECIPIENT_NUMBER",
    "PR_RECIPIENT_NUMBER_FOR_ADVICE",
    "PR_RECIPIENT_ORDER",
    "PR_RECIPIENT_REASSIGNMENT_PROHIBITED",
    "PR_RECIPIENT_RESOURCESTATE",
    "PR_RECIPIENT_SIP_URI",
    "PR_RECIPIENT_STATUS",
    "PR_RECIPIENT_TRACKSTATUS",
    "PR_RECIPIENT_TRACKSTATUS_TIME",
    "PR_RECIPIENT_TYPE",
    "PR_RECORD_KEY",
    "PR_REDIRECTION_HISTORY",
    "PR_REGISTERED_MAIL_TYPE",
    "PR_RELATED_IPMS",
    "PR_RENDERING_POSITION",
    "PR_REPLY_RECIPIENT_ENTRIES",
    "PR_REPLY_RECIPIENT_NAMES",
    "PR_REPLY_REQUESTED",
    "PR_REPLY_TIME",
    "PR_REPORTING_DL_NAME",
    "PR_REPORTING_MTA_CERTIFICATE",
    "PR_REPORT_DISPOSITION",
    "PR_REPORT_DISPOSITION_MODE",
    "PR_REPORT_ENTRYID",
    "PR_REPORT_NAME",
    "PR_REPORT_SEARCH_KEY",
    "PR_REPORT_TAG",
    "PR_REPORT_TEXT",
    "PR_REPORT_TIME",
    "PR_REQUESTED_DELIVERY_METHOD",
    "PR_RESOURCE_FLAGS",
    "PR_RESPONSE_REQUESTED",
    "PR_RESPONSIBILITY",
    "PR_RETENTION_DATE",
    "PR_RETENTION_FLAGS",
    "PR_RETENTION_PERIOD",
    "PR_RETURNED_IPM",
    "PR_ROWID",
    "PR_ROW_TYPE",
    "PR_RTF_COMPRESSED",
    "PR_RTF_IN_SYNC",
    "PR_RTF_SYNC_BODY_COUNT",
    "PR_RTF_SYNC_BODY_CRC",
    "PR_RTF_SYNC_BODY_TAG",
    "PR_RTF_SYNC_PREFIX_COUNT",
    "PR_RTF_SYNC_TRAILING_COUNT",
    "PR_SEARCH_KEY",
    "PR_SECURE_SUBMIT_FLAGS",
    "PR_SECURITY",
    "PR_SENDER_ADDRTYPE",
    "PR_SENDER_EMAIL_ADDRESS",
    "PR_SENDER_ENTRYID",
    "PR_SENDER_FLAGS",
    "PR_SENDER_NAME",
    "PR_SENDER_SEARCH_KEY",
    "PR_SENDER_SID",
    "PR_SENDER_SIMPLE_DISP_NAME",
    "PR_SENDER_SMTP_ADDRESS",
    "PR_SEND_INTERNET_ENCODING",
    "PR_SEND_RICH_INFO",
    "PR_SENSITIVITY",
    "PR_SENTMAIL_ENTRYID",
    "PR_SENT_MAILSVR_EID",
    "PR_SENT_REPRESENTING_ADDRTYPE",
    "PR_SENT_REPRESENTING_EMAIL_ADDRESS",
    "PR_SENT_REPRESENTING_ENTRYID",
    "PR_SENT_REPRESENTING_FLAGS",
    "PR_SENT_REPRESENTING_NAME",
    "PR_SENT_REPRESENTING_SEARCH_KEY",
    "PR_SENT_REPRESENTING_SID",
    "PR_SENT_REPRESENTING_SIMPLE_DISP_NAME",
    "PR_SENT_REPRESENTING_SMTP_ADDRESS",
    "PR_SMTP_ADDRESS",
    "PR_SOURCE_KEY",
    "PR_SPOOLER_STATUS",
    "PR_SPOUSE_NAME",
    "PR_START_DATE",
    "PR_START_DATE_ETC",
    "PR_STATE_OR_PROVINCE",
    "PR_STORE_ENTRYID",
    "PR_STORE_RECORD_KEY",
    "PR_STORE_STATE",
    "PR_STORE_SUPPORT_MASK",
    "PR_STORE_UNICODE_MASK",
    "PR_STREET_ADDRESS",
    "PR_SUBJECT",
    "PR_SUBJECT_IPM",
    "PR_SUBJECT_PREFIX",
    "PR_SUBMIT_FLAGS",
    "PR_SUPERSEDES",
    "PR_SUPPLEMENTARY_INFO",
    "PR_SURNAME",
    "PR_SWAPPED_TODO_DATA",
    "PR_SWAPPED_TODO_STORE",
    "PR_TARGET_ENTRYID",
    "PR_TELEX_NUMBER",
    "PR_TEMPLATEID",
    "PR_TEXT_ATTACHMENT_CHARSET",
    "PR_TITLE",
    "PR_TNEF_CORRELATION_KEY",
    "PR_TODO_ITEM_FLAGS",
    "PR_TRANSMITABLE_DISPLAY_NAME",
    "PR_TRANSPORT_KEY",
    "PR_TRANSPORT_MESSAGE_HEADERS",
    "PR_TRANSPORT_STATUS",
    "PR_TRUST_SENDER",
    "PR_TTYTDD_PHONE_NUMBER",
    "PR_TYPE_OF_MTS_USER",
    "PR_URL_COMP_NAME",
    "PR_URL_COMP_NAME_SET",
    "PR_USER_CERTIFICATE",
    "PR_WEDDING_ANNIVERSARY",
    "PR_X400_CONTENT_TYPE",
    "PS_INTERNET_HEADERS",
    "PS_MAPI",
    "PS_PUBLIC_STRINGS",
    "PT_BINARY",
    "PT_BOOLEAN",
    "PT_CLSID",
    "PT_ERROR",
    "PT_LONG",
    "PT_NULL",
    "PT_OBJECT",
    "PT_STRING8",
    "PT_SYSTIME",
    "PT_UNICODE",
    "PT_UNSPECIFIED",
    "PSETID_Address",
    "PSETID_AirSync",
    "PSETID_Appointment",
    "PSETID_Attachment",
    "PSETID_CalendarAssistant",
    "PSETID_Common",
    "PSETID_Log",
    "PSETID_Meeting",
    "PSETID_Messaging",
    "PSETID_Note",
    "PSETID_PostRss",
    "PSETID_Remote",
    "PSETID_Report",
    "PSETID_Sharing",
    "PSETID_Task",
    "PSETID_UnifiedMessaging",
    "PSETID_XmlExtractedEntities",
]

if TYPE_CHECKING:  # what type checkers and editors read; at run time one pass copies them
    from .props import PS_INTERNET_HEADERS
    from .props import PS_MAPI
    from .props import PS_PUBLIC_STRINGS
    from .props import PT_BINARY
    from .props import PT_BOOLEAN
    from .props import PT_CLSID
    from .props import PT_ERROR
    from .props import PT_LONG
    from .props import PT_NULL
    from .props import PT_OBJECT
    from .props import PT_STRING8
    from .props import PT_SYSTIME
    from .props import PT_UNICODE
    from .props import PT_UNSPECIFIED
    from .props import PSETID_Address
    from .props import PSETID_AirSync
    from .props import PSETID_Appointment
    from .props import PSETID_Attachment
    from .props import PSETID_CalendarAssistant
    from .props import PSETID_Common
    from .props import PSETID_Log
    from .props import PSETID_Meeting
    from .props import PSETID_Messaging
    from .props import PSETID_Note
    from .props import PSETID_PostRss
    from .props import PSETID_Remote
    from .props import PSETID_Report
    from .props import PSETID_Sharing
    from .props import PSETID_Task
    from .props import PSETID_UnifiedMessaging
    from .props import PSETID_XmlExtractedEntities
    from .props.tags import PR_7BIT_DISPLAY_NAME
    from .props.tags import PR_AB_PROVIDERS
    from .props.tags import PR_ACCESS
    from .props.tags import PR_ACCESS_LEVEL
    from .props.tags import PR_ACCOUNT
    from .props.tags import PR_ACKNOWLEDGEMENT_MODE
    from .props.tags import PR_ADDRTYPE
    from .props.tags import PR_ALTERNATE_RECIPIENT
    from .props.tags import PR_ALTERNATE_RECIPIENT_ALLOWED
    from .props.tags import PR_ARCHIVE_DATE
    from .props.tags import PR_ARCHIVE_PERIOD
    from .props.tags import PR_ARCHIVE_TAG
    from .props.tags import PR_ASSISTANT
    from .props.tags import PR_ASSISTANT_TELEPHONE_NUMBER
    from .props.tags import PR_ATTACH_ADDITIONAL_INFO
    from .props.tags import PR_ATTACH_CONTENT_BASE
    from .props.tags import PR_ATTACH_CONTENT_ID
    from .props.tags import PR_ATTACH_CONTENT_LOCATION
    from .props.tags import PR_ATTACH_DATA_BIN
    from .props.tags import PR_ATTACH_DATA_OBJ
    from .props.tags import PR_ATTACH_ENCODING
    from .props.tags import PR_ATTACH_EXTENSION
    from .props.tags import PR_ATTACH_FILENAME
    from .props.tags import PR_ATTACH_FLAGS
    from .props.tags import PR_ATTACH_LONG_FILENAME
    from .props.tags import PR_ATTACH_LONG_PATHNAME
    from .props.tags import PR_ATTACH_METHOD
    from .props.tags import PR_ATTACH_MIME_SEQUENCE
    from .props.tags import PR_ATTACH_MIME_TAG
    from .props.tags import PR_ATTACH_NUM
    from .props.tags import PR_ATTACH_PATHNAME
    from .props.tags import PR_ATTACH_PAYLOAD_CLASS
    from .props.tags import PR_ATTACH_PAYLOAD_PROV_GUID_STR
    from .props.tags import PR_ATTACH_RENDERING
    from .props.tags import PR_ATTACH_SIZE
    from .props.tags import PR_ATTACH_TAG
    from .props.tags import PR_ATTACH_TRANSPORT_NAME
    from .props.tags import PR_ATTACHMENT_CONTACTPHOTO
    from .props.tags import PR_ATTACHMENT_FLAGS
    from .props.tags import PR_ATTACHMENT_HIDDEN
    from .props.tags import PR_ATTACHMENT_LINKID
    from .props.tags import PR_ATTACHMENT_X400_PARAMETERS
    from .props.tags import PR_ATTR_HIDDEN
    from .props.tags import PR_ATTR_READONLY
    from .props.tags import PR_ATTR_SYSTEM
    from .props.tags import PR_AUTHORIZING_USERS
    from .props.tags import PR_AUTO_FORWARD_COMMENT
    from .props.tags import PR_AUTO_FORWARDED
    from .props.tags import PR_AUTO_RESPONSE_SUPPRESS
    from .props.tags import PR_BIRTHDAY
    from .props.tags import PR_BLOCK_STATUS
    from .props.tags import PR_BODY
    from .props.tags import PR_BODY_CONTENT_ID
    from .props.tags import PR_BODY_CONTENT_LOCATION
    from .props.tags import PR_BODY_CRC
    from .props.tags import PR_BODY_HTML
    from .props.tags import PR_BUSINESS2_TELEPHONE_NUMBER
    from .props.tags import PR_BUSINESS_FAX_NUMBER
    from .props.tags import PR_BUSINESS_HOME_PAGE
    from .props.tags import PR_BUSINESS_TELEPHONE_NUMBER
    from .props.tags import PR_CALLBACK_TELEPHONE_NUMBER
    from .props.tags import PR_CAR_TELEPHONE_NUMBER
    from .props.tags import PR_CHANGE_KEY
    from .props.tags import PR_CHILDRENS_NAMES
    from .props.tags import PR_CLIENT_SUBMIT_TIME
    from .props.tags import PR_COMMENT
    from .props.tags import PR_COMPANY_MAIN_PHONE_NUMBER
    from .props.tags import PR_COMPANY_NAME
    from .props.tags import PR_COMPUTER_NETWORK_NAME
    from .props.tags import PR_CONTACT_ADDRTYPES
    from .props.tags import PR_CONTACT_DEFAULT_ADDRESS_INDEX
    from .props.tags import PR_CONTACT_EMAIL_ADDRESSES
    from .props.tags import PR_CONTACT_ENTRYIDS
    from .props.tags import PR_CONTACT_VERSION
    from .props.tags import PR_CONTAINER_CLASS
    from .props.tags import PR_CONTENT_CONFIDENTIALITY_ALGORITHM_ID
    from .props.tags import PR_CONTENT_CORRELATOR
    from .props.tags import PR_CONTENT_FILTER_SCL
    from .props.tags import PR_CONTENT_IDENTIFIER
    from .props.tags import PR_CONTENT_INTEGRITY_CHECK
    from .props.tags import PR_CONTENT_LENGTH
    from .props.tags import PR_CONTENT_RETURN_REQUESTED
    from .props.tags import PR_CONVERSATION_ID
    from .props.tags import PR_CONVERSATION_INDEX
    from .props.tags import PR_CONVERSATION_INDEX_TRACKING
    from .props.tags import PR_CONVERSATION_KEY
    from .props.tags import PR_CONVERSATION_TOPIC
    from .props.tags import PR_CONVERSION_EITS
    from .props.tags import PR_CONVERSION_PROHIBITED
    from .props.tags import PR_CONVERSION_WITH_LOSS_PROHIBITED
    from .props.tags import PR_CONVERTED_EITS
    from .props.tags import PR_CORRELATE
    from .props.tags import PR_CORRELATE_MTSID
    from .props.tags import PR_COUNTRY
    from .props.tags import PR_CREATION_TIME
    from .props.tags import PR_CREATION_VERSION
    from .props.tags import PR_CREATOR_ADDRTYPE
    from .props.tags import PR_CREATOR_EMAIL_ADDRESS
    from .props.tags import PR_CREATOR_ENTRYID
    from .props.tags import PR_CREATOR_FLAGS
    from .props.tags import PR_CREATOR_GUID
    from .props.tags import PR_CREATOR_NAME
    from .props.tags import PR_CREATOR_SID
    from .props.tags import PR_CREATOR_SIMPLE_DISP_NAME
    from .props.tags import PR_CREATOR_SMTP_ADDRESS
    from .props.tags import PR_CURRENT_VERSION
    from .props.tags import PR_CUSTOMER_ID
    from .props.tags import PR_DEFAULT_STORE
    from .props.tags import PR_DEFERRED_DELIVERY_TIME
    from .props.tags import PR_DEFERRED_SEND_TIME
    from .props.tags import PR_DELEGATION
    from .props.tags import PR_DELETE_AFTER_SUBMIT
    from .props.tags import PR_DELIVER_TIME
    from .props.tags import PR_DELIVERY_POINT
    from .props.tags import PR_DEPARTMENT_NAME
    from .props.tags import PR_DEPTH
    from .props.tags import PR_DISABLE_FULL_FIDELITY
    from .props.tags import PR_DISC_VAL
    from .props.tags import PR_DISCARD_REASON
    from .props.tags import PR_DISCLOSE_RECIPIENTS
    from .props.tags import PR_DISCLOSURE_OF_RECIPIENTS
    from .props.tags import PR_DISCRETE_VALUES
    from .props.tags import PR_DISPLAY_BCC
    from .props.tags import PR_DISPLAY_CC
    from .props.tags import PR_DISPLAY_NAME
    from .props.tags import PR_DISPLAY_NAME_PREFIX
    from .props.tags import PR_DISPLAY_TO
    from .props.tags import PR_DISPLAY_TYPE
    from .props.tags import PR_DISPLAY_TYPE_EX
    from .props.tags import PR_DL_EXPANSION_HISTORY
    from .props.tags import PR_DL_EXPANSION_PROHIBITED
    from .props.tags import PR_DSN_REMOTE_MTA
    from .props.tags import PR_EMAIL_ADDRESS
    from .props.tags import PR_END_DATE
    from .props.tags import PR_ENTRYID
    from .props.tags import PR_EXCEPTION_ENDTIME
    from .props.tags import PR_EXCEPTION_STARTTIME
    from .props.tags import PR_EXPIRY_TIME
    from .props.tags import PR_EXPLICIT_CONVERSION
    from .props.tags import PR_FLAG_COMPLETE_TIME
    from .props.tags import PR_FLAG_STATUS
    from .props.tags import PR_FOLLOWUP_ICON
    from .props.tags import PR_FORM_CATEGORY
    from .props.tags import PR_FORM_CATEGORY_SUB
    from .props.tags import PR_FORM_CLSID
    from .props.tags import PR_FORM_CONTACT_NAME
    from .props.tags import PR_FORM_DESIGNER_GUID
    from .props.tags import PR_FORM_DESIGNER_NAME
    from .props.tags import PR_FORM_HIDDEN
    from .props.tags import PR_FORM_HOST_MAP
    from .props.tags import PR_FORM_MESSAGE_BEHAVIOR
    from .props.tags import PR_FORM_VERSION
    from .props.tags import PR_FTP_SITE
    from .props.tags import PR_GENDER
    from .props.tags import PR_GENERATION
    from .props.tags import PR_GIVEN_NAME
    from .props.tags import PR_GOVERNMENT_ID_NUMBER
    from .props.tags import PR_HAS_DAMS
    from .props.tags import PR_HASATTACH
    from .props.tags import PR_HOBBIES
    from .props.tags import PR_HOME2_TELEPHONE_NUMBER
    from .props.tags import PR_HOME_ADDRESS_CITY
    from .props.tags import PR_HOME_ADDRESS_COUNTRY
    from .props.tags import PR_HOME_ADDRESS_POST_OFFICE_BOX
    from .props.tags import PR_HOME_ADDRESS_POSTAL_CODE
    from .props.tags import PR_HOME_ADDRESS_STATE_OR_PROVINCE
    from .props.tags import PR_HOME_ADDRESS_STREET
    from .props.tags import PR_HOME_FAX_NUMBER
    from .props.tags import PR_HOME_TELEPHONE_NUMBER
    from .props.tags import PR_HTML
    from .props.tags import PR_ICON
    from .props.tags import PR_ICON_INDEX
    from .props.tags import PR_IMPLICIT_CONVERSION_PROHIBITED
    from .props.tags import PR_IMPORTANCE
    from .props.tags import PR_IN_REPLY_TO_ID
    from .props.tags import PR_INCOMPLETE_COPY
    from .props.tags import PR_INET_MAIL_OVERRIDE_FORMAT
    from .props.tags import PR_INITIAL_DETAILS_PANE
    from .props.tags import PR_INITIALS
    from .props.tags import PR_INSTANCE_KEY
    from .props.tags import PR_INTERNET_APPROVED
    from .props.tags import PR_INTERNET_ARTICLE_NUMBER
    from .props.tags import PR_INTERNET_CONTROL
    from .props.tags import PR_INTERNET_CPID
    from .props.tags import PR_INTERNET_DISTRIBUTION
    from .props.tags import PR_INTERNET_FOLLOWUP_TO
    from .props.tags import PR_INTERNET_LINES
    from .props.tags import PR_INTERNET_MESSAGE_ID
    from .props.tags import PR_INTERNET_NEWSGROUPS
    from .props.tags import PR_INTERNET_ORGANIZATION
    from .props.tags import PR_INTERNET_PATH
    from .props.tags import PR_INTERNET_PRECEDENCE
    from .props.tags import PR_INTERNET_REFERENCES
    from .props.tags import PR_IPM_ID
    from .props.tags import PR_IPM_RETURN_REQUESTED
    from .props.tags import PR_ISDN_NUMBER
    from .props.tags import PR_KEYWORD
    from .props.tags import PR_LANGUAGE
    from .props.tags import PR_LANGUAGES
    from .props.tags import PR_LAST_MODIFICATION_TIME
    from .props.tags import PR_LAST_MODIFIER_ADDRTYPE
    from .props.tags import PR_LAST_MODIFIER_EMAIL_ADDRESS
    from .props.tags import PR_LAST_MODIFIER_ENTRYID
    from .props.tags import PR_LAST_MODIFIER_FLAGS
    from .props.tags import PR_LAST_MODIFIER_GUID
    from .props.tags import PR_LAST_MODIFIER_NAME
    from .props.tags import PR_LAST_MODIFIER_SID
    from .props.tags import PR_LAST_MODIFIER_SIMPLE_DISP_NAME
    from .props.tags import PR_LAST_MODIFIER_SMTP_ADDRESS
    from .props.tags import PR_LAST_VERB_EXECUTED
    from .props.tags import PR_LAST_VERB_EXECUTION_TIME
    from .props.tags import PR_LATEST_DELIVERY_TIME
    from .props.tags import PR_LIST_HELP
    from .props.tags import PR_LIST_SUBSCRIBE
    from .props.tags import PR_LIST_UNSUBSCRIBE
    from .props.tags import PR_LOCAL_COMMIT_TIME
    from .props.tags import PR_LOCALE_ID
    from .props.tags import PR_LOCALITY
    from .props.tags import PR_LOCATION
    from .props.tags import PR_MAIL_PERMISSION
    from .props.tags import PR_MANAGER_NAME
    from .props.tags import PR_MAPPING_SIGNATURE
    from .props.tags import PR_MDB_PROVIDER
    from .props.tags import PR_MESSAGE_ATTACHMENTS
    from .props.tags import PR_MESSAGE_CC_ME
    from .props.tags import PR_MESSAGE_CLASS
    from .props.tags import PR_MESSAGE_CODEPAGE
    from .props.tags import PR_MESSAGE_DELIVERY_ID
    from .props.tags import PR_MESSAGE_DELIVERY_TIME
    from .props.tags import PR_MESSAGE_DOWNLOAD_TIME
    from .props.tags import PR_MESSAGE_FLAGS
    from .props.tags import PR_MESSAGE_LOCALE_ID
    from .props.tags import PR_MESSAGE_RECIP_ME
    from .props.tags import PR_MESSAGE_RECIPIENTS
    from .props.tags import PR_MESSAGE_SECURITY_LABEL
    from .props.tags import PR_MESSAGE_SIZE
    from .props.tags import PR_MESSAGE_SIZE_EXTENDED
    from .props.tags import PR_MESSAGE_SUBMISSION_ID
    from .props.tags import PR_MESSAGE_TO_ME
    from .props.tags import PR_MESSAGE_TOKEN
    from .props.tags import PR_MHS_COMMON_NAME
    from .props.tags import PR_MIDDLE_NAME
    from .props.tags import PR_MINI_ICON
    from .props.tags import PR_MOBILE_TELEPHONE_NUMBER
    from .props.tags import PR_MODIFY_VERSION
    from .props.tags import PR_MSG_EDITOR_FORMAT
    from .props.tags import PR_MSG_STATUS
    from .props.tags import PR_NATIVE_BODY_INFO
    from .props.tags import PR_NDR_DIAG_CODE
    from .props.tags import PR_NDR_REASON_CODE
    from .props.tags import PR_NDR_STATUS_CODE
    from .props.tags import PR_NEXT_SEND_ACCT
    from .props.tags import PR_NICKNAME
    from .props.tags import PR_NNTP_XREF
    from .props.tags import PR_NON_RECEIPT_NOTIFICATION_REQUESTED
    from .props.tags import PR_NON_RECEIPT_REASON
    from .props.tags import PR_NORMALIZED_SUBJECT
    from .props.tags import PR_NT_SECURITY_DESCRIPTOR
    from .props.tags import PR_NULL
    from .props.tags import PR_OBJECT_TYPE
    from .props.tags import PR_OBSOLETED_IPMS
    from .props.tags import PR_OFFICE_LOCATION
    from .props.tags import PR_ORGANIZATIONAL_ID_NUMBER
    from .props.tags import PR_ORIG_MESSAGE_CLASS
    from .props.tags import PR_ORIGIN_CHECK
    from .props.tags import PR_ORIGINAL_AUTHOR_ADDRTYPE
    from .props.tags import PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS
    from .props.tags import PR_ORIGINAL_AUTHOR_ENTRYID
    from .props.tags import PR_ORIGINAL_AUTHOR_NAME
    from .props.tags import PR_ORIGINAL_AUTHOR_SEARCH_KEY
    from .props.tags import PR_ORIGINAL_DELIVERY_TIME
    from .props.tags import PR_ORIGINAL_DISPLAY_BCC
    from .props.tags import PR_ORIGINAL_DISPLAY_CC
    from .props.tags import PR_ORIGINAL_DISPLAY_NAME
    from .props.tags import PR_ORIGINAL_DISPLAY_TO
    from .props.tags import PR_ORIGINAL_EITS
    from .props.tags import PR_ORIGINAL_ENTRYID
    from .props.tags import PR_ORIGINAL_MESSAGE_ID
    from .props.tags import PR_ORIGINAL_SEARCH_KEY
    from .props.tags import PR_ORIGINAL_SENDER_ADDRTYPE
    from .props.tags import PR_ORIGINAL_SENDER_EMAIL_ADDRESS
    from .props.tags import PR_ORIGINAL_SENDER_ENTRYID
    from .props.tags import PR_ORIGINAL_SENDER_NAME
    from .props.tags import PR_ORIGINAL_SENDER_SEARCH_KEY
    from .props.tags import PR_ORIGINAL_SENSITIVITY
    from .props.tags import PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE
    from .props.tags import PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS
    from .props.tags import PR_ORIGINAL_SENT_REPRESENTING_ENTRYID
    from .props.tags import PR_ORIGINAL_SENT_REPRESENTING_NAME
    from .props.tags import PR_ORIGINAL_SENT_REPRESENTING_SEARCH_KEY
    from .props.tags import PR_ORIGINAL_SUBJECT
    from .props.tags import PR_ORIGINAL_SUBMIT_TIME
    from .props.tags import PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE
    from .props.tags import PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS
    from .props.tags import PR_ORIGINALLY_INTENDED_RECIP_ENTRYID
    from .props.tags import PR_ORIGINALLY_INTENDED_RECIPIENT_NAME
    from .props.tags import PR_ORIGINATING_MTA_CERTIFICATE
    from .props.tags import PR_ORIGINATOR_AND_DL_EXPANSION_HISTORY
    from .props.tags import PR_ORIGINATOR_CERTIFICATE
    from .props.tags import PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED
    from .props.tags import PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED
    from .props.tags import PR_ORIGINATOR_REQUESTED_ALTERNATE_RECIPIENT
    from .props.tags import PR_ORIGINATOR_RETURN_ADDRESS
    from .props.tags import PR_OTHER_ADDRESS_CITY
    from .props.tags import PR_OTHER_ADDRESS_COUNTRY
    from .props.tags import PR_OTHER_ADDRESS_POST_OFFICE_BOX
    from .props.tags import PR_OTHER_ADDRESS_POSTAL_CODE
    from .props.tags import PR_OTHER_ADDRESS_STATE_OR_PROVINCE
    from .props.tags import PR_OTHER_ADDRESS_STREET
    from .props.tags import PR_OTHER_TELEPHONE_NUMBER
    from .props.tags import PR_OWNER_APPT_ID
    from .props.tags import PR_PAGER_TELEPHONE_NUMBER
    from .props.tags import PR_PARENT_DISPLAY
    from .props.tags import PR_PARENT_ENTRYID
    from .props.tags import PR_PARENT_KEY
    from .props.tags import PR_PARENT_SOURCE_KEY
    from .props.tags import PR_PERSONAL_HOME_PAGE
    from .props.tags import PR_PHYSICAL_DELIVERY_BUREAU_FAX_DELIVERY
    from .props.tags import PR_PHYSICAL_DELIVERY_MODE
    from .props.tags import PR_PHYSICAL_DELIVERY_REPORT_REQUEST
    from .props.tags import PR_PHYSICAL_FORWARDING_ADDRESS
    from .props.tags import PR_PHYSICAL_FORWARDING_ADDRESS_REQUESTED
    from .props.tags import PR_PHYSICAL_FORWARDING_PROHIBITED
    from .props.tags import PR_PHYSICAL_RENDITION_ATTRIBUTES
    from .props.tags import PR_POLICY_TAG
    from .props.tags import PR_POST_FOLDER_ENTRIES
    from .props.tags import PR_POST_FOLDER_NAMES
    from .props.tags import PR_POST_OFFICE_BOX
    from .props.tags import PR_POST_REPLY_DENIED
    from .props.tags import PR_POST_REPLY_FOLDER_ENTRIES
    from .props.tags import PR_POST_REPLY_FOLDER_NAMES
    from .props.tags import PR_POSTAL_ADDRESS
    from .props.tags import PR_POSTAL_CODE
    from .props.tags import PR_PREDECESSOR_CHANGE_LIST
    from .props.tags import PR_PREFERRED_BY_NAME
    from .props.tags import PR_PREPROCESS
    from .props.tags import PR_PREVIEW
    from .props.tags import PR_PRIMARY_CAPABILITY
    from .props.tags import PR_PRIMARY_FAX_NUMBER
    from .props.tags import PR_PRIMARY_SEND_ACCOUNT
    from .props.tags import PR_PRIMARY_TELEPHONE_NUMBER
    from .props.tags import PR_PRIORITY
    from .props.tags import PR_PROCESSED
    from .props.tags import PR_PROFESSION
    from .props.tags import PR_PROOF_OF_DELIVERY
    from .props.tags import PR_PROOF_OF_DELIVERY_REQUESTED
    from .props.tags import PR_PROOF_OF_SUBMISSION
    from .props.tags import PR_PROOF_OF_SUBMISSION_REQUESTED
    from .props.tags import PR_PROVIDER_DISPLAY
    from .props.tags import PR_PROVIDER_DLL_NAME
    from .props.tags import PR_PROVIDER_ORDINAL
    from .props.tags import PR_PROVIDER_SUBMIT_TIME
    from .props.tags import PR_PROVIDER_UID
    from .props.tags import PR_RADIO_TELEPHONE_NUMBER
    from .props.tags import PR_RCVD_BY_FLAGS
    from .props.tags import PR_RCVD_BY_SIMPLE_DISP_NAME
    from .props.tags import PR_RCVD_REPRESENTING_ADDRTYPE
    from .props.tags import PR_RCVD_REPRESENTING_EMAIL_ADDRESS
    from .props.tags import PR_RCVD_REPRESENTING_ENTRYID
    from .props.tags import PR_RCVD_REPRESENTING_FLAGS
    from .props.tags import PR_RCVD_REPRESENTING_NAME
    from .props.tags import PR_RCVD_REPRESENTING_SEARCH_KEY
    from .props.tags import PR_RCVD_REPRESENTING_SIMPLE_DISP_NAME
    from .props.tags import PR_RCVD_REPRESENTING_SMTP_ADDRESS
    from .props.tags import PR_READ
    from .props.tags import PR_READ_RECEIPT_ADDRTYPE
    from .props.tags import PR_READ_RECEIPT_EMAIL_ADDRESS
    from .props.tags import PR_READ_RECEIPT_ENTRYID
    from .props.tags import PR_READ_RECEIPT_NAME
    from .props.tags import PR_READ_RECEIPT_REQUESTED
    from .props.tags import PR_READ_RECEIPT_SEARCH_KEY
    from .props.tags import PR_READ_RECEIPT_SMTP_ADDRESS
    from .props.tags import PR_RECEIPT_TIME
    from .props.tags import PR_RECEIVED_BY_ADDRTYPE
    from .props.tags import PR_RECEIVED_BY_EMAIL_ADDRESS
    from .props.tags import PR_RECEIVED_BY_ENTRYID
    from .props.tags import PR_RECEIVED_BY_NAME
    from .props.tags import PR_RECEIVED_BY_SEARCH_KEY
    from .props.tags import PR_RECEIVED_BY_SMTP_ADDRESS
    from .props.tags import PR_RECIPIENT_CERTIFICATE
    from .props.tags import PR_RECIPIENT_DISPLAY_NAME
    from .props.tags import PR_RECIPIENT_ENTRYID
    from .props.tags import PR_RECIPIENT_FLAGS
    from .props.tags import PR_RECIPIENT_NUMBER
    from .props.tags import PR_RECIPIENT_NUMBER_FOR_ADVICE
    from .props.tags import PR_RECIPIENT_ORDER
    from .props.tags import PR_RECIPIENT_REASSIGNMENT_PROHIBITED
    from .props.tags import PR_RECIPIENT_RESOURCESTATE
    from .props.tags import PR_RECIPIENT_SIP_URI
    from .props.tags import PR_RECIPIENT_STATUS
    from .props.tags import PR_RECIPIENT_TRACKSTATUS
    from .props.tags import PR_RECIPIENT_TRACKSTATUS_TIME
    from .props.tags import PR_RECIPIENT_TYPE
    from .props.tags import PR_RECORD_KEY
    from .props.tags import PR_REDIRECTION_HISTORY
    from .props.tags import PR_REGISTERED_MAIL_TYPE
    from .props.tags import PR_RELATED_IPMS
    from .props.tags import PR_RENDERING_POSITION
    from .props.tags import PR_REPLY_RECIPIENT_ENTRIES
    from .props.tags import PR_REPLY_RECIPIENT_NAMES
    from .props.tags import PR_REPLY_REQUESTED
    from .props.tags import PR_REPLY_TIME
    from .props.tags import PR_REPORT_DISPOSITION
    from .props.tags import PR_REPORT_DISPOSITION_MODE
    from .props.tags import PR_REPORT_ENTRYID
    from .props.tags import PR_REPORT_NAME
    from .props.tags import PR_REPORT_SEARCH_KEY
    from .props.tags import PR_REPORT_TAG
    from .props.tags import PR_REPORT_TEXT
    from .props.tags import PR_REPORT_TIME
    from .props.tags import PR_REPORTING_DL_NAME
    from .props.tags import PR_REPORTING_MTA_CERTIFICATE
    from .props.tags import PR_REQUESTED_DELIVERY_METHOD
    from .props.tags import PR_RESOURCE_FLAGS
    from .props.tags import PR_RESPONSE_REQUESTED
    from .props.tags import PR_RESPONSIBILITY
    from .props.tags import PR_RETENTION_DATE
    from .props.tags import PR_RETENTION_FLAGS
    from .props.tags import PR_RETENTION_PERIOD
    from .props.tags import PR_RETURNED_IPM
    from .props.tags import PR_ROW_TYPE
    from .props.tags import PR_ROWID
    from .props.tags import PR_RTF_COMPRESSED
    from .props.tags import PR_RTF_IN_SYNC
    from .props.tags import PR_RTF_SYNC_BODY_COUNT
    from .props.tags import PR_RTF_SYNC_BODY_CRC
    from .props.tags import PR_RTF_SYNC_BODY_TAG
    from .props.tags import PR_RTF_SYNC_PREFIX_COUNT
    from .props.tags import PR_RTF_SYNC_TRAILING_COUNT
    from .props.tags import PR_SEARCH_KEY
    from .props.tags import PR_SECURE_SUBMIT_FLAGS
    from .props.tags import PR_SECURITY
    from .props.tags import PR_SEND_INTERNET_ENCODING
    from .props.tags import PR_SEND_RICH_INFO
    from .props.tags import PR_SENDER_ADDRTYPE
    from .props.tags import PR_SENDER_EMAIL_ADDRESS
    from .props.tags import PR_SENDER_ENTRYID
    from .props.tags import PR_SENDER_FLAGS
    from .props.tags import PR_SENDER_NAME
    from .props.tags import PR_SENDER_SEARCH_KEY
    from .props.tags import PR_SENDER_SID
    from .props.tags import PR_SENDER_SIMPLE_DISP_NAME
    from .props.tags import PR_SENDER_SMTP_ADDRESS
    from .props.tags import PR_SENSITIVITY
    from .props.tags import PR_SENT_MAILSVR_EID
    from .props.tags import PR_SENT_REPRESENTING_ADDRTYPE
    from .props.tags import PR_SENT_REPRESENTING_EMAIL_ADDRESS
    from .props.tags import PR_SENT_REPRESENTING_ENTRYID
    from .props.tags import PR_SENT_REPRESENTING_FLAGS
    from .props.tags import PR_SENT_REPRESENTING_NAME
    from .props.tags import PR_SENT_REPRESENTING_SEARCH_KEY
    from .props.tags import PR_SENT_REPRESENTING_SID
    from .props.tags import PR_SENT_REPRESENTING_SIMPLE_DISP_NAME
    from .props.tags import PR_SENT_REPRESENTING_SMTP_ADDRESS
    from .props.tags import PR_SENTMAIL_ENTRYID
    from .props.tags import PR_SMTP_ADDRESS
    from .props.tags import PR_SOURCE_KEY
    from .props.tags import PR_SPOOLER_STATUS
    from .props.tags import PR_SPOUSE_NAME
    from .props.tags import PR_START_DATE
    from .props.tags import PR_START_DATE_ETC
    from .props.tags import PR_STATE_OR_PROVINCE
    from .props.tags import PR_STORE_ENTRYID
    from .props.tags import PR_STORE_RECORD_KEY
    from .props.tags import PR_STORE_STATE
    from .props.tags import PR_STORE_SUPPORT_MASK
    from .props.tags import PR_STORE_UNICODE_MASK
    from .props.tags import PR_STREET_ADDRESS
    from .props.tags import PR_SUBJECT
    from .props.tags import PR_SUBJECT_IPM
    from .props.tags import PR_SUBJECT_PREFIX
    from .props.tags import PR_SUBMIT_FLAGS
    from .props.tags import PR_SUPERSEDES
    from .props.tags import PR_SUPPLEMENTARY_INFO
    from .props.tags import PR_SURNAME
    from .props.tags import PR_SWAPPED_TODO_DATA
    from .props.tags import PR_SWAPPED_TODO_STORE
    from .props.tags import PR_TARGET_ENTRYID
    from .props.tags import PR_TELEX_NUMBER
    from .props.tags import PR_TEMPLATEID
    from .props.tags import PR_TEXT_ATTACHMENT_CHARSET
    from .props.tags import PR_TITLE
    from .props.tags import PR_TNEF_CORRELATION_KEY
    from .props.tags import PR_TODO_ITEM_FLAGS
    from .props.tags import PR_TRANSMITABLE_DISPLAY_NAME
    from .props.tags import PR_TRANSPORT_KEY
    from .props.tags import PR_TRANSPORT_MESSAGE_HEADERS
    from .props.tags import PR_TRANSPORT_STATUS
    from .props.tags import PR_TRUST_SENDER
    from .props.tags import PR_TTYTDD_PHONE_NUMBER
    from .props.tags import PR_TYPE_OF_MTS_USER
    from .props.tags import PR_URL_COMP_NAME
    from .props.tags import PR_URL_COMP_NAME_SET
    from .props.tags import PR_USER_CERTIFICATE
    from .props.tags import PR_WEDDING_ANNIVERSARY
    from .props.tags import PR_X400_CONTENT_TYPE
else:
    from . import props as _props
    from .props import tags as _tags

    globals().update(
        {name: getattr(_tags if name.startswith("PR_") else _props, name) for name in __all__}
    )
