/* cachet-message-info.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cachet-store-types.h"

G_BEGIN_DECLS

#define CACHET_TYPE_MESSAGE_INFO (cachet_message_info_get_type ())

G_DECLARE_FINAL_TYPE (CachetMessageInfo, cachet_message_info, CACHET, MESSAGE_INFO, GObject)

gint64               cachet_message_info_get_id             (CachetMessageInfo *self);
const char          *cachet_message_info_get_folder         (CachetMessageInfo *self);
guint32              cachet_message_info_get_uid            (CachetMessageInfo *self);
gint64               cachet_message_info_get_internal_date  (CachetMessageInfo *self);
gint64               cachet_message_info_get_size           (CachetMessageInfo *self);
guint64              cachet_message_info_get_modseq         (CachetMessageInfo *self);
CachetMessageFlags   cachet_message_info_get_flags          (CachetMessageInfo *self);
const char * const  *cachet_message_info_get_keywords       (CachetMessageInfo *self);
gboolean             cachet_message_info_has_keyword        (CachetMessageInfo *self,
                                                             const char        *keyword);
const char          *cachet_message_info_get_message_id     (CachetMessageInfo *self);
const char          *cachet_message_info_get_in_reply_to    (CachetMessageInfo *self);
const char * const  *cachet_message_info_get_references     (CachetMessageInfo *self);
GDateTime           *cachet_message_info_get_date           (CachetMessageInfo *self);
const char          *cachet_message_info_get_from_name      (CachetMessageInfo *self);
const char          *cachet_message_info_get_from_address   (CachetMessageInfo *self);
const char          *cachet_message_info_get_to             (CachetMessageInfo *self);
const char          *cachet_message_info_get_cc             (CachetMessageInfo *self);
const char          *cachet_message_info_get_subject        (CachetMessageInfo *self);
gboolean             cachet_message_info_get_has_attachment (CachetMessageInfo *self);
gboolean             cachet_message_info_get_is_signed      (CachetMessageInfo *self);
gboolean             cachet_message_info_get_is_encrypted   (CachetMessageInfo *self);
const char          *cachet_message_info_get_mss_header     (CachetMessageInfo *self,
                                                             const char        *name);
guint                cachet_message_info_get_mime_issues    (CachetMessageInfo *self);

G_END_DECLS
