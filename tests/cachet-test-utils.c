/* cachet-test-utils.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <locale.h>

#include "cachet-test-utils.h"

/**
 * cachet_test_init:
 *
 * Like g_test_init(), with every test given its own empty XDG directories, so
 * no test sees another's state or the developer's own mail.
 */
void
cachet_test_init (int    *argc,
                  char ***argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

/**
 * cachet_test_run_cli:
 * @first_arg: the first argument to cachet-cli, then more, ending with %NULL
 *
 * Runs the cachet-cli built in this tree (found through the CACHET_CLI
 * variable that tests/meson.build sets) with the test's isolated XDG
 * directories.
 *
 * Returns: (transfer full): the exit status and what it wrote
 */
CachetCliResult *
cachet_test_run_cli (const char *first_arg,
                     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
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

  /* GLib isolates the test's directories inside this process only: hand them
   * to the child explicitly. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
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
