/* test-cli-directory.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cachet-test-utils.h"
#include "directory-test-utils.h"

/* cachet-cli directory, run as a user would, in the test's own XDG
 * directories. The tests run in order: the first one finds no directory. */

static char *work_dir;

static char *
work_file (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_nothing_imported (void)
{
  g_autoptr(CachetCliResult) search = cachet_test_run_cli ("directory", "search", "martin", NULL);
  g_autoptr(CachetCliResult) info = cachet_test_run_cli ("directory", "info", "--json", NULL);

  g_assert_cmpint (search->exit_status, ==, 1);
  g_assert_cmpstr (search->out, ==, "");
  g_assert_nonnull (strstr (search->err, "import the Annuaire Santé extract first"));
  g_assert_cmpint (info->exit_status, ==, 1);
  g_assert_cmpstr (info->out, ==, "");
}

static void
test_import_json (void)
{
  g_autofree char *path = work_file ("Extraction_Correspondance_MSSante_202611280300.zip");
  g_autoptr(CachetCliResult) result = NULL;
  g_autoptr(CachetCliResult) info_result = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) info_root = NULL;
  g_autoptr(JsonObject) summary = NULL;
  JsonObject *report;
  JsonObject *info;
  JsonArray *lines;

  summary = directory_test_generate (path, "--rows", "1500", "--malformed", "2", "--zip", NULL);
  result = cachet_test_run_cli ("directory", "import", path, "--json", NULL);
  g_assert_cmpstr (result->err, ==, "");
  g_assert_cmpint (result->exit_status, ==, 0);
  root = parse_json (result->out);
  report = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (report, "mailboxes")
                   + json_object_get_int_member (report, "duplicates"), ==,
                   json_object_get_int_member (summary, "rows"));
  g_assert_cmpint (json_object_get_int_member (report, "malformed"), ==, 2);
  lines = json_object_get_array_member (report, "malformed_lines");
  g_assert_cmpuint (json_array_get_length (lines), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (lines, i), "line"), ==,
                     json_array_get_int_element (json_object_get_array_member (summary, "malformed_lines"), i));
  g_assert_cmpstr (json_object_get_string_member (report, "extract_date"), ==, "2026-08-14T03:12");

  info_result = cachet_test_run_cli ("directory", "info", "--json", NULL);
  g_assert_cmpint (info_result->exit_status, ==, 0);
  info_root = parse_json (info_result->out);
  info = json_node_get_object (info_root);
  g_assert_cmpint (json_object_get_int_member (info, "entries"), ==,
                   json_object_get_int_member (report, "entries"));
  g_assert_cmpint (json_object_get_int_member (info, "mailboxes"), ==,
                   json_object_get_int_member (report, "mailboxes"));
  g_assert_cmpint (json_object_get_int_member (info, "size"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (info, "extract_date"), ==, "2026-08-14T03:12");
  g_assert_cmpstr (json_object_get_string_member (info, "source_name"), ==,
                   "Extraction_Correspondance_MSSante_202608140312.txt");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (info, "path"),
                                   "/cachet/directory/directory.sqlite"));
}

static void
test_search_json (void)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("directory", "search", "Hélène", "MARTIN",
                                                           "--limit", "1", "--json", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries;
  JsonObject *entry;
  JsonArray *mailboxes;
  JsonObject *hospital;

  g_assert_cmpstr (result->err, ==, "");
  g_assert_cmpint (result->exit_status, ==, 0);
  root = parse_json (result->out);
  entries = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  entry = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==, "Hélène MARTIN");
  g_assert_cmpstr (json_object_get_string_member (entry, "kind"), ==, "person");
  g_assert_cmpstr (json_object_get_string_member (entry, "specialty"), ==, "Cardiologie et maladies vasculaires");
  g_assert_cmpstr (json_object_get_string_member (entry, "national_id"), ==, "899000000011");
  mailboxes = json_object_get_array_member (entry, "mailboxes");
  g_assert_cmpuint (json_array_get_length (mailboxes), ==, 2);
  hospital = json_array_get_object_element (mailboxes, 1);
  g_assert_cmpstr (json_object_get_string_member (hospital, "address"), ==, "h.martin@chu-lyon.mssante.example");
  g_assert_cmpstr (json_object_get_string_member (hospital, "type"), ==, "PER");
  g_assert_cmpstr (json_object_get_string_member (hospital, "organisation"), ==, "CHU de Lyon");
  g_assert_cmpstr (json_object_get_string_member (hospital, "postcode"), ==, "69003");
  g_assert_cmpstr (json_object_get_string_member (hospital, "department"), ==, "69");
}

