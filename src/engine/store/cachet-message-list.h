/* cachet-message-list.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-store.h"

G_BEGIN_DECLS

#define CACHET_TYPE_MESSAGE_LIST (cachet_message_list_get_type ())

G_DECLARE_FINAL_TYPE (CachetMessageList, cachet_message_list, CACHET, MESSAGE_LIST, GObject)

CachetMessageList *cachet_message_list_new        (CachetStore        *store,
                                                   const char         *folder);
const char        *cachet_message_list_get_folder (CachetMessageList  *self);
gboolean           cachet_message_list_reload     (CachetMessageList  *self,
                                                   GError            **error);
gboolean           cachet_message_list_find       (CachetMessageList  *self,
                                                   guint32             uid,
                                                   guint               near,
                                                   guint              *position);

G_END_DECLS
