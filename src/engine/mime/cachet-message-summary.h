/* cachet-message-summary.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cachet-mime.h"

G_BEGIN_DECLS

/**
 * CACHET_MESSAGE_SUMMARY_MAX_BODY:
 *
 * The most bytes of body text a summary keeps (UTF-8, cut on a character
 * boundary): enough to find a message by its words, bounded for the index.
 */
#define CACHET_MESSAGE_SUMMARY_MAX_BODY (256 * 1024)

/**
 * CachetMessageAddress:
 * @name: (nullable): the display name, UTF-8, RFC 2047 decoded.
 * @address: the addr-spec as written (may be empty for a malformed one).
 *
 * One mailbox of an address header. Groups are flattened into their members.
 */
typedef struct
{
  char *name;
  char *address;
} CachetMessageAddress;

/**
 * CachetMessageHeader:
 * @name: the header name as written, e.g. "X-MSS-NIL".
 * @value: its unfolded, decoded value, UTF-8.
 */
typedef struct
{
  char *name;
  char *value;
} CachetMessageHeader;

/**
 * CachetMessageSummary:
 * @message_id: (nullable): Message-ID without angle brackets.
 * @in_reply_to: (nullable): the first message id of In-Reply-To.
 * @references: (element-type utf8): message ids of References, oldest first
 *   (at most 100: the first one and the 99 latest).
 * @date: (nullable): the Date header, %NULL if missing or unreadable.
 * @from: (nullable): the first mailbox of From.
 * @to: (element-type CachetMessageAddress): the To mailboxes.
 * @cc: (element-type CachetMessageAddress): the Cc mailboxes.
 * @subject: (nullable): the decoded Subject, UTF-8, on one line.
 * @body_text: text for full-text search: the first text/plain part that is
 *   not an attachment, else the first text/html one with its markup removed;
 *   UTF-8, at most %CACHET_MESSAGE_SUMMARY_MAX_BODY bytes, never %NULL.
 * @has_attachment: a part other than a signature or encrypted body is an
 *   attachment (Content-Disposition: attachment, or a file name), or an
 *   attached message.
 * @is_signed: the message root is multipart/signed or S/MIME signed-data.
 *   A hint for message lists only: whether a signature is valid is decided by
 *   the S/MIME layer.
 * @is_encrypted: the message root (or the content of a signed root) is
 *   S/MIME enveloped data or multipart/encrypted. A hint, like @is_signed.
 * @mss_headers: (element-type CachetMessageHeader): the X-MSS-* headers of
 *   the message, in order (at most 32).
 * @issues: what makes the message look tampered with or ambiguous.
 *
 * What the index needs to know about one message. Every string is valid UTF-8
 * without control characters and of bounded length, whatever the input.
 */
typedef struct
{
  char             *message_id;
  char             *in_reply_to;
  GPtrArray        *references;
  GDateTime        *date;
  CachetMessageAddress *from;
  GPtrArray        *to;
  GPtrArray        *cc;
  char             *subject;
  char             *body_text;
  gboolean          has_attachment;
  gboolean          is_signed;
  gboolean          is_encrypted;
  GPtrArray        *mss_headers;
  CachetMimeIssues  issues;
} CachetMessageSummary;

void                  cachet_message_address_free          (CachetMessageAddress *address);
char                 *cachet_message_address_list_to_string (GPtrArray           *addresses);

CachetMessageSummary *cachet_message_summary_new_from_bytes (GBytes               *raw,
                                                             GError              **error);
CachetMessageSummary *cachet_message_summary_new_from_message (GMimeMessage       *message);
void                  cachet_message_summary_free          (CachetMessageSummary *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetMessageAddress, cachet_message_address_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetMessageSummary, cachet_message_summary_free)

G_END_DECLS
