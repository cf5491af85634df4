/* cachet-results-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-lab-history.h"
#include "cachet-lab-report-view.h"
#include "cachet-patient-dialog.h"
#include "cachet-results-window.h"

/* Every lab report the import journal holds, newest first, with what was
 * done with it in words, and the selected one beside the list. A report
 * whose patient is not certain waits here for the user to confirm it:
 * the journal never files it with a patient on its own. */

struct _CachetResultsWindow
{
  AdwWindow            parent_instance;

  CachetLabFiler      *filer;
  GListModel          *entries;
  GtkSortListModel    *sorted;
  GtkCustomFilter     *filter;
  GtkSingleSelection  *selection;
  GCancellable        *cancellable;
  GCancellable        *report_cancellable;
  /* The selected report as read, for the identity it gives. */
  CachetLabHistory    *history;
  /* After a refresh, the report that was selected before it. */
  gint64               reselect_id;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwLeaflet          *leaflet;
  GtkSearchEntry      *search_entry;
  GtkStack            *list_stack;
  GtkListView         *report_list;
  GtkStack            *report_stack;
  AdwStatusPage       *message_page;
  AdwWindowTitle      *report_title;
  CachetLabReportView *report_view;
};

G_DEFINE_FINAL_TYPE (CachetResultsWindow, cachet_results_window, ADW_TYPE_WINDOW)

/**
 * cachet_results_window_describe_status:
 *
 * Returns: (transfer none): what the import did with a report, in words
 */
const char *
cachet_results_window_describe_status (CachetLabEntryStatus status)
{
  switch (status)
    {
    case CACHET_LAB_ENTRY_STATUS_FILED:
      return _("Filed");
    case CACHET_LAB_ENTRY_STATUS_PENDING:
      return _("Waiting for patient confirmation");
    case CACHET_LAB_ENTRY_STATUS_DUPLICATE:
      return _("Duplicate");
    case CACHET_LAB_ENTRY_STATUS_REPLACED:
      return _("Replaced");
    case CACHET_LAB_ENTRY_STATUS_UNRECOGNISED:
    default:
      return _("Error");
    }
}

/* Duplicates of a whole file and unreadable files name no patient. */
static const char *
entry_title (CachetLabJournalEntry *entry)
{
  const char *patient = cachet_lab_journal_entry_get_patient (entry);
  const char *file_name = cachet_lab_journal_entry_get_file_name (entry);

  if (patient != NULL)
    return patient;
  if (file_name != NULL && *file_name != '\0')
    return file_name;
  return _("Unknown patient");
}

static char *
entry_subtitle (CachetLabJournalEntry *entry)
{
  g_autofree char *date = cachet_lab_format_date (cachet_lab_journal_entry_get_date (entry));
  const char *lab = cachet_lab_journal_entry_get_lab (entry);

  if (lab != NULL && date != NULL)
    /* Translators: a laboratory, then the date of its report */
    return g_strdup_printf (_("%s · %s"), lab, date);
  return g_strdup (lab != NULL ? lab : date != NULL ? date : "");
}

/* ---- The list ---------------------------------------------------------- */

static GtkWidget *
new_row_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
report_row_setup_cb (CachetResultsWindow *self,
                     GtkListItem         *item,
                     GtkListItemFactory  *factory)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), new_row_label ("heading"));
  gtk_box_append (GTK_BOX (box), new_row_label ("dim-label"));
  gtk_box_append (GTK_BOX (box), new_row_label ("caption"));
  gtk_list_item_set_child (item, box);
}

