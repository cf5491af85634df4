/* test-patient-dialog.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Choosing the patient of a lab report whose identity is not certain, on
 * a real display (Xvfb), from the results window to the folders: the
 * identity the report gives beside the proposed patient, searching and
 * picking a namesake instead, filing a namesake as a new patient without
 * merging, and cancelling from the keyboard.
 */

#include "config.h"

#include <string.h>

#include "cachet-lab-report-view.h"
#include "cachet-patient-dialog.h"
#include "cachet-results-window.h"
#include "cachet-test-utils.h"
#include "cachet-test-widgets.h"
#include "labs-test-data.h"

/* A production root makes the INS qualified; a test root never does. */
#define PRODUCTION_INS_ROOT "1.2.250.1.213.1.4.8"
#define TEST_INS_ROOT       "1.2.250.1.213.1.4.10"

#define DURAND "DURAND Hélène (1961-03-02)"

typedef struct
{
  char                *root;
  char                *archive;
  CachetLabFiler      *filer;
  CachetResultsWindow *window;
  gint64               qualified_id;
} Fixture;

static CachetLabJournalEntry *
import_cda (Fixture    *fixture,
            const char *ins_root,
            const char *set_id)
{
  g_autofree char *cda = labs_test_cda (ins_root, set_id, 1, NULL, "6.4");
  g_autofree char *name = g_strconcat (set_id, ".xml", NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (cda, strlen (cda));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = cachet_lab_filer_import (fixture->filer, bytes, name, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  return g_object_ref (g_ptr_array_index (entries, 0));
}

/* DURAND Hélène, filed on her qualified INS, then a report naming her the
 * same way with an INS that proves nothing: it waits, with her proposed. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CachetLabJournalEntry) qualified = NULL;
  g_autoptr(CachetLabJournalEntry) pending = NULL;
  g_autofree char *journal = NULL;
  g_autoptr(GError) error = NULL;

  fixture->root = g_build_filename (g_get_user_data_dir (), "patient-dialog-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (fixture->root));
  journal = g_build_filename (fixture->root, "journal.sqlite", NULL);
  fixture->archive = g_build_filename (fixture->root, "archive", NULL);
  fixture->filer = cachet_lab_filer_new (journal, fixture->archive, NULL, &error);
  g_assert_no_error (error);

  qualified = import_cda (fixture, PRODUCTION_INS_ROOT, "1.2.250.1.999.1");
  g_assert_cmpint (cachet_lab_journal_entry_get_status (qualified), ==, CACHET_LAB_ENTRY_STATUS_FILED);
  pending = import_cda (fixture, TEST_INS_ROOT, "1.2.250.1.999.2");
  g_assert_cmpint (cachet_lab_journal_entry_get_status (pending), ==, CACHET_LAB_ENTRY_STATUS_PENDING);
  fixture->qualified_id = cachet_lab_journal_entry_get_candidate_id (pending);
  g_assert_cmpint (fixture->qualified_id, >, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->filer);
  cachet_test_remove_tree (fixture->root);
  g_clear_pointer (&fixture->root, g_free);
  g_clear_pointer (&fixture->archive, g_free);
}

static gpointer
window_child (Fixture    *fixture,
              const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (fixture->window), CACHET_TYPE_RESULTS_WINDOW, name);
}

static gpointer
dialog_child (CachetPatientDialog *dialog,
              const char          *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (dialog), CACHET_TYPE_PATIENT_DIALOG, name);
}

static GtkSingleSelection *
shown_entries (Fixture *fixture)
{
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (window_child (fixture, "report_list")));
}

static GtkSingleSelection *
shown_patients (CachetPatientDialog *dialog)
{
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (dialog_child (dialog, "patient_list")));
}

static gint64
selected_patient_id (CachetPatientDialog *dialog)
{
  CachetLabPatientRecord *record = gtk_single_selection_get_selected_item (shown_patients (dialog));

  g_assert_nonnull (record);
  return cachet_lab_patient_record_get_id (record);
}

static guint
find_patient (CachetPatientDialog *dialog,
              gint64               id)
{
  GListModel *patients = G_LIST_MODEL (shown_patients (dialog));

  for (guint i = 0; i < g_list_model_get_n_items (patients); i++)
    {
      g_autoptr(CachetLabPatientRecord) record = g_list_model_get_item (patients, i);

      if (cachet_lab_patient_record_get_id (record) == id)
        return i;
    }
  g_error ("Patient %" G_GINT64_FORMAT " is not shown", id);
}

/* The results window on the report waiting for its patient, and the
 * dialog its Confirm Patient button opens, once the patients are read. */
static CachetPatientDialog *
open_dialog (Fixture                *fixture,
             CachetLabJournalEntry **pending)
{
  GListModel *entries;
  GtkWidget *confirm;
  CachetPatientDialog *dialog;

  fixture->window = g_object_ref_sink (cachet_results_window_new (fixture->filer));
  gtk_window_present (GTK_WINDOW (fixture->window));
  cachet_test_wait_for_page (window_child (fixture, "list_stack"), "list");
  entries = G_LIST_MODEL (shown_entries (fixture));
  for (guint i = 0; i < g_list_model_get_n_items (entries) && *pending == NULL; i++)
    {
      g_autoptr(CachetLabJournalEntry) entry = g_list_model_get_item (entries, i);

      if (cachet_lab_journal_entry_get_status (entry) == CACHET_LAB_ENTRY_STATUS_PENDING)
        {
          *pending = g_steal_pointer (&entry);
          gtk_single_selection_set_selected (shown_entries (fixture), i);
        }
    }
  g_assert_nonnull (*pending);
  cachet_test_wait_for_page (window_child (fixture, "report_stack"), "report");

  confirm = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window_child (fixture, "report_view")),
                                                       CACHET_TYPE_LAB_REPORT_VIEW, "confirm_button"));
  g_assert_true (gtk_widget_get_visible (confirm));
  gtk_widget_activate (confirm);
  dialog = cachet_test_wait_for_toplevel (CACHET_TYPE_PATIENT_DIALOG);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  cachet_test_wait_for_page (dialog_child (dialog, "list_stack"), "list");
  return dialog;
}

