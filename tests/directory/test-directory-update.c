/* test-directory-update.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cachet-directory.h"
#include "cachet-test-utils.h"
#include "directory-test-utils.h"

/* Updates from a local web server that serves a generated extract as the
 * publisher does: a zip named in Content-Disposition, an ETag, 304 to a
 * conditional request for the same ETag. The server runs in a thread of its
 * own, so that the tests may block on cachet-cli. */

#define EXTRACT_NAME "Extraction_Correspondance_MSSante_202611290400.zip"

typedef struct
{
  GMutex        lock;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SoupServer   *server;
  char         *url;

  /* What to serve, under lock. */
  GBytes       *body;
  char         *etag;
  guint         status;

  /* What was asked, under lock. */
  guint         requests;
  char         *if_none_match;
} Server;

typedef struct
{
  char            *dir;
  char            *db_path;
  CachetDirectory *directory;
  Server           server;
  GBytes          *extract;
} Fixture;

static void
handle_request (SoupServer        *soup_server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Server *server = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (message);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (message);
  const char *if_none_match = soup_message_headers_get_one (request, "If-None-Match");
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  server->requests++;
  g_free (server->if_none_match);
  server->if_none_match = g_strdup (if_none_match);

  if (server->status != SOUP_STATUS_OK)
    {
      soup_server_message_set_status (message, server->status, NULL);
      return;
    }
  soup_message_headers_replace (response, "ETag", server->etag);
  if (g_strcmp0 (if_none_match, server->etag) == 0)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_message_headers_replace (response, "Content-Disposition", "attachment; filename=" EXTRACT_NAME);
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/zip", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (server->body, NULL), g_bytes_get_size (server->body));
}

static gpointer
run_server (gpointer data)
{
  Server *server = data;

  g_main_context_push_thread_default (server->context);
  g_main_loop_run (server->loop);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

static void
server_start (Server *server,
              GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *base_url = NULL;

  g_mutex_init (&server->lock);
  server->body = g_bytes_ref (body);
  server->etag = g_strdup ("\"v1\"");
  server->status = SOUP_STATUS_OK;
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);

  /* The server listens on the context its thread runs. */
  g_main_context_push_thread_default (server->context);
  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, handle_request, server, NULL);
  soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_main_context_pop_thread_default (server->context);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server->server);
  g_assert_nonnull (uris);
  base_url = g_uri_to_string (uris->data);
  server->url = g_strconcat (base_url, "extraction", NULL);
  server->thread = g_thread_new ("extract-server", run_server, server);
}

static gboolean
quit_server (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
server_stop (Server *server)
{
  g_autoptr(GSource) quit = g_idle_source_new ();

  /* From within the loop: a quit before the thread runs it would be lost. */
  g_source_set_callback (quit, quit_server, server->loop, NULL);
  g_source_attach (quit, server->context);
  g_thread_join (server->thread);
  g_clear_object (&server->server);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_bytes_unref (server->body);
  g_free (server->etag);
  g_free (server->url);
  g_free (server->if_none_match);
  g_mutex_clear (&server->lock);
}

static void
server_serve (Server     *server,
              GBytes     *body,
              const char *etag,
              guint       status)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  g_bytes_unref (server->body);
  server->body = g_bytes_ref (body);
  g_free (server->etag);
  server->etag = g_strdup (etag);
  server->status = status;
}

static char *
server_dup_if_none_match (Server *server,
                          guint  *requests)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  *requests = server->requests;
  return g_strdup (server->if_none_match);
}

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
  summary = directory_test_generate (zip_path, "--rows", "800", "--zip", "--stamp", "202611290400", NULL);
  g_file_get_contents (zip_path, &contents, &length, &error);
  g_assert_no_error (error);
  g_unlink (zip_path);
  fixture->extract = g_bytes_new_take (g_steal_pointer (&contents), length);
  server_start (&fixture->server, fixture->extract);
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
  server_stop (&fixture->server);
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
  if_none_match = server_dup_if_none_match (&fixture->server, &requests);
  g_assert_cmpuint (requests, ==, 1);
  g_assert_null (if_none_match);

  /* Progress through the download and the import, up to the end. */
  g_assert_cmpuint (fractions->len, >=, 2);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i), >=, g_array_index (fractions, double, i - 1));
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);

  /* The extract is kept under the publisher's name. */
  files = list_db_dir (fixture);
  g_assert_cmpstr (files, ==, EXTRACT_NAME " directory.sqlite download.ini");
  info = cachet_directory_query_info (fixture->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->mailboxes, ==, report->mailboxes);

  /* The second time, the request is conditional and nothing changes. */
  again = update (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (again);
  g_clear_pointer (&if_none_match, g_free);
  if_none_match = server_dup_if_none_match (&fixture->server, &requests);
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

  server_serve (&fixture->server, truncated, "\"v2\"", SOUP_STATUS_OK);
  failed = update (fixture, NULL, &error);
  g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_TRUNCATED);
  g_assert_null (failed);
  g_clear_error (&error);

  files = list_db_dir (fixture);
  g_assert_cmpstr (files, ==, EXTRACT_NAME " directory.sqlite download.ini");
  info = cachet_directory_query_info (fixture->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->mailboxes, ==, report->mailboxes);

  /* The failed download did not count: the next request still asks for
   * something newer than the first extract. */
  server_serve (&fixture->server, fixture->extract, "\"v3\"", SOUP_STATUS_OK);
  g_clear_pointer (&report, cachet_directory_import_report_free);
  report = update (fixture, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  if_none_match = server_dup_if_none_match (&fixture->server, &requests);
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

  server_serve (&fixture->server, fixture->extract, "\"v1\"", SOUP_STATUS_NOT_FOUND);
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
