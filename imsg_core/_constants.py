"""The property constants the top-level package exports: every ``PR_*`` tag of
:mod:`imsg_core.props.tags` and the ``PT_*`` types and ``PS_*``/``PSETID_*`` property sets of
:mod:`imsg_core.props`, imported here one by one (``X as X``: an explicit re-export) so that
``dir(imsg_core)``, editors and ``mypy --strict`` see them as ``int`` / ``UUID``
(``tests/test_message_oneline.py`` keeps the list complete). Defined in :mod:`imsg_core.props`
only; this module defines nothing and binds no other public name.
"""

from .props import PS_INTERNET_HEADERS as PS_INTERNET_HEADERS
from .props import PS_MAPI as PS_MAPI
from .props import PS_PUBLIC_STRINGS as PS_PUBLIC_STRINGS
from .props import PT_BINARY as PT_BINARY
from .props import PT_BOOLEAN as PT_BOOLEAN
from .props import PT_CLSID as PT_CLSID
from .props import PT_ERROR as PT_ERROR
from .props import PT_LONG as PT_LONG
from .props import PT_NULL as PT_NULL
from .props import PT_OBJECT as PT_OBJECT
from .props import PT_STRING8 as PT_STRING8
from .props import PT_SYSTIME as PT_SYSTIME
from .props import PT_UNICODE as PT_UNICODE
from .props import PT_UNSPECIFIED as PT_UNSPECIFIED
from .props import PSETID_Address as PSETID_Address
from .props import PSETID_AirSync as PSETID_AirSync
from .props import PSETID_Appointment as PSETID_Appointment
from .props import PSETID_Attachment as PSETID_Attachment
from .props import PSETID_CalendarAssistant as PSETID_CalendarAssistant
from .props import PSETID_Common as PSETID_Common
from .props import PSETID_Log as PSETID_Log
from .props import PSETID_Meeting as PSETID_Meeting
from .props import PSETID_Messaging as PSETID_Messaging
from .props import PSETID_Note as PSETID_Note
from .props import PSETID_PostRss as PSETID_PostRss
from .props import PSETID_Remote as PSETID_Remote
from .props import PSETID_Report as PSETID_Report
from .props import PSETID_Sharing as PSETID_Sharing
from .props import PSETID_Task as PSETID_Task
from .props import PSETID_UnifiedMessaging as PSETID_UnifiedMessaging
from .props import PSETID_XmlExtractedEntities as PSETID_XmlExtractedEntities
from .props.tags import PR_7BIT_DISPLAY_NAME as PR_7BIT_DISPLAY_NAME
from .props.tags import PR_AB_PROVIDERS as PR_AB_PROVIDERS
from .props.tags import PR_ACCESS as PR_ACCESS
from .props.tags import PR_ACCESS_LEVEL as PR_ACCESS_LEVEL
from .props.tags import PR_ACCOUNT as PR_ACCOUNT
from .props.tags import PR_ACKNOWLEDGEMENT_MODE as PR_ACKNOWLEDGEMENT_MODE
from .props.tags import PR_ADDRTYPE as PR_ADDRTYPE
from .props.tags import PR_ALTERNATE_RECIPIENT as PR_ALTERNATE_RECIPIENT
from .props.tags import PR_ALTERNATE_RECIPIENT_ALLOWED as PR_ALTERNATE_RECIPIENT_ALLOWED
from .props.tags import PR_ARCHIVE_DATE as PR_ARCHIVE_DATE
from .props.tags import PR_ARCHIVE_PERIOD as PR_ARCHIVE_PERIOD
from .props.tags import PR_ARCHIVE_TAG as PR_ARCHIVE_TAG
from .props.tags import PR_ASSISTANT as PR_ASSISTANT
from .props.tags import PR_ASSISTANT_TELEPHONE_NUMBER as PR_ASSISTANT_TELEPHONE_NUMBER
from .props.tags import PR_ATTACH_ADDITIONAL_INFO as PR_ATTACH_ADDITIONAL_INFO
from .props.tags import PR_ATTACH_CONTENT_BASE as PR_ATTACH_CONTENT_BASE
from .props.tags import PR_ATTACH_CONTENT_ID as PR_ATTACH_CONTENT_ID
from .props.tags import PR_ATTACH_CONTENT_LOCATION as PR_ATTACH_CONTENT_LOCATION
from .props.tags import PR_ATTACH_DATA_BIN as PR_ATTACH_DATA_BIN
from .props.tags import PR_ATTACH_DATA_OBJ as PR_ATTACH_DATA_OBJ
from .props.tags import PR_ATTACH_ENCODING as PR_ATTACH_ENCODING
from .props.tags import PR_ATTACH_EXTENSION as PR_ATTACH_EXTENSION
from .props.tags import PR_ATTACH_FILENAME as PR_ATTACH_FILENAME
from .props.tags import PR_ATTACH_FLAGS as PR_ATTACH_FLAGS
from .props.tags import PR_ATTACH_LONG_FILENAME as PR_ATTACH_LONG_FILENAME
from .props.tags import PR_ATTACH_LONG_PATHNAME as PR_ATTACH_LONG_PATHNAME
from .props.tags import PR_ATTACH_METHOD as PR_ATTACH_METHOD
from .props.tags import PR_ATTACH_MIME_SEQUENCE as PR_ATTACH_MIME_SEQUENCE
from .props.tags import PR_ATTACH_MIME_TAG as PR_ATTACH_MIME_TAG
from .props.tags import PR_ATTACH_NUM as PR_ATTACH_NUM
from .props.tags import PR_ATTACH_PATHNAME as PR_ATTACH_PATHNAME
from .props.tags import PR_ATTACH_PAYLOAD_CLASS as PR_ATTACH_PAYLOAD_CLASS
from .props.tags import PR_ATTACH_PAYLOAD_PROV_GUID_STR as PR_ATTACH_PAYLOAD_PROV_GUID_STR
from .props.tags import PR_ATTACH_RENDERING as PR_ATTACH_RENDERING
from .props.tags import PR_ATTACH_SIZE as PR_ATTACH_SIZE
from .props.tags import PR_ATTACH_TAG as PR_ATTACH_TAG
from .props.tags import PR_ATTACH_TRANSPORT_NAME as PR_ATTACH_TRANSPORT_NAME
from .props.tags import PR_ATTACHMENT_CONTACTPHOTO as PR_ATTACHMENT_CONTACTPHOTO
from .props.tags import PR_ATTACHMENT_FLAGS as PR_ATTACHMENT_FLAGS
from .props.tags import PR_ATTACHMENT_HIDDEN as PR_ATTACHMENT_HIDDEN
from .props.tags import PR_ATTACHMENT_LINKID as PR_ATTACHMENT_LINKID
from .props.tags import PR_ATTACHMENT_X400_PARAMETERS as PR_ATTACHMENT_X400_PARAMETERS
from .props.tags import PR_ATTR_HIDDEN as PR_ATTR_HIDDEN
from .props.tags import PR_ATTR_READONLY as PR_ATTR_READONLY
from .props.tags import PR_ATTR_SYSTEM as PR_ATTR_SYSTEM
from .props.tags import PR_AUTHORIZING_USERS as PR_AUTHORIZING_USERS
from .props.tags import PR_AUTO_FORWARD_COMMENT as PR_AUTO_FORWARD_COMMENT
from .props.tags import PR_AUTO_FORWARDED as PR_AUTO_FORWARDED
from .props.tags import PR_AUTO_RESPONSE_SUPPRESS as PR_AUTO_RESPONSE_SUPPRESS
from .props.tags import PR_BIRTHDAY as PR_BIRTHDAY
from .props.tags import PR_BLOCK_STATUS as PR_BLOCK_STATUS
from .props.tags import PR_BODY as PR_BODY
from .props.tags import PR_BODY_CONTENT_ID as PR_BODY_CONTENT_ID
from .props.tags import PR_BODY_CONTENT_LOCATION as PR_BODY_CONTENT_LOCATION
from .props.tags import PR_BODY_CRC as PR_BODY_CRC
from .props.tags import PR_BODY_HTML as PR_BODY_HTML
from .props.tags import PR_BUSINESS2_TELEPHONE_NUMBER as PR_BUSINESS2_TELEPHONE_NUMBER
from .props.tags import PR_BUSINESS_FAX_NUMBER as PR_BUSINESS_FAX_NUMBER
from .props.tags import PR_BUSINESS_HOME_PAGE as PR_BUSINESS_HOME_PAGE
from .props.tags import PR_BUSINESS_TELEPHONE_NUMBER as PR_BUSINESS_TELEPHONE_NUMBER
from .props.tags import PR_CALLBACK_TELEPHONE_NUMBER as PR_CALLBACK_TELEPHONE_NUMBER
from .props.tags import PR_CAR_TELEPHONE_NUMBER as PR_CAR_TELEPHONE_NUMBER
from .props.tags import PR_CHANGE_KEY as PR_CHANGE_KEY
from .props.tags import PR_CHILDRENS_NAMES as PR_CHILDRENS_NAMES
from .props.tags import PR_CLIENT_SUBMIT_TIME as PR_CLIENT_SUBMIT_TIME
from .props.tags import PR_COMMENT as PR_COMMENT
from .props.tags import PR_COMPANY_MAIN_PHONE_NUMBER as PR_COMPANY_MAIN_PHONE_NUMBER
from .props.tags import PR_COMPANY_NAME as PR_COMPANY_NAME
from .props.tags import PR_COMPUTER_NETWORK_NAME as PR_COMPUTER_NETWORK_NAME
from .props.tags import PR_CONTACT_ADDRTYPES as PR_CONTACT_ADDRTYPES
from .props.tags import PR_CONTACT_DEFAULT_ADDRESS_INDEX as PR_CONTACT_DEFAULT_ADDRESS_INDEX
from .props.tags import PR_CONTACT_EMAIL_ADDRESSES as PR_CONTACT_EMAIL_ADDRESSES
from .props.tags import PR_CONTACT_ENTRYIDS as PR_CONTACT_ENTRYIDS
from .props.tags import PR_CONTACT_VERSION as PR_CONTACT_VERSION
from .props.tags import PR_CONTAINER_CLASS as PR_CONTAINER_CLASS
from .props.tags import (
    PR_CONTENT_CONFIDENTIALITY_ALGORITHM_ID as PR_CONTENT_CONFIDENTIALITY_ALGORITHM_ID,
)
from .props.tags import PR_CONTENT_CORRELATOR as PR_CONTENT_CORRELATOR
from .props.tags import PR_CONTENT_FILTER_SCL as PR_CONTENT_FILTER_SCL
from .props.tags import PR_CONTENT_IDENTIFIER as PR_CONTENT_IDENTIFIER
from .props.tags import PR_CONTENT_INTEGRITY_CHECK as PR_CONTENT_INTEGRITY_CHECK
from .props.tags import PR_CONTENT_LENGTH as PR_CONTENT_LENGTH
from .props.tags import PR_CONTENT_RETURN_REQUESTED as PR_CONTENT_RETURN_REQUESTED
from .props.tags import PR_CONVERSATION_ID as PR_CONVERSATION_ID
from .props.tags import PR_CONVERSATION_INDEX as PR_CONVERSATION_INDEX
from .props.tags import PR_CONVERSATION_INDEX_TRACKING as PR_CONVERSATION_INDEX_TRACKING
from .props.tags import PR_CONVERSATION_KEY as PR_CONVERSATION_KEY
from .props.tags import PR_CONVERSATION_TOPIC as PR_CONVERSATION_TOPIC
from .props.tags import PR_CONVERSION_EITS as PR_CONVERSION_EITS
from .props.tags import PR_CONVERSION_PROHIBITED as PR_CONVERSION_PROHIBITED
from .props.tags import PR_CONVERSION_WITH_LOSS_PROHIBITED as PR_CONVERSION_WITH_LOSS_PROHIBITED
from .props.tags import PR_CONVERTED_EITS as PR_CONVERTED_EITS
from .props.tags import PR_CORRELATE as PR_CORRELATE
from .props.tags import PR_CORRELATE_MTSID as PR_CORRELATE_MTSID
from .props.tags import PR_COUNTRY as PR_COUNTRY
from .props.tags import PR_CREATION_TIME as PR_CREATION_TIME
from .props.tags import PR_CREATION_VERSION as PR_CREATION_VERSION
from .props.tags import PR_CREATOR_ADDRTYPE as PR_CREATOR_ADDRTYPE
from .props.tags import PR_CREATOR_EMAIL_ADDRESS as PR_CREATOR_EMAIL_ADDRESS
from .props.tags import PR_CREATOR_ENTRYID as PR_CREATOR_ENTRYID
from .props.tags import PR_CREATOR_FLAGS as PR_CREATOR_FLAGS
from .props.tags import PR_CREATOR_GUID as PR_CREATOR_GUID
from .props.tags import PR_CREATOR_NAME as PR_CREATOR_NAME
from .props.tags import PR_CREATOR_SID as PR_CREATOR_SID
from .props.tags import PR_CREATOR_SIMPLE_DISP_NAME as PR_CREATOR_SIMPLE_DISP_NAME
from .props.tags import PR_CREATOR_SMTP_ADDRESS as PR_CREATOR_SMTP_ADDRESS
from .props.tags import PR_CURRENT_VERSION as PR_CURRENT_VERSION
from .props.tags import PR_CUSTOMER_ID as PR_CUSTOMER_ID
from .props.tags import PR_DEFAULT_STORE as PR_DEFAULT_STORE
from .props.tags import PR_DEFERRED_DELIVERY_TIME as PR_DEFERRED_DELIVERY_TIME
from .props.tags import PR_DEFERRED_SEND_TIME as PR_DEFERRED_SEND_TIME
from .props.tags import PR_DELEGATION as PR_DELEGATION
from .props.tags import PR_DELETE_AFTER_SUBMIT as PR_DELETE_AFTER_SUBMIT
from .props.tags import PR_DELIVER_TIME as PR_DELIVER_TIME
from .props.tags import PR_DELIVERY_POINT as PR_DELIVERY_POINT
from .props.tags import PR_DEPARTMENT_NAME as PR_DEPARTMENT_NAME
from .props.tags import PR_DEPTH as PR_DEPTH
from .props.tags import PR_DISABLE_FULL_FIDELITY as PR_DISABLE_FULL_FIDELITY
from .props.tags import PR_DISC_VAL as PR_DISC_VAL
from .props.tags import PR_DISCARD_REASON as PR_DISCARD_REASON
from .props.tags import PR_DISCLOSE_RECIPIENTS as PR_DISCLOSE_RECIPIENTS
from .props.tags import PR_DISCLOSURE_OF_RECIPIENTS as PR_DISCLOSURE_OF_RECIPIENTS
from .props.tags import PR_DISCRETE_VALUES as PR_DISCRETE_VALUES
from .props.tags import PR_DISPLAY_BCC as PR_DISPLAY_BCC
from .props.tags import PR_DISPLAY_CC as PR_DISPLAY_CC
from .props.tags import PR_DISPLAY_NAME as PR_DISPLAY_NAME
from .props.tags import PR_DISPLAY_NAME_PREFIX as PR_DISPLAY_NAME_PREFIX
from .props.tags import PR_DISPLAY_TO as PR_DISPLAY_TO
from .props.tags import PR_DISPLAY_TYPE as PR_DISPLAY_TYPE
from .props.tags import PR_DISPLAY_TYPE_EX as PR_DISPLAY_TYPE_EX
from .props.tags import PR_DL_EXPANSION_HISTORY as PR_DL_EXPANSION_HISTORY
from .props.tags import PR_DL_EXPANSION_PROHIBITED as PR_DL_EXPANSION_PROHIBITED
from .props.tags import PR_DSN_REMOTE_MTA as PR_DSN_REMOTE_MTA
from .props.tags import PR_EMAIL_ADDRESS as PR_EMAIL_ADDRESS
from .props.tags import PR_END_DATE as PR_END_DATE
from .props.tags import PR_ENTRYID as PR_ENTRYID
from .props.tags import PR_EXCEPTION_ENDTIME as PR_EXCEPTION_ENDTIME
from .props.tags import PR_EXCEPTION_STARTTIME as PR_EXCEPTION_STARTTIME
from .props.tags import PR_EXPIRY_TIME as PR_EXPIRY_TIME
from .props.tags import PR_EXPLICIT_CONVERSION as PR_EXPLICIT_CONVERSION
from .props.tags import PR_FLAG_COMPLETE_TIME as PR_FLAG_COMPLETE_TIME
from .props.tags import PR_FLAG_STATUS as PR_FLAG_STATUS
from .props.tags import PR_FOLLOWUP_ICON as PR_FOLLOWUP_ICON
from .props.tags import PR_FORM_CATEGORY as PR_FORM_CATEGORY
from .props.tags import PR_FORM_CATEGORY_SUB as PR_FORM_CATEGORY_SUB
from .props.tags import PR_FORM_CLSID as PR_FORM_CLSID
from .props.tags import PR_FORM_CONTACT_NAME as PR_FORM_CONTACT_NAME
from .props.tags import PR_FORM_DESIGNER_GUID as PR_FORM_DESIGNER_GUID
from .props.tags import PR_FORM_DESIGNER_NAME as PR_FORM_DESIGNER_NAME
from .props.tags import PR_FORM_HIDDEN as PR_FORM_HIDDEN
from .props.tags import PR_FORM_HOST_MAP as PR_FORM_HOST_MAP
from .props.tags import PR_FORM_MESSAGE_BEHAVIOR as PR_FORM_MESSAGE_BEHAVIOR
from .props.tags import PR_FORM_VERSION as PR_FORM_VERSION
from .props.tags import PR_FTP_SITE as PR_FTP_SITE
from .props.tags import PR_GENDER as PR_GENDER
from .props.tags import PR_GENERATION as PR_GENERATION
from .props.tags import PR_GIVEN_NAME as PR_GIVEN_NAME
from .props.tags import PR_GOVERNMENT_ID_NUMBER as PR_GOVERNMENT_ID_NUMBER
from .props.tags import PR_HAS_DAMS as PR_HAS_DAMS
from .props.tags import PR_HASATTACH as PR_HASATTACH
from .props.tags import PR_HOBBIES as PR_HOBBIES
from .props.tags import PR_HOME2_TELEPHONE_NUMBER as PR_HOME2_TELEPHONE_NUMBER
from .props.tags import PR_HOME_ADDRESS_CITY as PR_HOME_ADDRESS_CITY
from .props.tags import PR_HOME_ADDRESS_COUNTRY as PR_HOME_ADDRESS_COUNTRY
from .props.tags import PR_HOME_ADDRESS_POST_OFFICE_BOX as PR_HOME_ADDRESS_POST_OFFICE_BOX
from .props.tags import PR_HOME_ADDRESS_POSTAL_CODE as PR_HOME_ADDRESS_POSTAL_CODE
from .props.tags import PR_HOME_ADDRESS_STATE_OR_PROVINCE as PR_HOME_ADDRESS_STATE_OR_PROVINCE
from .props.tags import PR_HOME_ADDRESS_STREET as PR_HOME_ADDRESS_STREET
from .props.tags import PR_HOME_FAX_NUMBER as PR_HOME_FAX_NUMBER
from .props.tags import PR_HOME_TELEPHONE_NUMBER as PR_HOME_TELEPHONE_NUMBER
from .props.tags import PR_HTML as PR_HTML
from .props.tags import PR_ICON as PR_ICON
from .props.tags import PR_ICON_INDEX as PR_ICON_INDEX
from .props.tags import PR_IMPLICIT_CONVERSION_PROHIBITED as PR_IMPLICIT_CONVERSION_PROHIBITED
from .props.tags import PR_IMPORTANCE as PR_IMPORTANCE
from .props.tags import PR_IN_REPLY_TO_ID as PR_IN_REPLY_TO_ID
from .props.tags import PR_INCOMPLETE_COPY as PR_INCOMPLETE_COPY
from .props.tags import PR_INET_MAIL_OVERRIDE_FORMAT as PR_INET_MAIL_OVERRIDE_FORMAT
from .props.tags import PR_INITIAL_DETAILS_PANE as PR_INITIAL_DETAILS_PANE
from .props.tags import PR_INITIALS as PR_INITIALS
from .props.tags import PR_INSTANCE_KEY as PR_INSTANCE_KEY
from .props.tags import PR_INTERNET_APPROVED as PR_INTERNET_APPROVED
from .props.tags import PR_INTERNET_ARTICLE_NUMBER as PR_INTERNET_ARTICLE_NUMBER
from .props.tags import PR_INTERNET_CONTROL as PR_INTERNET_CONTROL
from .props.tags import PR_INTERNET_CPID as PR_INTERNET_CPID
from .props.tags import PR_INTERNET_DISTRIBUTION as PR_INTERNET_DISTRIBUTION
from .props.tags import PR_INTERNET_FOLLOWUP_TO as PR_INTERNET_FOLLOWUP_TO
from .props.tags import PR_INTERNET_LINES as PR_INTERNET_LINES
from .props.tags import PR_INTERNET_MESSAGE_ID as PR_INTERNET_MESSAGE_ID
from .props.tags import PR_INTERNET_NEWSGROUPS as PR_INTERNET_NEWSGROUPS
from .props.tags import PR_INTERNET_ORGANIZATION as PR_INTERNET_ORGANIZATION
from .props.tags import PR_INTERNET_PATH as PR_INTERNET_PATH
from .props.tags import PR_INTERNET_PRECEDENCE as PR_INTERNET_PRECEDENCE
from .props.tags import PR_INTERNET_REFERENCES as PR_INTERNET_REFERENCES
from .props.tags import PR_IPM_ID as PR_IPM_ID
from .props.tags import PR_IPM_RETURN_REQUESTED as PR_IPM_RETURN_REQUESTED
from .props.tags import PR_ISDN_NUMBER as PR_ISDN_NUMBER
from .props.tags import PR_KEYWORD as PR_KEYWORD
from .props.tags import PR_LANGUAGE as PR_LANGUAGE
from .props.tags import PR_LANGUAGES as PR_LANGUAGES
from .props.tags import PR_LAST_MODIFICATION_TIME as PR_LAST_MODIFICATION_TIME
from .props.tags import PR_LAST_MODIFIER_ADDRTYPE as PR_LAST_MODIFIER_ADDRTYPE
from .props.tags import PR_LAST_MODIFIER_EMAIL_ADDRESS as PR_LAST_MODIFIER_EMAIL_ADDRESS
from .props.tags import PR_LAST_MODIFIER_ENTRYID as PR_LAST_MODIFIER_ENTRYID
from .props.tags import PR_LAST_MODIFIER_FLAGS as PR_LAST_MODIFIER_FLAGS
from .props.tags import PR_LAST_MODIFIER_GUID as PR_LAST_MODIFIER_GUID
from .props.tags import PR_LAST_MODIFIER_NAME as PR_LAST_MODIFIER_NAME
from .props.tags import PR_LAST_MODIFIER_SID as PR_LAST_MODIFIER_SID
from .props.tags import PR_LAST_MODIFIER_SIMPLE_DISP_NAME as PR_LAST_MODIFIER_SIMPLE_DISP_NAME
from .props.tags import PR_LAST_MODIFIER_SMTP_ADDRESS as PR_LAST_MODIFIER_SMTP_ADDRESS
from .props.tags import PR_LAST_VERB_EXECUTED as PR_LAST_VERB_EXECUTED
from .props.tags import PR_LAST_VERB_EXECUTION_TIME as PR_LAST_VERB_EXECUTION_TIME
from .props.tags import PR_LATEST_DELIVERY_TIME as PR_LATEST_DELIVERY_TIME
from .props.tags import PR_LIST_HELP as PR_LIST_HELP
from .props.tags import PR_LIST_SUBSCRIBE as PR_LIST_SUBSCRIBE
from .props.tags import PR_LIST_UNSUBSCRIBE as PR_LIST_UNSUBSCRIBE
from .props.tags import PR_LOCAL_COMMIT_TIME as PR_LOCAL_COMMIT_TIME
from .props.tags import PR_LOCALE_ID as PR_LOCALE_ID
from .props.tags import PR_LOCALITY as PR_LOCALITY
from .props.tags import PR_LOCATION as PR_LOCATION
from .props.tags import PR_MAIL_PERMISSION as PR_MAIL_PERMISSION
from .props.tags import PR_MANAGER_NAME as PR_MANAGER_NAME
from .props.tags import PR_MAPPING_SIGNATURE as PR_MAPPING_SIGNATURE
from .props.tags import PR_MDB_PROVIDER as PR_MDB_PROVIDER
from .props.tags import PR_MESSAGE_ATTACHMENTS as PR_MESSAGE_ATTACHMENTS
from .props.tags import PR_MESSAGE_CC_ME as PR_MESSAGE_CC_ME
from .props.tags import PR_MESSAGE_CLASS as PR_MESSAGE_CLASS
from .props.tags import PR_MESSAGE_CODEPAGE as PR_MESSAGE_CODEPAGE
from .props.tags import PR_MESSAGE_DELIVERY_ID as PR_MESSAGE_DELIVERY_ID
from .props.tags import PR_MESSAGE_DELIVERY_TIME as PR_MESSAGE_DELIVERY_TIME
from .props.tags import PR_MESSAGE_DOWNLOAD_TIME as PR_MESSAGE_DOWNLOAD_TIME
from .props.tags import PR_MESSAGE_FLAGS as PR_MESSAGE_FLAGS
from .props.tags import PR_MESSAGE_LOCALE_ID as PR_MESSAGE_LOCALE_ID
from .props.tags import PR_MESSAGE_RECIP_ME as PR_MESSAGE_RECIP_ME
from .props.tags import PR_MESSAGE_RECIPIENTS as PR_MESSAGE_RECIPIENTS
from .props.tags import PR_MESSAGE_SECURITY_LABEL as PR_MESSAGE_SECURITY_LABEL
from .props.tags import PR_MESSAGE_SIZE as PR_MESSAGE_SIZE
from .props.tags import PR_MESSAGE_SIZE_EXTENDED as PR_MESSAGE_SIZE_EXTENDED
from .props.tags import PR_MESSAGE_SUBMISSION_ID as PR_MESSAGE_SUBMISSION_ID
from .props.tags import PR_MESSAGE_TO_ME as PR_MESSAGE_TO_ME
from .props.tags import PR_MESSAGE_TOKEN as PR_MESSAGE_TOKEN
from .props.tags import PR_MHS_COMMON_NAME as PR_MHS_COMMON_NAME
from .props.tags import PR_MIDDLE_NAME as PR_MIDDLE_NAME
from .props.tags import PR_MINI_ICON as PR_MINI_ICON
from .props.tags import PR_MOBILE_TELEPHONE_NUMBER as PR_MOBILE_TELEPHONE_NUMBER
from .props.tags import PR_MODIFY_VERSION as PR_MODIFY_VERSION
from .props.tags import PR_MSG_EDITOR_FORMAT as PR_MSG_EDITOR_FORMAT
from .props.tags import PR_MSG_STATUS as PR_MSG_STATUS
from .props.tags import PR_NATIVE_BODY_INFO as PR_NATIVE_BODY_INFO
from .props.tags import PR_NDR_DIAG_CODE as PR_NDR_DIAG_CODE
from .props.tags import PR_NDR_REASON_CODE as PR_NDR_REASON_CODE
from .props.tags import PR_NDR_STATUS_CODE as PR_NDR_STATUS_CODE
from .props.tags import PR_NEXT_SEND_ACCT as PR_NEXT_SEND_ACCT
from .props.tags import PR_NICKNAME as PR_NICKNAME
from .props.tags import PR_NNTP_XREF as PR_NNTP_XREF
from .props.tags import (
    PR_NON_RECEIPT_NOTIFICATION_REQUESTED as PR_NON_RECEIPT_NOTIFICATION_REQUESTED,
)
from .props.tags import PR_NON_RECEIPT_REASON as PR_NON_RECEIPT_REASON
from .props.tags import PR_NORMALIZED_SUBJECT as PR_NORMALIZED_SUBJECT
from .props.tags import PR_NT_SECURITY_DESCRIPTOR as PR_NT_SECURITY_DESCRIPTOR
from .props.tags import PR_NULL as PR_NULL
from .props.tags import PR_OBJECT_TYPE as PR_OBJECT_TYPE
from .props.tags import PR_OBSOLETED_IPMS as PR_OBSOLETED_IPMS
from .props.tags import PR_OFFICE_LOCATION as PR_OFFICE_LOCATION
from .props.tags import PR_ORGANIZATIONAL_ID_NUMBER as PR_ORGANIZATIONAL_ID_NUMBER
from .props.tags import PR_ORIG_MESSAGE_CLASS as PR_ORIG_MESSAGE_CLASS
from .props.tags import PR_ORIGIN_CHECK as PR_ORIGIN_CHECK
from .props.tags import PR_ORIGINAL_AUTHOR_ADDRTYPE as PR_ORIGINAL_AUTHOR_ADDRTYPE
from .props.tags import PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS as PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS
from .props.tags import PR_ORIGINAL_AUTHOR_ENTRYID as PR_ORIGINAL_AUTHOR_ENTRYID
from .props.tags import PR_ORIGINAL_AUTHOR_NAME as PR_ORIGINAL_AUTHOR_NAME
from .props.tags import PR_ORIGINAL_AUTHOR_SEARCH_KEY as PR_ORIGINAL_AUTHOR_SEARCH_KEY
from .props.tags import PR_ORIGINAL_DELIVERY_TIME as PR_ORIGINAL_DELIVERY_TIME
from .props.tags import PR_ORIGINAL_DISPLAY_BCC as PR_ORIGINAL_DISPLAY_BCC
from .props.tags import PR_ORIGINAL_DISPLAY_CC as PR_ORIGINAL_DISPLAY_CC
from .props.tags import PR_ORIGINAL_DISPLAY_NAME as PR_ORIGINAL_DISPLAY_NAME
from .props.tags import PR_ORIGINAL_DISPLAY_TO as PR_ORIGINAL_DISPLAY_TO
from .props.tags import PR_ORIGINAL_EITS as PR_ORIGINAL_EITS
from .props.tags import PR_ORIGINAL_ENTRYID as PR_ORIGINAL_ENTRYID
from .props.tags import PR_ORIGINAL_MESSAGE_ID as PR_ORIGINAL_MESSAGE_ID
from .props.tags import PR_ORIGINAL_SEARCH_KEY as PR_ORIGINAL_SEARCH_KEY
from .props.tags import PR_ORIGINAL_SENDER_ADDRTYPE as PR_ORIGINAL_SENDER_ADDRTYPE
from .props.tags import PR_ORIGINAL_SENDER_EMAIL_ADDRESS as PR_ORIGINAL_SENDER_EMAIL_ADDRESS
from .props.tags import PR_ORIGINAL_SENDER_ENTRYID as PR_ORIGINAL_SENDER_ENTRYID
from .props.tags import PR_ORIGINAL_SENDER_NAME as PR_ORIGINAL_SENDER_NAME
from .props.tags import PR_ORIGINAL_SENDER_SEARCH_KEY as PR_ORIGINAL_SENDER_SEARCH_KEY
from .props.tags import PR_ORIGINAL_SENSITIVITY as PR_ORIGINAL_SENSITIVITY
from .props.tags import (
    PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE as PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE,
)
from .props.tags import (
    PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS as PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS,
)
from .props.tags import (
    PR_ORIGINAL_SENT_REPRESENTING_ENTRYID as PR_ORIGINAL_SENT_REPRESENTING_ENTRYID,
)
from .props.tags import PR_ORIGINAL_SENT_REPRESENTING_NAME as PR_ORIGINAL_SENT_REPRESENTING_NAME
from .props.tags import (
    PR_ORIGINAL_SENT_REPRESENTING_SEARCH_KEY as PR_ORIGINAL_SENT_REPRESENTING_SEARCH_KEY,
)
from .props.tags import PR_ORIGINAL_SUBJECT as PR_ORIGINAL_SUBJECT
from .props.tags import PR_ORIGINAL_SUBMIT_TIME as PR_ORIGINAL_SUBMIT_TIME
from .props.tags import (
    PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE as PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE,
)
from .props.tags import (
    PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS as PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS,
)
from .props.tags import PR_ORIGINALLY_INTENDED_RECIP_ENTRYID as PR_ORIGINALLY_INTENDED_RECIP_ENTRYID
from .props.tags import (
    PR_ORIGINALLY_INTENDED_RECIPIENT_NAME as PR_ORIGINALLY_INTENDED_RECIPIENT_NAME,
)
from .props.tags import PR_ORIGINATING_MTA_CERTIFICATE as PR_ORIGINATING_MTA_CERTIFICATE
from .props.tags import (
    PR_ORIGINATOR_AND_DL_EXPANSION_HISTORY as PR_ORIGINATOR_AND_DL_EXPANSION_HISTORY,
)
from .props.tags import PR_ORIGINATOR_CERTIFICATE as PR_ORIGINATOR_CERTIFICATE
from .props.tags import (
    PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED as PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED,
)
from .props.tags import (
    PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED as PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED,
)
from .props.tags import (
    PR_ORIGINATOR_REQUESTED_ALTERNATE_RECIPIENT as PR_ORIGINATOR_REQUESTED_ALTERNATE_RECIPIENT,
)
from .props.tags import PR_ORIGINATOR_RETURN_ADDRESS as PR_ORIGINATOR_RETURN_ADDRESS
from .props.tags import PR_OTHER_ADDRESS_CITY as PR_OTHER_ADDRESS_CITY
from .props.tags import PR_OTHER_ADDRESS_COUNTRY as PR_OTHER_ADDRESS_COUNTRY
from .props.tags import PR_OTHER_ADDRESS_POST_OFFICE_BOX as PR_OTHER_ADDRESS_POST_OFFICE_BOX
from .props.tags import PR_OTHER_ADDRESS_POSTAL_CODE as PR_OTHER_ADDRESS_POSTAL_CODE
from .props.tags import PR_OTHER_ADDRESS_STATE_OR_PROVINCE as PR_OTHER_ADDRESS_STATE_OR_PROVINCE
from .props.tags import PR_OTHER_ADDRESS_STREET as PR_OTHER_ADDRESS_STREET
from .props.tags import PR_OTHER_TELEPHONE_NUMBER as PR_OTHER_TELEPHONE_NUMBER
from .props.tags import PR_OWNER_APPT_ID as PR_OWNER_APPT_ID
from .props.tags import PR_PAGER_TELEPHONE_NUMBER as PR_PAGER_TELEPHONE_NUMBER
from .props.tags import PR_PARENT_DISPLAY as PR_PARENT_DISPLAY
from .props.tags import PR_PARENT_ENTRYID as PR_PARENT_ENTRYID
from .props.tags import PR_PARENT_KEY as PR_PARENT_KEY
from .props.tags import PR_PARENT_SOURCE_KEY as PR_PARENT_SOURCE_KEY
from .props.tags import PR_PERSONAL_HOME_PAGE as PR_PERSONAL_HOME_PAGE
from .props.tags import (
    PR_PHYSICAL_DELIVERY_BUREAU_FAX_DELIVERY as PR_PHYSICAL_DELIVERY_BUREAU_FAX_DELIVERY,
)
from .props.tags import PR_PHYSICAL_DELIVERY_MODE as PR_PHYSICAL_DELIVERY_MODE
from .props.tags import PR_PHYSICAL_DELIVERY_REPORT_REQUEST as PR_PHYSICAL_DELIVERY_REPORT_REQUEST
from .props.tags import PR_PHYSICAL_FORWARDING_ADDRESS as PR_PHYSICAL_FORWARDING_ADDRESS
from .props.tags import (
    PR_PHYSICAL_FORWARDING_ADDRESS_REQUESTED as PR_PHYSICAL_FORWARDING_ADDRESS_REQUESTED,
)
from .props.tags import PR_PHYSICAL_FORWARDING_PROHIBITED as PR_PHYSICAL_FORWARDING_PROHIBITED
from .props.tags import PR_PHYSICAL_RENDITION_ATTRIBUTES as PR_PHYSICAL_RENDITION_ATTRIBUTES
from .props.tags import PR_POLICY_TAG as PR_POLICY_TAG
from .props.tags import PR_POST_FOLDER_ENTRIES as PR_POST_FOLDER_ENTRIES
from .props.tags import PR_POST_FOLDER_NAMES as PR_POST_FOLDER_NAMES
from .props.tags import PR_POST_OFFICE_BOX as PR_POST_OFFICE_BOX
from .props.tags import PR_POST_REPLY_DENIED as PR_POST_REPLY_DENIED
from .props.tags import PR_POST_REPLY_FOLDER_ENTRIES as PR_POST_REPLY_FOLDER_ENTRIES
from .props.tags import PR_POST_REPLY_FOLDER_NAMES as PR_POST_REPLY_FOLDER_NAMES
from .props.tags import PR_POSTAL_ADDRESS as PR_POSTAL_ADDRESS
from .props.tags import PR_POSTAL_CODE as PR_POSTAL_CODE
from .props.tags import PR_PREDECESSOR_CHANGE_LIST as PR_PREDECESSOR_CHANGE_LIST
from .props.tags import PR_PREFERRED_BY_NAME as PR_PREFERRED_BY_NAME
from .props.tags import PR_PREPROCESS as PR_PREPROCESS
from .props.tags import PR_PREVIEW as PR_PREVIEW
from .props.tags import PR_PRIMARY_CAPABILITY as PR_PRIMARY_CAPABILITY
from .props.tags import PR_PRIMARY_FAX_NUMBER as PR_PRIMARY_FAX_NUMBER
from .props.tags import PR_PRIMARY_SEND_ACCOUNT as PR_PRIMARY_SEND_ACCOUNT
from .props.tags import PR_PRIMARY_TELEPHONE_NUMBER as PR_PRIMARY_TELEPHONE_NUMBER
from .props.tags import PR_PRIORITY as PR_PRIORITY
from .props.tags import PR_PROCESSED as PR_PROCESSED
from .props.tags import PR_PROFESSION as PR_PROFESSION
from .props.tags import PR_PROOF_OF_DELIVERY as PR_PROOF_OF_DELIVERY
from .props.tags import PR_PROOF_OF_DELIVERY_REQUESTED as PR_PROOF_OF_DELIVERY_REQUESTED
from .props.tags import PR_PROOF_OF_SUBMISSION as PR_PROOF_OF_SUBMISSION
from .props.tags import PR_PROOF_OF_SUBMISSION_REQUESTED as PR_PROOF_OF_SUBMISSION_REQUESTED
from .props.tags import PR_PROVIDER_DISPLAY as PR_PROVIDER_DISPLAY
from .props.tags import PR_PROVIDER_DLL_NAME as PR_PROVIDER_DLL_NAME
from .props.tags import PR_PROVIDER_ORDINAL as PR_PROVIDER_ORDINAL
from .props.tags import PR_PROVIDER_SUBMIT_TIME as PR_PROVIDER_SUBMIT_TIME
from .props.tags import PR_PROVIDER_UID as PR_PROVIDER_UID
from .props.tags import PR_RADIO_TELEPHONE_NUMBER as PR_RADIO_TELEPHONE_NUMBER
from .props.tags import PR_RCVD_BY_FLAGS as PR_RCVD_BY_FLAGS
from .props.tags import PR_RCVD_BY_SIMPLE_DISP_NAME as PR_RCVD_BY_SIMPLE_DISP_NAME
from .props.tags import PR_RCVD_REPRESENTING_ADDRTYPE as PR_RCVD_REPRESENTING_ADDRTYPE
from .props.tags import PR_RCVD_REPRESENTING_EMAIL_ADDRESS as PR_RCVD_REPRESENTING_EMAIL_ADDRESS
from .props.tags import PR_RCVD_REPRESENTING_ENTRYID as PR_RCVD_REPRESENTING_ENTRYID
from .props.tags import PR_RCVD_REPRESENTING_FLAGS as PR_RCVD_REPRESENTING_FLAGS
from .props.tags import PR_RCVD_REPRESENTING_NAME as PR_RCVD_REPRESENTING_NAME
from .props.tags import PR_RCVD_REPRESENTING_SEARCH_KEY as PR_RCVD_REPRESENTING_SEARCH_KEY
from .props.tags import (
    PR_RCVD_REPRESENTING_SIMPLE_DISP_NAME as PR_RCVD_REPRESENTING_SIMPLE_DISP_NAME,
)
from .props.tags import PR_RCVD_REPRESENTING_SMTP_ADDRESS as PR_RCVD_REPRESENTING_SMTP_ADDRESS
from .props.tags import PR_READ as PR_READ
from .props.tags import PR_READ_RECEIPT_ADDRTYPE as PR_READ_RECEIPT_ADDRTYPE
from .props.tags import PR_READ_RECEIPT_EMAIL_ADDRESS as PR_READ_RECEIPT_EMAIL_ADDRESS
from .props.tags import PR_READ_RECEIPT_ENTRYID as PR_READ_RECEIPT_ENTRYID
from .props.tags import PR_READ_RECEIPT_NAME as PR_READ_RECEIPT_NAME
from .props.tags import PR_READ_RECEIPT_REQUESTED as PR_READ_RECEIPT_REQUESTED
from .props.tags import PR_READ_RECEIPT_SEARCH_KEY as PR_READ_RECEIPT_SEARCH_KEY
from .props.tags import PR_READ_RECEIPT_SMTP_ADDRESS as PR_READ_RECEIPT_SMTP_ADDRESS
from .props.tags import PR_RECEIPT_TIME as PR_RECEIPT_TIME
from .props.tags import PR_RECEIVED_BY_ADDRTYPE as PR_RECEIVED_BY_ADDRTYPE
from .props.tags import PR_RECEIVED_BY_EMAIL_ADDRESS as PR_RECEIVED_BY_EMAIL_ADDRESS
from .props.tags import PR_RECEIVED_BY_ENTRYID as PR_RECEIVED_BY_ENTRYID
from .props.tags import PR_RECEIVED_BY_NAME as PR_RECEIVED_BY_NAME
from .props.tags import PR_RECEIVED_BY_SEARCH_KEY as PR_RECEIVED_BY_SEARCH_KEY
from .props.tags import PR_RECEIVED_BY_SMTP_ADDRESS as PR_RECEIVED_BY_SMTP_ADDRESS
from .props.tags import PR_RECIPIENT_CERTIFICATE as PR_RECIPIENT_CERTIFICATE
from .props.tags import PR_RECIPIENT_DISPLAY_NAME as PR_RECIPIENT_DISPLAY_NAME
from .props.tags import PR_RECIPIENT_ENTRYID as PR_RECIPIENT_ENTRYID
from .props.tags import PR_RECIPIENT_FLAGS as PR_RECIPIENT_FLAGS
from .props.tags import PR_RECIPIENT_NUMBER as PR_RECIPIENT_NUMBER
from .props.tags import PR_RECIPIENT_NUMBER_FOR_ADVICE as PR_RECIPIENT_NUMBER_FOR_ADVICE
from .props.tags import PR_RECIPIENT_ORDER as PR_RECIPIENT_ORDER
from .props.tags import PR_RECIPIENT_REASSIGNMENT_PROHIBITED as PR_RECIPIENT_REASSIGNMENT_PROHIBITED
from .props.tags import PR_RECIPIENT_RESOURCESTATE as PR_RECIPIENT_RESOURCESTATE
from .props.tags import PR_RECIPIENT_SIP_URI as PR_RECIPIENT_SIP_URI
from .props.tags import PR_RECIPIENT_STATUS as PR_RECIPIENT_STATUS
from .props.tags import PR_RECIPIENT_TRACKSTATUS as PR_RECIPIENT_TRACKSTATUS
from .props.tags import PR_RECIPIENT_TRACKSTATUS_TIME as PR_RECIPIENT_TRACKSTATUS_TIME
from .props.tags import PR_RECIPIENT_TYPE as PR_RECIPIENT_TYPE
from .props.tags import PR_RECORD_KEY as PR_RECORD_KEY
from .props.tags import PR_REDIRECTION_HISTORY as PR_REDIRECTION_HISTORY
from .props.tags import PR_REGISTERED_MAIL_TYPE as PR_REGISTERED_MAIL_TYPE
from .props.tags import PR_RELATED_IPMS as PR_RELATED_IPMS
from .props.tags import PR_RENDERING_POSITION as PR_RENDERING_POSITION
from .props.tags import PR_REPLY_RECIPIENT_ENTRIES as PR_REPLY_RECIPIENT_ENTRIES
from .props.tags import PR_REPLY_RECIPIENT_NAMES as PR_REPLY_RECIPIENT_NAMES
from .props.tags import PR_REPLY_REQUESTED as PR_REPLY_REQUESTED
from .props.tags import PR_REPLY_TIME as PR_REPLY_TIME
from .props.tags import PR_REPORT_DISPOSITION as PR_REPORT_DISPOSITION
from .props.tags import PR_REPORT_DISPOSITION_MODE as PR_REPORT_DISPOSITION_MODE
from .props.tags import PR_REPORT_ENTRYID as PR_REPORT_ENTRYID
from .props.tags import PR_REPORT_NAME as PR_REPORT_NAME
from .props.tags import PR_REPORT_SEARCH_KEY as PR_REPORT_SEARCH_KEY
from .props.tags import PR_REPORT_TAG as PR_REPORT_TAG
from .props.tags import PR_REPORT_TEXT as PR_REPORT_TEXT
from .props.tags import PR_REPORT_TIME as PR_REPORT_TIME
from .props.tags import PR_REPORTING_DL_NAME as PR_REPORTING_DL_NAME
from .props.tags import PR_REPORTING_MTA_CERTIFICATE as PR_REPORTING_MTA_CERTIFICATE
from .props.tags import PR_REQUESTED_DELIVERY_METHOD as PR_REQUESTED_DELIVERY_METHOD
from .props.tags import PR_RESOURCE_FLAGS as PR_RESOURCE_FLAGS
from .props.tags import PR_RESPONSE_REQUESTED as PR_RESPONSE_REQUESTED
from .props.tags import PR_RESPONSIBILITY as PR_RESPONSIBILITY
from .props.tags import PR_RETENTION_DATE as PR_RETENTION_DATE
from .props.tags import PR_RETENTION_FLAGS as PR_RETENTION_FLAGS
from .props.tags import PR_RETENTION_PERIOD as PR_RETENTION_PERIOD
from .props.tags import PR_RETURNED_IPM as PR_RETURNED_IPM
from .props.tags import PR_ROW_TYPE as PR_ROW_TYPE
from .props.tags import PR_ROWID as PR_ROWID
from .props.tags import PR_RTF_COMPRESSED as PR_RTF_COMPRESSED
from .props.tags import PR_RTF_IN_SYNC as PR_RTF_IN_SYNC
from .props.tags import PR_RTF_SYNC_BODY_COUNT as PR_RTF_SYNC_BODY_COUNT
from .props.tags import PR_RTF_SYNC_BODY_CRC as PR_RTF_SYNC_BODY_CRC
from .props.tags import PR_RTF_SYNC_BODY_TAG as PR_RTF_SYNC_BODY_TAG
from .props.tags import PR_RTF_SYNC_PREFIX_COUNT as PR_RTF_SYNC_PREFIX_COUNT
from .props.tags import PR_RTF_SYNC_TRAILING_COUNT as PR_RTF_SYNC_TRAILING_COUNT
from .props.tags import PR_SEARCH_KEY as PR_SEARCH_KEY
from .props.tags import PR_SECURE_SUBMIT_FLAGS as PR_SECURE_SUBMIT_FLAGS
from .props.tags import PR_SECURITY as PR_SECURITY
from .props.tags import PR_SEND_INTERNET_ENCODING as PR_SEND_INTERNET_ENCODING
from .props.tags import PR_SEND_RICH_INFO as PR_SEND_RICH_INFO
from .props.tags import PR_SENDER_ADDRTYPE as PR_SENDER_ADDRTYPE
from .props.tags import PR_SENDER_EMAIL_ADDRESS as PR_SENDER_EMAIL_ADDRESS
from .props.tags import PR_SENDER_ENTRYID as PR_SENDER_ENTRYID
from .props.tags import PR_SENDER_FLAGS as PR_SENDER_FLAGS
from .props.tags import PR_SENDER_NAME as PR_SENDER_NAME
from .props.tags import PR_SENDER_SEARCH_KEY as PR_SENDER_SEARCH_KEY
from .props.tags import PR_SENDER_SID as PR_SENDER_SID
from .props.tags import PR_SENDER_SIMPLE_DISP_NAME as PR_SENDER_SIMPLE_DISP_NAME
from .props.tags import PR_SENDER_SMTP_ADDRESS as PR_SENDER_SMTP_ADDRESS
from .props.tags import PR_SENSITIVITY as PR_SENSITIVITY
from .props.tags import PR_SENT_MAILSVR_EID as PR_SENT_MAILSVR_EID
from .props.tags import PR_SENT_REPRESENTING_ADDRTYPE as PR_SENT_REPRESENTING_ADDRTYPE
from .props.tags import PR_SENT_REPRESENTING_EMAIL_ADDRESS as PR_SENT_REPRESENTING_EMAIL_ADDRESS
from .props.tags import PR_SENT_REPRESENTING_ENTRYID as PR_SENT_REPRESENTING_ENTRYID
from .props.tags import PR_SENT_REPRESENTING_FLAGS as PR_SENT_REPRESENTING_FLAGS
from .props.tags import PR_SENT_REPRESENTING_NAME as PR_SENT_REPRESENTING_NAME
from .props.tags import PR_SENT_REPRESENTING_SEARCH_KEY as PR_SENT_REPRESENTING_SEARCH_KEY
from .props.tags import PR_SENT_REPRESENTING_SID as PR_SENT_REPRESENTING_SID
from .props.tags import (
    PR_SENT_REPRESENTING_SIMPLE_DISP_NAME as PR_SENT_REPRESENTING_SIMPLE_DISP_NAME,
)
from .props.tags import PR_SENT_REPRESENTING_SMTP_ADDRESS as PR_SENT_REPRESENTING_SMTP_ADDRESS
from .props.tags import PR_SENTMAIL_ENTRYID as PR_SENTMAIL_ENTRYID
from .props.tags import PR_SMTP_ADDRESS as PR_SMTP_ADDRESS
from .props.tags import PR_SOURCE_KEY as PR_SOURCE_KEY
from .props.tags import PR_SPOOLER_STATUS as PR_SPOOLER_STATUS
from .props.tags import PR_SPOUSE_NAME as PR_SPOUSE_NAME
from .props.tags import PR_START_DATE as PR_START_DATE
from .props.tags import PR_START_DATE_ETC as PR_START_DATE_ETC
from .props.tags import PR_STATE_OR_PROVINCE as PR_STATE_OR_PROVINCE
from .props.tags import PR_STORE_ENTRYID as PR_STORE_ENTRYID
from .props.tags import PR_STORE_RECORD_KEY as PR_STORE_RECORD_KEY
from .props.tags import PR_STORE_STATE as PR_STORE_STATE
from .props.tags import PR_STORE_SUPPORT_MASK as PR_STORE_SUPPORT_MASK
from .props.tags import PR_STORE_UNICODE_MASK as PR_STORE_UNICODE_MASK
from .props.tags import PR_STREET_ADDRESS as PR_STREET_ADDRESS
from .props.tags import PR_SUBJECT as PR_SUBJECT
from .props.tags import PR_SUBJECT_IPM as PR_SUBJECT_IPM
from .props.tags import PR_SUBJECT_PREFIX as PR_SUBJECT_PREFIX
from .props.tags import PR_SUBMIT_FLAGS as PR_SUBMIT_FLAGS
from .props.tags import PR_SUPERSEDES as PR_SUPERSEDES
from .props.tags import PR_SUPPLEMENTARY_INFO as PR_SUPPLEMENTARY_INFO
from .props.tags import PR_SURNAME as PR_SURNAME
from .props.tags import PR_SWAPPED_TODO_DATA as PR_SWAPPED_TODO_DATA
from .props.tags import PR_SWAPPED_TODO_STORE as PR_SWAPPED_TODO_STORE
from .props.tags import PR_TARGET_ENTRYID as PR_TARGET_ENTRYID
from .props.tags import PR_TELEX_NUMBER as PR_TELEX_NUMBER
from .props.tags import PR_TEMPLATEID as PR_TEMPLATEID
from .props.tags import PR_TEXT_ATTACHMENT_CHARSET as PR_TEXT_ATTACHMENT_CHARSET
from .props.tags import PR_TITLE as PR_TITLE
from .props.tags import PR_TNEF_CORRELATION_KEY as PR_TNEF_CORRELATION_KEY
from .props.tags import PR_TODO_ITEM_FLAGS as PR_TODO_ITEM_FLAGS
from .props.tags import PR_TRANSMITABLE_DISPLAY_NAME as PR_TRANSMITABLE_DISPLAY_NAME
from .props.tags import PR_TRANSPORT_KEY as PR_TRANSPORT_KEY
from .props.tags import PR_TRANSPORT_MESSAGE_HEADERS as PR_TRANSPORT_MESSAGE_HEADERS
from .props.tags import PR_TRANSPORT_STATUS as PR_TRANSPORT_STATUS
from .props.tags import PR_TRUST_SENDER as PR_TRUST_SENDER
from .props.tags import PR_TTYTDD_PHONE_NUMBER as PR_TTYTDD_PHONE_NUMBER
from .props.tags import PR_TYPE_OF_MTS_USER as PR_TYPE_OF_MTS_USER
from .props.tags import PR_URL_COMP_NAME as PR_URL_COMP_NAME
from .props.tags import PR_URL_COMP_NAME_SET as PR_URL_COMP_NAME_SET
from .props.tags import PR_USER_CERTIFICATE as PR_USER_CERTIFICATE
from .props.tags import PR_WEDDING_ANNIVERSARY as PR_WEDDING_ANNIVERSARY
from .props.tags import PR_X400_CONTENT_TYPE as PR_X400_CONTENT_TYPE