typedef struct
{
  Fixture *fixture;
  gint64   id;
} FiledWait;

static gboolean
selected_is_filed (gpointer data)
{
  FiledWait *wait = data;
  CachetLabJournalEntry *entry = gtk_single_selection_get_selected_item (shown_entries (wait->fixture));

  return entry != NULL && cachet_lab_journal_entry_get_id (entry) == wait->id
         && cachet_lab_journal_entry_get_status (entry) == CACHET_LAB_ENTRY_STATUS_FILED;
}

/* Waits for the report to be filed and the list read again; returns the
 * report's folder. */
static const char *
wait_until_filed (Fixture               *fixture,
                  CachetLabJournalEntry *pending)
{
  FiledWait wait = { fixture, cachet_lab_journal_entry_get_id (pending) };
  CachetLabJournalEntry *filed;

  cachet_test_iterate_until (selected_is_filed, &wait, "the report to be filed");
  filed = gtk_single_selection_get_selected_item (shown_entries (fixture));
  return cachet_lab_journal_entry_get_folder (filed);
}

static GListModel *
list_patients (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GListModel *patients = cachet_lab_filer_list_patients (fixture->filer, NULL, &error);

  g_assert_no_error (error);
  return patients;
}

typedef struct
{
  const char *wanted;
  gboolean    searched;
} SearchWait;

static void
searched_cb (GtkSearchEntry *entry,
             SearchWait     *wait)
{
  wait->searched = g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), wait->wanted) == 0;
}

static gboolean
has_searched (gpointer data)
{
  return ((SearchWait *) data)->searched;
}

/* The search entry waits for the user to stop typing before it searches:
 * waits for the search of all of @text, then checks how many choices it
 * leaves. */
static void
search_for (CachetPatientDialog *dialog,
            const char          *text,
            guint                n_choices)
{
  GtkSearchEntry *entry = dialog_child (dialog, "search_entry");
  SearchWait wait = { text, FALSE };
  gulong handler = g_signal_connect_after (entry, "search-changed", G_CALLBACK (searched_cb), &wait);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  cachet_test_iterate_until (has_searched, &wait, "the search");
  g_signal_handler_disconnect (entry, handler);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown_patients (dialog))), ==, n_choices);
}

static void
assert_has_label (GtkWidget *widget)
{
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL));
}

static gboolean
label_contains (GtkLabel   *label,
                const char *text)
{
  return strstr (gtk_label_get_text (label), text) != NULL;
}

