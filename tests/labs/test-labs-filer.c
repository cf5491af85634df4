/* test-labs-filer.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "cachet-lab-filer.h"
#include "cachet-lab-parser.h"
#include "cachet-labs-error.h"
#include "cachet-store.h"
#include "cachet-test-utils.h"
#include "labs-test-data.h"

/* The filer: both layouts, no duplicate, versions linked, patients never
 * merged on weak identity, unreadable and hostile files kept safely, and
 * imports killed half-way leaving exactly one copy of everything. */

typedef struct
{
  char           *root;
  char           *data_dir;
  char           *archive;
  char           *inbox;
  CachetLabFiler *filer;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = NULL;

  fixture->root = g_dir_make_tmp ("labs-filer-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->data_dir = g_build_filename (fixture->root, "data", NULL);
  fixture->archive = g_build_filename (fixture->root, "archive", NULL);
  fixture->inbox = g_build_filename (fixture->root, "inbox", NULL);
  journal = g_build_filename (fixture->root, "journal", "labs.sqlite", NULL);
  fixture->filer = cachet_lab_filer_new (journal, fixture->archive, fixture->inbox, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->filer);
  cachet_test_remove_tree (fixture->root);
  g_free (fixture->root);
  g_free (fixture->data_dir);
  g_free (fixture->archive);
  g_free (fixture->inbox);
}

static GPtrArray *
import_bytes (Fixture    *fixture,
              GBytes     *bytes,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = cachet_lab_filer_import (fixture->filer, bytes, name, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  return entries;
}

static GPtrArray *
import_text (Fixture         *fixture,
             const char      *text,
             LabsTestLineEnd  line_end,
             const char      *name)
{
  g_autoptr(GBytes) bytes = labs_test_encode (text, "UTF-8", line_end);

  return import_bytes (fixture, bytes, name);
}

static CachetLabJournalEntry *
entry_at (GPtrArray *entries,
          guint      position)
{
  g_assert_cmpuint (position, <, entries->len);
  return g_ptr_array_index (entries, position);
}

/* Counts regular files under @path whose name ends with @suffix. */
static guint
count_files (const char *path,
             const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        count += count_files (child, suffix);
      else if (g_str_has_suffix (name, suffix))
        count++;
    }
  return count;
}

static void
assert_file_has_bytes (const char *path,
                       GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize size = 0;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, size, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static GBytes *
load_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize size = 0;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, size);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_layouts (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GBytes) bytes = labs_test_hprim_net_encoded (FALSE, "ISO-8859-1", LABS_TEST_CRLF);
  g_autoptr(GPtrArray) entries = import_bytes (fixture, bytes, "resultat.hpr");
  CachetLabJournalEntry *durand = entry_at (entries, 0);
  g_autofree char *expected_folder = g_build_filename (fixture->archive, "_unconfirmed",
                                                       "DURAND Hélène Françoise (1961-03-02)", NULL);
  g_autofree char *html_path = g_build_filename (expected_folder,
                                                 "2024-12-18_Laboratoire Cèdre & Santé_A250513068.html", NULL);
  g_autofree char *html = NULL;
  g_autofree char *inbox_name = NULL;
  g_autofree char *inbox_path = NULL;
  g_autoptr(GDir) inbox = NULL;

  g_assert_cmpuint (entries->len, ==, 2);
  /* No INS in HPRIM: both wait for the user. */
  g_assert_cmpint (cachet_lab_journal_entry_get_status (durand), ==, CACHET_LAB_ENTRY_STATUS_PENDING);
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (entries, 1)), ==, CACHET_LAB_ENTRY_STATUS_PENDING);
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (durand), ==, expected_folder);
  g_assert_cmpstr (cachet_lab_journal_entry_get_format (durand), ==, "hprim-net");
  g_assert_cmpstr (cachet_lab_journal_entry_get_patient (durand), ==, "DURAND Hélène Françoise (1961-03-02)");

  /* The rendering escapes what the lab wrote. */
  html = read_text (html_path);
  g_assert_nonnull (strstr (html, "Créatinine &lt;script&gt;"));
  g_assert_null (strstr (html, "<script>"));
  g_assert_nonnull (strstr (html, "<tr class=\"abnormal\">"));

  /* The original, unchanged, once in the archive and once in the inbox;
   * never in a patient's folder, since it names two patients. */
  assert_file_has_bytes (cachet_lab_journal_entry_get_original_path (durand), bytes);
  g_assert_cmpuint (count_files (expected_folder, ".hpr"), ==, 0);
  inbox = g_dir_open (fixture->inbox, 0, NULL);
  g_assert_nonnull (inbox);
  inbox_name = g_strdup (g_dir_read_name (inbox));
  g_assert_nonnull (inbox_name);
  g_assert_null (g_dir_read_name (inbox));
  g_assert_true (g_str_has_suffix (inbox_name, "-resultat.hpr"));
  inbox_path = g_build_filename (fixture->inbox, inbox_name, NULL);
  assert_file_has_bytes (inbox_path, bytes);
}

static void
test_qualified_ins (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *cda = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.1", 1, NULL, "7.8");
  g_autofree char *hprim = labs_test_hprim_net (FALSE);
  g_autoptr(GPtrArray) filed = import_text (fixture, cda, LABS_TEST_CRLF, "cr.xml");
  g_autoptr(GPtrArray) weak = NULL;
  g_autofree char *folder = g_build_filename (fixture->archive, "DURAND Hélène (1961-03-02)", NULL);
  const char *names[] = { "html", "xml", "pdf" };

  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (filed, 0)), ==, CACHET_LAB_ENTRY_STATUS_FILED);
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (entry_at (filed, 0)), ==, folder);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *name = g_strdup_printf ("2024-12-18_Laboratoire des charmes_1.2.250.1.999.1.1.%s", names[i]);
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }

  /* Same name and birth date without an INS: a candidate, not a merge. */
  weak = import_text (fixture, hprim, LABS_TEST_LF, "resultat.hpr");
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (weak, 0)), ==, CACHET_LAB_ENTRY_STATUS_PENDING);
  g_assert_true (g_str_has_prefix (cachet_lab_journal_entry_get_folder (entry_at (weak, 0)), fixture->archive));
  g_assert_nonnull (strstr (cachet_lab_journal_entry_get_folder (entry_at (weak, 0)), "_unconfirmed"));
  g_assert_cmpuint (count_files (folder, ".html"), ==, 1);
}

static void
test_duplicates (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *text = labs_test_hprim_net (FALSE);
  g_autoptr(GPtrArray) first = import_text (fixture, text, LABS_TEST_LF, "a.hpr");
  g_autoptr(GPtrArray) again = import_text (fixture, text, LABS_TEST_LF, "a.hpr");
  g_autoptr(GPtrArray) other_channel = NULL;
  g_autoptr(GListModel) journal = NULL;
  g_autoptr(GError) error = NULL;
  guint html_files = count_files (fixture->archive, ".html");

  /* The same bytes: not even recorded again. */
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (again, 0)), ==, CACHET_LAB_ENTRY_STATUS_DUPLICATE);
  g_assert_cmpint (cachet_lab_journal_entry_get_id (entry_at (again, 0)), ==, 0);
  g_assert_cmpint (cachet_lab_journal_entry_get_related_id (entry_at (again, 0)), ==,
                   cachet_lab_journal_entry_get_id (entry_at (first, 0)));

  /* The same reports in other bytes (another channel's line ends). */
  other_channel = import_text (fixture, text, LABS_TEST_CRLF, "b.hpr");
  g_assert_cmpuint (other_channel->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (other_channel, i)), ==,
                       CACHET_LAB_ENTRY_STATUS_DUPLICATE);
      g_assert_cmpint (cachet_lab_journal_entry_get_related_id (entry_at (other_channel, i)), ==,
                       cachet_lab_journal_entry_get_id (entry_at (first, i)));
    }
  g_assert_cmpuint (count_files (fixture->archive, ".html"), ==, html_files);
  g_assert_cmpuint (count_files (fixture->inbox, ".hpr"), ==, 1);

  journal = cachet_lab_filer_list_entries (fixture->filer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 4);
  g_assert_true (g_list_model_get_item_type (journal) == CACHET_TYPE_LAB_JOURNAL_ENTRY);
}

