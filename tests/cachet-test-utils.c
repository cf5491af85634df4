/* cachet-test-utils.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>

#include "cachet-test-utils.h"

static char *isolated_home;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
remove_isolated_home (void)
{
  remove_tree (isolated_home);
  g_clear_pointer (&isolated_home, g_free);
}

/**
 * cachet_test_init:
 *
 * Like g_test_init(), with the test program given its own empty home and XDG
 * directories, removed at exit, so that no test sees the developer's own mail
 * or another program's state.
 */
void
cachet_test_init (int    *argc,
                  char ***argv)
{
  g_autoptr(GError) error = NULL;
  static const struct { const char *variable; const char *subdir; } xdg[] = {
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };

  /* GLib's G_TEST_OPTION_ISOLATE_DIRS would do this per test, but it leaks
   * (GLib 2.74), which the sanitizer build reports, and it does not reach
   * child processes such as cachet-cli. */
  isolated_home = g_dir_make_tmp ("cachet-test-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", isolated_home, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      g_autofree char *path = g_build_filename (isolated_home, xdg[i].subdir, NULL);

      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      g_setenv (xdg[i].variable, path, TRUE);
    }
  atexit (remove_isolated_home);

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (argc, argv, NULL);
}

/**
 * cachet_test_run_cli:
 * @first_arg: the first argument to cachet-cli, then more, ending with %NULL
 *
 * Runs the cachet-cli built in this tree (found through the CACHET_CLI
 * variable that tests/meson.build sets) with the test's isolated XDG
 * directories, which it inherits.
 *
 * Returns: (transfer full): the exit status and what it wrote
 */
CachetCliResult *
cachet_test_run_cli (const char *first_arg,
                     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CachetCliResult *result = g_new0 (CachetCliResult, 1);
  const char *cli = g_getenv ("CACHET_CLI");
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->exit_status = g_subprocess_get_exit_status (process);

  return result;
}

void
cachet_cli_result_free (CachetCliResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}
