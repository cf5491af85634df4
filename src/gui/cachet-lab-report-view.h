/* cachet-lab-report-view.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-lab-history.h"
#include "cachet-lab-journal-entry.h"

G_BEGIN_DECLS

#define CACHET_TYPE_LAB_REPORT_VIEW (cachet_lab_report_view_get_type ())

G_DECLARE_FINAL_TYPE (CachetLabReportView, cachet_lab_report_view, CACHET, LAB_REPORT_VIEW, GtkWidget)

GtkWidget *cachet_lab_report_view_new           (void);
void       cachet_lab_report_view_show          (CachetLabReportView   *self,
                                                 CachetLabJournalEntry *entry,
                                                 CachetLabHistory      *history);
char      *cachet_lab_report_view_describe_flag (CachetLabFlag          flag);

G_END_DECLS
