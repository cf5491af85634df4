/* test-correspondents.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Past correspondents, as the store counts them for recipient suggestions:
 * ranking (sent over received, recent over old), the user's own address
 * left out, one entry per address whatever its case, names found without
 * their accents, counts following removals, a reindex and a UIDVALIDITY
 * change, and an index from before correspondents were counted filled in
 * by its migration.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cachet-paths.h"
#include "cachet-sqlite-private.h"
#include "cachet-store.h"
#include "cachet-test-utils.h"
#include "store-test-utils.h"

#define UIDVALIDITY 1700000000u
#define OWN_ADDRESS "secretariat@cabinet.mssante.example"
#define DAY (24 * 60 * 60)

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* A message as the server would send it; @cc may be NULL. Names with
 * accents come as RFC 2047 encoded words, as mail carries them. */
static void
add_message (CachetStore *store,
             const char  *folder,
             guint32      uid,
             const char  *from,
             const char  *to,
             const char  *cc,
             gint64       internal_date)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  text = g_strdup_printf ("From: %s\r\n"
                          "To: %s\r\n"
                          "%s%s%s"
                          "Subject: Compte rendu %u\r\n"
                          "Message-ID: <%s-%u@cabinet.example>\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "\r\n"
                          "Bonjour,\r\n",
                          from, to, cc != NULL ? "Cc: " : "", cc != NULL ? cc : "",
                          cc != NULL ? "\r\n" : "", uid, folder, uid);
  raw = g_bytes_new_take (text, strlen (text));
  text = NULL;
  info = cachet_store_add_message (store, folder, UIDVALIDITY, uid, raw, CACHET_MESSAGE_FLAG_SEEN, NULL,
                                   internal_date, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
}

