/* cachet-lab-journal-entry.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-lab-journal-entry.h"

/* One row of the import journal, immutable: what the results view lists. */

struct _CachetLabJournalEntry
{
  GObject parent_instance;

  gint64 id;
  CachetLabEntryStatus status;
  char *file_name;
  char *format;
  char *sender;
  char *patient;
  char *lab;
  char *report_id;
  char *date;
  char *folder;
  char *original_path;
  char *reason;
  GStrv files;
  gint64 related_id;
  gint64 candidate_id;
  gint64 imported_at;
};

G_DEFINE_FINAL_TYPE (CachetLabJournalEntry, cachet_lab_journal_entry, G_TYPE_OBJECT)

static const char *const status_names[] = {
  [CACHET_LAB_ENTRY_STATUS_FILED] = "filed",
  [CACHET_LAB_ENTRY_STATUS_PENDING] = "pending",
  [CACHET_LAB_ENTRY_STATUS_DUPLICATE] = "duplicate",
  [CACHET_LAB_ENTRY_STATUS_REPLACED] = "replaced",
  [CACHET_LAB_ENTRY_STATUS_UNRECOGNISED] = "unrecognised",
};

static void
cachet_lab_journal_entry_finalize (GObject *object)
{
  CachetLabJournalEntry *self = CACHET_LAB_JOURNAL_ENTRY (object);

  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->format, g_free);
  g_clear_pointer (&self->sender, g_free);
  g_clear_pointer (&self->patient, g_free);
  g_clear_pointer (&self->lab, g_free);
  g_clear_pointer (&self->report_id, g_free);
  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->original_path, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->files, g_strfreev);

  G_OBJECT_CLASS (cachet_lab_journal_entry_parent_class)->finalize (object);
}

static void
cachet_lab_journal_entry_class_init (CachetLabJournalEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_lab_journal_entry_finalize;
}

static void
cachet_lab_journal_entry_init (CachetLabJournalEntry *self)
{
}

CachetLabJournalEntry *
cachet_lab_journal_entry_new (const CachetLabEntryFields *fields)
{
  CachetLabJournalEntry *self;

  g_return_val_if_fail (fields != NULL, NULL);

  self = g_object_new (CACHET_TYPE_LAB_JOURNAL_ENTRY, NULL);
  self->id = fields->id;
  self->status = fields->status;
  self->file_name = g_strdup (fields->file_name);
  self->format = g_strdup (fields->format);
  self->sender = g_strdup (fields->sender);
  self->patient = g_strdup (fields->patient);
  self->lab = g_strdup (fields->lab);
  self->report_id = g_strdup (fields->report_id);
  self->date = g_strdup (fields->date);
  self->folder = g_strdup (fields->folder);
  self->original_path = g_strdup (fields->original_path);
  self->reason = g_strdup (fields->reason);
  self->files = g_strdupv ((GStrv) fields->files);
  self->related_id = fields->related_id;
  self->candidate_id = fields->candidate_id;
  self->imported_at = fields->imported_at;
  return self;
}

/**
 * cachet_lab_journal_entry_get_id:
 *
 * Returns: the row id, 0 for an entry that was not recorded (a file
 *   imported again)
 */
gint64
cachet_lab_journal_entry_get_id (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), 0);
  return self->id;
}

CachetLabEntryStatus
cachet_lab_journal_entry_get_status (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), CACHET_LAB_ENTRY_STATUS_UNRECOGNISED);
  return self->status;
}

const char *
cachet_lab_journal_entry_get_file_name (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return self->file_name;
}

const char *
cachet_lab_journal_entry_get_format (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return self->format;
}

/**
 * cachet_lab_journal_entry_get_sender:
 *
 * Returns: (nullable): the address the file came from, in lower case, as
 *   charset overrides are kept; %NULL for a file imported by hand
 */
const char *
cachet_lab_journal_entry_get_sender (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return self->sender;
}

const char *
cachet_lab_journal_entry_get_patient (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return self->patient;
}

const char *
cachet_lab_journal_entry_get_lab (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return self->lab;
}

const char *
cachet_lab_journal_entry_get_report_id (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return self->report_id;
}

/**
 * cachet_lab_journal_entry_get_date:
 *
 * Returns: (nullable): the sampling date, else the report date
 */
const char *
cachet_lab_journal_entry_get_date (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return self->date;
}

/**
 * cachet_lab_journal_entry_get_folder:
 *
 * Returns: (nullable): the folder the report was filed in, or the place an unreadable file is kept
 */
const char *
cachet_lab_journal_entry_get_folder (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return self->folder;
}

/**
 * cachet_lab_journal_entry_get_original_path:
 *
 * Returns: (nullable): the original file, byte for byte
 */
const char *
cachet_lab_journal_entry_get_original_path (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return self->original_path;
}

/**
 * cachet_lab_journal_entry_get_reason:
 *
 * Returns: (nullable): why the file could not be read
 */
const char *
cachet_lab_journal_entry_get_reason (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return self->reason;
}

/**
 * cachet_lab_journal_entry_get_files:
 *
 * Returns: (nullable) (array zero-terminated=1): the files written for the
 *   report in its folder: its HTML page first, then its PDF and original
 *   when there are
 */
const char * const *
cachet_lab_journal_entry_get_files (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), NULL);
  return (const char * const *) self->files;
}

/**
 * cachet_lab_journal_entry_get_candidate_id:
 *
 * Returns: for a report waiting for its patient, the known patient with
 *   the same name and date of birth, to offer the user; 0 when none
 */
gint64
cachet_lab_journal_entry_get_candidate_id (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), 0);
  return self->candidate_id;
}

/**
 * cachet_lab_journal_entry_get_related_id:
 *
 * Returns: the entry this one replaces (filed, pending) or repeats
 *   (duplicate), or 0
 */
gint64
cachet_lab_journal_entry_get_related_id (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), 0);
  return self->related_id;
}

/**
 * cachet_lab_journal_entry_get_imported_at:
 *
 * Returns: when the file was imported, in seconds since the epoch
 */
gint64
cachet_lab_journal_entry_get_imported_at (CachetLabJournalEntry *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (self), 0);
  return self->imported_at;
}

/**
 * cachet_lab_entry_status_to_string:
 *
 * Returns: the stable name of @status, as the journal and `--json` write it
 */
const char *
cachet_lab_entry_status_to_string (CachetLabEntryStatus status)
{
  g_return_val_if_fail ((gsize) status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
cachet_lab_entry_status_from_string (const char           *text,
                                     CachetLabEntryStatus *status)
{
  for (gsize i = 0; i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_strcmp0 (text, status_names[i]) == 0)
        {
          *status = (CachetLabEntryStatus) i;
          return TRUE;
        }
    }
  return FALSE;
}
