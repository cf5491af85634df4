/* cachet-composer-attachment.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CACHET_TYPE_COMPOSER_ATTACHMENT (cachet_composer_attachment_get_type ())

G_DECLARE_FINAL_TYPE (CachetComposerAttachment, cachet_composer_attachment, CACHET, COMPOSER_ATTACHMENT, GObject)

CachetComposerAttachment *cachet_composer_attachment_new                  (const char                *file_name,
                                                                           const char                *content_type,
                                                                           GBytes                    *data);
void                      cachet_composer_attachment_new_from_file_async  (GFile                     *file,
                                                                           GCancellable              *cancellable,
                                                                           GAsyncReadyCallback        callback,
                                                                           gpointer                   user_data);
CachetComposerAttachment *cachet_composer_attachment_new_from_file_finish (GAsyncResult              *result,
                                                                           GError                   **error);
const char               *cachet_composer_attachment_get_file_name        (CachetComposerAttachment  *self);
const char               *cachet_composer_attachment_get_content_type     (CachetComposerAttachment  *self);
GBytes                   *cachet_composer_attachment_get_data             (CachetComposerAttachment  *self);
guint64                   cachet_composer_attachment_get_size             (CachetComposerAttachment  *self);
GIcon                    *cachet_composer_attachment_get_icon             (CachetComposerAttachment  *self);

G_END_DECLS
