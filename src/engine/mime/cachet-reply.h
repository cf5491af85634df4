/* cachet-reply.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CachetReplyKind:
 * @CACHET_REPLY_TO_SENDER: answer the author (Reply-To when there is one).
 * @CACHET_REPLY_TO_ALL: answer the author and every other recipient.
 * @CACHET_REPLY_FORWARD: send the message on to someone new.
 *
 * What the user asked to do with a message.
 */
typedef enum
{
  CACHET_REPLY_TO_SENDER,
  CACHET_REPLY_TO_ALL,
  CACHET_REPLY_FORWARD,
} CachetReplyKind;

/**
 * CachetReplyAttachment:
 * @file_name: the name the receiver sees.
 * @content_type: "type/subtype".
 * @data: the decoded content.
 *
 * An attachment of the original message that a forward carries on.
 */
typedef struct
{
  char   *file_name;
  char   *content_type;
  GBytes *data;
} CachetReplyAttachment;

/**
 * CachetReply:
 * @to: (element-type CachetMessageAddress): the To recipients, without the
 *   user's own address and without duplicates; empty for a forward.
 * @cc: (element-type CachetMessageAddress): the Cc recipients likewise.
 * @bcc: (element-type CachetMessageAddress): the Bcc recipients: only a
 *   draft has any.
 * @message_id: (nullable): the id the message keeps: only a draft has one.
 * @subject: the subject, with one "Re: " or "Fwd: ".
 * @in_reply_to: (nullable): the Message-ID replied to (not for a forward).
 * @references: (array zero-terminated=1): the thread, oldest first.
 * @body: the text to start from: the quoted original for a reply, the
 *   original under a header block for a forward.
 * @attachments: (element-type CachetReplyAttachment): what a forward
 *   carries on (inline forward: the text in the body, the files attached).
 * @content_withheld: the original is encrypted: nothing of its content is
 *   quoted or forwarded, so that a reply never sends decrypted text in clear.
 *
 * The start of a message: a reply or forward computed from the stored
 * original, or a draft taken up again.
 */
typedef struct
{
  GPtrArray  *to;
  GPtrArray  *cc;
  GPtrArray  *bcc;
  char       *message_id;
  char       *subject;
  char       *in_reply_to;
  char      **references;
  char       *body;
  GPtrArray  *attachments;
  gboolean    content_withheld;
} CachetReply;

CachetReply *cachet_reply_new            (GBytes           *original,
                                          CachetReplyKind   kind,
                                          const char       *own_address,
                                          GError          **error);
CachetReply *cachet_reply_new_from_draft (GBytes           *draft,
                                          GError          **error);
void         cachet_reply_free           (CachetReply      *reply);
char        *cachet_reply_make_subject   (const char       *subject,
                                          CachetReplyKind   kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetReply, cachet_reply_free)

G_END_DECLS