static void
test_search_filters (void)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("directory", "search", "--type", "cab",
                                                           "--place", "Lyon", "--json", NULL);
  g_autoptr(CachetCliResult) text = cachet_test_run_cli ("directory", "search", "martin",
                                                         "--profession", "médecin",
                                                         "--specialty", "pediatrie", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries;

  g_assert_cmpint (result->exit_status, ==, 0);
  root = parse_json (result->out);
  entries = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (entries), >=, 1);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonArray *mailboxes = json_object_get_array_member (json_array_get_object_element (entries, i),
                                                           "mailboxes");
      gboolean has_practice = FALSE;

      for (guint j = 0; j < json_array_get_length (mailboxes); j++)
        {
          JsonObject *mailbox = json_array_get_object_element (mailboxes, j);

          has_practice |= g_str_equal (json_object_get_string_member (mailbox, "type"), "CAB");
        }
      g_assert_true (has_practice);
    }

  /* Plain text: the entry, then its mailboxes indented. */
  g_assert_cmpint (text->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (text->out, "Martin DUBOIS-LEFÈVRE\tMédecin\tPédiatrie\t899000000045\n"
                                              "\tmartin.dubois-lefevre@medecin.mssante.example\tPER\t\t69100 VILLEURBANNE\n"));
}

static void
test_usage_errors (void)
{
  g_autoptr(CachetCliResult) bad_type = cachet_test_run_cli ("directory", "search", "x", "--type", "XYZ", NULL);
  g_autoptr(CachetCliResult) bad_limit = cachet_test_run_cli ("directory", "search", "x", "--limit", "0", NULL);
  g_autoptr(CachetCliResult) no_file = cachet_test_run_cli ("directory", "import", NULL);
  g_autoptr(CachetCliResult) empty = cachet_test_run_cli ("directory", "search", NULL);
  g_autoptr(CachetCliResult) unknown = cachet_test_run_cli ("directory", "lookup", NULL);

  g_assert_cmpint (bad_type->exit_status, ==, 2);
  g_assert_nonnull (strstr (bad_type->err, "PER, ORG, APP or CAB"));
  g_assert_cmpint (bad_limit->exit_status, ==, 2);
  g_assert_cmpint (no_file->exit_status, ==, 2);
  g_assert_cmpint (empty->exit_status, ==, 1);
  g_assert_nonnull (strstr (empty->err, "Type a name"));
  g_assert_cmpint (unknown->exit_status, ==, 2);
  g_assert_nonnull (strstr (unknown->err, "unknown command “lookup”"));
}

/* A failed import says why and leaves the directory as it was. */
static void
test_failed_import_keeps_directory (void)
{
  g_autofree char *path = work_file ("not-an-extract.txt");
  g_autoptr(CachetCliResult) before = cachet_test_run_cli ("directory", "info", "--json", NULL);
  g_autoptr(CachetCliResult) result = NULL;
  g_autoptr(CachetCliResult) after = NULL;
  g_autoptr(CachetCliResult) search = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) before_root = NULL;
  g_autoptr(JsonNode) after_root = NULL;

  g_file_set_contents (path, "Nom|Prénom\nMARTIN|Hélène\n", -1, &error);
  g_assert_no_error (error);
  result = cachet_test_run_cli ("directory", "import", path, NULL);
  g_assert_cmpint (result->exit_status, ==, 1);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_nonnull (strstr (result->err, "it is not an Extraction_Correspondance_MSSante extract"));

  after = cachet_test_run_cli ("directory", "info", "--json", NULL);
  g_assert_cmpint (after->exit_status, ==, 0);
  before_root = parse_json (before->out);
  after_root = parse_json (after->out);
  g_assert_true (json_node_equal (before_root, after_root));

  search = cachet_test_run_cli ("directory", "search", "helene", "martin", NULL);
  g_assert_cmpint (search->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (search->out, "Hélène MARTIN\t"));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  /* Inside the isolated home, removed at exit. */
  work_dir = g_build_filename (g_get_home_dir (), "work", NULL);
  g_assert_cmpint (g_mkdir (work_dir, 0700), ==, 0);

  g_test_add_func ("/cli/directory/nothing-imported", test_nothing_imported);
  g_test_add_func ("/cli/directory/import-json", test_import_json);
  g_test_add_func ("/cli/directory/search-json", test_search_json);
  g_test_add_func ("/cli/directory/search-filters", test_search_filters);
  g_test_add_func ("/cli/directory/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/directory/failed-import-keeps-directory", test_failed_import_keeps_directory);

  return g_test_run ();
}
