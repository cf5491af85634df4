/* cachet-imap-response.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CachetImapValueType:
 * @CACHET_IMAP_VALUE_ATOM: a bare word: a keyword, flag, sequence set, or a
 *   mailbox name sent without quotes
 * @CACHET_IMAP_VALUE_NUMBER: a token made only of digits that fits in 64 bits;
 *   its text is kept too, for when a name happens to be all digits
 * @CACHET_IMAP_VALUE_QUOTED: a quoted string, unescaped
 * @CACHET_IMAP_VALUE_LITERAL: a literal ({n} or ~{n}); may contain any byte
 * @CACHET_IMAP_VALUE_NIL: NIL, in any case
 * @CACHET_IMAP_VALUE_LIST: a parenthesised list
 * @CACHET_IMAP_VALUE_SECTION: a FETCH item with a bracketed section, such as
 *   BODY[HEADER.FIELDS (FROM)]<0>; its children are the section's tokens
 *
 * The types of the nodes of a parsed response.
 */
typedef enum
{
  CACHET_IMAP_VALUE_ATOM,
  CACHET_IMAP_VALUE_NUMBER,
  CACHET_IMAP_VALUE_QUOTED,
  CACHET_IMAP_VALUE_LITERAL,
  CACHET_IMAP_VALUE_NIL,
  CACHET_IMAP_VALUE_LIST,
  CACHET_IMAP_VALUE_SECTION,
} CachetImapValueType;

/**
 * CachetImapResponseType:
 * @CACHET_IMAP_RESPONSE_STATUS: OK, NO, BAD, PREAUTH or BYE, tagged or not
 * @CACHET_IMAP_RESPONSE_CONTINUATION: a continuation request ("+")
 * @CACHET_IMAP_RESPONSE_CAPABILITY: `* CAPABILITY`
 * @CACHET_IMAP_RESPONSE_ENABLED: `* ENABLED`
 * @CACHET_IMAP_RESPONSE_LIST: `* LIST`
 * @CACHET_IMAP_RESPONSE_LSUB: `* LSUB`
 * @CACHET_IMAP_RESPONSE_MAILBOX_STATUS: `* STATUS`
 * @CACHET_IMAP_RESPONSE_FLAGS: `* FLAGS`
 * @CACHET_IMAP_RESPONSE_EXISTS: `* n EXISTS`
 * @CACHET_IMAP_RESPONSE_RECENT: `* n RECENT`
 * @CACHET_IMAP_RESPONSE_EXPUNGE: `* n EXPUNGE`
 * @CACHET_IMAP_RESPONSE_FETCH: `* n FETCH`
 * @CACHET_IMAP_RESPONSE_SEARCH: `* SEARCH`
 * @CACHET_IMAP_RESPONSE_ESEARCH: `* ESEARCH`
 * @CACHET_IMAP_RESPONSE_VANISHED: `* VANISHED` (QRESYNC)
 * @CACHET_IMAP_RESPONSE_OTHER: any other untagged response, kept as a
 *   generic list of values
 *
 * What a response is.
 */
typedef enum
{
  CACHET_IMAP_RESPONSE_STATUS,
  CACHET_IMAP_RESPONSE_CONTINUATION,
  CACHET_IMAP_RESPONSE_CAPABILITY,
  CACHET_IMAP_RESPONSE_ENABLED,
  CACHET_IMAP_RESPONSE_LIST,
  CACHET_IMAP_RESPONSE_LSUB,
  CACHET_IMAP_RESPONSE_MAILBOX_STATUS,
  CACHET_IMAP_RESPONSE_FLAGS,
  CACHET_IMAP_RESPONSE_EXISTS,
  CACHET_IMAP_RESPONSE_RECENT,
  CACHET_IMAP_RESPONSE_EXPUNGE,
  CACHET_IMAP_RESPONSE_FETCH,
  CACHET_IMAP_RESPONSE_SEARCH,
  CACHET_IMAP_RESPONSE_ESEARCH,
  CACHET_IMAP_RESPONSE_VANISHED,
  CACHET_IMAP_RESPONSE_OTHER,
} CachetImapResponseType;

