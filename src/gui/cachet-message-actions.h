/* cachet-message-actions.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cachet-store.h"

G_BEGIN_DECLS

#define CACHET_TYPE_MESSAGE_ACTIONS (cachet_message_actions_get_type ())

G_DECLARE_FINAL_TYPE (CachetMessageActions, cachet_message_actions, CACHET, MESSAGE_ACTIONS, GObject)

CachetMessageActions *cachet_message_actions_new              (GtkSelectionModel    *selection);
GActionGroup         *cachet_message_actions_get_action_group (CachetMessageActions *self);
GMenuModel           *cachet_message_actions_get_move_menu    (CachetMessageActions *self);
void                  cachet_message_actions_set_folder       (CachetMessageActions *self,
                                                               CachetStore          *store,
                                                               const char           *folder,
                                                               GListModel           *folders);
void                  cachet_message_actions_mark_read        (CachetMessageActions *self,
                                                               CachetMessageInfo    *info);

G_END_DECLS
