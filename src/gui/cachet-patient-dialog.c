/* cachet-patient-dialog.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-lab-history.h"
#include "cachet-lab-patient-record.h"
#include "cachet-patient-dialog.h"

/* Who a report whose identity is not certain is about, on the user's
 * word: the identity the report gives beside the patient it would be
 * filed with, the patient the journal proposes chosen first, every known
 * patient a search away, and a new patient last. Nothing is chosen for
 * the user when the journal proposes nobody. The dialog only says whom
 * the user chose ("patient-chosen"); the caller files. */

struct _CachetPatientDialog
{
  AdwWindow           parent_instance;

  CachetLabFiler     *filer;
  CachetLabPatient   *reported;
  char               *reported_key;
  gint64              candidate_id;
  GtkSortListModel   *sorted;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  GCancellable       *cancellable;

  /* Template widgets */
  GtkButton          *file_button;
  GtkLabel           *reported_label;
  GtkLabel           *chosen_label;
  GtkLabel           *namesakes_label;
  GtkSearchEntry     *search_entry;
  GtkStack           *list_stack;
  GtkListView        *patient_list;
  AdwStatusPage      *error_page;
};

G_DEFINE_FINAL_TYPE (CachetPatientDialog, cachet_patient_dialog, ADW_TYPE_WINDOW)

enum
{
  PATIENT_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Identities in words ------------------------------------------------ */

/* The same lines, in the same order, for the report and for a patient, so
 * that the two read side by side. */
static void
add_identity_lines (GPtrArray  *lines,
                    const char *family_name,
                    const char *given_names,
                    const char *birth_date,
                    char        sex,
                    const char *ins,
                    gboolean    ins_qualified)
{
  g_autofree char *family = g_utf8_strup (family_name != NULL ? family_name : "", -1);

  g_ptr_array_add (lines, g_strjoin (" ", family, given_names != NULL ? given_names : "", NULL));
  if (birth_date != NULL)
    {
      g_autofree char *day = cachet_lab_format_date (birth_date);

      g_ptr_array_add (lines, g_strdup_printf (_("Born %s"), day));
    }
  else
    g_ptr_array_add (lines, g_strdup (_("No date of birth")));
  g_ptr_array_add (lines, g_strdup (sex == 'F' ? _("Female") : sex == 'M' ? _("Male") : _("Sex not given")));
  if (ins == NULL)
    g_ptr_array_add (lines, g_strdup (_("No INS")));
  else if (ins_qualified)
    g_ptr_array_add (lines, g_strdup_printf (_("INS %s, qualified"), ins));
  else
    g_ptr_array_add (lines, g_strdup_printf (_("INS %s, not qualified"), ins));
}

static char *
join_lines (GPtrArray *lines)
{
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (GStrv) lines->pdata);
}

static char *
describe_reported (CachetLabPatient *patient)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *nir = cachet_lab_patient_get_nir (patient);

  add_identity_lines (lines, cachet_lab_patient_get_family_name (patient),
                      cachet_lab_patient_get_given_names (patient), cachet_lab_patient_get_birth_date (patient),
                      cachet_lab_patient_get_sex (patient), cachet_lab_patient_get_ins (patient),
                      cachet_lab_patient_get_ins_qualified (patient));
  if (nir != NULL)
    /* Translators: the social security number, which may be the insured
     * person's rather than the patient's */
    g_ptr_array_add (lines, g_strdup_printf (_("NIR %s, as found"), nir));
  return join_lines (lines);
}

/* Patients recorded before the journal kept names apart have only the
 * name of their folder. */