/**
 * CachetImapStatus:
 * @CACHET_IMAP_STATUS_NONE: not a status response
 * @CACHET_IMAP_STATUS_OK: OK
 * @CACHET_IMAP_STATUS_NO: NO
 * @CACHET_IMAP_STATUS_BAD: BAD
 * @CACHET_IMAP_STATUS_PREAUTH: PREAUTH (greeting only)
 * @CACHET_IMAP_STATUS_BYE: BYE
 *
 * The condition of a status response.
 */
typedef enum
{
  CACHET_IMAP_STATUS_NONE,
  CACHET_IMAP_STATUS_OK,
  CACHET_IMAP_STATUS_NO,
  CACHET_IMAP_STATUS_BAD,
  CACHET_IMAP_STATUS_PREAUTH,
  CACHET_IMAP_STATUS_BYE,
} CachetImapStatus;

/**
 * CachetImapResponseCode:
 * @CACHET_IMAP_RESPONSE_CODE_NONE: the response has no code
 * @CACHET_IMAP_RESPONSE_CODE_OTHER: a code this parser does not know; see
 *   cachet_imap_response_get_code_name() and cachet_imap_response_get_code_text()
 * @CACHET_IMAP_RESPONSE_CODE_ALERT: ALERT: the text must be shown to the user
 * @CACHET_IMAP_RESPONSE_CODE_ALREADYEXISTS: ALREADYEXISTS
 * @CACHET_IMAP_RESPONSE_CODE_APPENDUID: APPENDUID uidvalidity uid-set
 * @CACHET_IMAP_RESPONSE_CODE_AUTHENTICATIONFAILED: AUTHENTICATIONFAILED
 * @CACHET_IMAP_RESPONSE_CODE_AUTHORIZATIONFAILED: AUTHORIZATIONFAILED
 * @CACHET_IMAP_RESPONSE_CODE_BADCHARSET: BADCHARSET [(charsets)]
 * @CACHET_IMAP_RESPONSE_CODE_CANNOT: CANNOT
 * @CACHET_IMAP_RESPONSE_CODE_CAPABILITY: CAPABILITY capabilities
 * @CACHET_IMAP_RESPONSE_CODE_CLIENTBUG: CLIENTBUG
 * @CACHET_IMAP_RESPONSE_CODE_CLOSED: CLOSED (QRESYNC)
 * @CACHET_IMAP_RESPONSE_CODE_CONTACTADMIN: CONTACTADMIN
 * @CACHET_IMAP_RESPONSE_CODE_COPYUID: COPYUID uidvalidity source-set dest-set
 * @CACHET_IMAP_RESPONSE_CODE_CORRUPTION: CORRUPTION
 * @CACHET_IMAP_RESPONSE_CODE_EXPIRED: EXPIRED
 * @CACHET_IMAP_RESPONSE_CODE_EXPUNGEISSUED: EXPUNGEISSUED
 * @CACHET_IMAP_RESPONSE_CODE_HIGHESTMODSEQ: HIGHESTMODSEQ modseq (CONDSTORE)
 * @CACHET_IMAP_RESPONSE_CODE_INUSE: INUSE
 * @CACHET_IMAP_RESPONSE_CODE_LIMIT: LIMIT
 * @CACHET_IMAP_RESPONSE_CODE_MODIFIED: MODIFIED sequence-set (CONDSTORE)
 * @CACHET_IMAP_RESPONSE_CODE_NOMODSEQ: NOMODSEQ (CONDSTORE)
 * @CACHET_IMAP_RESPONSE_CODE_NONEXISTENT: NONEXISTENT
 * @CACHET_IMAP_RESPONSE_CODE_NOPERM: NOPERM
 * @CACHET_IMAP_RESPONSE_CODE_OVERQUOTA: OVERQUOTA
 * @CACHET_IMAP_RESPONSE_CODE_PARSE: PARSE: the server could not parse a message
 * @CACHET_IMAP_RESPONSE_CODE_PERMANENTFLAGS: PERMANENTFLAGS (flags)
 * @CACHET_IMAP_RESPONSE_CODE_PRIVACYREQUIRED: PRIVACYREQUIRED
 * @CACHET_IMAP_RESPONSE_CODE_READ_ONLY: READ-ONLY
 * @CACHET_IMAP_RESPONSE_CODE_READ_WRITE: READ-WRITE
 * @CACHET_IMAP_RESPONSE_CODE_SERVERBUG: SERVERBUG
 * @CACHET_IMAP_RESPONSE_CODE_TRYCREATE: TRYCREATE
 * @CACHET_IMAP_RESPONSE_CODE_UIDNEXT: UIDNEXT number
 * @CACHET_IMAP_RESPONSE_CODE_UIDNOTSTICKY: UIDNOTSTICKY
 * @CACHET_IMAP_RESPONSE_CODE_UIDVALIDITY: UIDVALIDITY number
 * @CACHET_IMAP_RESPONSE_CODE_UNAVAILABLE: UNAVAILABLE
 * @CACHET_IMAP_RESPONSE_CODE_UNKNOWN_CTE: UNKNOWN-CTE
 * @CACHET_IMAP_RESPONSE_CODE_UNSEEN: UNSEEN number (RFC 3501)
 *
 * Response codes (the bracketed part of a status response) of RFC 9051,
 * RFC 3501, UIDPLUS, CONDSTORE and QRESYNC. The arguments of APPENDUID,
 * BADCHARSET, CAPABILITY, COPYUID, HIGHESTMODSEQ, MODIFIED, PERMANENTFLAGS,
 * UIDNEXT, UIDVALIDITY and UNSEEN are parsed and checked; those of the others
 * are kept as raw text.
 */