static CachetLabEntryStatus
journal_status (Fixture *fixture,
                gint64   id)
{
  g_autoptr(GListModel) journal = cachet_lab_filer_list_entries (fixture->filer, NULL);
  guint n = g_list_model_get_n_items (journal);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CachetLabJournalEntry) entry = g_list_model_get_item (journal, i);

      if (cachet_lab_journal_entry_get_id (entry) == id)
        return cachet_lab_journal_entry_get_status (entry);
    }
  g_assert_not_reached ();
}

static void
test_partial_then_complete (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *partial = labs_test_hprim_net (TRUE);
  g_autofree char *complete = labs_test_hprim_net (FALSE);
  g_autoptr(GPtrArray) first = import_text (fixture, partial, LABS_TEST_LF, "partiel.hpr");
  g_autoptr(GPtrArray) second = import_text (fixture, complete, LABS_TEST_LF, "complet.hpr");
  gint64 partial_id = cachet_lab_journal_entry_get_id (entry_at (first, 0));

  /* The complete report is filed and linked; the partial one stays. */
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (second, 0)), ==, CACHET_LAB_ENTRY_STATUS_PENDING);
  g_assert_cmpint (cachet_lab_journal_entry_get_related_id (entry_at (second, 0)), ==, partial_id);
  g_assert_cmpint (journal_status (fixture, partial_id), ==, CACHET_LAB_ENTRY_STATUS_REPLACED);
  g_assert_cmpuint (count_files (cachet_lab_journal_entry_get_folder (entry_at (second, 0)), ".html"), ==, 2);
  /* The other patient's report did not change. */
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (second, 1)), ==, CACHET_LAB_ENTRY_STATUS_DUPLICATE);
}

static void
test_correction (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *v1 = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.7", 1, NULL, "7.8");
  g_autofree char *v2 = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.7", 2, "1.2.250.1.999.7.1", "6.1");
  g_autoptr(GPtrArray) first = import_text (fixture, v1, LABS_TEST_LF, "v1.xml");
  g_autoptr(GPtrArray) second = import_text (fixture, v2, LABS_TEST_LF, "v2.xml");
  gint64 first_id = cachet_lab_journal_entry_get_id (entry_at (first, 0));
  const char *folder = cachet_lab_journal_entry_get_folder (entry_at (second, 0));

  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (second, 0)), ==, CACHET_LAB_ENTRY_STATUS_FILED);
  g_assert_cmpint (cachet_lab_journal_entry_get_related_id (entry_at (second, 0)), ==, first_id);
  g_assert_cmpint (journal_status (fixture, first_id), ==, CACHET_LAB_ENTRY_STATUS_REPLACED);
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (entry_at (first, 0)), ==, folder);
  g_assert_cmpuint (count_files (folder, ".xml"), ==, 2);
  g_assert_cmpuint (count_files (folder, ".pdf"), ==, 2);
}

static void
test_confirm_patient (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *cda = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.5", 1, NULL, "7.8");
  g_autofree char *hprim = labs_test_hprim_net (FALSE);
  g_autoptr(GPtrArray) known = import_text (fixture, cda, LABS_TEST_LF, "cr.xml");
  g_autoptr(GPtrArray) pending = import_text (fixture, hprim, LABS_TEST_LF, "r.hpr");
  g_autoptr(GListModel) journal = NULL;
  g_autoptr(CachetLabJournalEntry) durand = NULL;
  g_autoptr(CachetLabJournalEntry) lefevre = NULL;
  g_autoptr(GError) error = NULL;
  const char *const *old_files = cachet_lab_journal_entry_get_files (entry_at (pending, 0));
  gint64 candidate = cachet_lab_journal_entry_get_candidate_id (entry_at (pending, 0));
  g_autofree char *unconfirmed = g_build_filename (fixture->archive, "_unconfirmed", NULL);

  /* The INS patient with the same name and birth date is offered. */
  g_assert_cmpint (candidate, >, 0);
  g_assert_cmpint (cachet_lab_journal_entry_get_candidate_id (entry_at (pending, 1)), ==, 0);
  g_assert_nonnull (old_files);
  g_assert_true (g_file_test (old_files[0], G_FILE_TEST_IS_REGULAR));

  g_assert_true (cachet_lab_filer_confirm_patient (fixture->filer, cachet_lab_journal_entry_get_id (entry_at (pending, 0)),
                                                   candidate, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cachet_lab_filer_confirm_patient (fixture->filer, cachet_lab_journal_entry_get_id (entry_at (pending, 1)),
                                                   0, NULL, &error));
  g_assert_no_error (error);

  journal = cachet_lab_filer_list_entries (fixture->filer, &error);
  g_assert_no_error (error);
  durand = g_list_model_get_item (journal, 1);
  lefevre = g_list_model_get_item (journal, 2);
  g_assert_cmpint (cachet_lab_journal_entry_get_status (durand), ==, CACHET_LAB_ENTRY_STATUS_FILED);
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (durand), ==,
                   cachet_lab_journal_entry_get_folder (entry_at (known, 0)));
  g_assert_true (g_file_test (cachet_lab_journal_entry_get_files (durand)[0], G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_files (cachet_lab_journal_entry_get_folder (durand), ".html"), ==, 2);
  g_assert_cmpint (cachet_lab_journal_entry_get_status (lefevre), ==, CACHET_LAB_ENTRY_STATUS_FILED);
  g_assert_true (g_str_has_suffix (cachet_lab_journal_entry_get_folder (lefevre), "/LEFÈVRE Éric (1985-07-14)"));
  g_assert_cmpuint (count_files (unconfirmed, ""), ==, 0);

  /* Only a report waiting for its patient can be confirmed. */
  g_assert_false (cachet_lab_filer_confirm_patient (fixture->filer, cachet_lab_journal_entry_get_id (durand), 0,
                                                    NULL, &error));
  g_assert_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_JOURNAL);
}

/* Every path the journal names is there, whatever layout it was filed in. */
static void
assert_journal_paths_exist (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) journal = cachet_lab_filer_list_entries (fixture->filer, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (journal); i++)
    {
      g_autoptr(CachetLabJournalEntry) entry = g_list_model_get_item (journal, i);
      const char * const *files = cachet_lab_journal_entry_get_files (entry);
      const char *original = cachet_lab_journal_entry_get_original_path (entry);

      if (original != NULL)
        g_assert_true (g_file_test (original, G_FILE_TEST_IS_REGULAR));
      for (guint j = 0; files != NULL && files[j] != NULL; j++)
        g_assert_true (g_file_test (files[j], G_FILE_TEST_IS_REGULAR));
    }
}