/* Two DURAND Hélène born on 2 March 1961 are known: the report is filed
 * with the one the journal does not propose, found by searching. */
static void
test_pick_another_patient (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CachetLabJournalEntry) namesake_report = import_cda (fixture, TEST_INS_ROOT, "1.2.250.1.999.3");
  g_autoptr(CachetLabJournalEntry) pending = NULL;
  g_autoptr(GListModel) patients = NULL;
  g_autoptr(CachetLabPatientRecord) namesake = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *namesake_folder = g_build_filename (fixture->archive, DURAND " (2)", NULL);
  CachetPatientDialog *dialog;
  GtkEditable *search;
  gint64 namesake_id;

  /* The namesake: another person, as the user said when filing her report. */
  g_assert_true (cachet_lab_filer_confirm_patient (fixture->filer, cachet_lab_journal_entry_get_id (namesake_report),
                                                   0, NULL, &error));
  g_assert_no_error (error);
  patients = list_patients (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (patients), ==, 2);
  namesake = g_list_model_get_item (patients, 0);
  if (cachet_lab_patient_record_get_id (namesake) == fixture->qualified_id)
    g_set_object (&namesake, g_list_model_get_item (patients, 1));
  namesake_id = cachet_lab_patient_record_get_id (namesake);
  g_assert_cmpstr (cachet_lab_patient_record_get_folder (namesake), ==, namesake_folder);

  dialog = open_dialog (fixture, &pending);
  g_assert_cmpint (cachet_lab_journal_entry_get_id (pending), !=, cachet_lab_journal_entry_get_id (namesake_report));
  /* What the report says, beside the patient proposed, chosen first. */
  g_assert_true (label_contains (dialog_child (dialog, "reported_label"), "DURAND Hélène"));
  g_assert_true (label_contains (dialog_child (dialog, "reported_label"), "Born 02/03/1961"));
  g_assert_true (label_contains (dialog_child (dialog, "reported_label"), "Female"));
  g_assert_true (label_contains (dialog_child (dialog, "reported_label"), "INS 261037600000012, not qualified"));
  g_assert_cmpint (selected_patient_id (dialog), ==, fixture->qualified_id);
  g_assert_true (label_contains (dialog_child (dialog, "chosen_label"), "INS 261037600000012, qualified"));
  /* Two known namesakes: the user is told to tell them apart. */
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "namesakes_label")));
  g_assert_true (label_contains (dialog_child (dialog, "namesakes_label"), "2 known patients"));
  assert_has_label (dialog_child (dialog, "search_entry"));
  assert_has_label (dialog_child (dialog, "patient_list"));

  /* Both namesakes and the new patient; nobody else. */
  search = GTK_EDITABLE (dialog_child (dialog, "search_entry"));
  search_for (dialog, "durand 02/03/1961", 3);
  search_for (dialog, "martin", 1);
  /* Nothing matched: nothing is chosen, not even the new patient. */
  g_assert_null (gtk_single_selection_get_selected_item (shown_patients (dialog)));
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "file_button")));
  search_for (dialog, "hél 1961", 3);
  /* What the search found first is chosen, for Enter. */
  g_assert_cmpint (selected_patient_id (dialog), >, 0);

  gtk_single_selection_set_selected (shown_patients (dialog), find_patient (dialog, namesake_id));
  g_assert_true (label_contains (dialog_child (dialog, "chosen_label"), "1 report filed in “" DURAND " (2)”"));
  g_assert_cmpstr (gtk_button_get_label (dialog_child (dialog, "file_button")), ==, "_File With This Patient");
  /* Enter in the search files with the patient chosen. */
  g_signal_emit_by_name (search, "activate");
  g_assert_null (cachet_test_find_toplevel (CACHET_TYPE_PATIENT_DIALOG));

  g_assert_cmpstr (wait_until_filed (fixture, pending), ==, namesake_folder);
  g_clear_object (&patients);
  patients = list_patients (fixture);
  g_clear_object (&namesake);
  namesake = g_list_model_get_item (patients, 0);
  if (cachet_lab_patient_record_get_id (namesake) != namesake_id)
    g_set_object (&namesake, g_list_model_get_item (patients, 1));
  g_assert_cmpuint (cachet_lab_patient_record_get_n_reports (namesake), ==, 2);
}