static char *
describe_record (CachetLabPatientRecord *record)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *folder = NULL;
  guint n_reports = cachet_lab_patient_record_get_n_reports (record);

  if (cachet_lab_patient_record_get_id (record) == 0)
    g_ptr_array_add (lines, g_strdup (_("A new patient, with a folder of their own")));
  if (cachet_lab_patient_record_get_family_name (record) != NULL)
    add_identity_lines (lines, cachet_lab_patient_record_get_family_name (record),
                        cachet_lab_patient_record_get_given_names (record),
                        cachet_lab_patient_record_get_birth_date (record), cachet_lab_patient_record_get_sex (record),
                        cachet_lab_patient_record_get_ins (record),
                        cachet_lab_patient_record_get_ins_qualified (record));
  else
    g_ptr_array_add (lines, g_strdup (cachet_lab_patient_record_get_display_name (record)));
  if (cachet_lab_patient_record_get_id (record) > 0)
    {
      folder = g_path_get_basename (cachet_lab_patient_record_get_folder (record));
      g_ptr_array_add (lines, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u report filed in “%s”",
                                                            "%u reports filed in “%s”", n_reports),
                                               n_reports, folder));
    }
  return join_lines (lines);
}

/* One line under the name in the list: what tells namesakes apart. */
static char *
summarise_record (CachetLabPatientRecord *record)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *birth_date = cachet_lab_patient_record_get_birth_date (record);
  const char *ins = cachet_lab_patient_record_get_ins (record);
  char sex = cachet_lab_patient_record_get_sex (record);
  guint n_reports = cachet_lab_patient_record_get_n_reports (record);

  if (cachet_lab_patient_record_get_id (record) == 0)
    return g_strdup (_("A folder of their own, as the report names them"));
  if (birth_date != NULL)
    {
      g_autofree char *day = cachet_lab_format_date (birth_date);

      g_ptr_array_add (parts, g_strdup_printf (_("Born %s"), day));
    }
  if (sex == 'F' || sex == 'M')
    g_ptr_array_add (parts, g_strdup (sex == 'F' ? _("Female") : _("Male")));
  if (ins == NULL)
    g_ptr_array_add (parts, g_strdup (_("No INS")));
  else if (cachet_lab_patient_record_get_ins_qualified (record))
    g_ptr_array_add (parts, g_strdup_printf (_("INS %s, qualified"), ins));
  else
    g_ptr_array_add (parts, g_strdup_printf (_("INS %s, not qualified"), ins));
  g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u report", "%u reports", n_reports),
                                           n_reports));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (GStrv) parts->pdata);
}

static gboolean
is_namesake (CachetPatientDialog    *self,
             CachetLabPatientRecord *record)
{
  return cachet_lab_patient_record_get_id (record) > 0
         && g_strcmp0 (cachet_lab_patient_record_get_match_key (record), self->reported_key) == 0;
}

/* ---- The list ----------------------------------------------------------- */

static GtkWidget *
new_row_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
patient_row_setup_cb (CachetPatientDialog *self,
                      GtkListItem         *item,
                      GtkListItemFactory  *factory)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = new_row_label ("heading");
  GtkWidget *mark = new_row_label ("caption-heading");

  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_set_valign (mark, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (mark, "accent");
  gtk_box_append (GTK_BOX (title_box), title);
  gtk_box_append (GTK_BOX (title_box), mark);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), title_box);
  gtk_box_append (GTK_BOX (box), new_row_label ("dim-label"));
  gtk_list_item_set_child (item, box);
}

