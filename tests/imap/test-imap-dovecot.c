/* test-imap-dovecot.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-imap-error.h"
#include "cachet-imap-session.h"
#include "cachet-net-error.h"
#include "cachet-test-credentials.h"
#include "cachet-test-operator.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

/* The IMAP session against the real Dovecot of the operator in a box
 * (tests/operator), started once for the whole program with its demo mail;
 * new mail for IDLE goes through the operator's Postfix, submitted with curl.
 * Needs root; skipped without it, except under CI=true. */

/* The operator ------------------------------------------------------------------ */

static gboolean
require_operator (void)
{
  return cachet_test_operator_start (CACHET_TEST_OPERATOR_DEMO, NULL);
}

static const char *
env (const char *key)
{
  return cachet_test_operator_get (key);
}

/* Sessions ------------------------------------------------------------------------ */

typedef struct
{
  CachetAccount         *account;
  CachetTestCredentials *credentials;
  CachetImapSession     *session;
  guint                  exists;
} Client;

static void
on_exists (CachetImapSession *session,
           guint              count,
           Client            *client)
{
  client->exists = count;
}

static Client *
client_new (const char *scheme,
            const char *port_key,
            const char *password)
{
  Client *client = g_new0 (Client, 1);
  g_autofree char *uri = g_strdup_printf ("%s://%s:%s", scheme, env ("CACHET_OPERATOR_HOST"),
                                          env (port_key));

  client->account = cachet_account_new ("Cabinet Martin", env ("ALICE_EMAIL"), uri,
                                        "smtps://127.0.0.1:1");
  cachet_account_set_ca_file (client->account, env ("CA_FILE"));
  client->credentials = cachet_test_credentials_new ();
  cachet_test_credentials_set (client->credentials, cachet_account_get_id (client->account),
                               CACHET_SECRET_PASSWORD, password);
  client->session = cachet_imap_session_new (client->account,
                                             CACHET_CREDENTIALS_PROVIDER (client->credentials));
  g_signal_connect (client->session, "exists", G_CALLBACK (on_exists), client);
  return client;
}

static void
client_free (Client *client)
{
  g_signal_handlers_disconnect_by_data (client->session, client);
  g_clear_object (&client->session);
  g_clear_object (&client->credentials);
  g_clear_object (&client->account);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static gboolean
client_connect (Client  *client,
                GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_imap_session_connect_async (client->session, NULL, cachet_test_result_cb, &result);
  return cachet_imap_session_connect_finish (client->session, cachet_test_wait_result (&result),
                                             error);
}

/* Alice, signed in over implicit TLS. */
static Client *
alice_connected (void)
{
  g_autoptr(Client) client = client_new ("imaps", "IMAPS_PORT", env ("ALICE_PASSWORD"));
  g_autoptr(GError) error = NULL;

  g_assert_true (client_connect (client, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static void
client_logout (Client *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cachet_imap_session_logout_async (client->session, NULL, cachet_test_result_cb, &result);
  g_assert_true (cachet_imap_session_logout_finish (client->session,
                                                    cachet_test_wait_result (&result),
                                                    &error));
  g_assert_no_error (error);
  g_assert_cmpint (cachet_imap_session_get_state (client->session), ==,
                   CACHET_IMAP_SESSION_STATE_NOT_CONNECTED);
}

static CachetImapSelectResult *
client_select (Client                  *client,
               const char              *mailbox,
               const CachetImapQresync *qresync)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CachetImapSelectResult *selected;

  cachet_imap_session_select_async (client->session, mailbox, qresync, NULL,
                                    cachet_test_result_cb, &result);
  selected = cachet_imap_session_select_finish (client->session, cachet_test_wait_result (&result),
                                                &error);
  g_assert_no_error (error);
  return selected;
}

static GArray *
client_search (Client             *client,
               const char * const *criteria)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GArray *uids;

  cachet_imap_session_uid_search_async (client->session, criteria, NULL, cachet_test_result_cb,
                                        &result);
  uids = cachet_imap_session_uid_search_finish (client->session, cachet_test_wait_result (&result),
                                                &error);
  g_assert_no_error (error);
  return uids;
}

static GPtrArray *
client_fetch (Client               *client,
              GArray               *uids,
              CachetImapFetchItems  items)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  cachet_imap_session_uid_fetch_async (client->session, &g_array_index (uids, guint32, 0), uids->len,
                                       items, NULL, NULL, NULL, NULL, NULL,
                                       cachet_test_result_cb, &result);
  results = cachet_imap_session_uid_fetch_finish (client->session,
                                                  cachet_test_wait_result (&result),
                                                  &error);
  g_assert_no_error (error);
  return results;
}

static CachetImapMailboxInfo *
find_mailbox (GPtrArray  *mailboxes,
              const char *name)
{
  for (guint i = 0; i < mailboxes->len; i++)
    {
      CachetImapMailboxInfo *info = g_ptr_array_index (mailboxes, i);

      if (g_str_equal (cachet_imap_mailbox_info_get_name (info), name))
        return info;
    }
  return NULL;
}

/* Tests ------------------------------------------------------------------------------ */

static void
test_connect_imaps (void)
{
  g_autoptr(Client) client = NULL;

  if (!require_operator ())
    return;

  client = alice_connected ();
  g_assert_true (cachet_imap_session_is_secure (client->session));
  g_assert_cmpint (cachet_imap_session_get_state (client->session), ==,
                   CACHET_IMAP_SESSION_STATE_AUTHENTICATED);
  /* What Dovecot offers and the session relies on. */
  g_assert_true (cachet_imap_session_has_capability (client->session, "IDLE"));
  g_assert_true (cachet_imap_session_has_capability (client->session, "MOVE"));
  g_assert_true (cachet_imap_session_has_capability (client->session, "UIDPLUS"));
  g_assert_true (cachet_imap_session_is_enabled (client->session, "CONDSTORE"));
  g_assert_true (cachet_imap_session_is_enabled (client->session, "QRESYNC"));
  client_logout (client);
}

static void
test_connect_starttls (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_operator ())
    return;

  client = client_new ("imap", "IMAP_STARTTLS_PORT", env ("ALICE_PASSWORD"));
  g_assert_true (client_connect (client, &error));
  g_assert_no_error (error);
  g_assert_true (cachet_imap_session_is_secure (client->session));
  g_assert_false (cachet_imap_session_has_capability (client->session, "STARTTLS"));
  client_logout (client);
}

