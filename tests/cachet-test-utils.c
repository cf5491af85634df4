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

#include "cachet-account-list.h"
#include "cachet-paths.h"
#include "cachet-test-utils.h"

/* Long enough for a worker under the sanitizers or a first frame on Xvfb,
 * short enough that a stuck test fails with a message rather than by
 * meson's kill. */
#define WAIT_TIMEOUT_S 30

/* Conditions that change in a worker thread wake no main context: they are
 * looked at again at least this often. */
#define WAIT_POLL_MS 10

static char *isolated_home;

/**
 * cachet_test_remove_tree:
 * @path: a folder a test made
 *
 * Removes @path and everything under it, without following links.
 */
void
cachet_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        cachet_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
remove_isolated_home (void)
{
  cachet_test_remove_tree (isolated_home);
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

/**
 * cachet_test_iterate:
 *
 * Dispatches what is pending on the default main context, without waiting
 * for more.
 */
void
cachet_test_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
keep_polling_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * cachet_test_iterate_until:
 * @condition: what the test waits for
 * @data: passed to @condition
 * @what: what is awaited, for the message if it never comes
 *
 * Runs the default main context until @condition holds; fails the test if
 * it does not within 30 seconds.
 */
void
cachet_test_iterate_until (CachetTestCondition  condition,
                           gpointer             data,
                           const char          *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC;
  guint poll_id = g_timeout_add (WAIT_POLL_MS, keep_polling_cb, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (poll_id);
}

/**
 * cachet_test_add_account:
 * @name: the account's name
 * @address: its address
 * @account: (out) (optional) (transfer full): the account
 *
 * Makes the default account list, as the application and cachet-cli load
 * it, hold only a new account, whose servers (port 1 of the loopback)
 * refuse connections at once: a sync fails quickly, and nothing else goes
 * out. Whatever an earlier test of the program added is gone.
 *
 * Returns: (transfer full): the account's store, to fill before the
 *   application or cachet-cli opens it
 */
CachetStore *
cachet_test_add_account (const char     *name,
                         const char     *address,
                         CachetAccount **account)
{
  g_autoptr(CachetAccountList) accounts = cachet_account_list_new_default ();
  g_autoptr(CachetAccount) added = cachet_account_new (name, address, "imaps://127.0.0.1:1", "smtps://127.0.0.1:1");
  g_autofree char *accounts_file = g_build_filename (cachet_paths_get_config_dir (), "accounts.ini", NULL);
  g_autoptr(GError) error = NULL;
  CachetStore *store;

  g_unlink (accounts_file);
  g_assert_true (cachet_account_list_load (accounts, &error));
  g_assert_true (cachet_account_list_add (accounts, added, &error));
  g_assert_no_error (error);
  store = cachet_store_new (NULL, cachet_account_get_id (added), NULL, &error);
  g_assert_no_error (error);
  if (account != NULL)
    *account = g_steal_pointer (&added);

  return store;
}
