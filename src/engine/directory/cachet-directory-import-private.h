/* cachet-directory-import-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-directory-types.h"

G_BEGIN_DECLS

/* The version of the database layout; a database of another version is not
 * read (it is rebuilt by the next import). */
#define CACHET_DIRECTORY_FORMAT "1"

CachetDirectoryImportReport *cachet_directory_import_build (const char                   *path,
                                                            GFile                        *file,
                                                            CachetDirectoryProgressFunc   progress,
                                                            gpointer                      progress_data,
                                                            GCancellable                 *cancellable,
                                                            GError                      **error);
gboolean                     cachet_directory_fsync_path   (const char                   *path,
                                                            gboolean                      is_dir,
                                                            GError                      **error);

G_END_DECLS