typedef enum
{
  CACHET_IMAP_RESPONSE_CODE_NONE,
  CACHET_IMAP_RESPONSE_CODE_OTHER,
  CACHET_IMAP_RESPONSE_CODE_ALERT,
  CACHET_IMAP_RESPONSE_CODE_ALREADYEXISTS,
  CACHET_IMAP_RESPONSE_CODE_APPENDUID,
  CACHET_IMAP_RESPONSE_CODE_AUTHENTICATIONFAILED,
  CACHET_IMAP_RESPONSE_CODE_AUTHORIZATIONFAILED,
  CACHET_IMAP_RESPONSE_CODE_BADCHARSET,
  CACHET_IMAP_RESPONSE_CODE_CANNOT,
  CACHET_IMAP_RESPONSE_CODE_CAPABILITY,
  CACHET_IMAP_RESPONSE_CODE_CLIENTBUG,
  CACHET_IMAP_RESPONSE_CODE_CLOSED,
  CACHET_IMAP_RESPONSE_CODE_CONTACTADMIN,
  CACHET_IMAP_RESPONSE_CODE_COPYUID,
  CACHET_IMAP_RESPONSE_CODE_CORRUPTION,
  CACHET_IMAP_RESPONSE_CODE_EXPIRED,
  CACHET_IMAP_RESPONSE_CODE_EXPUNGEISSUED,
  CACHET_IMAP_RESPONSE_CODE_HIGHESTMODSEQ,
  CACHET_IMAP_RESPONSE_CODE_INUSE,
  CACHET_IMAP_RESPONSE_CODE_LIMIT,
  CACHET_IMAP_RESPONSE_CODE_MODIFIED,
  CACHET_IMAP_RESPONSE_CODE_NOMODSEQ,
  CACHET_IMAP_RESPONSE_CODE_NONEXISTENT,
  CACHET_IMAP_RESPONSE_CODE_NOPERM,
  CACHET_IMAP_RESPONSE_CODE_OVERQUOTA,
  CACHET_IMAP_RESPONSE_CODE_PARSE,
  CACHET_IMAP_RESPONSE_CODE_PERMANENTFLAGS,
  CACHET_IMAP_RESPONSE_CODE_PRIVACYREQUIRED,
  CACHET_IMAP_RESPONSE_CODE_READ_ONLY,
  CACHET_IMAP_RESPONSE_CODE_READ_WRITE,
  CACHET_IMAP_RESPONSE_CODE_SERVERBUG,
  CACHET_IMAP_RESPONSE_CODE_TRYCREATE,
  CACHET_IMAP_RESPONSE_CODE_UIDNEXT,
  CACHET_IMAP_RESPONSE_CODE_UIDNOTSTICKY,
  CACHET_IMAP_RESPONSE_CODE_UIDVALIDITY,
  CACHET_IMAP_RESPONSE_CODE_UNAVAILABLE,
  CACHET_IMAP_RESPONSE_CODE_UNKNOWN_CTE,
  CACHET_IMAP_RESPONSE_CODE_UNSEEN,
} CachetImapResponseCode;

