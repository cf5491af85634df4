/* cachet-lab-report-view.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-attachment-cache.h"
#include "cachet-lab-charset.h"
#include "cachet-lab-report-view.h"
#include "cachet-trend-chart.h"

/* One lab report as a doctor reads it: who, from which lab, when, then
 * the results with what is out of range marked in words, an icon and
 * colour, and for the selected analyte its values over the patient's
 * earlier reports. The files the lab sent are one click away, opened from
 * a private copy so that nothing changes the filed ones. Where accented
 * names come out garbled, the text encoding of the sender's files is one
 * choice away too; the window that owns the journal applies it. */

struct _CachetLabReportView
{
  GtkWidget              parent_instance;

  CachetLabJournalEntry *entry;
  CachetLabHistory      *history;
  GtkSingleSelection    *selection;
  GCancellable          *cancellable;
  /* The charset of each choice of encoding_row, NULL for detection. */
  GPtrArray             *encoding_charsets;
  /* Set while the choices follow a report shown, not the user. */
  gboolean               showing_encoding;
  /* The choice that matches how the report shown was read. */
  guint                  encoding_shown;

  /* Template widgets */
  AdwToastOverlay       *toast_overlay;
  GtkBox                *status_box;
  GtkLabel              *status_label;
  GtkButton             *confirm_button;
  GtkLabel              *patient_label;
  GtkLabel              *identity_label;
  GtkLabel              *details_label;
  GtkWidget             *encoding_list;
  AdwComboRow           *encoding_row;
  GtkColumnView         *results_view;
  GtkColumnViewColumn   *analysis_column;
  GtkColumnViewColumn   *value_column;
  GtkColumnViewColumn   *unit_column;
  GtkColumnViewColumn   *range_column;
  GtkColumnViewColumn   *flag_column;
  GtkBox                *trend_box;
  GtkLabel              *trend_title;
  CachetTrendChart      *trend_chart;
};

G_DEFINE_FINAL_TYPE (CachetLabReportView, cachet_lab_report_view, GTK_TYPE_WIDGET)

enum
{
  CHARSET_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * cachet_lab_report_view_describe_flag:
 *
 * Returns: (transfer full) (nullable): the lab's interpretation in words,
 *   %NULL for a normal value or none
 */
char *
cachet_lab_report_view_describe_flag (CachetLabFlag flag)
{
  switch (flag)
    {
    case CACHET_LAB_FLAG_LOW:
      return g_strdup (_("Low, below the reference range"));
    case CACHET_LAB_FLAG_HIGH:
      return g_strdup (_("High, above the reference range"));
    case CACHET_LAB_FLAG_CRITICAL_LOW:
      return g_strdup (_("Critically low"));
    case CACHET_LAB_FLAG_CRITICAL_HIGH:
      return g_strdup (_("Critically high"));
    case CACHET_LAB_FLAG_ABNORMAL:
      return g_strdup (_("Abnormal"));
    case CACHET_LAB_FLAG_NONE:
    case CACHET_LAB_FLAG_NORMAL:
    default:
      return NULL;
    }
}

static const char *
flag_icon_name (CachetLabFlag flag)
{
  switch (flag)
    {
    case CACHET_LAB_FLAG_LOW:
      return "go-down-symbolic";
    case CACHET_LAB_FLAG_HIGH:
      return "go-up-symbolic";
    case CACHET_LAB_FLAG_CRITICAL_LOW:
    case CACHET_LAB_FLAG_CRITICAL_HIGH:
      return "dialog-error-symbolic";
    case CACHET_LAB_FLAG_ABNORMAL:
      return "dialog-warning-symbolic";
    case CACHET_LAB_FLAG_NONE:
    case CACHET_LAB_FLAG_NORMAL:
    default:
      return NULL;
    }
}

static const char *
flag_css_class (CachetLabFlag flag)
{
  if (flag == CACHET_LAB_FLAG_CRITICAL_LOW || flag == CACHET_LAB_FLAG_CRITICAL_HIGH)
    return "error";
  return flag_icon_name (flag) != NULL ? "warning" : NULL;
}

/* ---- The results table ------------------------------------------------ */

static void
text_cell_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static const char *
result_label (CachetLabResult *result)
{
  const char *label = cachet_lab_result_get_label (result);

  return label != NULL ? label : cachet_lab_result_get_code (result);
}

static void
set_cell_text (GtkListItem *item,
               const char  *text)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text != NULL ? text : "");
}