static void
patient_row_bind_cb (CachetPatientDialog *self,
                     GtkListItem         *item,
                     GtkListItemFactory  *factory)
{
  CachetLabPatientRecord *record = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title_box = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (title_box);
  GtkWidget *mark = gtk_widget_get_next_sibling (title);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title_box);
  g_autofree char *summary = summarise_record (record);
  g_autofree char *accessible = NULL;
  const char *mark_text = NULL;
  const char *name = cachet_lab_patient_record_get_id (record) == 0
                     ? _("New Patient")
                     : cachet_lab_patient_record_get_display_name (record);

  if (cachet_lab_patient_record_get_id (record) > 0
      && cachet_lab_patient_record_get_id (record) == self->candidate_id)
    mark_text = _("Proposed");
  else if (is_namesake (self, record))
    mark_text = _("Same name and date of birth");
  gtk_label_set_text (GTK_LABEL (title), name);
  gtk_label_set_text (GTK_LABEL (mark), mark_text);
  gtk_widget_set_visible (mark, mark_text != NULL);
  gtk_label_set_text (GTK_LABEL (subtitle), summary);
  accessible = mark_text != NULL ? g_strdup_printf ("%s, %s. %s", name, mark_text, summary)
                                 : g_strdup_printf ("%s. %s", name, summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static gboolean
filter_patient (gpointer item,
                gpointer user_data)
{
  CachetPatientDialog *self = user_data;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *birth_date = cachet_lab_patient_record_get_birth_date (item);
  g_autofree char *day = NULL;
  g_autofree char *haystack = NULL;

  if (*search == '\0')
    return TRUE;
  /* The date as the user writes it too: "02/03/1961" and "1961" both find
   * someone born on 2 March 1961. */
  day = birth_date != NULL ? cachet_lab_format_date (birth_date) : NULL;
  haystack = g_strjoin (" ", cachet_lab_patient_record_get_display_name (item), day != NULL ? day : "", NULL);
  return g_str_match_string (search, haystack, TRUE);
}

/* The proposed patient first, then by name; namesakes end up together. */
static int
compare_patients (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  CachetPatientDialog *self = user_data;
  CachetLabPatientRecord *first = (CachetLabPatientRecord *) a;
  CachetLabPatientRecord *second = (CachetLabPatientRecord *) b;
  gboolean first_proposed = cachet_lab_patient_record_get_id (first) == self->candidate_id;
  gboolean second_proposed = cachet_lab_patient_record_get_id (second) == self->candidate_id;
  gint64 first_id = cachet_lab_patient_record_get_id (first);
  gint64 second_id = cachet_lab_patient_record_get_id (second);
  int order;

  if (first_proposed != second_proposed)
    return first_proposed ? -1 : 1;
  if ((order = g_utf8_collate (cachet_lab_patient_record_get_display_name (first),
                               cachet_lab_patient_record_get_display_name (second))) != 0)
    return order;
  return (first_id > second_id) - (first_id < second_id);
}

/* ---- Choosing ----------------------------------------------------------- */

static void
selection_changed_cb (CachetPatientDialog *self)
{
  CachetLabPatientRecord *record = gtk_single_selection_get_selected_item (self->selection);
  g_autofree char *chosen = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patient.file", record != NULL);
  if (record == NULL)
    {
      gtk_label_set_text (self->chosen_label, _("No patient chosen yet: choose one in the list below."));
      gtk_button_set_label (self->file_button, _("_File With This Patient"));
      return;
    }
  chosen = describe_record (record);
  gtk_label_set_text (self->chosen_label, chosen);
  gtk_button_set_label (self->file_button, cachet_lab_patient_record_get_id (record) == 0
                                           ? _("_File as New Patient")
                                           : _("_File With This Patient"));
}

/* The position of @record among the choices shown, if it is shown. */
static gboolean
find_choice (CachetPatientDialog    *self,
             CachetLabPatientRecord *record,
             guint                  *position)
{
  GListModel *shown = G_LIST_MODEL (self->selection);
  guint n_items = g_list_model_get_n_items (shown);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(CachetLabPatientRecord) shown_record = g_list_model_get_item (shown, i);

      if (shown_record == record)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
search_changed_cb (CachetPatientDialog *self)
{
  CachetLabPatientRecord *selected = gtk_single_selection_get_selected_item (self->selection);
  g_autoptr(CachetLabPatientRecord) chosen = selected != NULL ? g_object_ref (selected) : NULL;
  guint position;

  /* Filtering again shows the choices anew: what was chosen stays chosen
   * while it is shown. */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (chosen != NULL && find_choice (self, chosen, &position))
    gtk_single_selection_set_selected (self->selection, position);
  /* Otherwise what the search found first is what Enter files with; the
   * new patient is never chosen for the user. */
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0
           && *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_single_selection_set_selected (self->selection, 0);
}

static void
search_activate_cb (CachetPatientDialog *self)
{
  if (gtk_single_selection_get_selected_item (self->selection) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "patient.file", NULL);
}

/* Escape in the search clears it first, then cancels. */
static void
stop_search_cb (CachetPatientDialog *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
patient_activated_cb (CachetPatientDialog *self,
                      guint                position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "patient.file", NULL);
}

static void
file_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CachetPatientDialog *self = CACHET_PATIENT_DIALOG (widget);
  CachetLabPatientRecord *record = gtk_single_selection_get_selected_item (self->selection);

  if (record == NULL)
    return;
  g_signal_emit (self, signals[PATIENT_CHOSEN], 0, cachet_lab_patient_record_get_id (record));
  gtk_window_close (GTK_WINDOW (self));
}

/* ---- Loading the known patients ------------------------------------------ */

static void
show_namesakes (CachetPatientDialog *self,
                GListModel          *patients)
{
  guint n_namesakes = 0;
  guint n_items = g_list_model_get_n_items (patients);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(CachetLabPatientRecord) record = g_list_model_get_item (patients, i);

      n_namesakes += is_namesake (self, record);
    }
  /* The proposed patient alone is what the journal expects; any other
   * namesake is a person the user must tell apart. */
  if (n_namesakes > (self->candidate_id > 0 ? 1u : 0u))
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u known patient has the name and date of birth of this report: check that it is the same person before choosing.",
                                                            "%u known patients have the name and date of birth of this report: compare their INS and files before choosing.",
                                                            n_namesakes),
                                               n_namesakes);

      gtk_label_set_text (self->namesakes_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->namesakes_label), TRUE);
    }
}

