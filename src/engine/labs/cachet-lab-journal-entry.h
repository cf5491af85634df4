/* cachet-lab-journal-entry.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CachetLabEntryStatus:
 * @CACHET_LAB_ENTRY_STATUS_FILED: filed in the patient's folder
 * @CACHET_LAB_ENTRY_STATUS_PENDING: waiting for the user to confirm the
 *   patient: the identity is not strong enough to file on its own
 * @CACHET_LAB_ENTRY_STATUS_DUPLICATE: the same report was already filed
 * @CACHET_LAB_ENTRY_STATUS_REPLACED: a later version of the report was
 *   filed; this one stays where it is
 * @CACHET_LAB_ENTRY_STATUS_UNRECOGNISED: the file could not be read; it is
 *   kept unchanged with the reason
 */
typedef enum
{
  CACHET_LAB_ENTRY_STATUS_FILED,
  CACHET_LAB_ENTRY_STATUS_PENDING,
  CACHET_LAB_ENTRY_STATUS_DUPLICATE,
  CACHET_LAB_ENTRY_STATUS_REPLACED,
  CACHET_LAB_ENTRY_STATUS_UNRECOGNISED,
} CachetLabEntryStatus;

/**
 * CachetLabEntryFields:
 *
 * What a journal row holds; strings are owned by the caller.
 */
typedef struct
{
  gint64                id;
  CachetLabEntryStatus  status;
  const char           *file_name;
  const char           *format;
  const char           *sender;
  const char           *patient;
  const char           *lab;
  const char           *report_id;
  const char           *date;
  const char           *folder;
  const char           *original_path;
  const char           *reason;
  const char * const   *files;
  gint64                related_id;
  gint64                candidate_id;
  gint64                imported_at;
} CachetLabEntryFields;

#define CACHET_TYPE_LAB_JOURNAL_ENTRY (cachet_lab_journal_entry_get_type ())

G_DECLARE_FINAL_TYPE (CachetLabJournalEntry, cachet_lab_journal_entry, CACHET, LAB_JOURNAL_ENTRY, GObject)

CachetLabJournalEntry *cachet_lab_journal_entry_new               (const CachetLabEntryFields *fields);
gint64                 cachet_lab_journal_entry_get_id            (CachetLabJournalEntry      *self);
CachetLabEntryStatus   cachet_lab_journal_entry_get_status        (CachetLabJournalEntry      *self);
const char            *cachet_lab_journal_entry_get_file_name     (CachetLabJournalEntry      *self);
const char            *cachet_lab_journal_entry_get_format        (CachetLabJournalEntry      *self);
const char            *cachet_lab_journal_entry_get_sender        (CachetLabJournalEntry      *self);
const char            *cachet_lab_journal_entry_get_patient       (CachetLabJournalEntry      *self);
const char            *cachet_lab_journal_entry_get_lab           (CachetLabJournalEntry      *self);
const char            *cachet_lab_journal_entry_get_report_id     (CachetLabJournalEntry      *self);
const char            *cachet_lab_journal_entry_get_date          (CachetLabJournalEntry      *self);
const char            *cachet_lab_journal_entry_get_folder        (CachetLabJournalEntry      *self);
const char            *cachet_lab_journal_entry_get_original_path (CachetLabJournalEntry      *self);
const char            *cachet_lab_journal_entry_get_reason        (CachetLabJournalEntry      *self);
const char * const    *cachet_lab_journal_entry_get_files         (CachetLabJournalEntry      *self);
gint64                 cachet_lab_journal_entry_get_related_id    (CachetLabJournalEntry      *self);
gint64                 cachet_lab_journal_entry_get_candidate_id  (CachetLabJournalEntry      *self);
gint64                 cachet_lab_journal_entry_get_imported_at   (CachetLabJournalEntry      *self);

const char            *cachet_lab_entry_status_to_string          (CachetLabEntryStatus        status);
gboolean               cachet_lab_entry_status_from_string        (const char                 *text,
                                                                   CachetLabEntryStatus       *status);

G_END_DECLS
