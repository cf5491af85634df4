/* cachet-recipient-completion.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CACHET_TYPE_RECIPIENT_COMPLETION (cachet_recipient_completion_get_type ())

G_DECLARE_FINAL_TYPE (CachetRecipientCompletion, cachet_recipient_completion, CACHET, RECIPIENT_COMPLETION, GObject)

CachetRecipientCompletion *cachet_recipient_completion_new    (GtkEntry                  *entry);
void                       cachet_recipient_completion_detach (CachetRecipientCompletion *self);

G_END_DECLS
