/* test-results-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lab results window on a real display (Xvfb), over a journal filled
 * with generated files: the list and its statuses, the search, a report
 * with its abnormal value marked, the trend of an analyte across two
 * reports of one patient, confirming a pending patient, and the text
 * encoding of a lab whose files detection misreads.
 */

#include "config.h"

#include <string.h>

#include "cachet-lab-charset.h"
#include "cachet-lab-history.h"
#include "cachet-lab-report-view.h"
#include "cachet-patient-dialog.h"
#include "cachet-results-window.h"
#include "cachet-test-utils.h"
#include "cachet-test-widgets.h"
#include "cachet-trend-chart.h"
#include "labs-test-data.h"

#define INS_OID "1.2.250.1.213.1.4.8"

#define MAC_SENDER "resultats@labo-rhone.example"

/* One patient in capitals, as many labs write names. In Mac Roman, Ë and Ô
 * fall on bytes where Latin-1 has its common accented letters, as many as
 * the Mac Roman letters of the text: detection reads Windows-1252. */
static const char mac_roman_hprim[] =
  "0000129612\n"
  "NOËL\n"
  "CHLOË\n"
  "\n"
  "\n"
  "69003 LYON\n"
  "1985-07-14\n"
  "\n"
  "    506299\n"
  "19/12/2024\n"
  "RHONE      LABORATOIRE DU RHÔNE\n"
  "MARTPA     MARTIN PAUL\n"
  "GLYCÉMIE À JEUN\n"
  "****LAB****\n"
  "RES|Glycémie|GLU|N|1.30|g/L|0.74|1.06|H|F\n"
  "****FIN****\n"
  "****FINFICHIER****\n";

typedef struct
{
  char                *root;
  CachetLabFiler      *filer;
  CachetResultsWindow *window;
} Fixture;

static void
import_text (Fixture    *fixture,
             const char *text,
             const char *file_name)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = cachet_lab_filer_import (fixture->filer, bytes, file_name, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (entries);
}

/* Each test starts from an empty journal. */
static void
open_filer (Fixture *fixture)
{
  g_autofree char *journal = NULL;
  g_autofree char *archive = NULL;
  g_autoptr(GError) error = NULL;

  fixture->root = g_build_filename (g_get_user_data_dir (), "results-window-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (fixture->root));
  journal = g_build_filename (fixture->root, "journal.sqlite", NULL);
  archive = g_build_filename (fixture->root, "archive", NULL);
  fixture->filer = cachet_lab_filer_new (journal, archive, NULL, &error);
  g_assert_no_error (error);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = g_object_ref_sink (cachet_results_window_new (fixture->filer));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

/* Two glucose results of DURAND Hélène a month apart, filed on her
 * qualified INS, then an HPRIM file naming her without an INS and a
 * patient never seen: both wait for confirmation. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *first = labs_test_cda (INS_OID, "1.2.250.1.999.1", 1, NULL, "7.8");
  g_autofree char *second_december = labs_test_cda (INS_OID, "1.2.250.1.999.2", 1, NULL, "6.1");
  g_autofree char *hprim = labs_test_hprim_net (FALSE);
  g_autoptr(GString) second = g_string_new (second_december);

  open_filer (fixture);
  g_string_replace (second, "202412180735", "202501150735", 0);
  import_text (fixture, first, "first.xml");
  import_text (fixture, second->str, "second.xml");
  import_text (fixture, hprim, "results.hpr");
  open_window (fixture);
}

/* The Mac Roman file of a lab, received by mail; with @data, after the
 * user chose Mac Roman for the lab, on the command line for instance. */
static void
fixture_set_up_mac_roman (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GBytes) bytes = labs_test_encode (mac_roman_hprim, CACHET_LAB_CHARSET_MAC_ROMAN, LABS_TEST_CRLF);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  /* Really misread: otherwise the test would prove nothing. */
  g_assert_cmpstr (cachet_lab_charset_detect (bytes), ==, CACHET_LAB_CHARSET_WINDOWS_1252);
  open_filer (fixture);
  entries = cachet_lab_filer_import (fixture->filer, bytes, "CR506299.hpr", MAC_SENDER, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (cachet_lab_journal_entry_get_status (g_ptr_array_index (entries, 0)), ==,
                   CACHET_LAB_ENTRY_STATUS_PENDING);
  if (data != NULL)
    {
      g_assert_true (cachet_lab_filer_set_sender_charset (fixture->filer, MAC_SENDER, data, &error));
      g_assert_no_error (error);
    }
  open_window (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->filer);
  g_clear_pointer (&fixture->root, g_free);
}

static gpointer
window_child (Fixture    *fixture,
              const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (fixture->window), CACHET_TYPE_RESULTS_WINDOW, name);
}

static gpointer
view_child (Fixture    *fixture,
            const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (window_child (fixture, "report_view")),
                                        CACHET_TYPE_LAB_REPORT_VIEW, name);
}

