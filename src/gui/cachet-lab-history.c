/* cachet-lab-history.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cachet-lab-history.h"
#include "cachet-lab-parser.h"
#include "cachet-labs-error.h"

/* One report as the journal filed it, read again from its original, with
 * the other reports filed in the same patient's folder: the journal keeps
 * where things are, not what they say, and the original is the only copy
 * that is certain to be what the lab sent. Each original is read with its
 * sender's charset override as the journal has it now, so that a name
 * misread at import reads right once the user has chosen the charset. */

struct _CachetLabHistory
{
  GObject          parent_instance;

  CachetLabReport *report;
  /* The sender's charset override the report was read with, if any. */
  char            *charset_override;
  /* Whether the original file holds this report alone, rather than other
   * patients' too. */
  gboolean         original_is_own;
  /* The patient's other reports, for trends. */
  GPtrArray       *reports;
};

G_DEFINE_FINAL_TYPE (CachetLabHistory, cachet_lab_history, G_TYPE_OBJECT)

static void
cachet_lab_history_finalize (GObject *object)
{
  CachetLabHistory *self = CACHET_LAB_HISTORY (object);

  g_clear_object (&self->report);
  g_clear_pointer (&self->charset_override, g_free);
  g_clear_pointer (&self->reports, g_ptr_array_unref);

  G_OBJECT_CLASS (cachet_lab_history_parent_class)->finalize (object);
}

static void
cachet_lab_history_class_init (CachetLabHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_lab_history_finalize;
}

static void
cachet_lab_history_init (CachetLabHistory *self)
{
  self->reports = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * cachet_lab_parse_number:
 * @text: (nullable): a value as a lab writes it, with a decimal point or
 *   comma
 * @value: (out): the number
 *
 * Returns: whether @text is a plain number; `<0.5` and `>100` are not,
 *   because drawing them as 0.5 and 100 would say more than the lab did
 */
gboolean
cachet_lab_parse_number (const char *text,
                         double     *value)
{
  g_autofree char *copy = NULL;
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return FALSE;
  g_strdelimit (copy, ",", '.');
  *value = g_ascii_strtod (copy, &end);
  return end != NULL && *end == '\0' && isfinite (*value);
}

/**
 * cachet_lab_parse_time:
 * @date: (nullable): `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`, as the parsers
 *   give dates
 *
 * Returns: the Unix time of @date in local time, or 0 when it has none
 */
gint64
cachet_lab_parse_time (const char *date)
{
  g_autoptr(GDateTime) time = NULL;
  int year, month, day, hour = 0, minute = 0;

  if (date == NULL || sscanf (date, "%4d-%2d-%2d", &year, &month, &day) != 3)
    return 0;
  if (strlen (date) >= 16 && date[10] == 'T')
    sscanf (date + 11, "%2d:%2d", &hour, &minute);
  time = g_date_time_new_local (year, month, day, hour, minute, 0);
  return time != NULL ? g_date_time_to_unix (time) : 0;
}

/**
 * cachet_lab_format_date:
 * @date: (nullable): a date as cachet_lab_parse_time() reads it
 *
 * Returns: (transfer full) (nullable): @date as the user reads dates, or
 *   as it is when it is not one
 */
char *
cachet_lab_format_date (const char *date)
{
  g_autoptr(GDateTime) time = NULL;
  gint64 unix_time = cachet_lab_parse_time (date);

  if (unix_time == 0)
    return g_strdup (date);
  time = g_date_time_new_from_unix_local (unix_time);
  if (strlen (date) >= 16)
    /* Translators: a date and time, see g_date_time_format() */
    return g_date_time_format (time, _("%d/%m/%Y %H:%M"));
  /* Translators: a date, see g_date_time_format() */
  return g_date_time_format (time, _("%d/%m/%Y"));
}

static const char *
report_date (CachetLabReport *report)
{
  const char *sampling = cachet_lab_report_get_sampling_date (report);

  return sampling != NULL ? sampling : cachet_lab_report_get_report_date (report);
}

/* A file may hold several patients' reports: the entry's is the one the
 * filer described with the same id and date, and the same patient when
 * those are not enough. The name is the last resort: read with another
 * charset than at import, it is not what the journal has. */
static CachetLabReport *
find_report (GPtrArray             *reports,
             CachetLabJournalEntry *entry)
{
  CachetLabReport *found = NULL;
  guint n_found = 0;

  if (reports->len == 1)
    return g_object_ref (g_ptr_array_index (reports, 0));

  for (guint i = 0; i < reports->len; i++)
    {
      CachetLabReport *report = g_ptr_array_index (reports, i);

      if (g_strcmp0 (cachet_lab_report_get_report_id (report), cachet_lab_journal_entry_get_report_id (entry)) == 0
          && g_strcmp0 (report_date (report), cachet_lab_journal_entry_get_date (entry)) == 0)
        {
          g_autofree char *patient = cachet_lab_patient_dup_display_name (cachet_lab_report_get_patient (report));

          if (g_strcmp0 (patient, cachet_lab_journal_entry_get_patient (entry)) == 0)
            return g_object_ref (report);
          found = report;
          n_found++;
        }
    }
  return n_found == 1 ? g_object_ref (found) : NULL;
}

/* The PDF that came beside the report (in the same message) was filed
 * next to it rather than kept in the report. */
static gboolean
read_filed_pdf (CachetLabReport        *report,
                CachetLabJournalEntry  *entry,
                GError                **error)
{
  const char * const *files = cachet_lab_journal_entry_get_files (entry);

  if (cachet_lab_report_get_pdf (report) != NULL || files == NULL)
    return TRUE;
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) pdf = NULL;
      gsize size = 0;

      if (!g_str_has_suffix (files[i], ".pdf"))
        continue;
      if (!g_file_get_contents (files[i], &contents, &size, error))
        return FALSE;
      pdf = g_bytes_new_take (g_steal_pointer (&contents), size);
      cachet_lab_report_set_pdf (report, pdf);
      return TRUE;
    }
  return TRUE;
}

