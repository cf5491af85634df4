/* cachet-sync-helpers.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-store-types.h"

G_BEGIN_DECLS

/* What the steps of a synchronisation run share. A run happens in a worker
 * thread, on a main context of its own, and awaits each asynchronous IMAP
 * call in turn: cachet_sync_result_cb() as the callback, with a
 * `GAsyncResult *` slot as its data, then cachet_sync_wait() on that slot. */

void                cachet_sync_result_cb   (GObject             *source,
                                             GAsyncResult        *result,
                                             gpointer             user_data);
GAsyncResult       *cachet_sync_wait        (GMainContext        *context,
                                             GAsyncResult       **slot);

CachetMessageFlags  cachet_sync_flags_from_imap (const char * const *imap_flags,
                                                 GPtrArray          *keywords);
char              **cachet_sync_flags_to_imap   (CachetMessageFlags  flags,
                                                 const char * const *keywords);

G_END_DECLS
