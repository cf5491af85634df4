/* test-directory-fhir.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cachet-directory-fhir.h"
#include "cachet-test-credentials.h"
#include "cachet-test-utils.h"
#include "directory-test-servers.h"
#include "directory-test-utils.h"

/* The online directory against a local FHIR server, in a thread of its
 * own, that answers with bundles shaped as in the Annuaire Santé
 * implementation guide, about synthetic people. */

#define API_KEY        "test-api-key-0123"
#define RATE_LIMIT     17

typedef struct
{
  DirectoryTestFhirServer  server;
  CachetTestCredentials   *credentials;
  CachetDirectoryFhir     *fhir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  directory_test_fhir_server_start (&fixture->server);
  fixture->credentials = cachet_test_credentials_new ();
  cachet_test_credentials_set (fixture->credentials, CACHET_DIRECTORY_FHIR_ACCOUNT_ID, CACHET_SECRET_PASSWORD,
                               API_KEY);
  fixture->fhir = cachet_directory_fhir_new (fixture->server.base_url,
                                             CACHET_CREDENTIALS_PROVIDER (fixture->credentials));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->fhir);
  g_clear_object (&fixture->credentials);
  directory_test_fhir_server_stop (&fixture->server);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static GListModel *
search (Fixture     *fixture,
        const char  *text,
        guint        limit,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_directory_fhir_search_async (fixture->fhir, text, limit, NULL, result_cb, &result);
  return cachet_directory_fhir_search_finish (fixture->fhir, wait_result (&result), error);
}

static CachetDirectoryEntry *
find_entry (GListModel *entries,
            const char *address)
{
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (entries, i);
      GListModel *mailboxes = cachet_directory_entry_get_mailboxes (entry);

      for (guint j = 0; j < g_list_model_get_n_items (mailboxes); j++)
        {
          g_autoptr(CachetDirectoryMailbox) mailbox = g_list_model_get_item (mailboxes, j);

          if (g_str_equal (cachet_directory_mailbox_get_address (mailbox), address))
            return entry;
        }
    }
  return NULL;
}

static void
test_search_by_name (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = search (fixture, "Dupont Anne", 50, &error);
  CachetDirectoryEntry *first;
  CachetDirectoryEntry *organisation;
  g_autoptr(CachetDirectoryMailbox) role_mailbox = NULL;
  g_autoptr(CachetDirectoryMailbox) org_mailbox = NULL;
  g_autofree char *first_query = NULL;

  g_assert_no_error (error);
  /* Three pages of one person with a mailbox each, and the organisation;
   * those without a mailbox are left out. */
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 4);

  first = find_entry (entries, "dupont.p1@test.mssante.fr");
  g_assert_nonnull (first);
  g_assert_cmpstr (cachet_directory_entry_get_last_name (first), ==, "Dupont");
  g_assert_cmpstr (cachet_directory_entry_get_first_name (first), ==, "Anne");
  g_assert_cmpstr (cachet_directory_entry_get_civility (first), ==, "DR");
  g_assert_cmpstr (cachet_directory_entry_get_profession (first), ==, "Médecin");
  g_assert_cmpstr (cachet_directory_entry_get_national_id (first), ==, "810000009901");
  /* Its own mailbox and its role's, but not the APICRYPT address. */
  g_assert_cmpuint (g_list_model_get_n_items (cachet_directory_entry_get_mailboxes (first)), ==, 2);
  g_assert_true (find_entry (entries, "dupont.role@hopital.test.mssante.fr") == first);
  role_mailbox = g_list_model_get_item (cachet_directory_entry_get_mailboxes (first), 1);
  g_assert_cmpstr (cachet_directory_mailbox_get_organisation (role_mailbox), ==, "Centre de test");
  g_assert_cmpstr (cachet_directory_mailbox_get_service (role_mailbox), ==, "Service de test");
  g_assert_nonnull (find_entry (entries, "dupont.p3@test.mssante.fr"));

  organisation = find_entry (entries, "secretariat@centre.test.mssante.fr");
  g_assert_nonnull (organisation);
  g_assert_true (cachet_directory_entry_is_organisation (organisation));
  /* Neither the contact address nor the red-listed mailbox. */
  g_assert_cmpuint (g_list_model_get_n_items (cachet_directory_entry_get_mailboxes (organisation)), ==, 1);
  org_mailbox = g_list_model_get_item (cachet_directory_entry_get_mailboxes (organisation), 0);
  g_assert_cmpint (cachet_directory_mailbox_get_mailbox_type (org_mailbox), ==,
                   CACHET_DIRECTORY_MAILBOX_ORGANISATIONAL);
  g_assert_cmpstr (cachet_directory_mailbox_get_city (org_mailbox), ==, "Paris");
  g_assert_cmpstr (cachet_directory_mailbox_get_postcode (org_mailbox), ==, "75001");

  /* Three pages of practitioners, one of organisations; the family name
   * first, then the given name, as searched. */
  g_assert_cmpuint (fixture->server.queries->len, ==, 4);
  first_query = g_strdup (fixture->server.queries->pdata[0]);
  g_assert_nonnull (strstr (first_query, "family=Dupont"));
  g_assert_nonnull (strstr (first_query, "given=Anne"));
  g_assert_nonnull (strstr (first_query, "_revinclude=PractitionerRole%3Apractitioner"));
  g_assert_nonnull (strstr (fixture->server.queries->pdata[3], "/Organization?"));
}