static void
analysis_cell_bind_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       gpointer                  user_data)
{
  set_cell_text (item, result_label (gtk_list_item_get_item (item)));
}

static void
unit_cell_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  set_cell_text (item, cachet_lab_result_get_unit (gtk_list_item_get_item (item)));
}

static void
range_cell_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  g_autofree char *range = cachet_lab_result_dup_reference_text (gtk_list_item_get_item (item));

  set_cell_text (item, range);
}

static void
flag_cell_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  g_autofree char *flag = cachet_lab_report_view_describe_flag (cachet_lab_result_get_flag (gtk_list_item_get_item (item)));

  set_cell_text (item, flag);
}

static void
value_cell_setup_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *icon = gtk_image_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* The label's description says what the icon shows. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_list_item_set_child (item, box);
}

static void
value_cell_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  CachetLabResult *result = gtk_list_item_get_item (item);
  CachetLabFlag flag = cachet_lab_result_get_flag (result);
  GtkWidget *label = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *icon = gtk_widget_get_next_sibling (label);
  const char *icon_name = flag_icon_name (flag);
  const char *css_class = flag_css_class (flag);
  g_autofree char *description = cachet_lab_report_view_describe_flag (flag);
  const char *value = cachet_lab_result_get_value (result);

  gtk_label_set_text (GTK_LABEL (label), value != NULL ? value : "");
  /* Rows are recycled: a normal value must lose an earlier row's marks. */
  gtk_widget_set_css_classes (label, css_class != NULL ? (const char *[]) { css_class, NULL } : (const char *[]) { NULL });
  gtk_widget_set_css_classes (icon, css_class != NULL ? (const char *[]) { css_class, NULL } : (const char *[]) { NULL });
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_widget_set_visible (icon, icon_name != NULL);
  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
set_column_factory (GtkColumnViewColumn *column,
                    GCallback            setup,
                    GCallback            bind)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, NULL);
  g_signal_connect (factory, "bind", bind, NULL);
  gtk_column_view_column_set_factory (column, factory);
}

/* ---- The trend of the selected analyte --------------------------------- */

static void
selected_result_changed_cb (CachetLabReportView *self)
{
  CachetLabResult *result = gtk_single_selection_get_selected_item (self->selection);
  g_autoptr(GArray) points = NULL;
  g_autofree char *title = NULL;

  if (result == NULL || self->history == NULL || cachet_lab_result_get_code (result) == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->trend_box), FALSE);
      return;
    }
  points = cachet_lab_history_dup_trend (self->history, cachet_lab_result_get_code (result));
  cachet_trend_chart_set_series (self->trend_chart, result_label (result), cachet_lab_result_get_unit (result),
                                 points, cachet_lab_result_get_reference_low (result),
                                 cachet_lab_result_get_reference_high (result));
  /* Translators: %s is an analyte, such as Glucose */
  title = g_strdup_printf (_("%s Over Time"), result_label (result));
  gtk_label_set_text (self->trend_title, title);
  gtk_widget_set_visible (GTK_WIDGET (self->trend_box), TRUE);
}

/* ---- Opening the files ------------------------------------------------- */

typedef struct
{
  char   *file_name;
  GBytes *bytes;
} CopyJob;

static void
copy_job_free (CopyJob *job)
{
  g_free (job->file_name);
  g_bytes_unref (job->bytes);
  g_free (job);
}

static void
copy_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CopyJob *job = task_data;
  GError *error = NULL;
  GFile *copy = cachet_attachment_cache_write (job->file_name, job->bytes, &error);

  if (copy == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, copy, g_object_unref);
}

static void
show_error (CachetLabReportView *self,
            const char          *message)
{
  /* A toast's title is markup; a path may hold "<" or "&". */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static void
file_shown_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CachetLabReportView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, error->message);
}

static void
file_copied_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CachetLabReportView *self = CACHET_LAB_REPORT_VIEW (source);
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  copy = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (copy == NULL)
    {
      show_error (self, error->message);
      return;
    }
  uri = g_file_get_uri (copy);
  gtk_show_uri_full (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), uri, GDK_CURRENT_TIME,
                     self->cancellable, file_shown_cb, g_object_ref (self));
}

static void
open_copy (CachetLabReportView *self,
           const char          *file_name,
           GBytes              *bytes)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, file_copied_cb, NULL);
  CopyJob *job = g_new0 (CopyJob, 1);

  job->file_name = g_strdup (file_name);
  job->bytes = g_bytes_ref (bytes);
  g_task_set_source_tag (task, open_copy);
  g_task_set_task_data (task, job, (GDestroyNotify) copy_job_free);
  g_task_run_in_thread (task, copy_thread);
}

