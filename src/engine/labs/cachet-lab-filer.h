/* cachet-lab-filer.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-lab-journal-entry.h"
#include "cachet-lab-patient-record.h"

G_BEGIN_DECLS

/**
 * CachetLabLayout:
 * @CACHET_LAB_LAYOUT_DEFAULT: `<archive>/<patient>/<files>`, an HTML page
 *   beside every report, every file straight in the practice software's
 *   inbox folder, where most practice software polls
 * @CACHET_LAB_LAYOUT_BY_YEAR: one sub-folder per year of sampling in each
 *   patient's folder, `<archive>/<patient>/<YYYY>/<files>`, for patients
 *   with many results
 * @CACHET_LAB_LAYOUT_HTML_ONLY_WITHOUT_PDF: the HTML page only for reports
 *   the lab sent without a PDF, for which it is the one readable copy
 * @CACHET_LAB_LAYOUT_INBOX_BY_DAY: one sub-folder per day of import in the
 *   practice software's inbox, `<inbox>/<YYYY-MM-DD>/<file>`
 *
 * How the filer lays out what it writes. A layout applies to the filings
 * made while it is set; the journal keeps where each file went, so results
 * filed under another layout stay where they are and are still found.
 */
typedef enum
{
  CACHET_LAB_LAYOUT_DEFAULT               = 0,
  CACHET_LAB_LAYOUT_BY_YEAR               = 1 << 0,
  CACHET_LAB_LAYOUT_HTML_ONLY_WITHOUT_PDF = 1 << 1,
  CACHET_LAB_LAYOUT_INBOX_BY_DAY          = 1 << 2,
} CachetLabLayout;

#define CACHET_TYPE_LAB_FILER (cachet_lab_filer_get_type ())

G_DECLARE_FINAL_TYPE (CachetLabFiler, cachet_lab_filer, CACHET, LAB_FILER, GObject)

CachetLabFiler *cachet_lab_filer_new                   (const char           *journal_path,
                                                        const char           *archive_dir,
                                                        const char           *inbox_dir,
                                                        GError              **error);
char           *cachet_lab_filer_dup_default_journal   (void);
char           *cachet_lab_filer_dup_default_archive   (void);
const char     *cachet_lab_filer_get_archive_dir       (CachetLabFiler       *self);
CachetLabLayout cachet_lab_filer_get_layout            (CachetLabFiler       *self);
void            cachet_lab_filer_set_layout            (CachetLabFiler       *self,
                                                        CachetLabLayout       layout);
gboolean        cachet_lab_filer_set_sender_charset    (CachetLabFiler       *self,
                                                        const char           *sender,
                                                        const char           *charset,
                                                        GError              **error);
void            cachet_lab_filer_set_sender_charset_async  (CachetLabFiler       *self,
                                                            const char           *sender,
                                                            const char           *charset,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean        cachet_lab_filer_set_sender_charset_finish (CachetLabFiler       *self,
                                                            GAsyncResult         *result,
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
GListModel     *cachet_lab_filer_list_patients         (CachetLabFiler       *self,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
void            cachet_lab_filer_list_patients_async   (CachetLabFiler       *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GListModel     *cachet_lab_filer_list_patients_finish  (CachetLabFiler       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