static void
report_row_bind_cb (CachetResultsWindow *self,
                    GtkListItem         *item,
                    GtkListItemFactory  *factory)
{
  CachetLabJournalEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *title = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  GtkWidget *status = gtk_widget_get_next_sibling (subtitle);
  CachetLabEntryStatus entry_status = cachet_lab_journal_entry_get_status (entry);
  g_autofree char *subtitle_text = entry_subtitle (entry);

  gtk_label_set_text (GTK_LABEL (title), entry_title (entry));
  gtk_label_set_text (GTK_LABEL (subtitle), subtitle_text);
  gtk_label_set_text (GTK_LABEL (status), cachet_results_window_describe_status (entry_status));
  /* What needs the user stands out, in words first. */
  if (entry_status == CACHET_LAB_ENTRY_STATUS_PENDING)
    gtk_widget_add_css_class (status, "warning");
  else
    gtk_widget_remove_css_class (status, "warning");
  if (entry_status == CACHET_LAB_ENTRY_STATUS_UNRECOGNISED)
    gtk_widget_add_css_class (status, "error");
  else
    gtk_widget_remove_css_class (status, "error");
}

static gboolean
filter_entry (gpointer item,
              gpointer user_data)
{
  CachetResultsWindow *self = user_data;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* Word prefixes, accents optional: "dur hel" finds DURAND Hélène. */
  return *search == '\0' || g_str_match_string (search, entry_title (item), TRUE);
}

static void
search_changed_cb (CachetResultsWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b,
                      gpointer      user_data)
{
  gint64 first = cachet_lab_journal_entry_get_id ((CachetLabJournalEntry *) a);
  gint64 second = cachet_lab_journal_entry_get_id ((CachetLabJournalEntry *) b);

  return (first < second) - (first > second);
}

/* ---- The selected report ----------------------------------------------- */

static void
show_message (CachetResultsWindow *self,
              const char          *title,
              const char          *description)
{
  adw_status_page_set_title (self->message_page, title);
  adw_status_page_set_description (self->message_page, description);
  gtk_stack_set_visible_child_name (self->report_stack, "message");
}

static void
history_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CachetResultsWindow) self = user_data;
  g_autoptr(CachetLabHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  CachetLabJournalEntry *entry;

  history = cachet_lab_history_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (history == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      show_message (self, _("Cannot Read This Report"), escaped);
      return;
    }
  entry = gtk_single_selection_get_selected_item (self->selection);
  g_set_object (&self->history, history);
  /* The patient is chosen with the identity the report gives in view. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "results.confirm-patient",
                                 cachet_lab_journal_entry_get_status (entry) == CACHET_LAB_ENTRY_STATUS_PENDING);
  /* The name as read now, with the sender's charset: the journal keeps
   * the one read at import. */
  display = cachet_lab_patient_dup_display_name (cachet_lab_report_get_patient (cachet_lab_history_get_report (history)));
  adw_window_title_set_title (self->report_title, display);
  cachet_lab_report_view_show (self->report_view, entry, history);
  gtk_stack_set_visible_child_name (self->report_stack, "report");
}

/* Reads @entry's report in a worker; what the window shows stays until
 * it is read, so that choosing an encoding keeps the focus where it is. */
static void
load_report (CachetResultsWindow   *self,
             CachetLabJournalEntry *entry)
{
  cachet_lab_history_load_async (self->filer, entry, self->entries, self->report_cancellable, history_loaded_cb,
                                 g_object_ref (self));
}

static void
show_entry (CachetResultsWindow   *self,
            CachetLabJournalEntry *entry)
{
  g_autofree char *subtitle = entry_subtitle (entry);

  adw_window_title_set_title (self->report_title, entry_title (entry));
  adw_window_title_set_subtitle (self->report_title, subtitle);

  switch (cachet_lab_journal_entry_get_status (entry))
    {
    case CACHET_LAB_ENTRY_STATUS_DUPLICATE:
      show_message (self, _("Already Filed"),
                    _("This report had been received before: it was not filed a second time."));
      break;
    case CACHET_LAB_ENTRY_STATUS_UNRECOGNISED:
      {
        g_autofree char *reason = g_markup_printf_escaped (_("%s\nThe file is kept unchanged in %s."),
                                                           cachet_lab_journal_entry_get_reason (entry),
                                                           cachet_lab_journal_entry_get_folder (entry));

        show_message (self, _("Cannot Read This File"), reason);
      }
      break;
    case CACHET_LAB_ENTRY_STATUS_FILED:
    case CACHET_LAB_ENTRY_STATUS_PENDING:
    case CACHET_LAB_ENTRY_STATUS_REPLACED:
    default:
      gtk_stack_set_visible_child_name (self->report_stack, "loading");
      load_report (self, entry);
      break;
    }
}

