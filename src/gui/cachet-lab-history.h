/* cachet-lab-history.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-lab-filer.h"
#include "cachet-lab-journal-entry.h"
#include "cachet-lab-report.h"

G_BEGIN_DECLS

/**
 * CachetTrendPoint:
 * @time: when the sample was taken, as a Unix time in local time
 * @value: the numeric value
 * @flag: the lab's interpretation
 *
 * One value of an analyte in one report.
 */
typedef struct
{
  gint64        time;
  double        value;
  CachetLabFlag flag;
} CachetTrendPoint;

#define CACHET_TYPE_LAB_HISTORY (cachet_lab_history_get_type ())

G_DECLARE_FINAL_TYPE (CachetLabHistory, cachet_lab_history, CACHET, LAB_HISTORY, GObject)

void              cachet_lab_history_load_async          (CachetLabFiler        *filer,
                                                          CachetLabJournalEntry *entry,
                                                          GListModel            *entries,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
CachetLabHistory *cachet_lab_history_load_finish         (GAsyncResult          *result,
                                                          GError               **error);
CachetLabReport  *cachet_lab_history_get_report          (CachetLabHistory      *self);
const char       *cachet_lab_history_get_charset_override (CachetLabHistory     *self);
gboolean          cachet_lab_history_get_original_is_own (CachetLabHistory      *self);
GArray           *cachet_lab_history_dup_trend           (CachetLabHistory      *self,
                                                          const char            *code);

gboolean          cachet_lab_parse_number                (const char            *text,
                                                          double                *value);
gint64            cachet_lab_parse_time                  (const char            *date);
char             *cachet_lab_format_date                 (const char            *date);

G_END_DECLS
