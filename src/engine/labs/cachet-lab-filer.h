/* cachet-lab-filer.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-lab-journal-entry.h"

G_BEGIN_DECLS

#define CACHET_TYPE_LAB_FILER (cachet_lab_filer_get_type ())

G_DECLARE_FINAL_TYPE (CachetLabFiler, cachet_lab_filer, CACHET, LAB_FILER, GObject)

CachetLabFiler *cachet_lab_filer_new                   (const char           *journal_path,
                                                        const char           *archive_dir,
                                                        const char           *inbox_dir,
                                                        GError              **error);
char           *cachet_lab_filer_dup_default_journal   (void);
char           *cachet_lab_filer_dup_default_archive   (void);
const char     *cachet_lab_filer_get_archive_dir       (CachetLabFiler       *self);
gboolean        cachet_lab_filer_set_sender_charset    (CachetLabFiler       *self,
                                                        const char           *sender,
                                                        const char           *charset,
                                                        GError              **error);
GHashTable     *cachet_lab_filer_dup_sender_charsets   (CachetLabFiler       *self,
                                                        GError              **error);
gboolean        cachet_lab_filer_lookup_entry_charset  (CachetLabFiler       *self,
                                                        gint64                entry_id,
                                                        char                **charset,
                                                        GError              **error);
GPtrArray      *cachet_lab_filer_import                (CachetLabFiler       *self,
                                                        GBytes               *bytes,
                                                        const char           *file_name,
                                                        const char           *sender,
                                                        GBytes               *pdf,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
void            cachet_lab_filer_import_async          (CachetLabFiler       *self,
                                                        GBytes               *bytes,
                                                        const char           *file_name,
                                                        const char           *sender,
                                                        GBytes               *pdf,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray      *cachet_lab_filer_import_finish         (CachetLabFiler       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
gboolean        cachet_lab_filer_confirm_patient       (CachetLabFiler       *self,
                                                        gint64                entry_id,
                                                        gint64                patient_id,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
void            cachet_lab_filer_confirm_patient_async (CachetLabFiler       *self,
                                                        gint64                entry_id,
                                                        gint64                patient_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean        cachet_lab_filer_confirm_patient_finish (CachetLabFiler      *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
GListModel     *cachet_lab_filer_list_entries          (CachetLabFiler       *self,
                                                        GError              **error);

G_END_DECLS
