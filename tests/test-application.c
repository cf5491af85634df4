/* test-application.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application's services, on a real display with a real keyring:
 * sending through the outbox to the operator in a box, and deleting the
 * local mail of a removed account.
 */

#include "config.h"

#include <string.h>

#include "cachet-account-data.h"
#include "cachet-application.h"
#include "cachet-imap-session.h"
#include "cachet-mime.h"
#include "cachet-outbox.h"
#include "cachet-test-credentials.h"
#include "cachet-test-operator.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

/* Delivery goes through Postfix, then Dovecot LMTP: seconds on a loaded
 * machine. */
#define WAIT_DEADLINE_S 60

static gboolean
deadline_passed (gpointer user_data)
{
  g_error ("%s did not happen within %u s", (const char *) user_data, WAIT_DEADLINE_S);
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  g_autoptr(GSource) deadline = g_timeout_source_new_seconds (WAIT_DEADLINE_S);

  g_source_set_callback (deadline, deadline_passed, (gpointer) what, NULL);
  g_source_attach (deadline, NULL);
  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (deadline);
}


static gboolean
path_is_gone (gpointer path)
{
  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_application_deletes_removed_account_data (gconstpointer data)
{
  CachetApplication *app = CACHET_APPLICATION ((gpointer) data);
  CachetAccountList *accounts = cachet_application_get_accounts (app);
  g_autoptr(CachetAccount) account = cachet_account_new ("Cabinet Martin", "secretariat@demo.cachet.test",
                                                         "imaps://127.0.0.1:1", "smtps://127.0.0.1:1");
  g_autoptr(CachetOutbox) outbox = NULL;
  g_autoptr(CachetOutboxEntry) waiting = NULL;
  g_autoptr(GBytes) message = g_bytes_new_static ("Subject: x\r\n\r\ny\r\n", 17);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  const char *recipients[] = { "bob@demo.cachet.test", NULL };
  CachetStore *store;

  g_assert_true (cachet_account_list_add (accounts, account, &error));
  g_assert_no_error (error);
  dir = cachet_account_data_get_dir (cachet_account_get_id (account));
  store = cachet_application_get_store (app, account, &error);
  g_assert_no_error (error);
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);
  /* A message left unsent, as the command line leaves it. */
  outbox = cachet_outbox_new_for_account (cachet_account_get_id (account));
  waiting = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  g_assert_true (cachet_account_list_remove (accounts, account, &error));
  g_assert_no_error (error);
  wait_until (path_is_gone, dir, "Deleting the removed account's mail");
  g_assert_null (store);
  g_assert_null (cachet_sender_service_get_outbox (cachet_application_get_sender (app),
                                                   cachet_account_get_id (account)));
}

static const char *
env (const char *key)
{
  return cachet_test_operator_get (key);
}

static CachetAccount *
operator_account (const char *user)
{
  g_autofree char *imap = g_strdup_printf ("imaps://%s:%s", env ("CACHET_OPERATOR_HOST"), env ("IMAPS_PORT"));
  g_autofree char *smtp = g_strdup_printf ("smtps://%s:%s", env ("CACHET_OPERATOR_HOST"),
                                           env ("SUBMISSIONS_PORT"));
  g_autofree char *email_key = g_strconcat (user, "_EMAIL", NULL);
  g_autofree char *user_key = g_strconcat (user, "_USER", NULL);
  CachetAccount *account = cachet_account_new ("Cabinet", env (email_key), imap, smtp);

  cachet_account_set_login (account, env (user_key));
  cachet_account_set_ca_file (account, env ("CA_FILE"));
  return account;
}

/* How many messages of @mailbox have @subject, as @user sees them. */
static guint
count_messages (const char *user,
                const char *mailbox,
                const char *subject)
{
  g_autoptr(CachetAccount) account = operator_account (user);
  g_autoptr(CachetTestCredentials) credentials = cachet_test_credentials_new ();
  g_autofree char *password_key = g_strconcat (user, "_PASSWORD", NULL);
  g_autoptr(CachetImapSession) session = NULL;
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GAsyncResult) selected = NULL;
  g_autoptr(GAsyncResult) searched = NULL;
  g_autoptr(CachetImapSelectResult) select_result = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GError) error = NULL;
  const char *criteria[] = { "SUBJECT", subject, NULL };

  cachet_test_credentials_set (credentials, cachet_account_get_id (account), CACHET_SECRET_PASSWORD,
                               env (password_key));
  session = cachet_imap_session_new (account, CACHET_CREDENTIALS_PROVIDER (credentials));
  cachet_imap_session_connect_async (session, NULL, cachet_test_result_cb, &connected);
  g_assert_true (cachet_imap_session_connect_finish (session, cachet_test_wait_result (&connected), &error));
  g_assert_no_error (error);
  cachet_imap_session_examine_async (session, mailbox, NULL, NULL, cachet_test_result_cb, &selected);
  select_result = cachet_imap_session_select_finish (session, cachet_test_wait_result (&selected), &error);
  g_assert_no_error (error);
  cachet_imap_session_uid_search_async (session, criteria, NULL, cachet_test_result_cb, &searched);
  uids = cachet_imap_session_uid_search_finish (session, cachet_test_wait_result (&searched), &error);
  g_assert_no_error (error);
  cachet_imap_session_close (session);

  return uids->len;
}

