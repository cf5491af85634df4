/* cachet-directory.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-directory-entry.h"
#include "cachet-directory-error.h"
#include "cachet-directory-mailbox.h"
#include "cachet-directory-types.h"

G_BEGIN_DECLS

/* Where the extract is published: the data.gouv.fr copy of the Annuaire
 * Santé file, served with a certificate the system trusts (the service of
 * the ANS itself presents an IGC-Santé chain). */
#define CACHET_DIRECTORY_DEFAULT_URL \
  "https://www.data.gouv.fr/api/1/datasets/r/afe01105-d9a1-41fe-921f-e40ea48b2ba6"

#define CACHET_TYPE_DIRECTORY (cachet_directory_get_type ())

G_DECLARE_FINAL_TYPE (CachetDirectory, cachet_directory, CACHET, DIRECTORY, GObject)

CachetDirectory             *cachet_directory_new           (const char                   *path);
const char                  *cachet_directory_get_path      (CachetDirectory              *self);

CachetDirectoryImportReport *cachet_directory_import        (CachetDirectory              *self,
                                                             GFile                        *file,
                                                             CachetDirectoryProgressFunc   progress,
                                                             gpointer                      progress_data,
                                                             GCancellable                 *cancellable,
                                                             GError                      **error);
void                         cachet_directory_import_async  (CachetDirectory              *self,
                                                             GFile                        *file,
                                                             CachetDirectoryProgressFunc   progress,
                                                             gpointer                      progress_data,
                                                             GCancellable                 *cancellable,
                                                             GAsyncReadyCallback           callback,
                                                             gpointer                      user_data);
CachetDirectoryImportReport *cachet_directory_import_finish (CachetDirectory              *self,
                                                             GAsyncResult                 *result,
                                                             GError                      **error);

CachetDirectoryImportReport *cachet_directory_update        (CachetDirectory              *self,
                                                             const char                   *url,
                                                             CachetDirectoryProgressFunc   progress,
                                                             gpointer                      progress_data,
                                                             GCancellable                 *cancellable,
                                                             gboolean                     *not_modified,
                                                             GError                      **error);
void                         cachet_directory_update_async  (CachetDirectory              *self,
                                                             const char                   *url,
                                                             CachetDirectoryProgressFunc   progress,
                                                             gpointer                      progress_data,
                                                             GCancellable                 *cancellable,
                                                             GAsyncReadyCallback           callback,
                                                             gpointer                      user_data);
gboolean                     cachet_directory_update_finish (CachetDirectory              *self,
                                                             GAsyncResult                 *result,
                                                             CachetDirectoryImportReport **report,
                                                             GError                      **error);

GListModel                  *cachet_directory_search        (CachetDirectory              *self,
                                                             const CachetDirectoryQuery   *query,
                                                             GCancellable                 *cancellable,
                                                             GError                      **error);
void                         cachet_directory_search_async  (CachetDirectory              *self,
                                                             const CachetDirectoryQuery   *query,
                                                             GCancellable                 *cancellable,
                                                             GAsyncReadyCallback           callback,
                                                             gpointer                      user_data);
GListModel                  *cachet_directory_search_finish (CachetDirectory              *self,
                                                             GAsyncResult                 *result,
                                                             GError                      **error);

CachetDirectoryInfo         *cachet_directory_query_info    (CachetDirectory              *self,
                                                             GError                      **error);

G_END_DECLS
