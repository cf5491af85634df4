/* cachet-test-operator.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cachet-test-operator.h"
#include "cachet-test-server.h"

/* One operator per test program: starting Dovecot and Postfix takes seconds,
 * and the tests share its users. */
static char *operator_dir;
static GHashTable *operator_env;
static char *operator_problem;

static char *
operator_script (void)
{
  return g_test_build_filename (G_TEST_DIST, "operator", "cachet-operator", NULL);
}

static gboolean
run_operator (const char  *command,
              const char  *option,
              char       **output)
{
  g_autofree char *script = operator_script ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                              &error, script, command, operator_dir, option, NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, output, NULL, &error))
    {
      *output = g_strdup (error->message);
      return FALSE;
    }

  return g_subprocess_get_successful (process);
}

static GHashTable *
parse_env (const char  *path,
           char       **problem)
{
  g_autoptr(GHashTable) env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      *problem = g_strdup (error->message);
      return NULL;
    }

  lines = g_strsplit (contents, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      const char *equal = strchr (lines[i], '=');
      char *value;

      if (lines[i][0] == '#' || equal == NULL)
        continue;
      /* Values are quoted for sh. */
      value = g_shell_unquote (equal + 1, &error);
      if (value == NULL)
        {
          *problem = g_strdup_printf ("%s: %s", path, error->message);
          return NULL;
        }
      g_hash_table_insert (env, g_strndup (lines[i], (gsize) (equal - lines[i])), value);
    }

  return g_steal_pointer (&env);
}

static void
start_operator (CachetTestOperatorFlags flags)
{
  g_autofree char *script = operator_script ();
  g_autofree char *output = NULL;
  g_autofree char *env_file = NULL;
  g_autoptr(GError) error = NULL;

  if (geteuid () != 0)
    {
      operator_problem = g_strdup ("the operator in a box needs root (Dovecot and Postfix)");
      return;
    }
  if (!g_file_test (script, G_FILE_TEST_IS_EXECUTABLE))
    {
      operator_problem = g_strdup_printf ("%s is missing", script);
      return;
    }

  /* Not under the test's private home: the servers' unprivileged users must
   * be able to reach the folder. */
  operator_dir = g_dir_make_tmp ("cachet-test-operator-XXXXXX", &error);
  g_assert_no_error (error);
  if (!run_operator ("start", (flags & CACHET_TEST_OPERATOR_DEMO) != 0 ? "--demo" : NULL,
                     &output))
    {
      operator_problem = g_strdup_printf ("cachet-operator start failed:\n%s", output);
      return;
    }

  env_file = g_build_filename (operator_dir, "operator.env", NULL);
  operator_env = parse_env (env_file, &operator_problem);
}

/**
 * cachet_test_operator_start:
 * @flags: how to start it the first time
 * @...: the keys of operator.env the test needs, then %NULL
 *
 * Starts the operator in a box on first use; later calls reuse it (and
 * ignore @flags). The test program calls cachet_test_operator_stop() after
 * g_test_run().
 *
 * Returns: %FALSE, having skipped or failed the test (see
 *   cachet_test_peer_missing()), if the operator cannot run here or its
 *   operator.env lacks one of the keys.
 */
gboolean
cachet_test_operator_start (CachetTestOperatorFlags flags,
                            ...)
{
  va_list args;

  if (operator_env == NULL && operator_problem == NULL)
    start_operator (flags);
  if (operator_problem != NULL)
    {
      cachet_test_peer_missing ("%s", operator_problem);
      return FALSE;
    }

  va_start (args, flags);
  for (const char *key = va_arg (args, const char *); key != NULL;
       key = va_arg (args, const char *))
    {
      if (!g_hash_table_contains (operator_env, key))
        {
          cachet_test_peer_missing ("operator.env has no %s", key);
          va_end (args);
          return FALSE;
        }
    }
  va_end (args);

  return TRUE;
}

/* The value of @key in operator.env; only once cachet_test_operator_start()
 * succeeded. A missing key is a broken operator, not a missing peer. */
const char *
cachet_test_operator_get (const char *key)
{
  const char *value;

  g_return_val_if_fail (operator_env != NULL, NULL);

  value = g_hash_table_lookup (operator_env, key);
  if (value == NULL)
    g_error ("operator.env has no %s", key);

  return value;
}

/* Stops the servers and removes their folder, if they were started. */
void
cachet_test_operator_stop (void)
{
  g_autofree char *output = NULL;
  g_autoptr(GSubprocess) remove = NULL;

  if (operator_dir != NULL)
    {
      if (!run_operator ("stop", NULL, &output))
        g_printerr ("cachet-operator stop failed:\n%s\n", output);
      /* Mail folders belong to the "mail" user: rm is simplest. */
      remove = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, "rm", "-rf", "--", operator_dir,
                                 NULL);
      if (remove != NULL)
        g_subprocess_wait (remove, NULL, NULL);
    }

  g_clear_pointer (&operator_env, g_hash_table_unref);
  g_clear_pointer (&operator_dir, g_free);
  g_clear_pointer (&operator_problem, g_free);
}