static void
assert_files_in (CachetLabJournalEntry *entry,
                 const char            *dir,
                 guint                  n_files)
{
  const char * const *files = cachet_lab_journal_entry_get_files (entry);

  g_assert_nonnull (files);
  g_assert_cmpuint (g_strv_length ((GStrv) files), ==, n_files);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *parent = g_path_get_dirname (files[i]);

      g_assert_cmpstr (parent, ==, dir);
    }
}

/* A CDA for DURAND Hélène under a test INS root: never qualified, so it
 * waits for the user with the patient of the same name as candidate. */
#define TEST_INS_ROOT "1.2.250.1.213.1.4.10"
#define PRODUCTION_INS_ROOT "1.2.250.1.213.1.4.8"

static CachetLabJournalEntry *
import_pending_cda (Fixture    *fixture,
                    const char *set_id,
                    const char *name)
{
  g_autofree char *cda = labs_test_cda (TEST_INS_ROOT, set_id, 1, NULL, "5.2");
  g_autoptr(GPtrArray) entries = import_text (fixture, cda, LABS_TEST_LF, name);

  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (entries, 0)), ==, CACHET_LAB_ENTRY_STATUS_PENDING);
  return g_object_ref (entry_at (entries, 0));
}

static CachetLabPatientRecord *
find_patient (GListModel *patients,
              gint64      id)
{
  for (guint i = 0; i < g_list_model_get_n_items (patients); i++)
    {
      g_autoptr(CachetLabPatientRecord) record = g_list_model_get_item (patients, i);

      if (cachet_lab_patient_record_get_id (record) == id)
        return g_steal_pointer (&record);
    }
  g_assert_not_reached ();
}

static void
list_patients_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GListModel *
list_patients (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *patients;

  cachet_lab_filer_list_patients_async (fixture->filer, NULL, list_patients_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  patients = cachet_lab_filer_list_patients_finish (fixture->filer, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (patients);
  return patients;
}

/* Each filed report is in its patient's folder, and each patient's folder
 * holds the pages of exactly the reports the journal files there. */
static void
assert_journal_agrees_with_folders (Fixture    *fixture,
                                    GListModel *patients)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) journal = cachet_lab_filer_list_entries (fixture->filer, &error);
  g_autoptr(GHashTable) filed = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (journal); i++)
    {
      g_autoptr(CachetLabJournalEntry) entry = g_list_model_get_item (journal, i);
      const char *folder = cachet_lab_journal_entry_get_folder (entry);

      if (cachet_lab_journal_entry_get_status (entry) != CACHET_LAB_ENTRY_STATUS_FILED)
        continue;
      assert_files_in (entry, folder, 3);
      g_hash_table_replace (filed, (gpointer) folder,
                            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (filed, folder)) + 1));
    }
  for (guint i = 0; i < g_list_model_get_n_items (patients); i++)
    {
      g_autoptr(CachetLabPatientRecord) record = g_list_model_get_item (patients, i);
      const char *folder = cachet_lab_patient_record_get_folder (record);
      guint n_reports = cachet_lab_patient_record_get_n_reports (record);

      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (filed, folder)), ==, n_reports);
      g_assert_cmpuint (count_files (folder, ".html"), ==, n_reports);
    }
}

/* Two people with one name and one date of birth: the user says the
 * second is someone else, then files a third report with that second one
 * rather than with the candidate the journal proposes. */
static void
test_homonyms (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *cda = labs_test_cda (PRODUCTION_INS_ROOT, "1.2.250.1.999.1", 1, NULL, "7.8");
  g_autoptr(GPtrArray) known = import_text (fixture, cda, LABS_TEST_LF, "cr.xml");
  g_autoptr(CachetLabJournalEntry) second = import_pending_cda (fixture, "1.2.250.1.999.2", "second.xml");
  g_autoptr(CachetLabJournalEntry) third = NULL;
  g_autoptr(CachetLabPatientRecord) first_patient = NULL;
  g_autoptr(CachetLabPatientRecord) namesake = NULL;
  g_autoptr(GListModel) patients = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_folder = g_build_filename (fixture->archive, "DURAND Hélène (1961-03-02)", NULL);
  g_autofree char *namesake_folder = g_build_filename (fixture->archive, "DURAND Hélène (1961-03-02) (2)", NULL);
  gint64 candidate = cachet_lab_journal_entry_get_candidate_id (second);
  gint64 namesake_id;

  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (known, 0)), ==, CACHET_LAB_ENTRY_STATUS_FILED);
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (entry_at (known, 0)), ==, first_folder);
  g_assert_cmpint (candidate, >, 0);
  /* The same folder name as the candidate's: filing by name would merge. */
  g_assert_cmpstr (cachet_lab_journal_entry_get_patient (second), ==, "DURAND Hélène (1961-03-02)");

  g_assert_true (cachet_lab_filer_confirm_patient (fixture->filer, cachet_lab_journal_entry_get_id (second), 0,
                                                   NULL, &error));
  g_assert_no_error (error);
  patients = list_patients (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (patients), ==, 2);
  first_patient = find_patient (patients, candidate);
  g_assert_cmpstr (cachet_lab_patient_record_get_folder (first_patient), ==, first_folder);
  g_assert_true (cachet_lab_patient_record_get_ins_qualified (first_patient));
  g_assert_cmpuint (cachet_lab_patient_record_get_n_reports (first_patient), ==, 1);
  namesake = g_list_model_get_item (patients, 0);
  if (cachet_lab_patient_record_get_id (namesake) == candidate)
    g_set_object (&namesake, g_list_model_get_item (patients, 1));
  namesake_id = cachet_lab_patient_record_get_id (namesake);
  g_assert_cmpstr (cachet_lab_patient_record_get_folder (namesake), ==, namesake_folder);
  g_assert_cmpstr (cachet_lab_patient_record_get_display_name (namesake), ==, "DURAND Hélène (1961-03-02)");
  g_assert_cmpstr (cachet_lab_patient_record_get_family_name (namesake), ==, "DURAND");
  g_assert_cmpstr (cachet_lab_patient_record_get_given_names (namesake), ==, "Hélène");
  g_assert_cmpstr (cachet_lab_patient_record_get_birth_date (namesake), ==, "1961-03-02");
  g_assert_cmpint (cachet_lab_patient_record_get_sex (namesake), ==, 'F');
  /* The INS the report gave is kept, but the user's word does not qualify it. */
  g_assert_cmpstr (cachet_lab_patient_record_get_ins (namesake), ==, "261037600000012");
  g_assert_false (cachet_lab_patient_record_get_ins_qualified (namesake));
  g_assert_cmpuint (cachet_lab_patient_record_get_n_reports (namesake), ==, 1);
  assert_journal_agrees_with_folders (fixture, patients);

  /* Another report: the qualified namesake is still the one proposed, and
   * the user files it with the other. */
  third = import_pending_cda (fixture, "1.2.250.1.999.3", "third.xml");
  g_assert_cmpint (cachet_lab_journal_entry_get_candidate_id (third), ==, candidate);
  g_assert_true (cachet_lab_filer_confirm_patient (fixture->filer, cachet_lab_journal_entry_get_id (third),
                                                   namesake_id, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&patients);
  patients = list_patients (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (patients), ==, 2);
  g_clear_object (&namesake);
  namesake = find_patient (patients, namesake_id);
  g_assert_cmpuint (cachet_lab_patient_record_get_n_reports (namesake), ==, 2);
  assert_journal_agrees_with_folders (fixture, patients);
  assert_journal_paths_exist (fixture);

  /* A third namesake with a qualified INS of her own: filed without asking,
   * in a folder of her own too. */
  {
    g_autoptr(GString) other = g_string_new (cda);
    g_autoptr(GPtrArray) qualified = NULL;
    g_autofree char *third_folder = g_build_filename (fixture->archive, "DURAND Hélène (1961-03-02) (3)", NULL);

    g_string_replace (other, "261037600000012", "261037600000099", 0);
    g_string_replace (other, "1.2.250.1.999.1", "1.2.250.1.999.9", 0);
    qualified = import_text (fixture, other->str, LABS_TEST_LF, "other.xml");
    g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (qualified, 0)), ==,
                     CACHET_LAB_ENTRY_STATUS_FILED);
    g_assert_cmpstr (cachet_lab_journal_entry_get_folder (entry_at (qualified, 0)), ==, third_folder);
    g_clear_object (&patients);
    patients = list_patients (fixture);
    g_assert_cmpuint (g_list_model_get_n_items (patients), ==, 3);
    assert_journal_agrees_with_folders (fixture, patients);
  }

  /* A patient that does not exist is refused, and the report still waits. */
  g_clear_object (&third);
  third = import_pending_cda (fixture, "1.2.250.1.999.4", "fourth.xml");
  g_assert_false (cachet_lab_filer_confirm_patient (fixture->filer, cachet_lab_journal_entry_get_id (third), 9999,
                                                    NULL, &error));
  g_assert_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_JOURNAL);
  g_clear_error (&error);
  g_assert_true (g_file_test (cachet_lab_journal_entry_get_files (third)[0], G_FILE_TEST_IS_REGULAR));
}

