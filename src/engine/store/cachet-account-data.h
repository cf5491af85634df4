/* cachet-account-data.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     *cachet_account_data_get_dir     (const char           *account_id);
void      cachet_account_data_delete_async  (const char           *account_id,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean  cachet_account_data_delete_finish (GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