static void
open_original_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CachetLabReportView *self = CACHET_LAB_REPORT_VIEW (widget);
  g_autofree char *name = NULL;

  if (self->history == NULL || !cachet_lab_history_get_original_is_own (self->history))
    return;
  name = g_path_get_basename (cachet_lab_journal_entry_get_original_path (self->entry));
  open_copy (self, name, cachet_lab_report_get_original (cachet_lab_history_get_report (self->history)));
}

static void
open_pdf_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CachetLabReportView *self = CACHET_LAB_REPORT_VIEW (widget);
  CachetLabReport *report;
  g_autofree char *name = NULL;

  if (self->history == NULL)
    return;
  report = cachet_lab_history_get_report (self->history);
  if (cachet_lab_report_get_pdf (report) == NULL)
    return;
  name = g_strdup_printf ("%s.pdf", cachet_lab_report_get_report_id (report) != NULL
                                    ? cachet_lab_report_get_report_id (report) : _("report"));
  open_copy (self, name, cachet_lab_report_get_pdf (report));
}

/* ---- Showing a report -------------------------------------------------- */

static char *
describe_identity (CachetLabPatient *patient)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *birth_date = cachet_lab_patient_get_birth_date (patient);
  const char *ins = cachet_lab_patient_get_ins (patient);
  char sex = cachet_lab_patient_get_sex (patient);

  if (birth_date != NULL)
    {
      g_autofree char *day = cachet_lab_format_date (birth_date);

      g_ptr_array_add (parts, g_strdup_printf (_("Born %s"), day));
    }
  if (sex == 'F')
    g_ptr_array_add (parts, g_strdup (_("Female")));
  else if (sex == 'M')
    g_ptr_array_add (parts, g_strdup (_("Male")));
  if (ins == NULL)
    g_ptr_array_add (parts, g_strdup (_("No INS")));
  else if (cachet_lab_patient_get_ins_qualified (patient))
    g_ptr_array_add (parts, g_strdup_printf (_("INS %s, qualified"), ins));
  else
    g_ptr_array_add (parts, g_strdup_printf (_("INS %s, not qualified"), ins));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (GStrv) parts->pdata);
}

static char *
describe_details (CachetLabReport *report)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *lab = cachet_lab_report_get_lab (report);
  const char *prescriber = cachet_lab_report_get_prescriber (report);
  const char *sampling = cachet_lab_report_get_sampling_date (report);
  const char *reported = cachet_lab_report_get_report_date (report);

  if (lab != NULL)
    g_ptr_array_add (lines, g_strdup_printf (_("Laboratory: %s"), lab));
  if (prescriber != NULL)
    g_ptr_array_add (lines, g_strdup_printf (_("Prescribed by: %s"), prescriber));
  if (sampling != NULL)
    {
      g_autofree char *day = cachet_lab_format_date (sampling);

      g_ptr_array_add (lines, g_strdup_printf (_("Sampled: %s"), day));
    }
  if (reported != NULL)
    {
      g_autofree char *day = cachet_lab_format_date (reported);

      g_ptr_array_add (lines, g_strdup_printf (_("Reported: %s"), day));
    }
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (GStrv) lines->pdata);
}

static void
show_status (CachetLabReportView *self)
{
  CachetLabEntryStatus status = cachet_lab_journal_entry_get_status (self->entry);

  gtk_widget_set_visible (GTK_WIDGET (self->confirm_button), status == CACHET_LAB_ENTRY_STATUS_PENDING);
  gtk_widget_set_visible (GTK_WIDGET (self->status_box),
                          status == CACHET_LAB_ENTRY_STATUS_PENDING || status == CACHET_LAB_ENTRY_STATUS_REPLACED);
  if (status == CACHET_LAB_ENTRY_STATUS_REPLACED)
    gtk_label_set_text (self->status_label,
                        _("The lab sent a corrected version of this report, filed beside it. This one is kept as it was."));
  else if (cachet_lab_journal_entry_get_candidate_id (self->entry) > 0)
    gtk_label_set_text (self->status_label,
                        _("The identity in this report is not certain enough to file it on its own. Its name and birth date match a patient already filed: confirm that patient, or choose another, before it is filed."));
  else
    gtk_label_set_text (self->status_label,
                        _("The identity in this report is not certain enough to file it on its own. Choose its patient, or file it as a new patient under the name the lab gives."));
}