static GListModel *
shown_entries (Fixture *fixture)
{
  return G_LIST_MODEL (gtk_list_view_get_model (window_child (fixture, "report_list")));
}

/* Workers read the journal and the files: the list and the report show
 * when they are done. */
static void
wait_for_list (Fixture *fixture)
{
  cachet_test_wait_for_page (window_child (fixture, "list_stack"), "list");
}

static void
wait_for_report (Fixture *fixture)
{
  cachet_test_wait_for_page (window_child (fixture, "report_stack"), "report");
}

static gboolean
rows_are_drawn (gpointer fixture)
{
  return cachet_test_find_label (window_child (fixture, "report_list"), "LEFÈVRE Éric (1985-07-14)") != NULL;
}

/* The position of the first report of @patient with @status in the list. */
static guint
find_entry (Fixture              *fixture,
            const char           *patient,
            CachetLabEntryStatus  status)
{
  GListModel *entries = shown_entries (fixture);

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CachetLabJournalEntry) entry = g_list_model_get_item (entries, i);

      if (g_strcmp0 (cachet_lab_journal_entry_get_patient (entry), patient) == 0
          && cachet_lab_journal_entry_get_status (entry) == status)
        return i;
    }
  g_error ("No %s report for %s", cachet_lab_entry_status_to_string (status), patient);
}

static void
test_results_window_list (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(CachetLabJournalEntry) newest = NULL;
  GtkWidget *list;

  wait_for_list (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (shown_entries (fixture)), ==, 4);
  newest = g_list_model_get_item (shown_entries (fixture), 0);
  g_assert_cmpstr (cachet_lab_journal_entry_get_patient (newest), ==, "LEFÈVRE Éric (1985-07-14)");

  cachet_test_iterate_until (rows_are_drawn, fixture, "the rows");
  list = window_child (fixture, "report_list");
  g_assert_nonnull (cachet_test_find_label (list, "DURAND Hélène (1961-03-02)"));
  g_assert_nonnull (cachet_test_find_label (list, "Filed"));
  g_assert_nonnull (cachet_test_find_label (list, "Waiting for patient confirmation"));
  g_assert_nonnull (cachet_test_find_label (list, "Laboratoire des charmes · 15/01/2025 07:35"));

  /* Accents are optional and any word of the name matches. */
  gtk_editable_set_text (GTK_EDITABLE (window_child (fixture, "search_entry")), "eric");
  g_signal_emit_by_name (window_child (fixture, "search_entry"), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (shown_entries (fixture)), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (window_child (fixture, "search_entry")), "");
  g_signal_emit_by_name (window_child (fixture, "search_entry"), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (shown_entries (fixture)), ==, 4);
}

static void
test_results_window_report (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkColumnView *results;
  GtkSelectionModel *rows;
  GtkWidget *value;
  CachetTrendChart *chart;
  GArray *points;
  g_autofree char *error = NULL;

  wait_for_list (fixture);
  /* The newest of her filed reports: glucose 6.1 mmol/L, above 5.9. */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (shown_entries (fixture)),
                                     find_entry (fixture, "DURAND Hélène (1961-03-02)", CACHET_LAB_ENTRY_STATUS_FILED));
  wait_for_report (fixture);

  g_assert_cmpstr (gtk_label_get_text (view_child (fixture, "patient_label")), ==, "DURAND Hélène");
  g_assert_nonnull (strstr (gtk_label_get_text (view_child (fixture, "identity_label")), "261037600000012, qualified"));
  results = view_child (fixture, "results_view");
  rows = gtk_column_view_get_model (results);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 1);

  /* Rows are laid out on the next frame. */
  while ((value = cachet_test_find_label (GTK_WIDGET (results), "6.1")) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_has_css_class (value, "warning"));
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                              "High, above the reference range");
  g_assert_null (error);
  g_assert_nonnull (cachet_test_find_label (GTK_WIDGET (results), "High, above the reference range"));

  g_assert_false (gtk_widget_get_visible (view_child (fixture, "trend_box")));
  gtk_selection_model_select_item (rows, 0, TRUE);
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "trend_box")));
  chart = view_child (fixture, "trend_chart");
  points = cachet_trend_chart_get_points (chart);
  g_assert_cmpuint (points->len, ==, 2);
  g_assert_cmpfloat (g_array_index (points, CachetTrendPoint, 0).value, ==, 7.8);
  g_assert_cmpfloat (g_array_index (points, CachetTrendPoint, 1).value, ==, 6.1);
  g_assert_cmpint (g_array_index (points, CachetTrendPoint, 0).time, <, g_array_index (points, CachetTrendPoint, 1).time);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
}

