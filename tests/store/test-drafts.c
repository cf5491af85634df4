/* test-drafts.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drafts kept on disk: saved whole, replaced in place, listed newest first,
 * private to the user, removed once sent or discarded.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include "cachet-drafts.h"
#include "cachet-test-utils.h"

static char *
make_account_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cachet-drafts-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static GBytes *
bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
assert_bytes (GBytes     *actual,
              const char *expected)
{
  g_assert_cmpmem (g_bytes_get_data (actual, NULL), g_bytes_get_size (actual), expected, strlen (expected));
}

/* Drafts are told apart by their time; make it differ without waiting. */
static void
age_drafts (const char *account_dir,
            time_t      when)
{
  g_autofree char *dir = g_build_filename (account_dir, "drafts", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      struct utimbuf times = { when, when };

      g_assert_cmpint (utime (path, &times), ==, 0);
    }
}

static void
test_drafts_save_replace_list_remove (void)
{
  g_autofree char *account_dir = make_account_dir ();
  g_autoptr(CachetDrafts) drafts = cachet_drafts_new (account_dir);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GBytes) first = bytes ("Message-ID: <a@x>\r\n\r\nversion 1\r\n");
  g_autoptr(GBytes) second = bytes ("Message-ID: <a@x>\r\n\r\nversion 2\r\n");
  g_autoptr(GBytes) other = bytes ("Message-ID: <b@x>\r\n\r\nautre\r\n");
  g_autoptr(GError) error = NULL;

  /* No drafts yet, not even a folder: an empty list. */
  listed = cachet_drafts_list (drafts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 0);
  g_clear_pointer (&listed, g_ptr_array_unref);

  g_assert_true (cachet_drafts_save (drafts, "a@x", first, NULL, &error));
  g_assert_no_error (error);
  age_drafts (account_dir, 1000);
  g_assert_true (cachet_drafts_save (drafts, "b@x", other, NULL, &error));
  /* A new version replaces the old one, and is now the newest. */
  g_assert_true (cachet_drafts_save (drafts, "a@x", second, NULL, &error));
  g_assert_no_error (error);

  listed = cachet_drafts_list (drafts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_clear_pointer (&listed, g_ptr_array_unref);

  {
    g_autofree char *dir = g_build_filename (account_dir, "drafts", NULL);
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        GStatBuf status;

        g_assert_cmpint (g_stat (path, &status), ==, 0);
        /* Drafts can name patients: the user's eyes only. */
        g_assert_cmpint (status.st_mode & 0777, ==, 0600);
      }
  }

  g_assert_true (cachet_drafts_remove (drafts, "b@x", NULL, &error));
  g_assert_no_error (error);
  /* Gone already: not an error. */
  g_assert_true (cachet_drafts_remove (drafts, "b@x", NULL, &error));
  g_assert_no_error (error);

  listed = cachet_drafts_list (drafts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  assert_bytes (g_ptr_array_index (listed, 0), "Message-ID: <a@x>\r\n\r\nversion 2\r\n");
}

static void
test_drafts_newest_first (void)
{
  g_autofree char *account_dir = make_account_dir ();
  g_autoptr(CachetDrafts) drafts = cachet_drafts_new (account_dir);
  g_autoptr(GBytes) older = bytes ("older");
  g_autoptr(GBytes) newer = bytes ("newer");
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_drafts_save (drafts, "older@x", older, NULL, &error));
  age_drafts (account_dir, 1000);
  g_assert_true (cachet_drafts_save (drafts, "newer@x", newer, NULL, &error));
  g_assert_no_error (error);

  listed = cachet_drafts_list (drafts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  assert_bytes (g_ptr_array_index (listed, 0), "newer");
  assert_bytes (g_ptr_array_index (listed, 1), "older");
}

/* What a crash in the middle of a save leaves is not a draft. */
static void
test_drafts_ignore_leftovers (void)
{
  g_autofree char *account_dir = make_account_dir ();
  g_autoptr(CachetDrafts) drafts = cachet_drafts_new (account_dir);
  g_autoptr(GBytes) draft = bytes ("draft");
  g_autofree char *leftover = g_build_filename (account_dir, "drafts", "0123.eml.ABC123", NULL);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_drafts_save (drafts, "a@x", draft, NULL, &error));
  g_assert_true (g_file_set_contents (leftover, "half a draft", -1, &error));
  g_assert_no_error (error);

  listed = cachet_drafts_list (drafts, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  assert_bytes (g_ptr_array_index (listed, 0), "draft");
}

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GPtrArray **listed = user_data;
  g_autoptr(GError) error = NULL;

  *listed = cachet_drafts_list_finish (CACHET_DRAFTS (source), result, &error);
  g_assert_no_error (error);
}

static void
test_drafts_list_async (void)
{
  g_autofree char *account_dir = make_account_dir ();
  g_autoptr(CachetDrafts) drafts = cachet_drafts_new (account_dir);
  g_autoptr(GBytes) draft = bytes ("draft");
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_drafts_save (drafts, "a@x", draft, NULL, &error));
  g_assert_no_error (error);

  cachet_drafts_list_async (drafts, NULL, list_done_cb, &listed);
  while (listed == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (listed->len, ==, 1);
  assert_bytes (g_ptr_array_index (listed, 0), "draft");
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/drafts/save-replace-list-remove", test_drafts_save_replace_list_remove);
  g_test_add_func ("/drafts/newest-first", test_drafts_newest_first);
  g_test_add_func ("/drafts/ignore-leftovers", test_drafts_ignore_leftovers);
  g_test_add_func ("/drafts/list-async", test_drafts_list_async);

  return g_test_run ();
}