typedef struct
{
  const char *subject;
  guint       delivered;
} Delivery;

static gboolean
delivered_to_bob (gpointer data)
{
  Delivery *delivery = data;

  delivery->delivered = count_messages ("BOB", "INBOX", delivery->subject);
  /* Not a timing assumption: only fewer connections while Postfix works. */
  if (delivery->delivered == 0)
    g_usleep (G_USEC_PER_SEC / 5);
  return delivery->delivered > 0;
}

static gboolean
sender_is_idle (gpointer sender)
{
  return !cachet_sender_service_is_busy (sender);
}

static void
send_failed_cb (CachetSenderService *sender,
                CachetAccount       *account,
                const char          *subject,
                const char          *reason,
                gint64               next_attempt)
{
  g_error ("Sending “%s” failed: %s", subject, reason);
}

static void
test_application_sends_through_outbox (gconstpointer data)
{
  CachetApplication *app = CACHET_APPLICATION ((gpointer) data);
  g_autoptr(CachetAccount) alice = NULL;
  g_autoptr(CachetOutbox) outbox = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  const char *recipients[2] = { NULL, NULL };
  CachetSenderService *sender;
  Delivery delivery = { 0 };

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE,
                                   "CACHET_OPERATOR_HOST", "IMAPS_PORT", "SUBMISSIONS_PORT", "CA_FILE",
                                   "ALICE_USER", "ALICE_EMAIL", "ALICE_PASSWORD",
                                   "BOB_USER", "BOB_EMAIL", "BOB_PASSWORD", NULL))
    return;

  sender = cachet_application_get_sender (app);
  g_signal_connect (sender, "send-failed", G_CALLBACK (send_failed_cb), NULL);
  alice = operator_account ("ALICE");
  g_assert_true (cachet_account_list_add (cachet_application_get_accounts (app), alice, &error));
  g_assert_no_error (error);
  cachet_credentials_provider_store_async (cachet_application_get_credentials (app),
                                           cachet_account_get_id (alice), CACHET_SECRET_PASSWORD,
                                           env ("ALICE_PASSWORD"), NULL, cachet_test_result_cb, &stored);
  g_assert_true (cachet_credentials_provider_store_finish (cachet_application_get_credentials (app),
                                                           cachet_test_wait_result (&stored), &error));
  g_assert_no_error (error);

  subject = g_strdup_printf ("Outbox %08x%08x", g_random_int (), g_random_int ());
  text = g_strdup_printf ("From: Dr Alice Martin <%s>\r\n"
                          "To: Dr Bob Lambert <%s>\r\n"
                          "Subject: %s\r\n"
                          "Message-ID: <%08x%08x@cachet.test>\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=UTF-8\r\n"
                          "Content-Transfer-Encoding: 8bit\r\n"
                          "\r\n"
                          "Bonjour Bob, voici le compte rendu de Mme Durand.\r\n",
                          env ("ALICE_EMAIL"), env ("BOB_EMAIL"), subject, g_random_int (), g_random_int ());
  message = g_bytes_new (text, strlen (text));
  recipients[0] = env ("BOB_EMAIL");

  g_assert_true (cachet_application_queue_message (app, alice, message, recipients, &error));
  g_assert_no_error (error);
  /* Queued durably before anything is sent. */
  g_assert_true (cachet_sender_service_is_busy (sender));
  wait_until (sender_is_idle, sender, "Sending the outbox");

  /* Sent and copied to Sent: nothing is left to send. */
  outbox = cachet_outbox_new_for_account (cachet_account_get_id (alice));
  left = cachet_outbox_list (outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 0);
  g_assert_cmpuint (count_messages ("ALICE", "Sent", subject), ==, 1);
  delivery.subject = subject;
  wait_until (delivered_to_bob, &delivery, "Delivery to Bob");
  g_assert_cmpuint (delivery.delivered, ==, 1);

  g_signal_handlers_disconnect_by_func (sender, send_failed_cb, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(CachetApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  int result;

  cachet_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  cachet_mime_init ();

  /* One application per process: it owns its name on the session bus. */
  app = cachet_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_data_func ("/gui/application/deletes-removed-account-data", app,
                        test_application_deletes_removed_account_data);
  g_test_add_data_func ("/gui/application/sends-through-outbox", app, test_application_sends_through_outbox);

  result = g_test_run ();
  cachet_test_operator_stop ();
  return result;
}
