/* cachet-lab-mail-import.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-lab-filer.h"
#include "cachet-labs-error.h"
#include "cachet-store.h"

G_BEGIN_DECLS

/**
 * CACHET_LAB_FILED_KEYWORD:
 *
 * The IMAP keyword a message gets once this practice has filed its lab
 * results, so that the other workstations skip it.
 */
#define CACHET_LAB_FILED_KEYWORD "$CachetLabFiled"

/**
 * CachetLabMailReport:
 * @examined: messages read and searched for lab results
 * @skipped: messages left unread because they already carry
 *   %CACHET_LAB_FILED_KEYWORD (another workstation filed them)
 * @tagged: messages given %CACHET_LAB_FILED_KEYWORD; the server learns it at
 *   the account's next sync
 *
 * What an import from a folder, or of one message, did, besides the journal
 * entries.
 */
typedef struct
{
  guint examined;
  guint skipped;
  guint tagged;
} CachetLabMailReport;

#define CACHET_TYPE_LAB_MAIL_IMPORT (cachet_lab_mail_import_get_type ())

G_DECLARE_FINAL_TYPE (CachetLabMailImport, cachet_lab_mail_import, CACHET, LAB_MAIL_IMPORT, GObject)

CachetLabMailImport *cachet_lab_mail_import_new            (CachetStore          *store,
                                                            const char           *journal_path,
                                                            const char           *archive_dir,
                                                            const char           *inbox_dir);
void                 cachet_lab_mail_import_set_layout     (CachetLabMailImport  *self,
                                                            CachetLabLayout       layout);
GPtrArray           *cachet_lab_mail_import_run            (CachetLabMailImport  *self,
                                                            const char           *folder,
                                                            CachetLabMailReport  *report,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
void                 cachet_lab_mail_import_run_async      (CachetLabMailImport  *self,
                                                            const char           *folder,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray           *cachet_lab_mail_import_run_finish     (CachetLabMailImport  *self,
                                                            GAsyncResult         *result,
                                                            CachetLabMailReport  *report,
                                                            GError              **error);
GPtrArray           *cachet_lab_mail_import_message        (CachetLabMailImport  *self,
                                                            const char           *folder,
                                                            guint32               uid,
                                                            CachetLabMailReport  *report,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
void                 cachet_lab_mail_import_message_async  (CachetLabMailImport  *self,
                                                            const char           *folder,
                                                            guint32               uid,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray           *cachet_lab_mail_import_message_finish (CachetLabMailImport  *self,
                                                            GAsyncResult         *result,
                                                            CachetLabMailReport  *report,
                                                            GError              **error);

G_END_DECLS
