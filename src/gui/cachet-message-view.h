/* cachet-message-view.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CACHET_TYPE_MESSAGE_VIEW (cachet_message_view_get_type ())

G_DECLARE_FINAL_TYPE (CachetMessageView, cachet_message_view, CACHET, MESSAGE_VIEW, GtkWidget)

GtkWidget *cachet_message_view_new          (void);

void       cachet_message_view_show_message (CachetMessageView *self,
                                             GBytes            *raw);
void       cachet_message_view_clear        (CachetMessageView *self);

gboolean   cachet_message_view_get_loading  (CachetMessageView *self);

G_END_DECLS