/**
 * CachetImapValue:
 *
 * A node of a parsed response. Values belong to their #CachetImapResponse
 * and stay valid as long as it does; they are never modified.
 */
typedef struct _CachetImapValue CachetImapValue;

/**
 * CachetImapResponse:
 *
 * One complete server response, immutable and reference counted.
 */
typedef struct _CachetImapResponse CachetImapResponse;

#define CACHET_TYPE_IMAP_RESPONSE (cachet_imap_response_get_type ())

GType                   cachet_imap_response_get_type             (void) G_GNUC_CONST;

CachetImapValueType     cachet_imap_value_get_value_type          (const CachetImapValue *value);
const char             *cachet_imap_value_get_atom                (const CachetImapValue *value);
gboolean                cachet_imap_value_get_number              (const CachetImapValue *value,
                                                                   guint64               *number);
const char             *cachet_imap_value_get_string              (const CachetImapValue *value,
                                                                   gsize                 *length);
GBytes                 *cachet_imap_value_dup_bytes               (const CachetImapValue *value);
gboolean                cachet_imap_value_is_nil                  (const CachetImapValue *value);
guint                   cachet_imap_value_get_n_children          (const CachetImapValue *value);
const CachetImapValue  *cachet_imap_value_get_child               (const CachetImapValue *value,
                                                                   guint                  index);
const char             *cachet_imap_value_get_section_key         (const CachetImapValue *value);
gboolean                cachet_imap_value_get_section_origin      (const CachetImapValue *value,
                                                                   guint64               *origin);

CachetImapResponse     *cachet_imap_response_ref                  (CachetImapResponse    *self);
void                    cachet_imap_response_unref                (CachetImapResponse    *self);
CachetImapResponseType  cachet_imap_response_get_response_type    (CachetImapResponse    *self);
const char             *cachet_imap_response_get_tag              (CachetImapResponse    *self);
const char             *cachet_imap_response_get_name             (CachetImapResponse    *self);
CachetImapStatus        cachet_imap_response_get_status           (CachetImapResponse    *self);
gboolean                cachet_imap_response_get_number           (CachetImapResponse    *self,
                                                                   guint64               *number);
const char             *cachet_imap_response_get_text             (CachetImapResponse    *self);
const CachetImapValue  *cachet_imap_response_get_data             (CachetImapResponse    *self);

CachetImapResponseCode  cachet_imap_response_get_code             (CachetImapResponse    *self);
const char             *cachet_imap_response_get_code_name        (CachetImapResponse    *self);
const CachetImapValue  *cachet_imap_response_get_code_arguments   (CachetImapResponse    *self);
const char             *cachet_imap_response_get_code_text        (CachetImapResponse    *self);
gboolean                cachet_imap_response_get_code_number      (CachetImapResponse    *self,
                                                                   guint64               *number);
GArray                 *cachet_imap_response_dup_code_uid_set     (CachetImapResponse    *self,
                                                                   guint                  index);

char                  **cachet_imap_response_dup_capabilities     (CachetImapResponse    *self);
char                  **cachet_imap_response_dup_flags            (CachetImapResponse    *self);

const CachetImapValue  *cachet_imap_response_get_fetch_attribute  (CachetImapResponse    *self,
                                                                   const char            *name);
gboolean                cachet_imap_response_get_fetch_number     (CachetImapResponse    *self,
                                                                   const char            *name,
                                                                   guint64               *number);

char                  **cachet_imap_response_dup_mailbox_attributes (CachetImapResponse  *self);
char                    cachet_imap_response_get_mailbox_delimiter (CachetImapResponse   *self);
const char             *cachet_imap_response_get_mailbox          (CachetImapResponse    *self);
gboolean                cachet_imap_response_get_status_item      (CachetImapResponse    *self,
                                                                   const char            *name,
                                                                   guint64               *number);

GArray                 *cachet_imap_response_dup_search_results   (CachetImapResponse    *self);
GArray                 *cachet_imap_response_dup_vanished         (CachetImapResponse    *self,
                                                                   gboolean              *earlier);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetImapResponse, cachet_imap_response_unref)

G_END_DECLS