static void
selected_entry_changed_cb (CachetResultsWindow *self)
{
  CachetLabJournalEntry *entry = gtk_single_selection_get_selected_item (self->selection);

  /* Only the report now selected may be shown when its reading ends. */
  g_cancellable_cancel (self->report_cancellable);
  g_clear_object (&self->report_cancellable);
  self->report_cancellable = g_cancellable_new ();

  g_clear_object (&self->history);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "results.confirm-patient", FALSE);
  if (entry == NULL)
    {
      adw_window_title_set_title (self->report_title, NULL);
      adw_window_title_set_subtitle (self->report_title, NULL);
      show_message (self, _("No Report Selected"), NULL);
      return;
    }
  show_entry (self, entry);
  adw_leaflet_set_visible_child_name (self->leaflet, "report");
}

static void
sender_charset_set_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CachetResultsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CachetLabJournalEntry *entry;
  gboolean set = cachet_lab_filer_set_sender_charset_finish (CACHET_LAB_FILER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!set)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
    }
  /* Read again either way: the choices then show what the journal says. */
  entry = gtk_single_selection_get_selected_item (self->selection);
  if (entry != NULL)
    load_report (self, entry);
}

static void
charset_chosen_cb (CachetResultsWindow *self,
                   const char          *sender,
                   const char          *charset)
{
  /* Cancelled with the report: choosing another one drops the reading. */
  cachet_lab_filer_set_sender_charset_async (self->filer, sender, charset, self->report_cancellable,
                                             sender_charset_set_cb, g_object_ref (self));
}

static void
back_clicked_cb (CachetResultsWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* ---- Reading the journal ----------------------------------------------- */

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GListModel *entries = cachet_lab_filer_list_entries (task_data, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, g_object_unref);
}

static void
select_entry (CachetResultsWindow *self,
              gint64               id)
{
  GListModel *shown = G_LIST_MODEL (self->selection);
  guint n_items = g_list_model_get_n_items (shown);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(CachetLabJournalEntry) entry = g_list_model_get_item (shown, i);

      if (cachet_lab_journal_entry_get_id (entry) == id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

static void
entries_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CachetResultsWindow) self = user_data;
  g_autoptr(GListModel) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (entries == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_status_page_set_title (ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->list_stack, "empty")),
                                 _("Cannot Read the Import Journal"));
      adw_status_page_set_description (ADW_STATUS_PAGE (gtk_stack_get_child_by_name (self->list_stack, "empty")),
                                       escaped);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
      return;
    }

  g_set_object (&self->entries, entries);
  gtk_sort_list_model_set_model (self->sorted, entries);
  gtk_stack_set_visible_child_name (self->list_stack, g_list_model_get_n_items (entries) > 0 ? "list" : "empty");
  if (self->reselect_id > 0)
    select_entry (self, self->reselect_id);
  self->reselect_id = 0;
}

static void
reload (CachetResultsWindow *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, entries_listed_cb, g_object_ref (self));

  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, g_object_ref (self->filer), g_object_unref);
  g_task_run_in_thread (task, list_thread);
}

/* ---- Confirming a patient ---------------------------------------------- */

static void
patient_confirmed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CachetResultsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cachet_lab_filer_confirm_patient_finish (CACHET_LAB_FILER (source), result, &error))
    {
      g_autofree char *escaped = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      escaped = g_markup_escape_text (error->message, -1);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
      return;
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Filed in the patient’s folder")));
  reload (self);
}

