/* directory-test-utils.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "directory-test-utils.h"

/**
 * directory_test_generate:
 * @path: the extract to write
 * @...: options of gen-extract.py, then %NULL
 *
 * Runs gen-extract.py, whose first rows are the fixed people and structures
 * the tests look for (its ANCHORS).
 *
 * Returns: (transfer full): its summary: rows written, malformed line
 *   numbers, unlisted rows
 */
JsonObject *
directory_test_generate (const char *path,
                         ...)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "directory", "gen-extract.py", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, (gpointer) "--output");
  g_ptr_array_add (argv, (gpointer) path);
  va_start (args, path);
  for (const char *arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}
