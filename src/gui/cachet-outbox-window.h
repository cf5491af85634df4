/* cachet-outbox-window.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-sender-service.h"

G_BEGIN_DECLS

#define CACHET_TYPE_OUTBOX_WINDOW (cachet_outbox_window_get_type ())

G_DECLARE_FINAL_TYPE (CachetOutboxWindow, cachet_outbox_window, CACHET, OUTBOX_WINDOW, AdwWindow)

CachetOutboxWindow *cachet_outbox_window_new            (CachetSenderService *sender);
char               *cachet_outbox_window_format_failure (const char          *subject,
                                                         const char          *reason,
                                                         gint64               next_attempt);

G_END_DECLS