static void
test_search_by_mailbox (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = search (fixture, "dupont.role@hopital.test.mssante.fr", 10, &error);
  g_autoptr(CachetDirectoryEntry) entry = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);
  entry = g_list_model_get_item (entries, 0);
  g_assert_cmpstr (cachet_directory_entry_get_national_id (entry), ==, "810000009901");
  g_assert_true (find_entry (entries, "dupont.role@hopital.test.mssante.fr") == entry);
  /* Practitioner, PractitionerRole, Organization, each by exact address. */
  g_assert_cmpuint (fixture->server.queries->len, ==, 3);
  for (guint i = 0; i < fixture->server.queries->len; i++)
    g_assert_nonnull (strstr (fixture->server.queries->pdata[i],
                              "mailbox-mss:exact=dupont.role%40hopital.test.mssante.fr"));
}

static void
test_api_key (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = search (fixture, "Dupont", 50, &error);
  g_autoptr(CachetTestCredentials) empty = cachet_test_credentials_new ();
  g_autoptr(CachetDirectoryFhir) keyless = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) none = NULL;
  guint requests;

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  requests = fixture->server.api_keys->len;
  g_assert_cmpuint (requests, >, 0);
  for (guint i = 0; i < requests; i++)
    g_assert_cmpstr (fixture->server.api_keys->pdata[i], ==, API_KEY);

  /* Without a key in the keyring, nothing is asked of the server. */
  keyless = cachet_directory_fhir_new (fixture->server.base_url, CACHET_CREDENTIALS_PROVIDER (empty));
  cachet_directory_fhir_search_async (keyless, "Dupont", 10, NULL, result_cb, &result);
  none = cachet_directory_fhir_search_finish (keyless, wait_result (&result), &error);
  g_assert_null (none);
  g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NO_API_KEY);
  g_assert_nonnull (strstr (error->message, "--api-key-stdin"));
  g_assert_cmpuint (fixture->server.api_keys->len, ==, requests);
}

/* The gateway answers 401 to a key it does not know: the error says so,
 * apart from the other failures, for the user to check the key. */
static void
test_api_key_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = NULL;

  directory_test_fhir_server_set_mode (&fixture->server, DIRECTORY_TEST_FHIR_REFUSED);
  entries = search (fixture, "Dupont", 10, &error);
  g_assert_null (entries);
  g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_API_KEY_REFUSED);
  g_assert_nonnull (strstr (error->message, "401"));
}

