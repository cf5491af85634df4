/* cachet-message-row.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cachet-message-info.h"

G_BEGIN_DECLS

#define CACHET_TYPE_MESSAGE_ROW (cachet_message_row_get_type ())

G_DECLARE_FINAL_TYPE (CachetMessageRow, cachet_message_row, CACHET, MESSAGE_ROW, GtkWidget)

CachetMessageRow *cachet_message_row_new      (void);
void              cachet_message_row_set_info (CachetMessageRow  *self,
                                               CachetMessageInfo *info);

G_END_DECLS