static void
select_candidate (CachetPatientDialog *self)
{
  GListModel *shown = G_LIST_MODEL (self->selection);
  guint n_items = g_list_model_get_n_items (shown);

  for (guint i = 0; i < n_items && self->candidate_id > 0; i++)
    {
      g_autoptr(CachetLabPatientRecord) record = g_list_model_get_item (shown, i);

      if (cachet_lab_patient_record_get_id (record) == self->candidate_id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
patients_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CachetPatientDialog) self = user_data;
  g_autoptr(GListModel) patients = NULL;
  g_autoptr(GError) error = NULL;

  patients = cachet_lab_filer_list_patients_finish (CACHET_LAB_FILER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (patients == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      return;
    }
  gtk_sort_list_model_set_model (self->sorted, patients);
  show_namesakes (self, patients);
  select_candidate (self);
  selection_changed_cb (self);
  gtk_stack_set_visible_child_name (self->list_stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->patient_list));
}

/* ---- The dialog --------------------------------------------------------- */

/**
 * cachet_patient_dialog_new:
 * @parent: the window the dialog is modal for
 * @filer: the filer whose known patients are offered
 * @reported: the patient as the report gives it
 * @candidate_id: the patient the journal proposes, 0 for none
 *
 * Returns: (transfer none): a dialog, owned by GTK like every toplevel,
 *   that reads the known patients in a worker and emits "patient-chosen"
 *   with the patient's id, or 0 for a new patient, when the user files the
 *   report
 */
CachetPatientDialog *
cachet_patient_dialog_new (GtkWindow        *parent,
                           CachetLabFiler   *filer,
                           CachetLabPatient *reported,
                           gint64            candidate_id)
{
  CachetPatientDialog *self;
  g_autoptr(CachetLabPatientRecord) new_patient = NULL;
  g_autoptr(GListStore) new_patients = g_list_store_new (CACHET_TYPE_LAB_PATIENT_RECORD);
  g_autofree char *display = NULL;
  g_autofree char *reported_text = NULL;
  g_autoptr(GtkFlattenListModel) choices = NULL;
  GListStore *sections;
  CachetLabPatientRecordFields fields = { 0 };

  g_return_val_if_fail (CACHET_IS_LAB_FILER (filer), NULL);
  g_return_val_if_fail (CACHET_IS_LAB_PATIENT (reported), NULL);

  self = g_object_new (CACHET_TYPE_PATIENT_DIALOG, "transient-for", parent, NULL);
  self->filer = g_object_ref (filer);
  self->reported = g_object_ref (reported);
  self->reported_key = cachet_lab_patient_dup_match_key (reported);
  self->candidate_id = candidate_id;

  reported_text = describe_reported (reported);
  gtk_label_set_text (self->reported_label, reported_text);

  /* The new patient, as the filer would make it: id 0, as the filer takes it. */
  display = cachet_lab_patient_dup_display_name (reported);
  fields.display_name = display;
  fields.family_name = cachet_lab_patient_get_family_name (reported);
  fields.given_names = cachet_lab_patient_get_given_names (reported);
  fields.birth_date = cachet_lab_patient_get_birth_date (reported);
  fields.sex = cachet_lab_patient_get_sex (reported);
  fields.ins = cachet_lab_patient_get_ins (reported);
  new_patient = cachet_lab_patient_record_new (&fields);
  g_list_store_append (new_patients, new_patient);
  sections = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (sections, self->filtered);
  g_list_store_append (sections, new_patients);
  choices = gtk_flatten_list_model_new (G_LIST_MODEL (sections));
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (choices));

  cachet_lab_filer_list_patients_async (filer, self->cancellable, patients_listed_cb, g_object_ref (self));
  return self;
}