static guint
count_pages (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    count += g_str_has_suffix (name, ".html");
  return count;
}

/* The report names someone exactly as a known patient is named, and the
 * user says it is someone else: a folder of her own, nothing merged. */
static void
test_new_patient_for_namesake (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CachetLabJournalEntry) pending = NULL;
  g_autoptr(GListModel) patients = NULL;
  g_autofree char *known_folder = g_build_filename (fixture->archive, DURAND, NULL);
  g_autofree char *new_folder = g_build_filename (fixture->archive, DURAND " (2)", NULL);
  CachetPatientDialog *dialog = open_dialog (fixture, &pending);
  GtkSingleSelection *choices = shown_patients (dialog);
  guint last = g_list_model_get_n_items (G_LIST_MODEL (choices)) - 1;
  g_autoptr(CachetLabPatientRecord) new_patient = g_list_model_get_item (G_LIST_MODEL (choices), last);

  /* The journal proposes her namesake alone: no warning beyond the text. */
  g_assert_cmpint (selected_patient_id (dialog), ==, fixture->qualified_id);
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "namesakes_label")));

  /* The new patient is last, and never filtered out. */
  g_assert_cmpint (cachet_lab_patient_record_get_id (new_patient), ==, 0);
  search_for (dialog, "nobody", 1);
  search_for (dialog, "", 2);

  gtk_single_selection_set_selected (choices, g_list_model_get_n_items (G_LIST_MODEL (choices)) - 1);
  g_assert_cmpint (selected_patient_id (dialog), ==, 0);
  g_assert_cmpstr (gtk_button_get_label (dialog_child (dialog, "file_button")), ==, "_File as New Patient");
  g_assert_true (label_contains (dialog_child (dialog, "chosen_label"), "A new patient"));
  gtk_widget_activate (dialog_child (dialog, "file_button"));

  g_assert_cmpstr (wait_until_filed (fixture, pending), ==, new_folder);
  g_assert_cmpuint (count_pages (known_folder), ==, 1);
  g_assert_cmpuint (count_pages (new_folder), ==, 1);
  patients = list_patients (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (patients), ==, 2);
}

static gboolean
dialog_is_closed (gpointer data)
{
  return cachet_test_find_toplevel (CACHET_TYPE_PATIENT_DIALOG) == NULL;
}

/* Escape in the search clears it, then cancels: the report still waits. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CachetLabJournalEntry) pending = NULL;
  g_autoptr(GListModel) journal = NULL;
  g_autoptr(CachetLabJournalEntry) still = NULL;
  g_autoptr(GError) error = NULL;
  CachetPatientDialog *dialog = open_dialog (fixture, &pending);
  GtkEditable *search = GTK_EDITABLE (dialog_child (dialog, "search_entry"));

  gtk_editable_set_text (search, "durand");
  g_signal_emit_by_name (search, "stop-search");
  g_assert_cmpstr (gtk_editable_get_text (search), ==, "");
  g_assert_nonnull (cachet_test_find_toplevel (CACHET_TYPE_PATIENT_DIALOG));
  g_signal_emit_by_name (search, "stop-search");
  cachet_test_iterate_until (dialog_is_closed, NULL, "the dialog to close");

  journal = cachet_lab_filer_list_entries (fixture->filer, &error);
  g_assert_no_error (error);
  still = g_list_model_get_item (journal, g_list_model_get_n_items (journal) - 1);
  g_assert_cmpint (cachet_lab_journal_entry_get_id (still), ==, cachet_lab_journal_entry_get_id (pending));
  g_assert_cmpint (cachet_lab_journal_entry_get_status (still), ==, CACHET_LAB_ENTRY_STATUS_PENDING);
}

int
main (int    argc,
      char **argv)
{
  /* The test backend keeps the accessible properties for the checks. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  cachet_test_init_gui (&argc, &argv);

  g_test_add ("/gui/patient-dialog/pick-another", Fixture, NULL,
              fixture_set_up, test_pick_another_patient, fixture_tear_down);
  g_test_add ("/gui/patient-dialog/new-patient-for-namesake", Fixture, NULL,
              fixture_set_up, test_new_patient_for_namesake, fixture_tear_down);
  g_test_add ("/gui/patient-dialog/cancel", Fixture, NULL,
              fixture_set_up, test_cancel, fixture_tear_down);

  return g_test_run ();
}
