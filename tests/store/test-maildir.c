/* test-maildir.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "cachet-maildir.h"
#include "cachet-paths.h"
#include "cachet-test-utils.h"

static const char sample_message[] =
  "From: Laboratoire <resultats@labo-biosante.mssante.fr>\r\n"
  "Subject: =?UTF-8?Q?R=C3=A9sultats?=\r\n"
  "\r\n"
  "Hémoglobine : 13,2 g/dL\r\n";

/* A fresh Maildir under the test's own data directory. */
static CachetMaildir *
new_maildir (const char *name)
{
  g_autofree char *path = g_build_filename (cachet_paths_get_data_dir (), "maildir-tests", name,
                                            NULL);
  g_autoptr(CachetMaildir) maildir = cachet_maildir_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (cachet_maildir_ensure (maildir, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&maildir);
}

static guint
count_files (CachetMaildir *maildir,
             const char    *subdir)
{
  g_autofree char *path = g_build_filename (cachet_maildir_get_path (maildir), subdir, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

static char *
cur_path (CachetMaildir *maildir,
          const char    *filename)
{
  return g_build_filename (cachet_maildir_get_path (maildir), "cur", filename, NULL);
}

static void
test_deliver (void)
{
  g_autoptr(CachetMaildir) maildir = new_maildir ("deliver");
  g_autoptr(GBytes) raw = g_bytes_new_static (sample_message, sizeof sample_message - 1);
  g_autoptr(GBytes) read_back = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *path = NULL;
  const char *keywords[] = { "$Label1", "$Forwarded", NULL };
  CachetMaildirEntry *entry;
  GStatBuf buf;

  filename = cachet_maildir_deliver (maildir, raw, 42, 7,
                                     CACHET_MESSAGE_FLAG_SEEN | CACHET_MESSAGE_FLAG_FLAGGED,
                                     keywords, 1700000000, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (filename);

  /* <unique>,U=<uid>,M=<modseq>:2,<flags in ASCII order><keyword letters> */
  g_assert_true (g_str_has_suffix (filename, ",U=42,M=7:2,FSab"));
  g_assert_null (strchr (filename, '/'));

  path = cur_path (maildir, filename);
  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mtime, ==, 1700000000);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  g_assert_cmpint (buf.st_size, ==, sizeof sample_message - 1);
  g_assert_cmpuint (count_files (maildir, "tmp"), ==, 0);
  g_assert_cmpuint (count_files (maildir, "cur"), ==, 1);

  read_back = cachet_maildir_read (maildir, filename, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (raw, read_back));

  entries = cachet_maildir_list (maildir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->filename, ==, filename);
  g_assert_cmpuint (entry->uid, ==, 42);
  g_assert_cmpuint (entry->modseq, ==, 7);
  g_assert_cmphex (entry->flags, ==, CACHET_MESSAGE_FLAG_SEEN | CACHET_MESSAGE_FLAG_FLAGGED);
  g_assert_cmpstrv (entry->keywords, ((const char * const[]) { "$Forwarded", "$Label1", NULL }));
  g_assert_cmpint (entry->internal_date, ==, 1700000000);
  g_assert_cmpint (entry->size, ==, sizeof sample_message - 1);
}

static void
test_deliver_cancelled (void)
{
  g_autoptr(CachetMaildir) maildir = new_maildir ("cancelled");
  g_autoptr(GBytes) raw = g_bytes_new_static (sample_message, sizeof sample_message - 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *filename = NULL;

  g_cancellable_cancel (cancellable);
  filename = cachet_maildir_deliver (maildir, raw, 1, 0, 0, NULL, 0, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (filename);
  g_assert_cmpuint (count_files (maildir, "tmp"), ==, 0);
  g_assert_cmpuint (count_files (maildir, "cur"), ==, 0);
}

#define N_THREADS 8
#define N_PER_THREAD 100

typedef struct
{
  CachetMaildir *maildir;
  guint          thread;
  GPtrArray     *filenames;
} DeliveryJob;

static gpointer
deliver_many (gpointer data)
{
  DeliveryJob *job = data;

  for (guint i = 0; i < N_PER_THREAD; i++)
    {
      g_autofree char *text = g_strdup_printf ("Subject: %u/%u\r\n\r\ncorps\r\n", job->thread, i);
      g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));
      g_autoptr(GError) error = NULL;
      char *filename;

      /* The same UID on purpose: names must not rely on it. */
      filename = cachet_maildir_deliver (job->maildir, raw, 1, 0, 0, NULL, 0, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (job->filenames, filename);
    }
  return NULL;
}

static void
test_unique_names (void)
{
  g_autoptr(CachetMaildir) maildir = new_maildir ("unique");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  DeliveryJob jobs[N_THREADS];
  GThread *threads[N_THREADS];

  for (guint i = 0; i < N_THREADS; i++)
    {
      jobs[i] = (DeliveryJob) { maildir, i, g_ptr_array_new_with_free_func (g_free) };
      threads[i] = g_thread_new ("deliver", deliver_many, &jobs[i]);
    }
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < N_THREADS; i++)
    {
      for (guint j = 0; j < N_PER_THREAD; j++)
        {
          const char *filename = g_ptr_array_index (jobs[i].filenames, j);
          g_autofree char *expected = g_strdup_printf ("Subject: %u/%u\r\n\r\ncorps\r\n", i, j);
          g_autoptr(GBytes) raw = cachet_maildir_read (maildir, filename, NULL, NULL);

          g_assert_true (g_hash_table_add (seen, (gpointer) filename));
          g_assert_nonnull (raw);
          g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), expected,
                           strlen (expected));
        }
    }
  g_assert_cmpuint (count_files (maildir, "cur"), ==, N_THREADS * N_PER_THREAD);
  g_assert_cmpuint (count_files (maildir, "tmp"), ==, 0);

  for (guint i = 0; i < N_THREADS; i++)
    g_ptr_array_unref (jobs[i].filenames);
}

static void
test_flags (void)
{
  g_autoptr(CachetMaildir) maildir = new_maildir ("flags");
  g_autoptr(CachetMaildir) reopened = NULL;
  g_autoptr(GBytes) raw = g_bytes_new_static (sample_message, sizeof sample_message - 1);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *again = NULL;
  g_autofree char *first_path = NULL;
  g_autofree char *second_path = NULL;
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  const char *keywords[] = { "$Imported", "invalid keyword", NULL };
  CachetMaildirEntry *entry;

  first = cachet_maildir_deliver (maildir, raw, 9, 0, 0, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (first, ",U=9:2,"));

  second = cachet_maildir_set_flags (maildir, first, 12,
                                     CACHET_MESSAGE_FLAG_SEEN | CACHET_MESSAGE_FLAG_ANSWERED |
                                     CACHET_MESSAGE_FLAG_DELETED | CACHET_MESSAGE_FLAG_DRAFT,
                                     keywords, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (second, ",U=9,M=12:2,DRSTa"));
  first_path = cur_path (maildir, first);
  second_path = cur_path (maildir, second);
  g_assert_false (g_file_test (first_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (second_path, G_FILE_TEST_EXISTS));

  /* Nothing changes: the same name, no rename. */
  again = cachet_maildir_set_flags (maildir, second, 12,
                                    CACHET_MESSAGE_FLAG_SEEN | CACHET_MESSAGE_FLAG_ANSWERED |
                                    CACHET_MESSAGE_FLAG_DELETED | CACHET_MESSAGE_FLAG_DRAFT,
                                    keywords, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, second);

  /* The keyword letters survive in the folder, for another process. */
  reopened = cachet_maildir_new (cachet_maildir_get_path (maildir));
  entries = cachet_maildir_list (reopened, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstrv (entry->keywords, ((const char * const[]) { "$Imported", NULL }));
  g_assert_cmpuint (entry->modseq, ==, 12);

  /* Past 26 keywords, names carry what fits ($Imported has "a"); nothing
   * fails. */
  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (many, g_strdup_printf ("$K%02u", i));
  g_ptr_array_add (many, NULL);
  third = cachet_maildir_set_flags (reopened, second, 13, 0, (const char * const *) many->pdata,
                                    &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (third, ":2,bcdefghijklmnopqrstuvwxyz"));
}

static void
test_locate (void)
{
  g_autoptr(CachetMaildir) maildir = new_maildir ("locate");
  g_autoptr(GBytes) raw = g_bytes_new_static (sample_message, sizeof sample_message - 1);
  g_autoptr(GBytes) read_back = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *renamed = NULL;
  g_autofree char *located = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  filename = cachet_maildir_deliver (maildir, raw, 5, 0, 0, NULL, 0, NULL, &error);
  g_assert_no_error (error);

  /* Renamed (new flags) without the index hearing of it, as after a crash. */
  renamed = g_strconcat (filename, "S", NULL);
  from = cur_path (maildir, filename);
  to = cur_path (maildir, renamed);
  g_assert_cmpint (g_rename (from, to), ==, 0);

  located = cachet_maildir_locate (maildir, filename, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (located, ==, renamed);

  read_back = cachet_maildir_read (maildir, filename, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (raw, read_back));

  stream = cachet_maildir_open (maildir, filename, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stream);
}

static void
test_remove (void)
{
  g_autoptr(CachetMaildir) maildir = new_maildir ("remove");
  g_autoptr(GBytes) raw = g_bytes_new_static (sample_message, sizeof sample_message - 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *filename = NULL;

  filename = cachet_maildir_deliver (maildir, raw, 5, 0, 0, NULL, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (cachet_maildir_remove (maildir, filename, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (maildir, "cur"), ==, 0);

  g_assert_false (cachet_maildir_remove (maildir, filename, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* What a crash leaves in tmp/ goes once it is old enough that nobody can
 * still be writing it; a file being written now stays. */
static void
test_stale_tmp (void)
{
  g_autoptr(CachetMaildir) maildir = new_maildir ("stale-tmp");
  g_autofree char *stale = g_build_filename (cachet_maildir_get_path (maildir), "tmp", "stale", NULL);
  g_autofree char *fresh = g_build_filename (cachet_maildir_get_path (maildir), "tmp", "fresh", NULL);
  gint64 two_days_ago = g_get_real_time () / G_USEC_PER_SEC - 2 * 24 * 60 * 60;
  struct utimbuf old_times = { (time_t) two_days_ago, (time_t) two_days_ago };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (stale, sample_message, -1, NULL));
  g_assert_true (g_file_set_contents (fresh, sample_message, -1, NULL));
  g_assert_cmpint (g_utime (stale, &old_times), ==, 0);

  g_assert_true (cachet_maildir_remove_stale_tmp (maildir, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (fresh, G_FILE_TEST_EXISTS));
}

static void
test_invalid_filenames (void)
{
  g_autoptr(CachetMaildir) maildir = new_maildir ("invalid");
  const char *names[] = { "", ".", "..", "../../../etc/passwd", "cur/x", ".hidden", "a/b" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) raw = cachet_maildir_read (maildir, names[i], NULL, &error);

      g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
      g_assert_null (raw);
      g_clear_error (&error);
      g_assert_false (cachet_maildir_remove (maildir, names[i], &error));
      g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
    }
}

static void
test_foreign_files (void)
{
  g_autoptr(CachetMaildir) maildir = new_maildir ("foreign");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_file = g_build_filename (cachet_maildir_get_path (maildir), "new",
                                                "1700000000.M1P2.autre-machine", NULL);
  g_autofree char *cur_file = g_build_filename (cachet_maildir_get_path (maildir), "cur",
                                                "1700000001.M1P2.autre,S=12,W=13:2,RS", NULL);

  /* Another program delivered here: read, never trusted for a UID. */
  g_file_set_contents (new_file, "Subject: a\n\nb\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (cur_file, "Subject: c\n\nd\n", -1, &error);
  g_assert_no_error (error);

  entries = cachet_maildir_list (maildir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  for (guint i = 0; i < entries->len; i++)
    {
      CachetMaildirEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GBytes) raw = cachet_maildir_read (maildir, entry->filename, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (raw);
      g_assert_cmpuint (entry->uid, ==, 0);
      if (g_str_has_suffix (entry->filename, ":2,RS"))
        g_assert_cmphex (entry->flags, ==, CACHET_MESSAGE_FLAG_ANSWERED | CACHET_MESSAGE_FLAG_SEEN);
      else
        g_assert_cmphex (entry->flags, ==, CACHET_MESSAGE_FLAG_NONE);
    }
}

static void
test_folder_names (void)
{
  const char *names[] = {
    "INBOX", "INBOX/Résultats", "INBOX.Résultats", "..", ".", "../../etc", "a/b/../c", "/",
    "Boîte d'envoi", "Éléments envoyés", "日本語", "with space", "%41", "~tilde", "-", "_", "a\\b",
  };
  g_autoptr(GHashTable) encodings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) long_name = g_string_new (NULL);
  const char *not_ours[] = { "..", ".", "a.b", "%2f", "%2", "%ZZ", "x/y", "%61", "é", "" };
  g_autofree char *hashed = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *encoded = cachet_maildir_encode_folder_name (names[i]);
      g_autofree char *decoded = NULL;

      g_assert_nonnull (encoded);
      g_assert_cmpstr (encoded, !=, ".");
      g_assert_cmpstr (encoded, !=, "..");
      g_assert_true (encoded[0] != '.' && encoded[0] != '\0');
      for (const char *p = encoded; *p != '\0'; p++)
        g_assert_true (g_ascii_isalnum (*p) || *p == '%' || *p == '-' || *p == '_');
      /* One folder, one directory. */
      g_assert_true (g_hash_table_add (encodings, g_strdup (encoded)));

      decoded = cachet_maildir_decode_folder_name (encoded);
      g_assert_cmpstr (decoded, ==, names[i]);
    }

  g_assert_null (cachet_maildir_encode_folder_name (""));
  g_assert_null (cachet_maildir_encode_folder_name ("\xff\xfe"));

  /* Too long for a file name: hashed, and then read from the state file. */
  for (guint i = 0; i < 300; i++)
    g_string_append (long_name, "é");
  hashed = cachet_maildir_encode_folder_name (long_name->str);
  g_assert_true (g_str_has_prefix (hashed, "~"));
  g_assert_cmpuint (strlen (hashed), ==, 65);
  g_assert_null (cachet_maildir_decode_folder_name (hashed));

  for (gsize i = 0; i < G_N_ELEMENTS (not_ours); i++)
    g_assert_null (cachet_maildir_decode_folder_name (not_ours[i]));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/store/maildir/deliver", test_deliver);
  g_test_add_func ("/store/maildir/deliver-cancelled", test_deliver_cancelled);
  g_test_add_func ("/store/maildir/unique-names", test_unique_names);
  g_test_add_func ("/store/maildir/flags", test_flags);
  g_test_add_func ("/store/maildir/locate", test_locate);
  g_test_add_func ("/store/maildir/remove", test_remove);
  g_test_add_func ("/store/maildir/stale-tmp", test_stale_tmp);
  g_test_add_func ("/store/maildir/invalid-filenames", test_invalid_filenames);
  g_test_add_func ("/store/maildir/foreign-files", test_foreign_files);
  g_test_add_func ("/store/maildir/folder-names", test_folder_names);

  return g_test_run ();
}