static void
patient_chosen_cb (CachetPatientDialog *dialog,
                   gint64               patient_id,
                   gpointer             user_data)
{
  CachetResultsWindow *self = CACHET_RESULTS_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  CachetLabJournalEntry *entry = user_data;

  self->reselect_id = cachet_lab_journal_entry_get_id (entry);
  cachet_lab_filer_confirm_patient_async (self->filer, cachet_lab_journal_entry_get_id (entry), patient_id,
                                          self->cancellable, patient_confirmed_cb, g_object_ref (self));
}

static void
confirm_patient_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CachetResultsWindow *self = CACHET_RESULTS_WINDOW (widget);
  CachetLabJournalEntry *entry = gtk_single_selection_get_selected_item (self->selection);
  CachetPatientDialog *dialog;

  if (entry == NULL || self->history == NULL
      || cachet_lab_journal_entry_get_status (entry) != CACHET_LAB_ENTRY_STATUS_PENDING)
    return;

  dialog = cachet_patient_dialog_new (GTK_WINDOW (self), self->filer,
                                      cachet_lab_report_get_patient (cachet_lab_history_get_report (self->history)),
                                      cachet_lab_journal_entry_get_candidate_id (entry));
  g_signal_connect_data (dialog, "patient-chosen", G_CALLBACK (patient_chosen_cb), g_object_ref (entry),
                         (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- The window -------------------------------------------------------- */

/**
 * cachet_results_window_new:
 * @filer: the filer whose journal is shown
 *
 * Returns: (transfer full): a window listing the imported lab reports; it
 *   reads the journal in a worker and shows it when read
 */
CachetResultsWindow *
cachet_results_window_new (CachetLabFiler *filer)
{
  CachetResultsWindow *self;

  g_return_val_if_fail (CACHET_IS_LAB_FILER (filer), NULL);

  self = g_object_new (CACHET_TYPE_RESULTS_WINDOW, NULL);
  self->filer = g_object_ref (filer);
  reload (self);
  return self;
}

static gboolean
cachet_results_window_close_request (GtkWindow *window)
{
  CachetResultsWindow *self = CACHET_RESULTS_WINDOW (window);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->report_cancellable);

  return GTK_WINDOW_CLASS (cachet_results_window_parent_class)->close_request (window);
}

static void
cachet_results_window_dispose (GObject *object)
{
  CachetResultsWindow *self = CACHET_RESULTS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->report_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_RESULTS_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorted);
  g_clear_object (&self->entries);
  g_clear_object (&self->history);
  g_clear_object (&self->report_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->filer);

  G_OBJECT_CLASS (cachet_results_window_parent_class)->dispose (object);
}

static void
cachet_results_window_class_init (CachetResultsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cachet_results_window_dispose;
  window_class->close_request = cachet_results_window_close_request;

  g_type_ensure (CACHET_TYPE_LAB_REPORT_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-results-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetResultsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CachetResultsWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CachetResultsWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetResultsWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CachetResultsWindow, report_list);
  gtk_widget_class_bind_template_child (widget_class, CachetResultsWindow, report_stack);
  gtk_widget_class_bind_template_child (widget_class, CachetResultsWindow, message_page);
  gtk_widget_class_bind_template_child (widget_class, CachetResultsWindow, report_title);
  gtk_widget_class_bind_template_child (widget_class, CachetResultsWindow, report_view);
  gtk_widget_class_bind_template_callback (widget_class, report_row_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, report_row_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, charset_chosen_cb);

  gtk_widget_class_install_action (widget_class, "results.confirm-patient", NULL, confirm_patient_action);
}

static void
cachet_results_window_init (CachetResultsWindow *self)
{
  GtkFilterListModel *filtered;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->report_cancellable = g_cancellable_new ();
  self->sorted = gtk_sort_list_model_new (NULL, GTK_SORTER (gtk_custom_sorter_new (compare_newest_first, NULL, NULL)));
  self->filter = gtk_custom_filter_new (filter_entry, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->sorted)),
                                        GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selected_entry_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->report_list, GTK_SELECTION_MODEL (self->selection));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "results.confirm-patient", FALSE);
  show_message (self, _("No Report Selected"), NULL);
}
