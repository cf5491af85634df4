/* cachet-message-builder.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An attachment larger than this is refused: operators refuse bigger
 * messages anyway (MSSanté's limit is 10 MB per message). */
#define CACHET_MESSAGE_BUILDER_MAX_ATTACHMENT_SIZE (25 * 1024 * 1024)

/**
 * CACHET_MESSAGE_BUILDER_MAX_REFERENCES:
 *
 * The most message ids a References header gets: the root of the thread and
 * the nearest ancestors, so that a long thread does not grow every reply.
 */
#define CACHET_MESSAGE_BUILDER_MAX_REFERENCES 20

/**
 * CachetRecipientKind:
 * @CACHET_RECIPIENT_TO: in the To header and the envelope.
 * @CACHET_RECIPIENT_CC: in the Cc header and the envelope.
 * @CACHET_RECIPIENT_BCC: in the envelope only, never in a header.
 *
 * How a recipient receives a message.
 */
typedef enum
{
  CACHET_RECIPIENT_TO,
  CACHET_RECIPIENT_CC,
  CACHET_RECIPIENT_BCC,
} CachetRecipientKind;

#define CACHET_TYPE_MESSAGE_BUILDER (cachet_message_builder_get_type ())

G_DECLARE_FINAL_TYPE (CachetMessageBuilder, cachet_message_builder, CACHET, MESSAGE_BUILDER, GObject)

CachetMessageBuilder *cachet_message_builder_new                   (const char            *from_name,
                                                                    const char            *from_address);
void                  cachet_message_builder_add_recipient         (CachetMessageBuilder  *self,
                                                                    CachetRecipientKind    kind,
                                                                    const char            *name,
                                                                    const char            *address);
void                  cachet_message_builder_add_to                (CachetMessageBuilder  *self,
                                                                    const char            *address);
void                  cachet_message_builder_add_cc                (CachetMessageBuilder  *self,
                                                                    const char            *address);
void                  cachet_message_builder_set_subject           (CachetMessageBuilder  *self,
                                                                    const char            *subject);
void                  cachet_message_builder_set_body              (CachetMessageBuilder  *self,
                                                                    const char            *text);
const char           *cachet_message_builder_get_message_id        (CachetMessageBuilder  *self);
void                  cachet_message_builder_set_message_id        (CachetMessageBuilder  *self,
                                                                    const char            *message_id);
void                  cachet_message_builder_set_in_reply_to       (CachetMessageBuilder  *self,
                                                                    const char            *message_id);
void                  cachet_message_builder_set_references        (CachetMessageBuilder  *self,
                                                                    const char * const    *message_ids);
gboolean              cachet_message_builder_add_attachment        (CachetMessageBuilder  *self,
                                                                    GFile                 *file,
                                                                    GCancellable          *cancellable,
                                                                    GError               **error);
gboolean              cachet_message_builder_add_attachment_bytes  (CachetMessageBuilder  *self,
                                                                    const char            *file_name,
                                                                    const char            *content_type,
                                                                    GBytes                *data,
                                                                    GError               **error);
gboolean              cachet_message_builder_check_attachment_size (const char            *file_name,
                                                                    guint64                size,
                                                                    GError               **error);
GStrv                 cachet_message_builder_dup_recipients        (CachetMessageBuilder  *self);
GBytes               *cachet_message_builder_build                 (CachetMessageBuilder  *self,
                                                                    GError               **error);
GBytes               *cachet_message_builder_build_draft           (CachetMessageBuilder  *self,
                                                                    GError               **error);

G_END_DECLS