static void
test_wrong_password (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (!require_operator ())
    return;

  client = client_new ("imaps", "IMAPS_PORT", "not-the-password");
  cachet_imap_session_connect_async (client->session, NULL, cachet_test_result_cb, &result);
  g_assert_false (cachet_imap_session_connect_finish (client->session,
                                                      cachet_test_wait_result (&result), &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_UNAUTHENTICATED);
  g_assert_cmpint (cachet_imap_session_result_get_code (result), ==,
                   CACHET_IMAP_RESPONSE_CODE_AUTHENTICATIONFAILED);
}

static void
test_missing_password (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_operator ())
    return;

  client = client_new ("imap", "IMAP_STARTTLS_PORT", NULL);
  g_assert_false (client_connect (client, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_UNAUTHENTICATED);
}

static void
test_client_certificate (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_operator ())
    return;

  /* SASL EXTERNAL: the certificate (with its passphrase from the keyring)
   * is the credential; no password exists for this account. */
  client = client_new ("imaps", "IMAPS_CLIENTCERT_PORT", NULL);
  cachet_account_set_client_cert (client->account, env ("CLIENT_P12"));
  cachet_test_credentials_set (client->credentials, cachet_account_get_id (client->account),
                               CACHET_SECRET_CERTIFICATE_PASSPHRASE, env ("CLIENT_P12_PASSWORD"));
  g_assert_true (client_connect (client, &error));
  g_assert_no_error (error);
  client_logout (client);
}

static void
test_list (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  static const struct
  {
    const char           *name;
    CachetImapSpecialUse  special_use;
  } expected[] = {
    { "INBOX", CACHET_IMAP_SPECIAL_USE_NONE },
    { "Sent", CACHET_IMAP_SPECIAL_USE_SENT },
    { "Drafts", CACHET_IMAP_SPECIAL_USE_DRAFTS },
    { "Trash", CACHET_IMAP_SPECIAL_USE_TRASH },
    { "Junk", CACHET_IMAP_SPECIAL_USE_JUNK },
  };

  if (!require_operator ())
    return;

  client = alice_connected ();
  cachet_imap_session_list_async (client->session, NULL, cachet_test_result_cb, &result);
  mailboxes = cachet_imap_session_list_finish (client->session, cachet_test_wait_result (&result),
                                               &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      CachetImapMailboxInfo *info = find_mailbox (mailboxes, expected[i].name);

      g_assert_nonnull (info);
      g_assert_cmpint (cachet_imap_mailbox_info_get_special_use (info), ==,
                       expected[i].special_use);
      g_assert_true (cachet_imap_mailbox_info_is_selectable (info));
      g_assert_cmpint (cachet_imap_mailbox_info_get_delimiter (info), ==, '/');
      /* Dovecot's auto = subscribe. */
      if (expected[i].special_use != CACHET_IMAP_SPECIAL_USE_NONE)
        g_assert_true (cachet_imap_mailbox_info_is_subscribed (info));
    }
  client_logout (client);
}