/* A journal from before patients had folders of their own: its patients
 * keep the folder named after them, and the journal is usable as it was. */
static void
test_patients_migration (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *journal = g_build_filename (fixture->root, "old", "labs.sqlite", NULL);
  g_autofree char *dir = g_path_get_dirname (journal);
  g_autofree char *cda = labs_test_cda (PRODUCTION_INS_ROOT, "1.2.250.1.999.1", 1, NULL, "7.8");
  g_autofree char *folder = g_build_filename (fixture->archive, "DURAND Hélène (1961-03-02)", NULL);
  g_autoptr(GBytes) bytes = labs_test_encode (cda, "UTF-8", LABS_TEST_LF);
  g_autoptr(CachetLabFiler) filer = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GListModel) patients = NULL;
  g_autoptr(CachetLabPatientRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (journal, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "PRAGMA foreign_keys = ON;"
    "CREATE TABLE files (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    " size INTEGER NOT NULL, format TEXT NOT NULL, imported_at INTEGER NOT NULL, sender TEXT);"
    "CREATE TABLE patients (id INTEGER PRIMARY KEY, ins TEXT NOT NULL UNIQUE, match_key TEXT NOT NULL,"
    " display_name TEXT NOT NULL);"
    "CREATE INDEX patients_match_key ON patients (match_key);"
    "CREATE TABLE reports (id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files (id),"
    " business_key TEXT, results_digest TEXT, status TEXT NOT NULL, patient_id INTEGER REFERENCES patients (id),"
    " candidate_id INTEGER REFERENCES patients (id), related_id INTEGER REFERENCES reports (id),"
    " patient_name TEXT, lab TEXT, report_id TEXT, report_date TEXT, folder TEXT, original_path TEXT,"
    " report_files TEXT, reason TEXT);"
    "INSERT INTO files VALUES (1, 'old', 'old.xml', 1, 'cda', 0, NULL);"
    "INSERT INTO patients VALUES (7, '261037600000012', 'DURAND|HELENE|1961-03-02', 'DURAND Hélène (1961-03-02)');"
    "INSERT INTO reports (id, file_id, status, patient_id, patient_name) VALUES (1, 1, 'filed', 7, 'DURAND');",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  filer = cachet_lab_filer_new (journal, fixture->archive, NULL, &error);
  g_assert_no_error (error);
  patients = cachet_lab_filer_list_patients (filer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (patients), ==, 1);
  record = g_list_model_get_item (patients, 0);
  g_assert_cmpint (cachet_lab_patient_record_get_id (record), ==, 7);
  g_assert_cmpstr (cachet_lab_patient_record_get_folder (record), ==, folder);
  g_assert_true (cachet_lab_patient_record_get_ins_qualified (record));
  g_assert_cmpuint (cachet_lab_patient_record_get_n_reports (record), ==, 1);

  /* Her qualified INS still finds her, in her folder. */
  entries = cachet_lab_filer_import (filer, bytes, "cr.xml", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (entries, 0)), ==, CACHET_LAB_ENTRY_STATUS_FILED);
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (entry_at (entries, 0)), ==, folder);
  g_clear_object (&filer);

  /* Opening it again changes nothing. */
  filer = cachet_lab_filer_new (journal, fixture->archive, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&patients);
  patients = cachet_lab_filer_list_patients (filer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (patients), ==, 1);
  g_clear_object (&record);
  record = g_list_model_get_item (patients, 0);
  g_assert_cmpuint (cachet_lab_patient_record_get_n_reports (record), ==, 2);
}

/* A year sub-folder per patient, for new filings only: the journal keeps
 * the patient's folder, so reports filed in either layout stay one
 * patient's, and a duplicate is one whatever the layout. */