/* Three searches at once, through endless pages: the server must never see
 * more than 17 requests in any second. */
static void
test_rate_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  GAsyncResult *results[3] = { NULL, NULL, NULL };
  GArray *arrivals = fixture->server.arrivals;

  directory_test_fhir_server_set_mode (&fixture->server, DIRECTORY_TEST_FHIR_ENDLESS);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    cachet_directory_fhir_search_async (fixture->fhir, "Martin", 5, NULL, result_cb, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) entries = cachet_directory_fhir_search_finish (fixture->fhir,
                                                                           wait_result (&results[i]), &error);

      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 0);
      g_object_unref (results[i]);
    }

  /* Ten pages of practitioners and ten of organisations each: the bound on
   * paging holds too. */
  g_assert_cmpuint (arrivals->len, ==, 3 * 2 * 10);
  for (guint i = 0; i < arrivals->len; i++)
    {
      guint in_window = 0;

      for (guint j = 0; j < arrivals->len; j++)
        {
          gint64 delta = g_array_index (arrivals, gint64, j) - g_array_index (arrivals, gint64, i);

          if (delta >= 0 && delta < G_USEC_PER_SEC)
            in_window++;
        }
      g_assert_cmpuint (in_window, <=, RATE_LIMIT);
    }
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = NULL;

  directory_test_fhir_server_set_mode (&fixture->server, DIRECTORY_TEST_FHIR_SILENT);
  cachet_directory_fhir_set_timeout (fixture->fhir, 1);
  entries = search (fixture, "Dupont", 10, &error);
  g_assert_null (entries);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "1 s"));
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) entries = NULL;

  directory_test_fhir_server_set_mode (&fixture->server, DIRECTORY_TEST_FHIR_MALFORMED);
  entries = search (fixture, "Dupont", 10, &error);
  g_assert_null (entries);
  g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "not valid JSON"));
}

/* The directory keeps its files side by side: no subfolder to recurse. */
static void
remove_flat_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

/* The offline directory finds some physicians; the server serves one of
 * them again (same national id) and an organisation with one of their
 * addresses: both are left out, the offline entries come first. */
static void
test_merge (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cachet-directory-fhir-XXXXXX", &error);
  g_autofree char *extract = g_build_filename (dir, "extract.txt", NULL);
  g_autofree char *db_path = g_build_filename (dir, "directory.sqlite", NULL);
  g_autoptr(JsonObject) summary = directory_test_generate (extract, "--rows", "300", NULL);
  g_autoptr(CachetDirectory) directory = cachet_directory_new (db_path);
  g_autoptr(GFile) file = g_file_new_for_path (extract);
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(CachetDirectoryQuery) query = cachet_directory_query_new ("Médecin", 5);
  g_autoptr(GListModel) offline = NULL;
  g_autoptr(GListModel) merged = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CachetDirectoryEntry) with_id = NULL;
  g_autoptr(CachetDirectoryEntry) with_address = NULL;
  g_autoptr(CachetDirectoryMailbox) shared_mailbox = NULL;
  guint n_offline;

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  report = cachet_directory_import (directory, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  offline = cachet_directory_search (directory, query, NULL, &error);
  g_assert_no_error (error);
  n_offline = g_list_model_get_n_items (offline);
  g_assert_cmpuint (n_offline, >=, 2);
  with_id = g_list_model_get_item (offline, 0);
  with_address = g_list_model_get_item (offline, 1);
  g_assert_cmpstr (cachet_directory_entry_get_national_id (with_id), !=, "");
  shared_mailbox = g_list_model_get_item (cachet_directory_entry_get_mailboxes (with_address), 0);
  directory_test_fhir_server_set_duplicates (&fixture->server, cachet_directory_entry_get_national_id (with_id),
                                             cachet_directory_mailbox_get_address (shared_mailbox));

  merged = cachet_directory_fhir_search_merged (fixture->fhir, directory, query, NULL, result_cb, &result);
  g_assert_true (cachet_directory_fhir_search_merged_finish (fixture->fhir, wait_result (&result), &error));
  g_assert_no_error (error);

  /* The offline entries in their order, then the two people of pages 2
   * and 3: the first page's person and the organisation were known. */
  g_assert_cmpuint (g_list_model_get_n_items (merged), ==, n_offline + 2);
  for (guint i = 0; i < n_offline; i++)
    {
      g_autoptr(CachetDirectoryEntry) expected = g_list_model_get_item (offline, i);
      g_autoptr(CachetDirectoryEntry) got = g_list_model_get_item (merged, i);

      g_assert_cmpstr (cachet_directory_entry_get_national_id (got), ==,
                       cachet_directory_entry_get_national_id (expected));
    }
  g_assert_nonnull (find_entry (merged, "dupont.p2@test.mssante.fr"));
  g_assert_nonnull (find_entry (merged, "dupont.p3@test.mssante.fr"));
  g_assert_null (find_entry (merged, "dupont.p1@test.mssante.fr"));
  /* Each says where it was found. */
  for (guint i = 0; i < g_list_model_get_n_items (merged); i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (merged, i);

      g_assert_true (cachet_directory_entry_is_online (entry) == (i >= n_offline));
    }

  g_clear_object (&directory);
  remove_flat_dir (dir);
}