static void
count_message (CachetImapFetchResult *result,
               gpointer               user_data)
{
  guint *count = user_data;

  g_assert_nonnull (cachet_imap_fetch_result_get_body (result));
  (*count)++;
}

static void
test_fetch_demo_mail (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) streamed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const all[] = { "ALL", NULL };
  guint count = 0;

  if (!require_operator ())
    return;

  client = alice_connected ();
  selected = client_select (client, "INBOX", NULL);
  g_assert_false (cachet_imap_select_result_is_read_only (selected));
  g_assert_cmpuint (cachet_imap_select_result_get_uidvalidity (selected), >, 0);
  g_assert_cmpuint (cachet_imap_select_result_get_highest_modseq (selected), >, 0);
  g_assert_cmpuint (cachet_imap_select_result_get_exists (selected), >, 0);

  uids = client_search (client, all);
  g_assert_cmpuint (uids->len, ==, cachet_imap_select_result_get_exists (selected));

  results = client_fetch (client, uids, CACHET_IMAP_FETCH_FLAGS | CACHET_IMAP_FETCH_SIZE |
                                        CACHET_IMAP_FETCH_INTERNALDATE | CACHET_IMAP_FETCH_MODSEQ |
                                        CACHET_IMAP_FETCH_BODY);
  g_assert_cmpuint (results->len, ==, uids->len);
  for (guint i = 0; i < results->len; i++)
    {
      CachetImapFetchResult *message = g_ptr_array_index (results, i);
      GBytes *body = cachet_imap_fetch_result_get_body (message);

      g_assert_nonnull (body);
      g_assert_cmpuint (g_bytes_get_size (body), ==, cachet_imap_fetch_result_get_size (message));
      g_assert_nonnull (cachet_imap_fetch_result_get_internaldate (message));
      g_assert_cmpuint (cachet_imap_fetch_result_get_modseq (message), >, 0);
      g_assert_true (g_array_index (uids, guint32,
                                    i) == cachet_imap_fetch_result_get_uid (message));
      /* Every sequence number is now known. */
      g_assert_cmpuint (cachet_imap_session_lookup_uid (client->session, i + 1), ==,
                        cachet_imap_fetch_result_get_uid (message));
    }

  /* The same, streamed in batches of two. */
  cachet_imap_session_set_fetch_batch_size (client->session, 2);
  cachet_imap_session_uid_fetch_async (client->session, &g_array_index (uids, guint32, 0), uids->len,
                                       CACHET_IMAP_FETCH_BODY, NULL, count_message, &count, NULL,
                                       NULL, cachet_test_result_cb, &result);
  streamed = cachet_imap_session_uid_fetch_finish (client->session,
                                                   cachet_test_wait_result (&result),
                                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, uids->len);
  client_logout (client);
}