static GPtrArray *
search (CachetStore *store,
        const char  *query,
        guint        limit)
{
  static const char * const exclude[] = { OWN_ADDRESS, NULL };
  g_autoptr(GError) error = NULL;
  GPtrArray *found = cachet_store_search_correspondents (store, query, exclude, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

/* The addresses found, in order, separated by spaces. */
static char *
search_addresses (CachetStore *store,
                  const char  *query)
{
  g_autoptr(GPtrArray) found = search (store, query, 10);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) addresses = NULL;

  for (guint i = 0; i < found->len; i++)
    g_strv_builder_add (builder, cachet_correspondent_get_address (g_ptr_array_index (found, i)));
  addresses = g_strv_builder_end (builder);
  return g_strjoinv (" ", addresses);
}

static void
assert_addresses (CachetStore *store,
                  const char  *query,
                  const char  *expected)
{
  g_autofree char *addresses = search_addresses (store, query);

  g_assert_cmpstr (addresses, ==, expected);
}

/* The only correspondent @query finds. */
static CachetCorrespondent *
search_one (CachetStore *store,
            const char  *query)
{
  g_autoptr(GPtrArray) found = search (store, query, 10);

  g_assert_cmpuint (found->len, ==, 1);
  return g_object_ref (g_ptr_array_index (found, 0));
}

static void
assert_counts (CachetStore *store,
               const char  *query,
               guint        sent,
               guint        received)
{
  g_autoptr(CachetCorrespondent) correspondent = search_one (store, query);

  g_assert_cmpuint (cachet_correspondent_get_sent_count (correspondent), ==, sent);
  g_assert_cmpuint (cachet_correspondent_get_received_count (correspondent), ==, received);
}

static void
assert_not_found (CachetStore *store,
                  const char  *query)
{
  g_autoptr(GPtrArray) found = search (store, query, 10);

  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_ranking (void)
{
  g_autoptr(CachetStore) store = store_test_open ("ranking");
  g_autoptr(GPtrArray) first_two = NULL;
  gint64 today = now ();

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  store_test_add_folder (store, "Envoyés", "\\Sent", UIDVALIDITY);
  /* The user wrote twice to the cardiologist... */
  add_message (store, "Envoyés", 1, OWN_ADDRESS, "Dr Paul Martin <paul.martin@chu.mssante.example>", NULL,
               today - 3 * DAY);
  add_message (store, "Envoyés", 2, OWN_ADDRESS, "paul.martin@chu.mssante.example", NULL, today - 2 * DAY);
  /* ...received three messages from the laboratory, recently... */
  for (guint32 uid = 1; uid <= 3; uid++)
    add_message (store, "INBOX", uid, "Laboratoire Martinet <resultats@labo-martinet.mssante.example>",
                 OWN_ADDRESS, NULL, today - uid * DAY);
  /* ...and four from a colleague, two years ago. */
  for (guint32 uid = 4; uid <= 7; uid++)
    add_message (store, "INBOX", uid, "Claire Martineau <c.martineau@ch-nord.mssante.example>",
                 OWN_ADDRESS, NULL, today - 730 * DAY - uid);

  assert_addresses (store, "mart",
                    "paul.martin@chu.mssante.example resultats@labo-martinet.mssante.example "
                    "c.martineau@ch-nord.mssante.example");
  assert_counts (store, "paul", 2, 0);
  assert_counts (store, "laboratoire", 0, 3);

  /* The limit keeps the best. */
  first_two = search (store, "mart", 2);
  g_assert_cmpuint (first_two->len, ==, 2);
  g_assert_cmpstr (cachet_correspondent_get_address (g_ptr_array_index (first_two, 0)), ==,
                   "paul.martin@chu.mssante.example");
  g_assert_cmpfloat (cachet_correspondent_get_score (g_ptr_array_index (first_two, 0)), >,
                     cachet_correspondent_get_score (g_ptr_array_index (first_two, 1)));

  /* The name comes from the message that gave one. */
  {
    g_autoptr(CachetCorrespondent) paul = search_one (store, "paul");

    g_assert_cmpstr (cachet_correspondent_get_name (paul), ==, "Dr Paul Martin");
    g_assert_cmpint (cachet_correspondent_get_last_seen (paul), ==, today - 2 * DAY);
  }
}

static void
test_own_address (void)
{
  g_autoptr(CachetStore) store = store_test_open ("own-address");
  g_autoptr(GPtrArray) unfiltered = NULL;
  g_autoptr(GError) error = NULL;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  store_test_add_folder (store, "Sent", NULL, UIDVALIDITY);
  /* A copy to oneself, in sent mail, is no correspondence. */
  add_message (store, "Sent", 1, "Secrétariat <" OWN_ADDRESS ">",
               "sophie.bernard@infirmier.mssante.example", "SECRETARIAT@cabinet.mssante.example", now ());
  /* A message the user sent themselves arrives in INBOX too. */
  add_message (store, "INBOX", 1, OWN_ADDRESS, OWN_ADDRESS, NULL, now ());

  assert_addresses (store, "s", "sophie.bernard@infirmier.mssante.example");
  assert_counts (store, "sophie", 1, 0);

  /* Only what the caller excludes is left out of what received mail
   * counts. */
  unfiltered = cachet_store_search_correspondents (store, "secr", NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unfiltered->len, ==, 1);
  g_assert_cmpuint (cachet_correspondent_get_received_count (g_ptr_array_index (unfiltered, 0)), ==, 1);
  assert_not_found (store, "secr");
}

static void
test_case_insensitive (void)
{
  g_autoptr(CachetStore) store = store_test_open ("case");
  g_autoptr(CachetCorrespondent) jean = NULL;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  store_test_add_folder (store, "Sent", "\\Sent", UIDVALIDITY);
  add_message (store, "INBOX", 1, "Jean Dupont <Jean.Dupont@Example.org>", OWN_ADDRESS, NULL, now () - DAY);
  add_message (store, "Sent", 1, OWN_ADDRESS, "jean.dupont@example.org", NULL, now ());
  /* The same address twice in one message counts once. */
  add_message (store, "Sent", 2, OWN_ADDRESS, "JEAN.DUPONT@EXAMPLE.ORG",
               "Jean Dupont <jean.dupont@example.org>", now ());

  jean = search_one (store, "jean");
  g_assert_cmpuint (cachet_correspondent_get_sent_count (jean), ==, 2);
  g_assert_cmpuint (cachet_correspondent_get_received_count (jean), ==, 1);
  g_assert_cmpstr (cachet_correspondent_get_name (jean), ==, "Jean Dupont");
  g_clear_object (&jean);
  jean = search_one (store, "JEAN.DUP");
  g_clear_object (&jean);
  jean = search_one (store, "jean.dupont@EXAMPLE");
}

static void
test_accents (void)
{
  g_autoptr(CachetStore) store = store_test_open ("accents");
  g_autoptr(CachetCorrespondent) helene = NULL;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  add_message (store, "INBOX", 1, "=?UTF-8?Q?H=C3=A9l=C3=A8ne_Lef=C3=A8vre?= <h.lefevre@chu-lyon.mssante.example>",
               OWN_ADDRESS, NULL, now () - DAY);
  add_message (store, "INBOX", 2, "=?UTF-8?Q?=C3=89lo=C3=AFse_Le_Gall?= <eloise.le-gall@infirmier.mssante.example>",
               OWN_ADDRESS, NULL, now () - DAY);

  helene = search_one (store, "hel");
  g_assert_cmpstr (cachet_correspondent_get_name (helene), ==, "Hélène Lefèvre");
  g_clear_object (&helene);
  /* Every word a prefix of one of theirs, in any order, any case. */
  helene = search_one (store, "LEFEV hél");
  g_clear_object (&helene);
  /* The address before the "@", word by word or from its start. */
  helene = search_one (store, "h.lef");
  g_clear_object (&helene);
  helene = search_one (store, "h.lefevre@chu");
  g_clear_object (&helene);
  /* Quotes are text. */
  helene = search_one (store, "\"hel");
  g_clear_object (&helene);

  assert_addresses (store, "eloise", "eloise.le-gall@infirmier.mssante.example");
  assert_addresses (store, "le gall", "eloise.le-gall@infirmier.mssante.example");
  /* The domain names the service, not the person. */
  assert_not_found (store, "mssante");
  assert_not_found (store, "chu-lyon");
  /* Neither FTS5 nor LIKE syntax is syntax here. */
  assert_not_found (store, "%");
  assert_not_found (store, "_");
  assert_not_found (store, "hel OR eloise");
  assert_not_found (store, "   ");
  assert_not_found (store, "xyz");

  /* A newer message renames. */
  add_message (store, "INBOX", 3, "=?UTF-8?Q?Dr_H=C3=A9l=C3=A8ne_Lef=C3=A8vre-Roux?= <h.lefevre@chu-lyon.mssante.example>",
               OWN_ADDRESS, NULL, now ());
  helene = search_one (store, "roux");
  g_assert_cmpstr (cachet_correspondent_get_name (helene), ==, "Dr Hélène Lefèvre-Roux");
  g_clear_object (&helene);
  /* An older one, found later, does not. */
  add_message (store, "INBOX", 4, "Helene L <h.lefevre@chu-lyon.mssante.example>", OWN_ADDRESS, NULL,
               now () - 100 * DAY);
  helene = search_one (store, "hel");
  g_assert_cmpstr (cachet_correspondent_get_name (helene), ==, "Dr Hélène Lefèvre-Roux");
  g_assert_cmpuint (cachet_correspondent_get_received_count (helene), ==, 3);
}

static void
test_folders_not_counted (void)
{
  g_autoptr(CachetStore) store = store_test_open ("not-counted");

  store_test_add_folder (store, "Brouillons", "\\Drafts", UIDVALIDITY);
  store_test_add_folder (store, "Indésirables", "\\Junk", UIDVALIDITY);
  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  add_message (store, "Brouillons", 1, OWN_ADDRESS, "draft.recipient@example.org", NULL, now ());
  add_message (store, "Indésirables", 1, "Promo <spam@example.net>", OWN_ADDRESS, NULL, now ());
  /* Unparsable mail counts nobody. */
  add_message (store, "INBOX", 1, "not an address", OWN_ADDRESS, NULL, now ());

  assert_not_found (store, "draft");
  assert_not_found (store, "spam");
  assert_not_found (store, "promo");
  assert_not_found (store, "not");
}

static void
test_removal (void)
{
  g_autoptr(CachetStore) store = store_test_open ("removal");
  g_autoptr(GError) error = NULL;
  CachetUidRange first = { 1, 1 };

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  store_test_add_folder (store, "Sent", "\\Sent", UIDVALIDITY);
  add_message (store, "INBOX", 1, "Marc Petit <marc.petit@example.org>", OWN_ADDRESS, NULL, now () - DAY);
  add_message (store, "INBOX", 2, "Marc Petit <marc.petit@example.org>", OWN_ADDRESS, NULL, now ());
  add_message (store, "Sent", 1, OWN_ADDRESS, "marc.petit@example.org", "anne.roux@example.org", now ());
  assert_counts (store, "marc", 1, 2);

  /* The server expunged one. */
  g_assert_true (cachet_store_remove_messages (store, "INBOX", UIDVALIDITY, &first, 1, &error));
  g_assert_no_error (error);
  assert_counts (store, "marc", 1, 1);

  /* The index rebuilt from the Maildirs counts the same. */
  g_assert_true (cachet_store_reindex (store, NULL, &error));
  g_assert_no_error (error);
  assert_counts (store, "marc", 1, 1);
  assert_counts (store, "anne", 1, 0);

  /* The server reset Sent: what was sent is forgotten, and nobody is
   * suggested for mail no longer there. */
  g_assert_true (cachet_store_reset_folder (store, "Sent", UIDVALIDITY + 1, &error));
  g_assert_no_error (error);
  assert_counts (store, "marc", 0, 1);
  assert_not_found (store, "anne");

  /* The address comes back with new mail. */
  add_message (store, "INBOX", 3, "Anne Roux <anne.roux@example.org>", OWN_ADDRESS, NULL, now ());
  assert_counts (store, "anne", 0, 1);
}

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
read_migration (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "src", "engine", "store",
                                                 "migrations", name, NULL);
  g_autoptr(GError) error = NULL;
  char *sql = NULL;

  g_assert_true (g_file_get_contents (path, &sql, NULL, &error));
  g_assert_no_error (error);
  return sql;
}

/* An index of the version before correspondents, with messages in it:
 * opening it counts them, from the summaries the rows kept. */
static void
test_migration_backfill (void)
{
  g_autofree char *account_dir = g_build_filename (cachet_paths_get_data_dir (), "accounts",
                                                   "backfill", NULL);
  g_autofree char *index = g_build_filename (account_dir, "index.sqlite", NULL);
  g_autofree char *initial = read_migration ("0001-initial.sql");
  g_autofree char *pending = read_migration ("0002-pending-message-id.sql");
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(CachetCorrespondent) jean = NULL;
  g_autoptr(CachetCorrespondent) helene = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (account_dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open_v2 (index, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  exec_sql (db, initial);
  exec_sql (db, pending);
  exec_sql (db,
            "PRAGMA user_version = 2;"
            "INSERT INTO folders (id, name, special_use, uidvalidity) VALUES "
            "  (1, 'INBOX', NULL, 1700000000), (2, 'Envoyés', '\\Sent', 1700000000), "
            "  (3, 'Drafts', NULL, 1700000000);"
            "INSERT INTO messages (folder_id, uid, filename, internal_date, size, from_name, "
            "                      from_address, to_text, cc_text) VALUES "
            /* Sent: a name holding a comma, a bare address, a copy to
             * oneself, and the same person in To and Cc. */
            "  (2, 1, 'a', 1000, 1, 'Moi', '" OWN_ADDRESS "', "
            "   'Dupont, Jean <jean.dupont@example.org>, anne.roux@example.org', "
            "   'Secrétariat <SECRETARIAT@cabinet.mssante.example>, Jean <JEAN.DUPONT@example.org>'), "
            "  (2, 2, 'b', 3000, 1, NULL, '" OWN_ADDRESS "', 'Jean Dupont <jean.dupont@example.org>', ''), "
            /* Received. */
            "  (1, 1, 'c', 2000, 1, 'Hélène Lefèvre', 'h.lefevre@chu-lyon.mssante.example', "
            "   '" OWN_ADDRESS "', ''), "
            "  (1, 2, 'd', 2500, 1, NULL, 'Jean.Dupont@example.org', '" OWN_ADDRESS "', ''), "
            /* Garbage in a summary counts nobody. */
            "  (1, 3, 'e', 2600, 1, NULL, 'undisclosed-recipients', '', ''), "
            /* Not sent yet. */
            "  (3, 1, 'f', 2700, 1, NULL, '" OWN_ADDRESS "', 'brouillon@example.org', '');");
  sqlite3_close (db);

  store = store_test_open ("backfill");

  jean = search_one (store, "jean");
  g_assert_cmpstr (cachet_correspondent_get_address (jean), ==, "jean.dupont@example.org");
  g_assert_cmpstr (cachet_correspondent_get_name (jean), ==, "Jean Dupont");
  g_assert_cmpuint (cachet_correspondent_get_sent_count (jean), ==, 2);
  g_assert_cmpuint (cachet_correspondent_get_received_count (jean), ==, 1);
  g_assert_cmpint (cachet_correspondent_get_last_seen (jean), ==, 3000);

  helene = search_one (store, "helene");
  g_assert_cmpstr (cachet_correspondent_get_name (helene), ==, "Hélène Lefèvre");
  g_assert_cmpuint (cachet_correspondent_get_received_count (helene), ==, 1);
  assert_counts (store, "anne", 1, 0);
  assert_not_found (store, "secr");
  assert_not_found (store, "brouillon");
  assert_not_found (store, "undisclosed");

  /* The new mail counts on top (the rows above have no Maildir yet). */
  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  add_message (store, "INBOX", 4, "Jean Dupont <jean.dupont@example.org>", OWN_ADDRESS, NULL, 4000);
  assert_counts (store, "dupont", 2, 2);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
test_async (void)
{
  g_autoptr(CachetStore) store = store_test_open ("async");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const char * const exclude[] = { OWN_ADDRESS, NULL };

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  add_message (store, "INBOX", 1, "Marc Petit <marc.petit@example.org>", OWN_ADDRESS, NULL, now ());

  cachet_store_search_correspondents_async (store, "pet", exclude, 5, NULL, search_done_cb, &result);
  found = cachet_store_search_correspondents_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (cachet_correspondent_get_address (g_ptr_array_index (found, 0)), ==,
                   "marc.petit@example.org");
  g_clear_pointer (&found, g_ptr_array_unref);
  g_clear_object (&result);

  /* Typing on makes the previous search moot. */
  g_cancellable_cancel (cancellable);
  cachet_store_search_correspondents_async (store, "pet", exclude, 5, cancellable, search_done_cb, &result);
  found = cachet_store_search_correspondents_finish (store, wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (found);
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/store/correspondents/ranking", test_ranking);
  g_test_add_func ("/store/correspondents/own-address", test_own_address);
  g_test_add_func ("/store/correspondents/case-insensitive", test_case_insensitive);
  g_test_add_func ("/store/correspondents/accents", test_accents);
  g_test_add_func ("/store/correspondents/folders-not-counted", test_folders_not_counted);
  g_test_add_func ("/store/correspondents/removal", test_removal);
  g_test_add_func ("/store/correspondents/migration-backfill", test_migration_backfill);
  g_test_add_func ("/store/correspondents/async", test_async);

  return g_test_run ();
}
