/* test-cli.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "cachet-test-utils.h"

static void
test_cli_paths_follow_xdg (void)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("paths", "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_config = g_build_filename (g_get_user_config_dir (), "cachet", NULL);
  g_autofree char *expected_data = g_build_filename (g_get_user_data_dir (), "cachet", NULL);
  g_autofree char *expected_cache = g_build_filename (g_get_user_cache_dir (), "cachet", NULL);
  JsonObject *paths;

  g_assert_cmpint (result->exit_status, ==, 0);
  g_assert_cmpstr (result->err, ==, "");
  json_parser_load_from_data (parser, result->out, -1, &error);
  g_assert_no_error (error);
  paths = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (paths, "config"), ==, expected_config);
  g_assert_cmpstr (json_object_get_string_member (paths, "data"), ==, expected_data);
  g_assert_cmpstr (json_object_get_string_member (paths, "cache"), ==, expected_cache);
}

static void
test_cli_unknown_command_fails (void)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("no-such-command", NULL);

  g_assert_cmpint (result->exit_status, ==, 2);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_nonnull (strstr (result->err, "unknown command “no-such-command”"));
}

static void
test_cli_bad_option_fails (void)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("paths", "--no-such-option", NULL);

  g_assert_cmpint (result->exit_status, ==, 2);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_nonnull (strstr (result->err, "--no-such-option"));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/cli/paths/follow-xdg", test_cli_paths_follow_xdg);
  g_test_add_func ("/cli/errors/unknown-command", test_cli_unknown_command_fails);
  g_test_add_func ("/cli/errors/bad-option", test_cli_bad_option_fails);

  return g_test_run ();
}