static void
test_layout_by_year (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *cda = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.1", 1, NULL, "7.8");
  g_autofree char *january_cda = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.2", 1, NULL, "6.1");
  g_autofree char *hprim = labs_test_hprim_net (FALSE);
  g_autofree char *folder = g_build_filename (fixture->archive, "DURAND Hélène (1961-03-02)", NULL);
  g_autofree char *year_2024 = g_build_filename (folder, "2024", NULL);
  g_autofree char *year_2025 = g_build_filename (folder, "2025", NULL);
  g_autoptr(GString) january = g_string_new (january_cda);
  g_autoptr(GString) other_line_ends = g_string_new (cda);
  g_autoptr(GPtrArray) by_year = NULL;
  g_autoptr(GPtrArray) flat = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) by_year_again = NULL;
  g_autoptr(GListModel) journal = NULL;
  g_autoptr(CachetLabJournalEntry) confirmed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cachet_lab_filer_get_layout (fixture->filer), ==, CACHET_LAB_LAYOUT_DEFAULT);
  cachet_lab_filer_set_layout (fixture->filer, CACHET_LAB_LAYOUT_BY_YEAR);
  g_assert_cmpint (cachet_lab_filer_get_layout (fixture->filer), ==, CACHET_LAB_LAYOUT_BY_YEAR);
  by_year = import_text (fixture, cda, LABS_TEST_LF, "cr.xml");
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (by_year, 0)), ==, CACHET_LAB_ENTRY_STATUS_FILED);
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (entry_at (by_year, 0)), ==, folder);
  /* The page, the PDF and the original, in the year of sampling. */
  assert_files_in (entry_at (by_year, 0), year_2024, 3);

  /* Back to the default, the next report goes in the patient's folder
   * itself, which the journal names for both. */
  cachet_lab_filer_set_layout (fixture->filer, CACHET_LAB_LAYOUT_DEFAULT);
  g_string_replace (january, "20241218", "20250115", 0);
  flat = import_text (fixture, january->str, LABS_TEST_LF, "cr-janvier.xml");
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (entry_at (flat, 0)), ==, folder);
  assert_files_in (entry_at (flat, 0), folder, 3);
  g_assert_false (g_file_test (year_2025, G_FILE_TEST_EXISTS));

  /* The same report in other bytes is a duplicate in any layout. */
  g_string_replace (other_line_ends, "\r\n", "\n", 0);
  again = import_text (fixture, other_line_ends->str, LABS_TEST_LF, "cr-bis.xml");
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (again, 0)), ==, CACHET_LAB_ENTRY_STATUS_DUPLICATE);
  cachet_lab_filer_set_layout (fixture->filer, CACHET_LAB_LAYOUT_BY_YEAR);
  by_year_again = import_text (fixture, january->str, LABS_TEST_CRLF, "cr-janvier-bis.xml");
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (by_year_again, 0)), ==,
                   CACHET_LAB_ENTRY_STATUS_DUPLICATE);
  g_assert_false (g_file_test (year_2025, G_FILE_TEST_EXISTS));

  /* Confirming files with the layout of the moment. */
  pending = import_text (fixture, hprim, LABS_TEST_LF, "r.hpr");
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (pending, 0)), ==, CACHET_LAB_ENTRY_STATUS_PENDING);
  g_assert_true (cachet_lab_filer_confirm_patient (fixture->filer, cachet_lab_journal_entry_get_id (entry_at (pending, 0)),
                                                   cachet_lab_journal_entry_get_candidate_id (entry_at (pending, 0)),
                                                   NULL, &error));
  g_assert_no_error (error);
  journal = cachet_lab_filer_list_entries (fixture->filer, &error);
  g_assert_no_error (error);
  confirmed = g_list_model_get_item (journal, g_list_model_get_n_items (journal) - 2);
  g_assert_cmpint (cachet_lab_journal_entry_get_id (confirmed), ==, cachet_lab_journal_entry_get_id (entry_at (pending, 0)));
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (confirmed), ==, folder);
  assert_files_in (confirmed, year_2024, 1);
  g_assert_cmpuint (count_files (folder, ".html"), ==, 3);
  assert_journal_paths_exist (fixture);
}

/* Without the HTML page beside a PDF, a report without one still gets it. */
static void
test_layout_html (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *cda = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.1", 1, NULL, "7.8");
  g_autofree char *hprim = labs_test_hprim_net (FALSE);
  g_autofree char *folder = g_build_filename (fixture->archive, "DURAND Hélène (1961-03-02)", NULL);
  g_autoptr(GPtrArray) with_pdf = NULL;
  g_autoptr(GPtrArray) without_pdf = NULL;
  const char * const *files;

  cachet_lab_filer_set_layout (fixture->filer, CACHET_LAB_LAYOUT_HTML_ONLY_WITHOUT_PDF);
  with_pdf = import_text (fixture, cda, LABS_TEST_LF, "cr.xml");
  files = cachet_lab_journal_entry_get_files (entry_at (with_pdf, 0));
  assert_files_in (entry_at (with_pdf, 0), folder, 2);
  g_assert_true (g_str_has_suffix (files[0], ".pdf"));
  g_assert_true (g_str_has_suffix (files[1], ".xml"));
  g_assert_cmpuint (count_files (folder, ".html"), ==, 0);

  without_pdf = import_text (fixture, hprim, LABS_TEST_LF, "r.hpr");
  for (guint i = 0; i < without_pdf->len; i++)
    {
      files = cachet_lab_journal_entry_get_files (entry_at (without_pdf, i));
      /* A file of two patients is not copied beside either: the page is all. */
      g_assert_cmpuint (g_strv_length ((GStrv) files), ==, 1);
      g_assert_true (g_str_has_suffix (files[0], ".html"));
      g_assert_true (g_file_test (files[0], G_FILE_TEST_IS_REGULAR));
    }
}

/* The inbox by day of import; the files of the flat layout stay. */
static void
test_layout_inbox_by_day (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *partial = labs_test_hprim_net (TRUE);
  g_autoptr(GBytes) bytes = labs_test_hprim_net_encoded (FALSE, "ISO-8859-1", LABS_TEST_CRLF);
  g_autoptr(GPtrArray) by_day = NULL;
  g_autoptr(GPtrArray) flat = NULL;
  g_autoptr(GDateTime) imported = NULL;
  g_autofree char *day = NULL;
  g_autofree char *day_dir = NULL;
  g_autoptr(GDir) inbox = NULL;
  g_autoptr(GDir) day_listing = NULL;
  const char *name;
  guint n_dirs = 0;
  guint n_files = 0;

  cachet_lab_filer_set_layout (fixture->filer, CACHET_LAB_LAYOUT_INBOX_BY_DAY);
  by_day = import_bytes (fixture, bytes, "resultat.hpr");
  imported = g_date_time_new_from_unix_local (cachet_lab_journal_entry_get_imported_at (entry_at (by_day, 0)));
  day = g_date_time_format (imported, "%Y-%m-%d");
  day_dir = g_build_filename (fixture->inbox, day, NULL);
  day_listing = g_dir_open (day_dir, 0, NULL);
  g_assert_nonnull (day_listing);
  name = g_dir_read_name (day_listing);
  g_assert_nonnull (name);
  g_assert_true (g_str_has_suffix (name, "-resultat.hpr"));
  g_assert_null (g_dir_read_name (day_listing));

  cachet_lab_filer_set_layout (fixture->filer, CACHET_LAB_LAYOUT_DEFAULT);
  flat = import_text (fixture, partial, LABS_TEST_LF, "partiel.hpr");
  g_assert_cmpuint (flat->len, ==, 2);
  inbox = g_dir_open (fixture->inbox, 0, NULL);
  while ((name = g_dir_read_name (inbox)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->inbox, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n_dirs++;
      else if (g_str_has_suffix (name, "-partiel.hpr"))
        n_files++;
    }
  g_assert_cmpuint (n_dirs, ==, 1);
  g_assert_cmpuint (n_files, ==, 1);
}

static void
test_unrecognised (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("not a lab\0\xff\xfe result", 20);
  g_autoptr(GPtrArray) entries = import_bytes (fixture, bytes, "weird.bin");
  CachetLabJournalEntry *entry = entry_at (entries, 0);
  g_autofree char *reason_path = g_strconcat (cachet_lab_journal_entry_get_original_path (entry), ".reason.txt", NULL);
  g_autofree char *reason = read_text (reason_path);
  g_autofree char *unrecognised = g_build_filename (fixture->archive, "_unrecognised", NULL);

  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry), ==, CACHET_LAB_ENTRY_STATUS_UNRECOGNISED);
  g_assert_cmpstr (cachet_lab_journal_entry_get_folder (entry), ==, unrecognised);
  assert_file_has_bytes (cachet_lab_journal_entry_get_original_path (entry), bytes);
  g_assert_nonnull (cachet_lab_journal_entry_get_reason (entry));
  g_assert_true (g_str_has_prefix (reason, cachet_lab_journal_entry_get_reason (entry)));
  g_assert_cmpuint (count_files (fixture->inbox, ""), ==, 0);
}