static gboolean
selected_is_filed (gpointer fixture)
{
  CachetLabJournalEntry *entry = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (shown_entries (fixture)));

  return entry != NULL && cachet_lab_journal_entry_get_status (entry) == CACHET_LAB_ENTRY_STATUS_FILED
         && g_strcmp0 (cachet_lab_journal_entry_get_file_name (entry), "results.hpr") == 0;
}

static void
test_results_window_confirm (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(CachetLabJournalEntry) pending = NULL;
  g_autoptr(CachetLabJournalEntry) filed = NULL;
  CachetLabJournalEntry *confirmed;
  CachetPatientDialog *dialog;
  guint position;

  wait_for_list (fixture);
  position = find_entry (fixture, "DURAND Hélène Françoise (1961-03-02)", CACHET_LAB_ENTRY_STATUS_PENDING);
  pending = g_list_model_get_item (shown_entries (fixture), position);
  g_assert_cmpint (cachet_lab_journal_entry_get_candidate_id (pending), >, 0);
  filed = g_list_model_get_item (shown_entries (fixture),
                                 find_entry (fixture, "DURAND Hélène (1961-03-02)", CACHET_LAB_ENTRY_STATUS_FILED));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (shown_entries (fixture)), position);
  wait_for_report (fixture);
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "confirm_button")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "results.confirm-patient", NULL));
  dialog = cachet_test_wait_for_toplevel (CACHET_TYPE_PATIENT_DIALOG);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  cachet_test_wait_for_page (GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (dialog), CACHET_TYPE_PATIENT_DIALOG,
                                                                       "list_stack")), "list");
  /* The proposed patient is chosen first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "patient.file", NULL));
  cachet_test_iterate_until (selected_is_filed, fixture, "the report to be filed");

  confirmed = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (shown_entries (fixture)));
  g_assert_cmpint (cachet_lab_journal_entry_get_id (confirmed), ==, cachet_lab_journal_entry_get_id (pending));
  /* Filed with the patient the user confirmed, not in a folder of its own. */
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (confirmed), ==, cachet_lab_journal_entry_get_folder (filed));
  wait_for_report (fixture);
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "status_box")));
}

static gboolean
name_is_read_right (gpointer fixture)
{
  return g_strcmp0 (gtk_label_get_text (view_child (fixture, "patient_label")), "NOËL CHLOË") == 0;
}

static gboolean
name_is_misread (gpointer fixture)
{
  return g_strcmp0 (gtk_label_get_text (view_child (fixture, "patient_label")), "NOèL CHLOè") == 0;
}

static void
show_only_report (Fixture *fixture)
{
  wait_for_list (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (shown_entries (fixture)), ==, 1);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (shown_entries (fixture)), 0);
  wait_for_report (fixture);
}

static char *
dup_override (Fixture *fixture)
{
  g_autoptr(GHashTable) charsets = NULL;
  g_autoptr(GError) error = NULL;

  charsets = cachet_lab_filer_dup_sender_charsets (fixture->filer, &error);
  g_assert_no_error (error);
  return g_strdup (g_hash_table_lookup (charsets, MAC_SENDER));
}

/* The sender's override set, the report reads as the lab wrote it, though
 * the journal kept the name as it was misread at import. */