/* @alone: (out) (optional): whether the file holds this report only
 * @charset_override: (out) (optional): the sender's override it was read with */
static CachetLabReport *
read_report (CachetLabFiler         *filer,
             CachetLabJournalEntry  *entry,
             gboolean               *alone,
             char                  **charset_override,
             GError                **error)
{
  const char *path = cachet_lab_journal_entry_get_original_path (entry);
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(CachetLabReport) report = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *charset = NULL;
  gsize size = 0;

  if (path == NULL)
    {
      g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_JOURNAL,
                   _("The import journal does not say where this result’s original file is"));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &size, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), size);
  if (!cachet_lab_filer_lookup_entry_charset (filer, cachet_lab_journal_entry_get_id (entry), &charset, error))
    return NULL;
  reports = cachet_lab_parse (bytes, cachet_lab_detect_format (bytes, path), charset, error);
  if (reports == NULL)
    return NULL;
  if (alone != NULL)
    *alone = reports->len == 1;
  if ((report = find_report (reports, entry)) == NULL)
    {
      g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INTEGRITY,
                   _("The original file “%s” no longer holds this result"), path);
      return NULL;
    }
  if (charset_override != NULL)
    *charset_override = g_steal_pointer (&charset);
  return g_steal_pointer (&report);
}

typedef struct
{
  CachetLabFiler *filer;
  /* The entry asked for, then the other reports of its patient. */
  GPtrArray      *entries;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->filer);
  g_ptr_array_unref (data->entries);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GPtrArray *entries = data->entries;
  g_autoptr(CachetLabHistory) self = g_object_new (CACHET_TYPE_LAB_HISTORY, NULL);
  GError *error = NULL;

  if ((self->report = read_report (data->filer, g_ptr_array_index (entries, 0), &self->original_is_own,
                                   &self->charset_override, &error)) == NULL
      || !read_filed_pdf (self->report, g_ptr_array_index (entries, 0), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_add (self->reports, g_object_ref (self->report));
  for (guint i = 1; i < entries->len; i++)
    {
      g_autoptr(GError) other_error = NULL;
      CachetLabReport *other;

      if (g_task_return_error_if_cancelled (task))
        return;
      /* One unreadable earlier report leaves a gap in a trend, not an
       * error over the report asked for. */
      if ((other = read_report (data->filer, g_ptr_array_index (entries, i), NULL, NULL, &other_error)) != NULL)
        g_ptr_array_add (self->reports, other);
      else
        g_debug ("An earlier lab report cannot be read and is left out of trends (%s)",
                 g_quark_to_string (other_error->domain));
    }
  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

/**
 * cachet_lab_history_load_async:
 * @filer: the filer whose journal holds @entry, for the senders' charsets
 * @entry: a report the journal filed, pending or replaced
 * @entries: (element-type CachetLabJournalEntry): the journal, where the
 *   patient's other reports are found
 *
 * Reads @entry's report from its original file and, when it is filed, the
 * reports filed in the same patient's folder, in a worker.
 */
void
cachet_lab_history_load_async (CachetLabFiler        *filer,
                               CachetLabJournalEntry *entry,
                               GListModel            *entries,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *to_read;
  LoadData *data;
  const char *folder;
  guint n_entries;

  g_return_if_fail (CACHET_IS_LAB_FILER (filer));
  g_return_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (entry));
  g_return_if_fail (G_IS_LIST_MODEL (entries));

  task = g_task_new (NULL, cancellable, callback, user_data);
  to_read = g_ptr_array_new_with_free_func (g_object_unref);
  folder = cachet_lab_journal_entry_get_folder (entry);
  n_entries = g_list_model_get_n_items (entries);

  g_ptr_array_add (to_read, g_object_ref (entry));
  /* Only filed reports make a patient's history: a pending one's patient
   * is not certain yet, and a replaced one was corrected. */
  for (guint i = 0; i < n_entries && cachet_lab_journal_entry_get_status (entry) == CACHET_LAB_ENTRY_STATUS_FILED; i++)
    {
      g_autoptr(CachetLabJournalEntry) other = g_list_model_get_item (entries, i);

      if (cachet_lab_journal_entry_get_id (other) != cachet_lab_journal_entry_get_id (entry)
          && cachet_lab_journal_entry_get_status (other) == CACHET_LAB_ENTRY_STATUS_FILED
          && g_strcmp0 (cachet_lab_journal_entry_get_folder (other), folder) == 0)
        g_ptr_array_add (to_read, g_steal_pointer (&other));
    }

  data = g_new0 (LoadData, 1);
  data->filer = g_object_ref (filer);
  data->entries = to_read;
  g_task_set_source_tag (task, cachet_lab_history_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * cachet_lab_history_load_finish:
 *
 * Returns: (transfer full) (nullable): the report and its patient's history
 */
CachetLabHistory *
cachet_lab_history_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cachet_lab_history_get_report:
 *
 * Returns: (transfer none): the report asked for
 */
CachetLabReport *
cachet_lab_history_get_report (CachetLabHistory *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_HISTORY (self), NULL);
  return self->report;
}

/**
 * cachet_lab_history_get_charset_override:
 *
 * Returns: (nullable): the charset the sender's override names, which the
 *   report was read with; %NULL when its charset was detected
 */
const char *
cachet_lab_history_get_charset_override (CachetLabHistory *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_HISTORY (self), NULL);
  return self->charset_override;
}

/**
 * cachet_lab_history_get_original_is_own:
 *
 * Returns: whether the original file holds the report alone; a file of
 *   several patients' reports is not shown with one of them
 */
gboolean
cachet_lab_history_get_original_is_own (CachetLabHistory *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_HISTORY (self), FALSE);
  return self->original_is_own;
}

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const CachetTrendPoint *first = a;
  const CachetTrendPoint *second = b;

  return (first->time > second->time) - (first->time < second->time);
}