/* cachet-cli against the server: the key from the standard input goes to
 * the keyring, and the next search finds it there. Needs a Secret Service:
 * meson runs it apart, through run-in-session.sh. */
static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(CachetCliResult) second = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonArray *entries;

  first = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                            | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                            g_getenv ("CACHET_CLI"), "directory", "search", "Dupont",
                            "--fhir-url", fixture->server.base_url, "--api-key-stdin", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (first, API_KEY "\n", NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (g_subprocess_get_exit_status (first), ==, 0);
  g_assert_nonnull (strstr (out, "dupont.p3@test.mssante.fr"));

  second = cachet_test_run_cli ("directory", "search", "Dupont", "--online", "--json",
                                "--fhir-url", fixture->server.base_url, NULL);
  g_assert_cmpstr (second->err, ==, "");
  g_assert_cmpint (second->exit_status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, second->out, -1, &error));
  g_assert_no_error (error);
  entries = json_node_get_array (json_parser_get_root (parser));
  /* No offline directory here: the three people and the organisation. */
  g_assert_cmpuint (json_array_get_length (entries), ==, 4);
  for (guint i = 0; i < fixture->server.api_keys->len; i++)
    g_assert_cmpstr (fixture->server.api_keys->pdata[i], ==, API_KEY);
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add ("/directory/fhir/search-by-name", Fixture, NULL, fixture_set_up, test_search_by_name, fixture_tear_down);
  g_test_add ("/directory/fhir/search-by-mailbox", Fixture, NULL, fixture_set_up, test_search_by_mailbox,
              fixture_tear_down);
  g_test_add ("/directory/fhir/api-key", Fixture, NULL, fixture_set_up, test_api_key, fixture_tear_down);
  g_test_add ("/directory/fhir/api-key-refused", Fixture, NULL, fixture_set_up, test_api_key_refused,
              fixture_tear_down);
  g_test_add ("/directory/fhir/rate-limit", Fixture, NULL, fixture_set_up, test_rate_limit, fixture_tear_down);
  g_test_add ("/directory/fhir/timeout", Fixture, NULL, fixture_set_up, test_timeout, fixture_tear_down);
  g_test_add ("/directory/fhir/malformed", Fixture, NULL, fixture_set_up, test_malformed, fixture_tear_down);
  g_test_add ("/directory/fhir/merge", Fixture, NULL, fixture_set_up, test_merge, fixture_tear_down);
  if (g_getenv ("CACHET_TEST_SESSION") != NULL)
    g_test_add ("/directory/fhir/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);

  return g_test_run ();
}