static gboolean
cachet_patient_dialog_close_request (GtkWindow *window)
{
  g_cancellable_cancel (CACHET_PATIENT_DIALOG (window)->cancellable);

  return GTK_WINDOW_CLASS (cachet_patient_dialog_parent_class)->close_request (window);
}

static void
cachet_patient_dialog_dispose (GObject *object)
{
  CachetPatientDialog *self = CACHET_PATIENT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_PATIENT_DIALOG);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorted);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->reported);
  g_clear_object (&self->filer);
  g_clear_pointer (&self->reported_key, g_free);

  G_OBJECT_CLASS (cachet_patient_dialog_parent_class)->dispose (object);
}

static void
cachet_patient_dialog_class_init (CachetPatientDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cachet_patient_dialog_dispose;
  window_class->close_request = cachet_patient_dialog_close_request;

  /**
   * CachetPatientDialog::patient-chosen:
   * @patient_id: the patient chosen, 0 for a new patient
   *
   * The user chose whom to file the report with; the dialog then closes.
   */
  signals[PATIENT_CHOSEN] = g_signal_new ("patient-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-patient-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetPatientDialog, file_button);
  gtk_widget_class_bind_template_child (widget_class, CachetPatientDialog, reported_label);
  gtk_widget_class_bind_template_child (widget_class, CachetPatientDialog, chosen_label);
  gtk_widget_class_bind_template_child (widget_class, CachetPatientDialog, namesakes_label);
  gtk_widget_class_bind_template_child (widget_class, CachetPatientDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetPatientDialog, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CachetPatientDialog, patient_list);
  gtk_widget_class_bind_template_child (widget_class, CachetPatientDialog, error_page);
  gtk_widget_class_bind_template_callback (widget_class, patient_row_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, patient_row_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, patient_activated_cb);

  gtk_widget_class_install_action (widget_class, "patient.file", NULL, file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cachet_patient_dialog_init (CachetPatientDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->sorted = gtk_sort_list_model_new (NULL, GTK_SORTER (gtk_custom_sorter_new (compare_patients, self, NULL)));
  self->filter = gtk_custom_filter_new (filter_patient, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->sorted)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->patient_list, GTK_SELECTION_MODEL (self->selection));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->file_button));
  selection_changed_cb (self);
}
