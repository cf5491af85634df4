/* test-directory-update.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cachet-directory.h"
#include "cachet-test-utils.h"
#include "directory-test-servers.h"
#include "directory-test-utils.h"

/* Updates from a local web server that serves a generated extract as the
 * publisher does: a zip named in Content-Disposition, an ETag, 304 to a
 * conditional request for the same ETag. The server runs in a thread of its
 * own, so that the tests may block on cachet-cli. */

typedef struct
{
  char                       *dir;
  char                       *db_path;
  CachetDirectory            *directory;
  DirectoryTestExtractServer  server;
  GBytes                     *extract;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_autofree char *zip_path = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  fixture->dir = g_dir_make_tmp ("cachet-directory-update-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "db", "directory.sqlite", NULL);
  fixture->directory = cachet_directory_new (fixture->db_path);

  zip_path = g_build_filename (fixture->dir, "served.zip", NULL);
  summary = directory_test_generate (zip_path, "--rows", "800", "--zip", "--stamp", DIRECTORY_TEST_EXTRACT_STAMP,
                                     NULL);
  g_file_get_contents (zip_path, &contents, &length, &error);
  g_assert_no_error (error);
  g_unlink (zip_path);
  fixture->extract = g_bytes_new_take (g_steal_pointer (&contents), length);
  directory_test_extract_server_start (&fixture->server, fixture->extract);
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
  directory_test_extract_server_stop (&fixture->server);
  g_bytes_unref (fixture->extract);
  g_clear_object (&fixture->directory);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The files next to the database, sorted. */
static char *
list_db_dir (Fixture *fixture)
{
  g_autofree char *dir_path = g_path_get_dirname (fixture->db_path);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
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

/* Runs an update to its end; returns the report, NULL when not modified. */
static CachetDirectoryImportReport *
update (Fixture  *fixture,
        GArray   *fractions,
        GError  **error)
{
  AsyncState state = { fractions, NULL };
  CachetDirectoryImportReport *report = NULL;

  cachet_directory_update_async (fixture->directory, fixture->server.url,
                                 fractions != NULL ? record_progress : NULL, &state, NULL,
                                 store_result, &state);
  while (state.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  cachet_directory_update_finish (fixture->directory, state.result, &report, error);
  g_object_unref (state.result);
  return report;
}

static void
test_download_then_not_modified (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(CachetDirectoryImportReport) again = NULL;
  g_autoptr(CachetDirectoryInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *files = NULL;
  g_autofree char *if_none_match = NULL;
  guint requests;

  report = update (fixture, fractions, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->mailboxes, >, 0);
  g_assert_cmpstr (report->extract_date, ==, "2026-11-29T04:00");
  if_none_match = directory_test_extract_server_dup_if_none_match (&fixture->server, &requests);
  g_assert_cmpuint (requests, ==, 1);
  g_assert_null (if_none_match);

  /* Progress through the download and the import, up to the end. */
  g_assert_cmpuint (fractions->len, >=, 2);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i), >=, g_array_index (fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);

  /* The extract is kept under the publisher's name. */
  files = list_db_dir (fixture);
  g_assert_cmpstr (files, ==, DIRECTORY_TEST_EXTRACT_NAME " directory.sqlite download.ini");
  info = cachet_directory_query_info (fixture->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->mailboxes, ==, report->mailboxes);

  /* The second time, the request is conditional and nothing changes. */
  again = update (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (again);
  g_clear_pointer (&if_none_match, g_free);
  if_none_match = directory_test_extract_server_dup_if_none_match (&fixture->server, &requests);
  g_assert_cmpuint (requests, ==, 2);
  g_assert_cmpstr (if_none_match, ==, "\"v1\"");
}

static void
test_bad_download_keeps_previous (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(CachetDirectoryImportReport) failed = NULL;
  g_autoptr(CachetDirectoryInfo) info = NULL;
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (fixture->extract, 0,
                                                        g_bytes_get_size (fixture->extract) / 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *files = NULL;
  g_autofree char *if_none_match = NULL;
  guint requests;

  report = update (fixture, NULL, &error);
  g_assert_no_error (error);

  directory_test_extract_server_serve (&fixture->server, truncated, "\"v2\"", SOUP_STATUS_OK);
  failed = update (fixture, NULL, &error);
  g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_TRUNCATED);
  g_assert_null (failed);
  g_clear_error (&error);

  files = list_db_dir (fixture);
  g_assert_cmpstr (files, ==, DIRECTORY_TEST_EXTRACT_NAME " directory.sqlite download.ini");
  info = cachet_directory_query_info (fixture->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->mailboxes, ==, report->mailboxes);

  /* The failed download did not count: the next request still asks for
   * something newer than the first extract. */
  directory_test_extract_server_serve (&fixture->server, fixture->extract, "\"v3\"", SOUP_STATUS_OK);
  g_clear_pointer (&report, cachet_directory_import_report_free);
  report = update (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  if_none_match = directory_test_extract_server_dup_if_none_match (&fixture->server, &requests);
  g_assert_cmpuint (requests, ==, 3);
  g_assert_cmpstr (if_none_match, ==, "\"v1\"");
}

static void
test_http_error (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *files = NULL;

  directory_test_extract_server_serve (&fixture->server, fixture->extract, "\"v1\"", SOUP_STATUS_NOT_FOUND);
  report = update (fixture, NULL, &error);
  g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "404"));
  g_assert_null (report);

  files = list_db_dir (fixture);
  g_assert_cmpstr (files, ==, "");
}

static void
test_not_a_url (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean not_modified;

  report = cachet_directory_update (fixture->directory, "not a web address", NULL, NULL, NULL,
                                    &not_modified, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (report);
}

static JsonObject *
run_cli_json (const char *url)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("directory", "update", "--url", url, "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (result->err, ==, "");
  g_assert_cmpint (result->exit_status, ==, 0);
  json_parser_load_from_data (parser, result->out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(JsonObject) first = run_cli_json (fixture->server.url);
  g_autoptr(JsonObject) second = run_cli_json (fixture->server.url);
  g_autoptr(CachetCliResult) text = cachet_test_run_cli ("directory", "update", "--url", fixture->server.url, NULL);
  g_autoptr(CachetCliResult) info = cachet_test_run_cli ("directory", "info", NULL);

  g_assert_true (json_object_get_boolean_member (first, "updated"));
  g_assert_cmpint (json_object_get_int_member (first, "mailboxes"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "extract_date"), ==, "2026-11-29T04:00");
  g_assert_false (json_object_get_boolean_member (second, "updated"));
  g_assert_false (json_object_has_member (second, "mailboxes"));

  g_assert_cmpint (text->exit_status, ==, 0);
  g_assert_nonnull (strstr (text->out, "up to date"));
  g_assert_cmpint (info->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (info->out, "Extract of\t2026-11-29T04:00\n"));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

#define ADD(path, function) \
  g_test_add (path, Fixture, NULL, fixture_set_up, function, fixture_tear_down)

  ADD ("/directory/update/download-then-not-modified", test_download_then_not_modified);
  ADD ("/directory/update/bad-download-keeps-previous", test_bad_download_keeps_previous);
  ADD ("/directory/update/http-error", test_http_error);
  ADD ("/directory/update/not-a-url", test_not_a_url);
  ADD ("/cli/directory/update", test_cli);

#undef ADD

  return g_test_run ();
}
