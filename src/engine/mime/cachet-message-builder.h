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

#define CACHET_TYPE_MESSAGE_BUILDER (cachet_message_builder_get_type ())

G_DECLARE_FINAL_TYPE (CachetMessageBuilder, cachet_message_builder, CACHET, MESSAGE_BUILDER, GObject)

CachetMessageBuilder *cachet_message_builder_new            (const char            *from_name,
                                                             const char            *from_address);
void                  cachet_message_builder_add_to         (CachetMessageBuilder  *self,
                                                             const char            *address);
void                  cachet_message_builder_add_cc         (CachetMessageBuilder  *self,
                                                             const char            *address);
void                  cachet_message_builder_set_subject    (CachetMessageBuilder  *self,
                                                             const char            *subject);
void                  cachet_message_builder_set_body       (CachetMessageBuilder  *self,
                                                             const char            *text);
gboolean              cachet_message_builder_add_attachment (CachetMessageBuilder  *self,
                                                             GFile                 *file,
                                                             GCancellable          *cancellable,
                                                             GError               **error);
GStrv                 cachet_message_builder_dup_recipients (CachetMessageBuilder  *self);
GBytes               *cachet_message_builder_build          (CachetMessageBuilder  *self,
                                                             GError               **error);

G_END_DECLS