static void
test_name_collision (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) bytes = labs_test_hprim_net_encoded (FALSE, "UTF-8", LABS_TEST_LF);
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *name = g_strdup_printf ("%.16s-x.hpr", hash);
  g_autofree char *originals = g_build_filename (fixture->archive, "_originals", NULL);
  g_autofree char *squatter = g_build_filename (originals, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *kept = NULL;

  g_assert_cmpint (g_mkdir_with_parents (originals, 0700), ==, 0);
  g_file_set_contents (squatter, "someone else's file", -1, &error);
  g_assert_no_error (error);

  entries = import_bytes (fixture, bytes, "x.hpr");
  g_assert_true (g_str_has_suffix (cachet_lab_journal_entry_get_original_path (entry_at (entries, 0)), "-x-2.hpr"));
  kept = read_text (squatter);
  g_assert_cmpstr (kept, ==, "someone else's file");
}

/* Lists every path under @path that is not under one of @allowed. */
static void
find_strays (const char   *path,
             const char  **allowed,
             GPtrArray    *strays)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_strv_contains (allowed, child))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        find_strays (child, allowed, strays);
      else
        g_ptr_array_add (strays, g_steal_pointer (&child));
    }
}

static void
test_hostile_archives (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *dir_path = labs_test_samples_dir ("security/07-attachments-archives/generated-xdm");
  g_autofree char *journal_dir = g_build_filename (fixture->root, "journal", NULL);
  g_autofree char *data_dir = g_build_filename (fixture->root, "data", NULL);
  g_autofree char *unrecognised = g_build_filename (fixture->archive, "_unrecognised", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) strays = g_ptr_array_new_with_free_func (g_free);
  const char *allowed[] = { journal_dir, data_dir, unrecognised, NULL };
  const char *canaries[] = { "/tmp/zipslip-canary.txt", "/tmp/zipslip-canary-abs.txt", NULL };
  const char *name;

  if (dir == NULL)
    {
      g_test_skip_printf ("hostile archive samples not found in %s", dir_path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GPtrArray) entries = NULL;

      if (g_str_equal (name, "xdm-valid.zip"))
        continue;
      bytes = load_file (path);
      g_test_message ("%s", name);
      entries = import_bytes (fixture, bytes, name);
      g_assert_cmpuint (entries->len, ==, 1);
      g_assert_cmpint (cachet_lab_journal_entry_get_status (entry_at (entries, 0)), ==,
                       CACHET_LAB_ENTRY_STATUS_UNRECOGNISED);
      g_assert_nonnull (cachet_lab_journal_entry_get_reason (entry_at (entries, 0)));
    }

  /* Nothing was written anywhere but the journal and the unrecognised
   * folder, and nothing escaped to the canaries' places. */
  find_strays (fixture->root, allowed, strays);
  for (guint i = 0; i < strays->len; i++)
    g_test_message ("written outside: %s", (char *) g_ptr_array_index (strays, i));
  g_assert_cmpuint (strays->len, ==, 0);
  for (guint i = 0; canaries[i] != NULL; i++)
    g_assert_false (g_file_test (canaries[i], G_FILE_TEST_EXISTS));
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) bytes = labs_test_hprim_net_encoded (FALSE, "UTF-8", LABS_TEST_CR);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  cachet_lab_filer_import_async (fixture->filer, bytes, "cr.hpr", "labo@example.org", NULL, NULL, import_done,
                                 &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  entries = cachet_lab_filer_import_finish (fixture->filer, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_clear_object (&result);
  g_clear_pointer (&entries, g_ptr_array_unref);

  g_cancellable_cancel (cancelled);
  cachet_lab_filer_import_async (fixture->filer, bytes, "cr.hpr", NULL, NULL, cancelled, import_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  entries = cachet_lab_filer_import_finish (fixture->filer, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (entries);
}

static CachetLabFiler *
reopen_filer (Fixture *fixture)
{
  g_autofree char *journal = g_build_filename (fixture->root, "journal", "labs.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  CachetLabFiler *filer = cachet_lab_filer_new (journal, fixture->archive, fixture->inbox, &error);

  g_assert_no_error (error);
  return filer;
}

static void
test_sender_charset (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) bytes = labs_test_hprim_net_encoded (FALSE, "ISO-8859-1", LABS_TEST_LF);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) reread = NULL;
  g_autoptr(GHashTable) charsets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *charset = NULL;
  g_autofree char *reread_patient = NULL;
  const char *patient;

  g_assert_false (cachet_lab_filer_set_sender_charset (fixture->filer, "labo@example.org", "NO-SUCH-CHARSET", &error));
  g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION);
  g_clear_error (&error);

  /* A wrong override is the user's choice: the names show it. It is kept
   * by the journal, so a filer opened later applies it. */
  g_assert_true (cachet_lab_filer_set_sender_charset (fixture->filer, "Labo@Example.org", "MACINTOSH", &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->filer);
  fixture->filer = reopen_filer (fixture);
  entries = cachet_lab_filer_import (fixture->filer, bytes, "r.hpr", "labo@example.org", NULL, NULL, &error);
  g_assert_no_error (error);
  patient = cachet_lab_journal_entry_get_patient (entry_at (entries, 0));
  g_assert_cmpstr (patient, !=, "DURAND Hélène Françoise (1961-03-02)");

  /* Read again with the override, the report says what it said at import. */
  g_assert_true (cachet_lab_filer_lookup_entry_charset (fixture->filer,
                                                       cachet_lab_journal_entry_get_id (entry_at (entries, 0)),
                                                       &charset, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (charset, ==, "MACINTOSH");
  reread = cachet_lab_parse (bytes, CACHET_LAB_FORMAT_HPRIM_NET, charset, &error);
  g_assert_no_error (error);
  reread_patient = cachet_lab_patient_dup_display_name (cachet_lab_report_get_patient (g_ptr_array_index (reread, 0)));
  g_assert_cmpstr (reread_patient, ==, patient);

  charsets = cachet_lab_filer_dup_sender_charsets (fixture->filer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (charsets), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (charsets, "labo@example.org"), ==, "MACINTOSH");

  /* Cleared, detection reads the file again. */
  g_assert_true (cachet_lab_filer_set_sender_charset (fixture->filer, "LABO@example.org", NULL, &error));
  g_clear_pointer (&charset, g_free);
  g_assert_true (cachet_lab_filer_lookup_entry_charset (fixture->filer,
                                                       cachet_lab_journal_entry_get_id (entry_at (entries, 0)),
                                                       &charset, &error));
  g_assert_no_error (error);
  g_assert_null (charset);
}

/* A journal from before overrides were kept: opening it adds what is
 * missing, and its files keep importing. */
static void
test_charset_migration (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *journal = g_build_filename (fixture->root, "old", "labs.sqlite", NULL);
  g_autofree char *dir = g_path_get_dirname (journal);
  g_autoptr(GBytes) bytes = labs_test_hprim_net_encoded (FALSE, "UTF-8", LABS_TEST_CRLF);
  g_autoptr(CachetLabFiler) filer = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *charset = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (journal, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE files (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE,"
                                     " name TEXT NOT NULL, size INTEGER NOT NULL, format TEXT NOT NULL,"
                                     " imported_at INTEGER NOT NULL)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  filer = cachet_lab_filer_new (journal, fixture->archive, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_lab_filer_set_sender_charset (filer, "labo@example.org", "ISO-8859-1", &error));
  g_assert_no_error (error);
  entries = cachet_lab_filer_import (filer, bytes, "r.hpr", "labo@example.org", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_lab_filer_lookup_entry_charset (filer, cachet_lab_journal_entry_get_id (entry_at (entries, 0)),
                                                       &charset, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (charset, ==, "ISO-8859-1");
}

/* Starts cachet-cli with a data directory of this test's own, where the
 * command line keeps its journal; without @fixture, with the test
 * program's (where its accounts and mail are). */
static GSubprocess *
spawn_cli (Fixture            *fixture,
           const char * const *argv,
           GSubprocessFlags    flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (full, (gpointer) g_getenv ("CACHET_CLI"));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);
  if (fixture != NULL)
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->data_dir, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) full->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static CachetCliResult *
run_cli (Fixture            *fixture,
         const char * const *argv)
{
  g_autoptr(GSubprocess) process = spawn_cli (fixture, argv,
                                              G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  CachetCliResult *result = g_new0 (CachetCliResult, 1);

  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->exit_status = g_subprocess_get_exit_status (process);
  return result;
}

static JsonArray *
parse_json_array (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static char *
write_generated (const char *dir,
                 guint       index)
{
  g_autofree char *text = labs_test_hprim_net (FALSE);
  g_autofree char *id = g_strdup_printf ("A%09u", index);
  g_autofree char *name = g_strdup_printf ("result-%02u.hpr", index);
  g_autoptr(GString) unique = g_string_new (text);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  /* One report id per file, so each file holds two new reports. */
  g_string_replace (unique, "A250513068", id, 1);
  g_string_replace (unique, "    506232", id, 1);
  g_file_set_contents (path, unique->str, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *path = write_generated (fixture->root, 1);
  g_autofree char *missing = g_build_filename (fixture->root, "missing.hpr", NULL);
  const char *import_argv[] = { "labs", "import", "--into", fixture->archive, "--json", path, NULL };
  const char *list_argv[] = { "labs", "list", "--json", NULL };
  const char *failing_argv[] = { "labs", "import", "--into", fixture->archive, missing, NULL };
  g_autoptr(CachetCliResult) imported = run_cli (fixture, import_argv);
  g_autoptr(CachetCliResult) listed = NULL;
  g_autoptr(CachetCliResult) failed = NULL;
  g_autoptr(JsonArray) entries = NULL;
  g_autoptr(JsonArray) journal = NULL;
  JsonObject *first;

  g_assert_cmpint (imported->exit_status, ==, 0);
  entries = parse_json_array (imported->out);
  g_assert_cmpuint (json_array_get_length (entries), ==, 2);
  first = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (first, "format"), ==, "hprim-net");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (first, "folder"), fixture->archive));

  listed = run_cli (fixture, list_argv);
  g_assert_cmpint (listed->exit_status, ==, 0);
  journal = parse_json_array (listed->out);
  g_assert_cmpuint (json_array_get_length (journal), ==, 2);

  failed = run_cli (fixture, failing_argv);
  g_assert_cmpint (failed->exit_status, ==, 1);
  g_assert_nonnull (strstr (failed->err, "missing.hpr"));
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  guint count = 0;

  while (listing != NULL && g_dir_read_name (listing) != NULL)
    count++;
  return count;
}

/* The layout options of the command line: the same filer options as the
 * application's settings. */
static void
test_cli_layout (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = write_generated (fixture->root, 2);
  const char *import_argv[] = { "labs", "import", "--into", fixture->archive, "--inbox", fixture->inbox,
                                "--by-year", "--inbox-by-day", "--json", path, NULL };
  g_autoptr(CachetCliResult) imported = run_cli (fixture, import_argv);
  g_autoptr(JsonArray) entries = NULL;
  g_autoptr(GDir) inbox = NULL;
  g_autofree char *year = NULL;
  g_autofree char *day_dir = NULL;
  const char *day;

  g_assert_cmpint (imported->exit_status, ==, 0);
  entries = parse_json_array (imported->out);
  year = g_build_filename (json_object_get_string_member (json_array_get_object_element (entries, 0), "folder"),
                           "2024", NULL);
  g_assert_cmpuint (count_files (year, ".html"), ==, 1);

  /* The day of import, whatever the test's clock says now. */
  g_assert_cmpuint (count_entries (fixture->inbox), ==, 1);
  inbox = g_dir_open (fixture->inbox, 0, NULL);
  day = g_dir_read_name (inbox);
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", day, 0, 0));
  day_dir = g_build_filename (fixture->inbox, day, NULL);
  g_assert_cmpuint (count_files (day_dir, ".hpr"), ==, 1);
}

/* kill -9 at different points of an import, then an import to the end:
 * one copy of each result, and the journal agrees with the folders. */
static void
test_killed_imports (Fixture       *fixture,
                     gconstpointer  data)
{
  const guint n_files = 12;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sources = g_build_filename (fixture->root, "sources", NULL);
  g_autofree char *originals = g_build_filename (fixture->archive, "_originals", NULL);
  const char *list_argv[] = { "labs", "list", "--json", NULL };
  g_autoptr(CachetCliResult) listed = NULL;
  g_autoptr(JsonArray) journal = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (sources, 0700), ==, 0);
  g_ptr_array_add (argv, g_strdup ("labs"));
  g_ptr_array_add (argv, g_strdup ("import"));
  g_ptr_array_add (argv, g_strdup ("--into"));
  g_ptr_array_add (argv, g_strdup (fixture->archive));
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (argv, write_generated (sources, i));
  g_ptr_array_add (argv, NULL);

  for (guint round = 1; round <= 4; round++)
    {
      g_autoptr(GSubprocess) process = spawn_cli (fixture, (const char * const *) argv->pdata,
                                                  G_SUBPROCESS_FLAGS_STDOUT_SILENCE);

      /* Kill once the import is well under way: a little further each
       * round, wherever it happens to be in writing or committing. */
      while (count_entries (originals) < round * 2 && g_subprocess_get_identifier (process) != NULL)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
      g_subprocess_send_signal (process, SIGKILL);
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);
    }

  /* The last import runs to its end. */
  {
    g_autoptr(GSubprocess) process = spawn_cli (fixture, (const char * const *) argv->pdata,
                                                G_SUBPROCESS_FLAGS_STDOUT_SILENCE);

    g_subprocess_wait_check (process, NULL, &error);
    g_assert_no_error (error);
  }

  listed = run_cli (fixture, list_argv);
  g_assert_cmpint (listed->exit_status, ==, 0);
  journal = parse_json_array (listed->out);
  /* Two reports per file, each recorded once, each with its page. */
  g_assert_cmpuint (json_array_get_length (journal), ==, n_files * 2);
  for (guint i = 0; i < json_array_get_length (journal); i++)
    {
      JsonObject *entry = json_array_get_object_element (journal, i);

      g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "pending");
      g_assert_true (g_file_test (json_object_get_string_member (entry, "original"), G_FILE_TEST_IS_REGULAR));
    }
  g_assert_cmpuint (count_files (fixture->archive, ".html"), ==, n_files * 2);
  g_assert_cmpuint (count_entries (originals), ==, n_files);
}

/* A message with an HPRIM body, a CDA and its PDF, stored for an account:
 * import-mail files both results, the PDF next to the HPRIM one. */
static void
test_cli_import_mail (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CachetStore) store = cachet_test_add_account ("Labos", "secretariat@demo.cachet.test", NULL);
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(CachetCliResult) imported = NULL;
  g_autoptr(CachetCliResult) again = NULL;
  g_autoptr(JsonArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hprim = labs_test_hprim_net (FALSE);
  g_autofree char *hprim_base64 = g_base64_encode ((const guchar *) hprim, strlen (hprim));
  g_autofree char *cda = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.3", 1, NULL, "5.2");
  g_autofree char *cda_base64 = g_base64_encode ((const guchar *) cda, strlen (cda));
  g_autofree char *pdf_base64 = g_base64_encode ((const guchar *) "%PDF-1.4\n%%EOF\n", 15);
  g_autofree char *raw = g_strdup_printf (
    "From: Labo <labo@example.org>\r\nTo: secretariat@demo.cachet.test\r\nSubject: CR\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
    "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n"
    "--b\r\nContent-Type: text/xml; name=\"cr.xml\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n"
    "--b\r\nContent-Type: application/pdf; name=\"cr.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n"
    "--b--\r\n", hprim_base64, cda_base64, pdf_base64);
  g_autoptr(GBytes) message = g_bytes_new (raw, strlen (raw));
  const char *import_argv[] = { "labs", "import-mail", "--account", "Labos", "--into", fixture->archive, "--json", NULL };
  CachetFolderInfo inbox = { .name = (char *) "INBOX", .uidvalidity = 7 };

  g_assert_true (cachet_store_upsert_folder (store, &inbox, &error));
  info = cachet_store_add_message (store, "INBOX", 7, 1, message, 0, NULL, 1768467000, 0, NULL, &error);
  g_assert_no_error (error);
  /* One process at a time opens an account's store. */
  g_clear_object (&info);
  g_clear_object (&store);

  imported = run_cli (NULL, import_argv);
  g_assert_cmpstr (imported->err, ==, "");
  g_assert_cmpint (imported->exit_status, ==, 0);
  entries = parse_json_array (imported->out);
  /* Two patients in the HPRIM body, one report in the CDA. */
  g_assert_cmpuint (json_array_get_length (entries), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0), "file"), ==,
                   "message.txt");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 2), "status"), ==, "filed");
  g_assert_cmpuint (count_files (fixture->archive, ".pdf"), ==, 3);

  /* A second run files nothing again. */
  again = run_cli (NULL, import_argv);
  g_assert_cmpint (again->exit_status, ==, 0);
  g_clear_pointer (&entries, json_array_unref);
  entries = parse_json_array (again->out);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, i), "status"), ==,
                     "duplicate");
  g_assert_cmpuint (count_files (fixture->archive, ".pdf"), ==, 3);
}