static void
test_results_window_sender_charset (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(CachetLabJournalEntry) entry = NULL;
  AdwComboRow *encoding;
  GtkStringObject *choice;

  show_only_report (fixture);
  entry = g_list_model_get_item (shown_entries (fixture), 0);
  g_assert_cmpstr (cachet_lab_journal_entry_get_patient (entry), ==, "NOÈL CHLOè (1985-07-14)");
  g_assert_cmpstr (cachet_lab_journal_entry_get_sender (entry), ==, MAC_SENDER);

  g_assert_true (name_is_read_right (fixture));
  g_assert_cmpstr (adw_window_title_get_title (window_child (fixture, "report_title")), ==, "NOËL CHLOË (1985-07-14)");
  g_assert_nonnull (strstr (gtk_label_get_text (view_child (fixture, "details_label")), "LABORATOIRE DU RHÔNE"));
  while (cachet_test_find_label (view_child (fixture, "results_view"), "Glycémie") == NULL)
    g_main_context_iteration (NULL, TRUE);

  encoding = view_child (fixture, "encoding_row");
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "encoding_list")));
  choice = adw_combo_row_get_selected_item (encoding);
  g_assert_cmpstr (gtk_string_object_get_string (choice), ==, "Mac Roman");
}

static guint
find_choice (AdwComboRow *row,
             const char  *label)
{
  GListModel *choices = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
    {
      g_autoptr(GtkStringObject) choice = g_list_model_get_item (choices, i);

      if (g_str_equal (gtk_string_object_get_string (choice), label))
        return i;
    }
  g_error ("No text encoding “%s” offered", label);
}

/* The doctor sees garbled names, chooses Mac Roman in the report, and the
 * report reads right at once; back to Automatic, it is misread again. */
static void
test_results_window_choose_encoding (Fixture       *fixture,
                                     gconstpointer  data)
{
  AdwComboRow *encoding;
  g_autofree char *refused = NULL;
  g_autofree char *override = NULL;
  g_autofree char *cleared = NULL;
  g_autofree char *error = NULL;

  show_only_report (fixture);
  g_assert_true (name_is_misread (fixture));
  encoding = view_child (fixture, "encoding_row");
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "encoding_list")));
  g_assert_cmpuint (adw_combo_row_get_selected (encoding), ==, find_choice (encoding, "Automatic (Windows-1252)"));
  /* It says whose files it changes. */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (encoding)), MAC_SENDER));
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (view_child (fixture, "encoding_list")),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              "Text Encoding of the Laboratory’s Files");
  g_assert_null (error);

  /* Mac Roman bytes are no UTF-8: the choice is refused, not kept, and
   * the report stays readable. */
  adw_combo_row_set_selected (encoding, find_choice (encoding, "UTF-8"));
  g_assert_cmpuint (adw_combo_row_get_selected (encoding), ==, 0);
  refused = dup_override (fixture);
  g_assert_null (refused);
  g_assert_true (name_is_misread (fixture));

  adw_combo_row_set_selected (encoding, find_choice (encoding, "Mac Roman"));
  cachet_test_iterate_until (name_is_read_right, fixture, "the report read as Mac Roman");
  override = dup_override (fixture);
  g_assert_cmpstr (override, ==, CACHET_LAB_CHARSET_MAC_ROMAN);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (encoding)), ==, "Mac Roman");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (fixture, "report_stack")), ==, "report");

  adw_combo_row_set_selected (encoding, 0);
  cachet_test_iterate_until (name_is_misread, fixture, "the report read with detection");
  cleared = dup_override (fixture);
  g_assert_null (cleared);
}

int
main (int    argc,
      char **argv)
{
  /* The test backend keeps the accessible properties for the checks,
   * where "none" drops them. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  cachet_test_init_gui (&argc, &argv);

  g_test_add ("/gui/results-window/list", Fixture, NULL,
              fixture_set_up, test_results_window_list, fixture_tear_down);
  g_test_add ("/gui/results-window/report", Fixture, NULL,
              fixture_set_up, test_results_window_report, fixture_tear_down);
  g_test_add ("/gui/results-window/confirm", Fixture, NULL,
              fixture_set_up, test_results_window_confirm, fixture_tear_down);
  g_test_add ("/gui/results-window/sender-charset", Fixture, CACHET_LAB_CHARSET_MAC_ROMAN,
              fixture_set_up_mac_roman, test_results_window_sender_charset, fixture_tear_down);
  g_test_add ("/gui/results-window/choose-encoding", Fixture, NULL,
              fixture_set_up_mac_roman, test_results_window_choose_encoding, fixture_tear_down);

  return g_test_run ();
}
