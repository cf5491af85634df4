/* cachet-directory-update-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-directory-types.h"

G_BEGIN_DECLS

CachetDirectoryImportReport *cachet_directory_update_run (const char                   *db_path,
                                                          const char                   *url,
                                                          CachetDirectoryProgressFunc   progress_func,
                                                          gpointer                      progress_data,
                                                          GCancellable                 *cancellable,
                                                          gboolean                     *not_modified,
                                                          GError                      **error);

G_END_DECLS