static void
test_cli_charset (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *set_argv[] = { "labs", "charset", "--sender", "Labo@Example.org", "--set", "WINDOWS-1252", NULL };
  const char *list_argv[] = { "labs", "charset", "--json", NULL };
  const char *clear_argv[] = { "labs", "charset", "--sender", "labo@example.org", "--clear", NULL };
  const char *unknown_argv[] = { "labs", "charset", "--sender", "labo@example.org", "--set", "NO-SUCH", NULL };
  const char *usage_argv[] = { "labs", "charset", "--set", "WINDOWS-1252", NULL };
  g_autoptr(CachetCliResult) set = run_cli (fixture, set_argv);
  g_autoptr(CachetCliResult) listed = run_cli (fixture, list_argv);
  g_autoptr(CachetCliResult) cleared = NULL;
  g_autoptr(CachetCliResult) unknown = NULL;
  g_autoptr(CachetCliResult) usage = NULL;
  g_autoptr(JsonArray) senders = NULL;
  JsonObject *first;

  g_assert_cmpint (set->exit_status, ==, 0);
  g_assert_cmpstr (set->out, ==, "labo@example.org\tWINDOWS-1252\n");
  g_assert_cmpint (listed->exit_status, ==, 0);
  senders = parse_json_array (listed->out);
  g_assert_cmpuint (json_array_get_length (senders), ==, 1);
  first = json_array_get_object_element (senders, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "sender"), ==, "labo@example.org");
  g_assert_cmpstr (json_object_get_string_member (first, "charset"), ==, "WINDOWS-1252");

  cleared = run_cli (fixture, clear_argv);
  g_assert_cmpint (cleared->exit_status, ==, 0);
  g_assert_cmpstr (cleared->out, ==, "");

  unknown = run_cli (fixture, unknown_argv);
  g_assert_cmpint (unknown->exit_status, !=, 0);
  g_assert_nonnull (strstr (unknown->err, "NO-SUCH"));
  usage = run_cli (fixture, usage_argv);
  g_assert_cmpint (usage->exit_status, !=, 0);
  g_assert_nonnull (strstr (usage->err, "--sender"));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add ("/labs/filer/layouts", Fixture, NULL, fixture_set_up, test_layouts, fixture_tear_down);
  g_test_add ("/labs/filer/qualified-ins", Fixture, NULL, fixture_set_up, test_qualified_ins, fixture_tear_down);
  g_test_add ("/labs/filer/duplicates", Fixture, NULL, fixture_set_up, test_duplicates, fixture_tear_down);
  g_test_add ("/labs/filer/partial-then-complete", Fixture, NULL, fixture_set_up, test_partial_then_complete,
              fixture_tear_down);
  g_test_add ("/labs/filer/correction", Fixture, NULL, fixture_set_up, test_correction, fixture_tear_down);
  g_test_add ("/labs/filer/confirm-patient", Fixture, NULL, fixture_set_up, test_confirm_patient, fixture_tear_down);
  g_test_add ("/labs/filer/homonyms", Fixture, NULL, fixture_set_up, test_homonyms, fixture_tear_down);
  g_test_add ("/labs/filer/patients-migration", Fixture, NULL, fixture_set_up, test_patients_migration,
              fixture_tear_down);
  g_test_add ("/labs/filer/layout-by-year", Fixture, NULL, fixture_set_up, test_layout_by_year, fixture_tear_down);
  g_test_add ("/labs/filer/layout-html", Fixture, NULL, fixture_set_up, test_layout_html, fixture_tear_down);
  g_test_add ("/labs/filer/layout-inbox-by-day", Fixture, NULL, fixture_set_up, test_layout_inbox_by_day,
              fixture_tear_down);
  g_test_add ("/labs/filer/unrecognised", Fixture, NULL, fixture_set_up, test_unrecognised, fixture_tear_down);
  g_test_add ("/labs/filer/name-collision", Fixture, NULL, fixture_set_up, test_name_collision, fixture_tear_down);
  g_test_add ("/labs/filer/hostile-archives", Fixture, NULL, fixture_set_up, test_hostile_archives,
              fixture_tear_down);
  g_test_add ("/labs/filer/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);
  g_test_add ("/labs/filer/sender-charset", Fixture, NULL, fixture_set_up, test_sender_charset, fixture_tear_down);
  g_test_add ("/labs/filer/charset-migration", Fixture, NULL, fixture_set_up, test_charset_migration,
              fixture_tear_down);
  g_test_add ("/labs/cli/import-list", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  g_test_add ("/labs/cli/charset", Fixture, NULL, fixture_set_up, test_cli_charset, fixture_tear_down);
  g_test_add ("/labs/cli/layout", Fixture, NULL, fixture_set_up, test_cli_layout, fixture_tear_down);
  g_test_add ("/labs/cli/import-mail", Fixture, NULL, fixture_set_up, test_cli_import_mail, fixture_tear_down);
  g_test_add ("/labs/cli/killed-imports", Fixture, NULL, fixture_set_up, test_killed_imports, fixture_tear_down);

  return g_test_run ();
}