/**
 * cachet_lab_history_dup_trend:
 * @code: the analyte's code, as the lab gives it
 *
 * The dated numeric values of one analyte across the patient's reports;
 * values that are not plain numbers and undated reports are left out.
 *
 * Returns: (transfer full) (element-type CachetTrendPoint): the values,
 *   oldest first
 */
GArray *
cachet_lab_history_dup_trend (CachetLabHistory *self,
                              const char       *code)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (CachetTrendPoint));

  g_return_val_if_fail (CACHET_IS_LAB_HISTORY (self), points);
  g_return_val_if_fail (code != NULL, points);

  for (guint i = 0; i < self->reports->len; i++)
    {
      CachetLabReport *report = g_ptr_array_index (self->reports, i);
      GListModel *results = cachet_lab_report_get_results (report);
      gint64 time = cachet_lab_parse_time (report_date (report));
      guint n_results = g_list_model_get_n_items (results);

      for (guint j = 0; j < n_results && time != 0; j++)
        {
          g_autoptr(CachetLabResult) result = g_list_model_get_item (results, j);
          CachetTrendPoint point = { .time = time, .flag = cachet_lab_result_get_flag (result) };

          if (g_strcmp0 (cachet_lab_result_get_code (result), code) == 0
              && cachet_lab_parse_number (cachet_lab_result_get_value (result), &point.value))
            g_array_append_val (points, point);
        }
    }
  g_array_sort (points, compare_points);
  return points;
}