static void
test_append_and_move (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(GAsyncResult) append_result = NULL;
  g_autoptr(GAsyncResult) move_result = NULL;
  g_autoptr(GAsyncResult) status_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) drafts = NULL;
  g_autoptr(CachetImapSelectResult) trash = NULL;
  g_autoptr(CachetImapCopyUid) copyuid = NULL;
  g_autoptr(CachetImapMailboxStatus) status = NULL;
  g_autoptr(GArray) moved = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GDateTime) date = g_date_time_new_now_local ();
  g_autofree char *text = NULL;
  g_autoptr(GBytes) message = NULL;
  static const char * const flags[] = { "\\Draft", "\\Seen", NULL };
  guint32 uidvalidity = 0;
  guint32 uid = 0;
  guint32 trash_uid;
  CachetImapFetchResult *fetched;

  if (!require_operator ())
    return;

  text = g_strdup_printf ("From: %s\r\nTo: %s\r\nSubject: Brouillon d'ordonnance\r\n"
                          "Message-ID: <draft-%" G_GINT64_FORMAT "@demo.cachet.test>\r\n"
                          "\r\nAmoxicilline 1 g, 3 fois par jour.\r\n",
                          env ("ALICE_EMAIL"), env ("BOB_EMAIL"), g_get_real_time ());
  message = g_bytes_new (text, strlen (text));
  client = alice_connected ();
  cachet_imap_session_append_async (client->session, "Drafts", message, flags, date, NULL,
                                    cachet_test_result_cb, &append_result);
  g_assert_true (cachet_imap_session_append_finish (client->session,
                                                    cachet_test_wait_result (&append_result),
                                                    &uidvalidity, &uid, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (uidvalidity, >, 0);
  g_assert_cmpuint (uid, >, 0);

  drafts = client_select (client, "Drafts", NULL);
  g_assert_cmpuint (cachet_imap_select_result_get_uidvalidity (drafts), ==, uidvalidity);
  cachet_imap_session_uid_move_async (client->session, &uid, 1, "Trash", NULL,
                                      cachet_test_result_cb,
                                      &move_result);
  copyuid = cachet_imap_session_uid_move_finish (client->session,
                                                 cachet_test_wait_result (&move_result),
                                                 &error);
  g_assert_no_error (error);
  g_assert_nonnull (copyuid);
  g_assert_cmpuint (cachet_imap_copy_uid_get_source_uids (copyuid)->len, ==, 1);
  g_assert_cmpuint (g_array_index (cachet_imap_copy_uid_get_source_uids (copyuid), guint32, 0), ==,
                    uid);
  trash_uid = g_array_index (cachet_imap_copy_uid_get_destination_uids (copyuid), guint32, 0);

  cachet_imap_session_status_async (client->session, "Trash", NULL, cachet_test_result_cb,
                                    &status_result);
  status = cachet_imap_session_status_finish (client->session,
                                              cachet_test_wait_result (&status_result),
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status->messages, >=, 1);
  g_assert_cmpuint (status->uidvalidity, ==, cachet_imap_copy_uid_get_uidvalidity (copyuid));

  trash = client_select (client, "Trash", NULL);
  g_array_append_val (moved, trash_uid);
  results = client_fetch (client, moved, CACHET_IMAP_FETCH_FLAGS | CACHET_IMAP_FETCH_BODY);
  g_assert_cmpuint (results->len, ==, 1);
  fetched = g_ptr_array_index (results, 0);
  g_assert_true (g_bytes_equal (cachet_imap_fetch_result_get_body (fetched), message));
  g_assert_true (cachet_imap_fetch_result_has_flag (fetched, "\\Draft"));
  client_logout (client);
}

static void
test_store_condstore (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(Client) other = NULL;
  g_autoptr(GAsyncResult) store_result = NULL;
  g_autoptr(GAsyncResult) stale_result = NULL;
  g_autoptr(GAsyncResult) changes_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(CachetImapSelectResult) resynced = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GArray) modified = NULL;
  g_autoptr(GArray) stale = NULL;
  g_autoptr(GArray) vanished = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *keyword = g_strdup_printf ("$CachetTest%" G_GINT64_FORMAT,
                                              g_get_real_time () % 100000);
  const char * const flags[] = { keyword, NULL };
  static const char * const all[] = { "ALL", NULL };
  CachetImapQresync qresync = { 0, 0, NULL };
  guint64 before;
  guint32 uid;
  gboolean found = FALSE;

  if (!require_operator ())
    return;

  client = alice_connected ();
  selected = client_select (client, "INBOX", NULL);
  before = cachet_imap_select_result_get_highest_modseq (selected);
  uids = client_search (client, all);
  g_assert_cmpuint (uids->len, >, 0);
  uid = g_array_index (uids, guint32, 0);

  /* A claim: unchanged since the mod-sequence seen, so it succeeds… */
  cachet_imap_session_uid_store_async (client->session, &uid, 1, CACHET_IMAP_STORE_ADD, flags,
                                       before,
                                       NULL, cachet_test_result_cb, &store_result);
  g_assert_true (cachet_imap_session_uid_store_finish (client->session,
                                                       cachet_test_wait_result (&store_result),
                                                       &modified, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (modified->len, ==, 0);

  /* …and a second claim with the old mod-sequence loses. */
  cachet_imap_session_uid_store_async (client->session, &uid, 1, CACHET_IMAP_STORE_REMOVE, flags,
                                       before,
                                       NULL, cachet_test_result_cb, &stale_result);
  g_assert_true (cachet_imap_session_uid_store_finish (client->session,
                                                       cachet_test_wait_result (&stale_result),
                                                       &stale, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stale->len, ==, 1);
  g_assert_cmpuint (g_array_index (stale, guint32, 0), ==, uid);

  cachet_imap_session_uid_fetch_changes_async (client->session, before, NULL, cachet_test_result_cb,
                                               &changes_result);
  changes = cachet_imap_session_uid_fetch_changes_finish (client->session,
                                                         cachet_test_wait_result (&changes_result),
                                                         &vanished, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < changes->len; i++)
    {
      CachetImapFetchResult *change = g_ptr_array_index (changes, i);

      if (cachet_imap_fetch_result_get_uid (change) == uid)
        {
          found = TRUE;
          g_assert_true (cachet_imap_fetch_result_has_flag (change, keyword));
          g_assert_cmpuint (cachet_imap_fetch_result_get_modseq (change), >, before);
        }
    }
  g_assert_true (found);
  client_logout (client);

  /* Another workstation resynchronises with QRESYNC from the old state. */
  other = alice_connected ();
  qresync.uidvalidity = cachet_imap_select_result_get_uidvalidity (selected);
  qresync.highest_modseq = before;
  resynced = client_select (other, "INBOX", &qresync);
  found = FALSE;
  for (guint i = 0; i < cachet_imap_select_result_get_changed (resynced)->len; i++)
    {
      GPtrArray *resync_changes = cachet_imap_select_result_get_changed (resynced);
      CachetImapFetchResult *change = g_ptr_array_index (resync_changes, i);

      found |= cachet_imap_fetch_result_get_uid (change) == uid &&
               cachet_imap_fetch_result_has_flag (change, keyword);
    }
  g_assert_true (found);
  client_logout (other);
}

static void
on_submitted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_idle_new_mail (void)
{
  g_autoptr(Client) client = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GSubprocess) curl = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *token = g_strdup_printf ("idle-%" G_GINT64_FORMAT, g_get_real_time ());
  g_autofree char *file = g_build_filename (g_get_home_dir (), "idle.eml", NULL);
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;
  g_autofree char *text = NULL;
  const char *criteria[] = { "BODY", token, NULL };
  gboolean submitted = FALSE;
  guint exists;
  GBytes *body;

  if (!require_operator () || !cachet_test_require_program ("curl"))
    return;

  url = g_strdup_printf ("smtp://%s:%s", env ("CACHET_OPERATOR_HOST"), env ("SUBMISSION_PORT"));
  user = g_strdup_printf ("%s:%s", env ("BOB_USER"), env ("BOB_PASSWORD"));

  text = g_strdup_printf ("From: %s\r\nTo: %s\r\nSubject: Résultats\r\nMessage-ID: "
                          "<%s@demo.cachet.test>\r\n"
                          "\r\nToken %s\r\n", env ("BOB_EMAIL"), env ("ALICE_EMAIL"), token, token);
  g_assert_true (g_file_set_contents (file, text, -1, &error));
  g_assert_no_error (error);

  client = alice_connected ();
  selected = client_select (client, "INBOX", NULL);
  exists = cachet_imap_select_result_get_exists (selected);

  cachet_imap_session_idle_async (client->session, NULL, cachet_test_result_cb, &result);
  /* Bob writes to Alice through the real submission path. */
  curl = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "curl", "-sS", "--max-time", "20",
                           "--cacert", env ("CA_FILE"), "--ssl-reqd", "--url", url, "--user", user,
                           "--mail-from", env ("BOB_EMAIL"), "--mail-rcpt", env ("ALICE_EMAIL"),
                           "--upload-file", file, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (curl, NULL, on_submitted, &submitted);

  g_assert_true (cachet_imap_session_idle_finish (client->session,
                                                  cachet_test_wait_result (&result),
                                                  &error));
  g_assert_no_error (error);
  while (!submitted)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (client->exists, >, exists);
  g_assert_cmpuint (cachet_imap_session_get_exists (client->session), ==, client->exists);

  found = client_search (client, criteria);
  g_assert_cmpuint (found->len, ==, 1);
  results = client_fetch (client, found, CACHET_IMAP_FETCH_BODY);
  g_assert_cmpuint (results->len, ==, 1);
  body = cachet_imap_fetch_result_get_body (g_ptr_array_index (results, 0));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), token));
  client_logout (client);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  cachet_test_init (&argc, &argv);

  g_test_add_func ("/imap/dovecot/connect/imaps", test_connect_imaps);
  g_test_add_func ("/imap/dovecot/connect/starttls", test_connect_starttls);
  g_test_add_func ("/imap/dovecot/connect/wrong-password", test_wrong_password);
  g_test_add_func ("/imap/dovecot/connect/missing-password", test_missing_password);
  g_test_add_func ("/imap/dovecot/connect/client-certificate", test_client_certificate);
  g_test_add_func ("/imap/dovecot/list", test_list);
  g_test_add_func ("/imap/dovecot/fetch-demo-mail", test_fetch_demo_mail);
  g_test_add_func ("/imap/dovecot/append-and-move", test_append_and_move);
  g_test_add_func ("/imap/dovecot/store-condstore", test_store_condstore);
  g_test_add_func ("/imap/dovecot/idle-new-mail", test_idle_new_mail);

  status = g_test_run ();
  cachet_test_operator_stop ();

  return status;
}