/* ---- The text encoding of the sender's files --------------------------- */

/* Text formats either declare no charset or are known to declare a wrong
 * one; XML documents declare theirs and are read as they say. */
static gboolean
format_has_text_charset (CachetLabFormat format)
{
  return format == CACHET_LAB_FORMAT_HPRIM_NET || format == CACHET_LAB_FORMAT_HPRIM_SANTE
         || format == CACHET_LAB_FORMAT_HL7V2;
}

static void
show_encoding (CachetLabReportView *self,
               CachetLabReport     *report)
{
  const char *sender = cachet_lab_journal_entry_get_sender (self->entry);
  const char *override = cachet_lab_history_get_charset_override (self->history);
  const char *used = cachet_lab_report_get_charset (report);
  const char * const *known = cachet_lab_charset_list_known ();
  g_autoptr(GtkStringList) choices = NULL;
  g_autofree char *automatic = NULL;
  g_autofree char *subtitle = NULL;
  guint selected = 0;

  /* A file imported by hand has no sender to keep an override for. */
  gtk_widget_set_visible (self->encoding_list,
                          sender != NULL && format_has_text_charset (cachet_lab_report_get_format (report)));
  if (!gtk_widget_get_visible (self->encoding_list))
    return;

  choices = gtk_string_list_new (NULL);
  g_ptr_array_set_size (self->encoding_charsets, 0);
  if (override == NULL && used != NULL)
    /* Translators: %s is the text encoding Cachet detected, such as Windows-1252 */
    automatic = g_strdup_printf (_("Automatic (%s)"), cachet_lab_charset_get_label (used));
  else
    automatic = g_strdup (_("Automatic"));
  gtk_string_list_append (choices, automatic);
  g_ptr_array_add (self->encoding_charsets, NULL);
  for (guint i = 0; known[i] != NULL; i++)
    {
      gtk_string_list_append (choices, cachet_lab_charset_get_label (known[i]));
      g_ptr_array_add (self->encoding_charsets, g_strdup (known[i]));
      if (override != NULL && g_ascii_strcasecmp (override, known[i]) == 0)
        selected = i + 1;
    }
  /* Set from the command line to a charset not offered here. */
  if (override != NULL && selected == 0)
    {
      gtk_string_list_append (choices, override);
      g_ptr_array_add (self->encoding_charsets, g_strdup (override));
      selected = self->encoding_charsets->len - 1;
    }

  self->showing_encoding = TRUE;
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (choices));
  adw_combo_row_set_selected (self->encoding_row, selected);
  self->showing_encoding = FALSE;
  self->encoding_shown = selected;
  /* Translators: %s is the mail address of a laboratory */
  subtitle = g_strdup_printf (_("For every result from %s. Change it if accented letters show wrong."), sender);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->encoding_row), subtitle);
}

static void
encoding_selected_cb (CachetLabReportView *self)
{
  guint selected = adw_combo_row_get_selected (self->encoding_row);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *charset;
  const char *override;

  if (self->showing_encoding || self->entry == NULL || self->history == NULL
      || selected >= self->encoding_charsets->len)
    return;
  charset = g_ptr_array_index (self->encoding_charsets, selected);
  override = cachet_lab_history_get_charset_override (self->history);
  if (charset == NULL ? override == NULL : override != NULL && g_ascii_strcasecmp (charset, override) == 0)
    return;
  /* A charset that cannot read this file (UTF-8 or Windows-1252, which
   * leave some bytes undefined) would leave the report unreadable, and
   * this choice out of reach: it is refused before it is kept. */
  if (charset != NULL
      && (text = cachet_lab_charset_decode (cachet_lab_report_get_original (cachet_lab_history_get_report (self->history)),
                                            charset, NULL, &error)) == NULL)
    {
      show_error (self, error->message);
      self->showing_encoding = TRUE;
      adw_combo_row_set_selected (self->encoding_row, self->encoding_shown);
      self->showing_encoding = FALSE;
      return;
    }
  g_signal_emit (self, signals[CHARSET_CHOSEN], 0, cachet_lab_journal_entry_get_sender (self->entry), charset);
}

/**
 * cachet_lab_report_view_show:
 * @entry: the journal's row for the report
 * @history: the report and its patient's history, as loaded for @entry
 */
