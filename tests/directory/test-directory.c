/* test-directory.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cachet-directory.h"
#include "cachet-test-utils.h"
#include "directory-test-utils.h"

/* The directory engine on synthetic extracts from gen-extract.py. */

#define ROWS 3000

typedef struct
{
  char            *dir;
  char            *db_path;
  CachetDirectory *directory;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("cachet-directory-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "db", "directory.sqlite", NULL);
  fixture->directory = cachet_directory_new (fixture->db_path);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->directory);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

static char *
fixture_file (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static CachetDirectoryImportReport *
import_path (Fixture     *fixture,
             const char  *path,
             GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return cachet_directory_import (fixture->directory, file, NULL, NULL, NULL, error);
}

/* Generates an extract with the options given and imports it. */
static CachetDirectoryImportReport *
import_generated (Fixture    *fixture,
                  const char *first_option,
                  ...)
{
  g_autofree char *path = fixture_file (fixture, "extract.txt");
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(GError) error = NULL;
  CachetDirectoryImportReport *report;

  if (first_option != NULL && g_str_equal (first_option, "--crlf"))
    summary = directory_test_generate (path, "--rows", G_STRINGIFY (ROWS), "--crlf", "--bom", "--shuffle-columns", NULL);
  else
    summary = directory_test_generate (path, "--rows", G_STRINGIFY (ROWS), NULL);
  report = import_path (fixture, path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->malformed, ==, 0);
  g_assert_cmpuint (report->mailboxes + report->duplicates, ==,
                    json_object_get_int_member (summary, "rows"));
  return report;
}

static GListModel *
search_full (Fixture                    *fixture,
             const CachetDirectoryQuery *query)
{
  g_autoptr(GError) error = NULL;
  GListModel *results = cachet_directory_search (fixture->directory, query, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

static GListModel *
search (Fixture    *fixture,
        const char *text,
        guint       limit)
{
  g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new (text, limit);

  return search_full (fixture, query);
}

static CachetDirectoryEntry *
first_result (Fixture    *fixture,
              const char *text)
{
  g_autoptr(GListModel) results = search (fixture, text, 5);

  g_assert_cmpuint (g_list_model_get_n_items (results), >=, 1);
  return g_list_model_get_item (results, 0);
}

static CachetDirectoryMailbox *
mailbox_at (CachetDirectoryEntry *entry,
            guint                 position)
{
  return g_list_model_get_item (cachet_directory_entry_get_mailboxes (entry), position);
}

static gboolean
has_mailbox (CachetDirectoryEntry *entry,
             gboolean (*matches) (CachetDirectoryMailbox *mailbox, gconstpointer data),
             gconstpointer         data)
{
  GListModel *mailboxes = cachet_directory_entry_get_mailboxes (entry);

  for (guint i = 0; i < g_list_model_get_n_items (mailboxes); i++)
    {
      g_autoptr(CachetDirectoryMailbox) mailbox = g_list_model_get_item (mailboxes, i);

      if (matches (mailbox, data))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_in_place (CachetDirectoryMailbox *mailbox,
             gconstpointer           place)
{
  return g_str_equal (cachet_directory_mailbox_get_department (mailbox), place)
         || g_ascii_strcasecmp (cachet_directory_mailbox_get_city (mailbox), place) == 0;
}

static gboolean
is_of_type (CachetDirectoryMailbox *mailbox,
            gconstpointer           type)
{
  return cachet_directory_mailbox_get_mailbox_type (mailbox) == *(const CachetDirectoryMailboxType *) type;
}

static void
assert_helene_martin (CachetDirectoryEntry *entry)
{
  g_autoptr(CachetDirectoryMailbox) personal = mailbox_at (entry, 0);
  g_autoptr(CachetDirectoryMailbox) hospital = mailbox_at (entry, 1);

  g_assert_cmpstr (cachet_directory_entry_get_first_name (entry), ==, "Hélène");
  g_assert_cmpstr (cachet_directory_entry_get_last_name (entry), ==, "MARTIN");
  g_assert_cmpstr (cachet_directory_entry_get_civility (entry), ==, "DR");
  g_assert_cmpstr (cachet_directory_entry_get_profession (entry), ==, "Médecin");
  g_assert_cmpstr (cachet_directory_entry_get_specialty (entry), ==, "Cardiologie et maladies vasculaires");
  g_assert_cmpstr (cachet_directory_entry_get_national_id (entry), ==, "899000000011");
  g_assert_false (cachet_directory_entry_is_organisation (entry));
  /* The two rows of the extract are one entry with two mailboxes. */
  g_assert_cmpuint (g_list_model_get_n_items (cachet_directory_entry_get_mailboxes (entry)), ==, 2);
  g_assert_cmpstr (cachet_directory_mailbox_get_address (personal), ==, "helene.martin@medecin.mssante.example");
  g_assert_cmpint (cachet_directory_mailbox_get_mailbox_type (personal), ==, CACHET_DIRECTORY_MAILBOX_PERSONAL);
  g_assert_cmpstr (cachet_directory_mailbox_get_postcode (personal), ==, "69003");
  g_assert_cmpstr (cachet_directory_mailbox_get_city (personal), ==, "LYON");
  g_assert_cmpstr (cachet_directory_mailbox_get_department (personal), ==, "69");
  g_assert_cmpstr (cachet_directory_mailbox_get_address (hospital), ==, "h.martin@chu-lyon.mssante.example");
  g_assert_cmpstr (cachet_directory_mailbox_get_organisation (hospital), ==, "CHU de Lyon");
  g_assert_cmpstr (cachet_directory_mailbox_get_service (hospital), ==, "Service de cardiologie");
  g_assert_cmpstr (strchr (cachet_directory_mailbox_get_street (hospital), '\r'), ==, NULL);
}

static void
test_import_and_info (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = fixture_file (fixture, "extract.txt");
  g_autoptr(JsonObject) summary = directory_test_generate (path, "--rows", G_STRINGIFY (ROWS),
                                            "--unlisted", "0.05", "--malformed", "7", NULL);
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(CachetDirectoryInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *lines = json_object_get_array_member (summary, "malformed_lines");
  g_autofree char *db_dir = g_path_get_dirname (fixture->db_path);
  g_autoptr(GDir) dir = NULL;

  report = import_path (fixture, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->unlisted, ==, json_object_get_int_member (summary, "unlisted"));
  g_assert_cmpuint (report->unlisted, >, 0);
  g_assert_cmpuint (report->mailboxes + report->duplicates + report->unlisted, ==,
                    json_object_get_int_member (summary, "rows"));
  g_assert_cmpuint (report->entries, >, 0);
  g_assert_cmpuint (report->entries, <, report->mailboxes);

  /* Malformed lines are counted, with their numbers, and the rest goes in. */
  g_assert_cmpuint (report->malformed, ==, 7);
  g_assert_cmpuint (report->malformed_lines->len, ==, json_array_get_length (lines));
  for (guint i = 0; i < report->malformed_lines->len; i++)
    {
      const CachetDirectoryMalformedLine *line =
        &g_array_index (report->malformed_lines, CachetDirectoryMalformedLine, i);

      g_assert_cmpuint (line->line, ==, json_array_get_int_element (lines, i));
      g_assert_cmpstr (line->reason, !=, "");
    }
  g_assert_null (report->extract_date);

  info = cachet_directory_query_info (fixture->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->path, ==, fixture->db_path);
  g_assert_cmpuint (info->entries, ==, report->entries);
  g_assert_cmpuint (info->mailboxes, ==, report->mailboxes);
  g_assert_cmpuint (info->size, >, 0);
  g_assert_cmpstr (info->source_name, ==, "extract.txt");
  g_assert_null (info->extract_date);
  g_assert_true (g_str_has_suffix (info->imported_at, "Z"));

  /* Nothing is left behind next to the database. */
  dir = g_dir_open (db_dir, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "directory.sqlite");
  g_assert_null (g_dir_read_name (dir));
}

static void
test_ranking (Fixture       *fixture,
              gconstpointer  data)
{
  G_GNUC_UNUSED g_autoptr(CachetDirectoryImportReport) report = import_generated (fixture, NULL);
  g_autoptr(CachetDirectoryEntry) exact = first_result (fixture, "Hélène Martin");
  g_autoptr(CachetDirectoryEntry) reversed = first_result (fixture, "martin helene");
  g_autoptr(CachetDirectoryEntry) described = first_result (fixture, "martin cardio lyon");
  g_autoptr(GListModel) martins = search (fixture, "martin", 30);
  gboolean past_exact_names = FALSE;
  gboolean found_first_name_match = FALSE;

  assert_helene_martin (exact);
  assert_helene_martin (reversed);
  assert_helene_martin (described);

  /* Everyone named MARTIN comes before those who merely match "martin" (a
   * first name, MARTINEZ, an address). */
  g_assert_cmpuint (g_list_model_get_n_items (martins), ==, 30);
  for (guint i = 0; i < g_list_model_get_n_items (martins); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (martins, i);
      gboolean is_martin = g_str_equal (cachet_directory_entry_get_last_name (entry), "MARTIN");

      if (!is_martin)
        past_exact_names = TRUE;
      else
        g_assert_false (past_exact_names);
      if (g_str_equal (cachet_directory_entry_get_first_name (entry), "Martin"))
        found_first_name_match = TRUE;
    }
  g_assert_true (past_exact_names);
  g_assert_true (found_first_name_match);
}

static void
test_accents_and_prefixes (Fixture       *fixture,
                           gconstpointer  data)
{
  G_GNUC_UNUSED g_autoptr(CachetDirectoryImportReport) report = import_generated (fixture, NULL);
  static const struct { const char *query; const char *last_name; const char *first_name; } cases[] = {
    { "HELENE MARTIN", "MARTIN", "Hélène" },
    { "hélène martin", "MARTIN", "Hélène" },
    { "eloise le gall", "LE GALL", "Éloïse" },
    { "ÉLOÏSE LE-GALL", "LE GALL", "Éloïse" },
    { "dubois-lefevre", "DUBOIS-LEFÈVRE", "Martin" },
    { "dubois-lefèvre pédiatrie", "DUBOIS-LEFÈVRE", "Martin" },
    { "jean-fran martinez", "MARTINEZ", "Jean-François" },
    { "hél mart card", "MARTIN", "Hélène" },
    { "helene.martin@medecin", "MARTIN", "Hélène" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = first_result (fixture, cases[i].query);

      g_test_message ("query %s", cases[i].query);
      g_assert_cmpstr (cachet_directory_entry_get_last_name (entry), ==, cases[i].last_name);
      g_assert_cmpstr (cachet_directory_entry_get_first_name (entry), ==, cases[i].first_name);
    }
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  G_GNUC_UNUSED g_autoptr(CachetDirectoryImportReport) report = import_generated (fixture, NULL);
  g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new ("martin", 30);
  g_autoptr(GListModel) doctors = NULL;
  g_autoptr(GListModel) in_rhone = NULL;
  g_autoptr(GListModel) pediatricians = NULL;
  g_autoptr(GListModel) practices = NULL;
  g_autoptr(GListModel) applications = NULL;
  g_autoptr(CachetDirectoryEntry) pediatrician = NULL;
  g_autoptr(CachetDirectoryEntry) laboratory = NULL;
  CachetDirectoryMailboxType practice = CACHET_DIRECTORY_MAILBOX_PRACTICE;
  CachetDirectoryMailboxType application = CACHET_DIRECTORY_MAILBOX_APPLICATION;

  query->profession = g_strdup ("MEDECIN");
  doctors = search_full (fixture, query);
  g_assert_cmpuint (g_list_model_get_n_items (doctors), >, 1);
  for (guint i = 0; i < g_list_model_get_n_items (doctors); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (doctors, i);

      g_assert_cmpstr (cachet_directory_entry_get_profession (entry), ==, "Médecin");
    }

  g_clear_pointer (&query->profession, g_free);
  query->place = g_strdup ("69");
  in_rhone = search_full (fixture, query);
  g_assert_cmpuint (g_list_model_get_n_items (in_rhone), >, 1);
  for (guint i = 0; i < g_list_model_get_n_items (in_rhone); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (in_rhone, i);

      g_assert_true (has_mailbox (entry, is_in_place, "69"));
    }

  g_clear_pointer (&query->place, g_free);
  query->place = g_strdup ("villeurbanne");
  query->specialty = g_strdup ("Pédiatrie");
  pediatricians = search_full (fixture, query);
  g_assert_cmpuint (g_list_model_get_n_items (pediatricians), >=, 1);
  pediatrician = g_list_model_get_item (pediatricians, 0);
  g_assert_cmpstr (cachet_directory_entry_get_last_name (pediatrician), ==, "DUBOIS-LEFÈVRE");
  g_assert_true (has_mailbox (pediatrician, is_in_place, "VILLEURBANNE"));

  /* A filter alone is a search too. */
  g_clear_pointer (&query->place, g_free);
  g_clear_pointer (&query->specialty, g_free);
  g_clear_pointer (&query->text, g_free);
  query->has_mailbox_type = TRUE;
  query->mailbox_type = CACHET_DIRECTORY_MAILBOX_PRACTICE;
  practices = search_full (fixture, query);
  g_assert_cmpuint (g_list_model_get_n_items (practices), >=, 1);
  for (guint i = 0; i < g_list_model_get_n_items (practices); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (practices, i);

      g_assert_true (has_mailbox (entry, is_of_type, &practice));
    }

  query->mailbox_type = CACHET_DIRECTORY_MAILBOX_APPLICATION;
  query->text = g_strdup ("biolyon");
  applications = search_full (fixture, query);
  g_assert_cmpuint (g_list_model_get_n_items (applications), ==, 1);
  laboratory = g_list_model_get_item (applications, 0);
  g_assert_true (cachet_directory_entry_is_organisation (laboratory));
  g_assert_cmpstr (cachet_directory_entry_get_last_name (laboratory), ==, "Laboratoire Biolyon");
  g_assert_true (has_mailbox (laboratory, is_of_type, &application));
}

static void
test_grouping (Fixture       *fixture,
               gconstpointer  data)
{
  G_GNUC_UNUSED g_autoptr(CachetDirectoryImportReport) report = import_generated (fixture, NULL);
  g_autoptr(CachetDirectoryEntry) doctor = first_result (fixture, "jean-françois martinez");
  g_autoptr(CachetDirectoryEntry) hospital = first_result (fixture, "centre hospitalier universitaire lyon");
  g_autoptr(CachetDirectoryMailbox) cabinet = NULL;
  g_autoptr(CachetDirectoryMailbox) emergencies = NULL;

  /* A person's personal and practice mailboxes. */
  g_assert_cmpuint (g_list_model_get_n_items (cachet_directory_entry_get_mailboxes (doctor)), ==, 2);
  cabinet = mailbox_at (doctor, 1);
  g_assert_cmpstr (cachet_directory_mailbox_get_address (cabinet), ==, "cabinet.lilas@medecin.mssante.example");
  g_assert_cmpint (cachet_directory_mailbox_get_mailbox_type (cabinet), ==, CACHET_DIRECTORY_MAILBOX_PRACTICE);

  /* A structure's service mailboxes. */
  g_assert_true (cachet_directory_entry_is_organisation (hospital));
  g_assert_cmpstr (cachet_directory_entry_get_first_name (hospital), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (cachet_directory_entry_get_mailboxes (hospital)), ==, 2);
  emergencies = mailbox_at (hospital, 1);
  g_assert_cmpstr (cachet_directory_mailbox_get_service (emergencies), ==, "Urgences");
  g_assert_cmpint (cachet_directory_mailbox_get_mailbox_type (emergencies), ==,
                   CACHET_DIRECTORY_MAILBOX_ORGANISATIONAL);
}

/* Columns in another order, CR LF line ends and a byte order mark. */
static void
test_shuffled_crlf_bom (Fixture       *fixture,
                        gconstpointer  data)
{
  G_GNUC_UNUSED g_autoptr(CachetDirectoryImportReport) report = import_generated (fixture, "--crlf");
  g_autoptr(CachetDirectoryEntry) entry = first_result (fixture, "hélène martin");
  g_autoptr(GListModel) everyone = NULL;
  g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new (NULL, 1000);
  CachetDirectoryMailboxType personal = CACHET_DIRECTORY_MAILBOX_PERSONAL;

  assert_helene_martin (entry);

  /* No field keeps a CR, whichever column came last. */
  query->has_mailbox_type = TRUE;
  query->mailbox_type = personal;
  everyone = search_full (fixture, query);
  g_assert_cmpuint (g_list_model_get_n_items (everyone), ==, 1000);
  for (guint i = 0; i < g_list_model_get_n_items (everyone); i++)
    {
      g_autoptr(CachetDirectoryEntry) person = g_list_model_get_item (everyone, i);
      g_autoptr(CachetDirectoryMailbox) mailbox = mailbox_at (person, 0);
      g_autofree char *name = cachet_directory_entry_dup_name (person);

      g_assert_null (strchr (name, '\r'));
      g_assert_null (strchr (cachet_directory_entry_get_profession (person), '\r'));
      g_assert_null (strchr (cachet_directory_mailbox_get_address (mailbox), '\r'));
      g_assert_null (strchr (cachet_directory_mailbox_get_department (mailbox), '\r'));
    }
}

static void
test_zip (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *path = fixture_file (fixture, "extract.zip");
  g_autoptr(JsonObject) summary = directory_test_generate (path, "--rows", "500", "--zip", "--stamp", "202611290400", NULL);
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(CachetDirectoryInfo) info = NULL;
  g_autoptr(CachetDirectoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  report = import_path (fixture, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->mailboxes + report->duplicates, ==, json_object_get_int_member (summary, "rows"));
  g_assert_cmpstr (report->extract_date, ==, "2026-11-29T04:00");

  info = cachet_directory_query_info (fixture->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->extract_date, ==, "2026-11-29T04:00");
  g_assert_cmpstr (info->source_name, ==, "Extraction_Correspondance_MSSante_202611290400.txt");

  entry = first_result (fixture, "helene martin");
  assert_helene_martin (entry);
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

/* Each bad file fails with a clear error, and the directory imported
 * before stays, whole and searchable. */
typedef struct
{
  const char *name;
  const char *contents;
  gsize       length;
  int         code;
} BadFile;

static void
test_bad_files_keep_previous (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(CachetDirectoryImportReport) report = import_generated (fixture, NULL);
  g_autofree char *good_path = fixture_file (fixture, "extract.txt");
  g_autofree char *zip_path = fixture_file (fixture, "extract.zip");
  g_autofree char *bad_path = fixture_file (fixture, "bad");
  g_autofree char *good = NULL;
  g_autofree char *zip = NULL;
  g_autoptr(JsonObject) summary = directory_test_generate (zip_path, "--rows", "2000", "--zip", NULL);
  gsize good_length;
  gsize zip_length;
  const char *cut;
  g_autofree char *db_dir = g_path_get_dirname (fixture->db_path);
  BadFile cases[5];

  g_file_get_contents (good_path, &good, &good_length, NULL);
  g_file_get_contents (zip_path, &zip, &zip_length, NULL);
  /* In the middle of the last line. */
  cut = strrchr (good, '|');
  cases[0] = (BadFile) { "truncated text", good, (gsize) (cut - good), CACHET_DIRECTORY_ERROR_TRUNCATED };
  cases[1] = (BadFile) { "truncated zip", zip, zip_length / 2, CACHET_DIRECTORY_ERROR_TRUNCATED };
  cases[2] = (BadFile) { "not an extract", "Hello|world\nno|thing\n", 21, CACHET_DIRECTORY_ERROR_INVALID_FILE };
  cases[3] = (BadFile) { "empty", "", 0, CACHET_DIRECTORY_ERROR_INVALID_FILE };
  cases[4] = (BadFile) { "header only", good, (gsize) (strchr (good, '\n') + 1 - good), CACHET_DIRECTORY_ERROR_INVALID_FILE };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CachetDirectoryImportReport) failed = NULL;
      g_autoptr(CachetDirectoryInfo) info = NULL;
      g_autoptr(CachetDirectoryEntry) entry = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GDir) dir = NULL;

      g_test_message ("%s", cases[i].name);
      write_file (bad_path, cases[i].contents, (gssize) cases[i].length);
      failed = import_path (fixture, bad_path, &error);
      g_assert_error (error, CACHET_DIRECTORY_ERROR, cases[i].code);
      g_assert_null (failed);
      g_clear_error (&error);

      info = cachet_directory_query_info (fixture->directory, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (info->entries, ==, report->entries);
      entry = first_result (fixture, "hélène martin");
      assert_helene_martin (entry);

      dir = g_dir_open (db_dir, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (g_dir_read_name (dir), ==, "directory.sqlite");
      g_assert_null (g_dir_read_name (dir));
    }
  g_assert_cmpint (json_object_get_int_member (summary, "rows"), ==, 2000);
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = fixture_file (fixture, "no-such-extract.zip");
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = import_path (fixture, path, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (report);
}

static void
test_not_imported (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new ("martin", 10);
  g_autoptr(GListModel) results = NULL;
  g_autoptr(CachetDirectoryInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  results = cachet_directory_search (fixture->directory, query, NULL, &error);
  g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NOT_IMPORTED);
  g_assert_null (results);
  g_clear_error (&error);

  info = cachet_directory_query_info (fixture->directory, &error);
  g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NOT_IMPORTED);
  g_assert_null (info);
}

static void
test_invalid_queries (Fixture       *fixture,
                      gconstpointer  data)
{
  G_GNUC_UNUSED g_autoptr(CachetDirectoryImportReport) report = import_generated (fixture, NULL);
  g_autofree char *long_text = g_strnfill (300, 'a');
  const char *texts[] = { "", " -' ", long_text, "a b c d e f g h i j k l m n o p q" };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new (texts[i], 10);
      g_autoptr(GListModel) results = NULL;
      g_autoptr(GError) error = NULL;

      results = cachet_directory_search (fixture->directory, query, NULL, &error);
      g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_QUERY);
      g_assert_null (results);
    }
}

static void
test_cancelled_import (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = fixture_file (fixture, "extract.txt");
  g_autoptr(JsonObject) summary = directory_test_generate (path, "--rows", "500", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_dir = g_path_get_dirname (fixture->db_path);
  g_autoptr(GDir) dir = NULL;

  g_cancellable_cancel (cancellable);
  report = cachet_directory_import (fixture->directory, file, NULL, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (report);
  g_clear_error (&error);

  dir = g_dir_open (db_dir, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (dir));
  g_assert_cmpint (json_object_get_int_member (summary, "rows"), ==, 500);
}

typedef struct
{
  GArray       *fractions;
  GAsyncResult *result;
} AsyncState;

static void
record_progress (double   fraction,
                 gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_null (state->result);
  g_array_append_val (state->fractions, fraction);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncState *state = user_data;

  state->result = g_object_ref (result);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = fixture_file (fixture, "extract.txt");
  g_autoptr(JsonObject) summary = directory_test_generate (path, "--rows", "20000", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new ("le gall", 5);
  g_autoptr(GListModel) results = NULL;
  g_autoptr(CachetDirectoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  AsyncState state = { fractions, NULL };

  cachet_directory_import_async (fixture->directory, file, record_progress, &state, NULL,
                                 store_result, &state);
  while (state.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = cachet_directory_import_finish (fixture->directory, state.result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->mailboxes + report->duplicates, ==, json_object_get_int_member (summary, "rows"));
  g_clear_object (&state.result);

  /* Progress came on this thread, growing, up to the end. */
  g_assert_cmpuint (fractions->len, >=, 2);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i), >, g_array_index (fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);

  cachet_directory_search_async (fixture->directory, query, NULL, store_result, &state);
  while (state.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  results = cachet_directory_search_finish (fixture->directory, state.result, &error);
  g_assert_no_error (error);
  g_clear_object (&state.result);
  g_assert_cmpuint (g_list_model_get_n_items (results), >=, 1);
  entry = g_list_model_get_item (results, 0);
  g_assert_cmpstr (cachet_directory_entry_get_last_name (entry), ==, "LE GALL");
}

/* A directory replaced by another process is seen at the next search. */
static void
test_replaced_under_reader (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CachetDirectoryImportReport) report = import_generated (fixture, NULL);
  g_autoptr(CachetDirectory) other = cachet_directory_new (fixture->db_path);
  g_autofree char *path = fixture_file (fixture, "small.txt");
  g_autoptr(JsonObject) summary = directory_test_generate (path, "--rows", "100", "--seed", "5", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CachetDirectoryImportReport) second = NULL;
  g_autoptr(CachetDirectoryInfo) info = NULL;
  g_autoptr(CachetDirectoryEntry) entry = first_result (fixture, "hélène martin");
  g_autoptr(GError) error = NULL;

  second = cachet_directory_import (other, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  info = cachet_directory_query_info (fixture->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->mailboxes, ==, second->mailboxes);
  g_assert_cmpuint (info->mailboxes, <, report->mailboxes);
  g_assert_cmpint (json_object_get_int_member (summary, "rows"), ==, 100);
  assert_helene_martin (entry);
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

#define ADD(path, function) \
  g_test_add (path, Fixture, NULL, fixture_set_up, function, fixture_tear_down)

  ADD ("/directory/import/report-and-info", test_import_and_info);
  ADD ("/directory/import/shuffled-crlf-bom", test_shuffled_crlf_bom);
  ADD ("/directory/import/zip", test_zip);
  ADD ("/directory/import/bad-files-keep-previous", test_bad_files_keep_previous);
  ADD ("/directory/import/missing-file", test_missing_file);
  ADD ("/directory/import/cancelled", test_cancelled_import);
  ADD ("/directory/import/replaced-under-reader", test_replaced_under_reader);
  ADD ("/directory/async", test_async);
  ADD ("/directory/search/ranking", test_ranking);
  ADD ("/directory/search/accents-and-prefixes", test_accents_and_prefixes);
  ADD ("/directory/search/filters", test_filters);
  ADD ("/directory/search/grouping", test_grouping);
  ADD ("/directory/search/not-imported", test_not_imported);
  ADD ("/directory/search/invalid-queries", test_invalid_queries);

#undef ADD

  return g_test_run ();
}