void
cachet_lab_report_view_show (CachetLabReportView   *self,
                             CachetLabJournalEntry *entry,
                             CachetLabHistory      *history)
{
  CachetLabReport *report;
  CachetLabPatient *patient;
  g_autofree char *identity = NULL;
  g_autofree char *details = NULL;
  g_autofree char *name = NULL;
  const char *family;
  const char *given;

  g_return_if_fail (CACHET_IS_LAB_REPORT_VIEW (self));
  g_return_if_fail (CACHET_IS_LAB_JOURNAL_ENTRY (entry));
  g_return_if_fail (CACHET_IS_LAB_HISTORY (history));

  g_set_object (&self->entry, entry);
  g_set_object (&self->history, history);
  report = cachet_lab_history_get_report (history);
  patient = cachet_lab_report_get_patient (report);

  family = cachet_lab_patient_get_family_name (patient);
  given = cachet_lab_patient_get_given_names (patient);
  name = g_strjoin (" ", family != NULL ? family : "", given != NULL ? given : "", NULL);
  gtk_label_set_text (self->patient_label, g_strstrip (name));
  identity = describe_identity (patient);
  gtk_label_set_text (self->identity_label, identity);
  details = describe_details (report);
  gtk_label_set_text (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), *details != '\0');
  show_status (self);
  show_encoding (self, report);

  gtk_single_selection_set_model (self->selection, cachet_lab_report_get_results (report));
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  selected_result_changed_cb (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.open-original",
                                 cachet_lab_history_get_original_is_own (history)
                                 && cachet_lab_report_get_original (report) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.open-pdf", cachet_lab_report_get_pdf (report) != NULL);
}

/**
 * cachet_lab_report_view_new:
 *
 * Returns: (transfer floating): an empty report view
 */
GtkWidget *
cachet_lab_report_view_new (void)
{
  return g_object_new (CACHET_TYPE_LAB_REPORT_VIEW, NULL);
}

static void
cachet_lab_report_view_dispose (GObject *object)
{
  CachetLabReportView *self = CACHET_LAB_REPORT_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* First: a combo row torn down is no choice of the user's. */
  g_clear_object (&self->history);
  g_clear_object (&self->entry);
  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_LAB_REPORT_VIEW);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->encoding_charsets, g_ptr_array_unref);

  G_OBJECT_CLASS (cachet_lab_report_view_parent_class)->dispose (object);
}

static void
cachet_lab_report_view_class_init (CachetLabReportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_lab_report_view_dispose;

  g_type_ensure (CACHET_TYPE_TREND_CHART);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-lab-report-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, status_box);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, status_label);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, patient_label);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, identity_label);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, details_label);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, encoding_list);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, results_view);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, analysis_column);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, value_column);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, unit_column);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, range_column);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, flag_column);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, trend_box);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, trend_title);
  gtk_widget_class_bind_template_child (widget_class, CachetLabReportView, trend_chart);

  gtk_widget_class_bind_template_callback (widget_class, encoding_selected_cb);

  /**
   * CachetLabReportView::charset-chosen:
   * @sender: the address the report's file came from
   * @charset: (nullable): the charset the user chose for the sender's
   *   files, %NULL to detect it
   *
   * The user chose how to read the text files of the report's sender; the
   * view is unchanged until it is shown again with the report read anew.
   */
  signals[CHARSET_CHOSEN] = g_signal_new ("charset-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "report.open-original", NULL, open_original_action);
  gtk_widget_class_install_action (widget_class, "report.open-pdf", NULL, open_pdf_action);
}

static void
cachet_lab_report_view_init (CachetLabReportView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->encoding_charsets = g_ptr_array_new_with_free_func (g_free);
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selected_result_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->results_view, GTK_SELECTION_MODEL (self->selection));

  set_column_factory (self->analysis_column, G_CALLBACK (text_cell_setup_cb), G_CALLBACK (analysis_cell_bind_cb));
  set_column_factory (self->value_column, G_CALLBACK (value_cell_setup_cb), G_CALLBACK (value_cell_bind_cb));
  set_column_factory (self->unit_column, G_CALLBACK (text_cell_setup_cb), G_CALLBACK (unit_cell_bind_cb));
  set_column_factory (self->range_column, G_CALLBACK (text_cell_setup_cb), G_CALLBACK (range_cell_bind_cb));
  set_column_factory (self->flag_column, G_CALLBACK (text_cell_setup_cb), G_CALLBACK (flag_cell_bind_cb));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.open-original", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.open-pdf", FALSE);
}
