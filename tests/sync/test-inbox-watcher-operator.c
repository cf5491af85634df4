/* test-inbox-watcher-operator.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-inbox-watcher.h"
#include "cachet-smtp-session.h"
#include "cachet-test-credentials.h"
#include "cachet-test-operator.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

/* The inbox watcher on Alice's INBOX at the real Dovecot of the operator in a
 * box, while Bob writes to her through the real Postfix with Cachet's own
 * SMTP session: what IDLE is for. Needs root; skipped without it, except
 * under CI=true. */

/* Delivery goes through Postfix, then Dovecot LMTP: seconds on a loaded
 * machine. The deadline only turns a hang into a failure. */
#define WAIT_DEADLINE_S 60

static gboolean
require_operator (void)
{
  return cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE,
                                     "CACHET_OPERATOR_DIR", "CACHET_OPERATOR_HOST", "IMAPS_PORT",
                                     "SUBMISSIONS_PORT", "CA_FILE",
                                     "ALICE_USER", "ALICE_EMAIL", "ALICE_PASSWORD",
                                     "BOB_USER", "BOB_EMAIL", "BOB_PASSWORD", NULL);
}

static const char *
env (const char *key)
{
  return cachet_test_operator_get (key);
}

/* The account of @user ("ALICE", "BOB") on the operator, with its password
 * in @credentials. */
static CachetAccount *
account_new (const char            *user,
             CachetTestCredentials *credentials)
{
  g_autofree char *imap = g_strdup_printf ("imaps://%s:%s", env ("CACHET_OPERATOR_HOST"),
                                           env ("IMAPS_PORT"));
  g_autofree char *smtp = g_strdup_printf ("smtps://%s:%s", env ("CACHET_OPERATOR_HOST"),
                                           env ("SUBMISSIONS_PORT"));
  g_autofree char *email_key = g_strconcat (user, "_EMAIL", NULL);
  g_autofree char *user_key = g_strconcat (user, "_USER", NULL);
  g_autofree char *password_key = g_strconcat (user, "_PASSWORD", NULL);
  CachetAccount *account = cachet_account_new ("Cabinet", env (email_key), imap, smtp);

  cachet_account_set_login (account, env (user_key));
  cachet_account_set_ca_file (account, env ("CA_FILE"));
  cachet_test_credentials_set (credentials, cachet_account_get_id (account),
                               CACHET_SECRET_PASSWORD, env (password_key));
  return account;
}

/* Bob writes to Alice. */
static void
bob_sends (const char *subject)
{
  g_autoptr(CachetTestCredentials) credentials = cachet_test_credentials_new ();
  g_autoptr(CachetAccount) account = account_new ("BOB", credentials);
  g_autoptr(CachetSmtpSession) session = NULL;
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GAsyncResult) closed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;
  const char *recipients[] = { env ("ALICE_EMAIL"), NULL };
  char *text;

  text = g_strdup_printf ("From: Dr Bob Lambert <%s>\r\n"
                          "To: Dr Alice Martin <%s>\r\n"
                          "Subject: %s\r\n"
                          "Message-ID: <%08x%08x@cachet.test>\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=UTF-8\r\n"
                          "Content-Transfer-Encoding: 8bit\r\n"
                          "\r\n"
                          "Bonjour Alice, les résultats de Mme Durand sont arrivés.\r\n",
                          env ("BOB_EMAIL"), env ("ALICE_EMAIL"), subject,
                          g_random_int (), g_random_int ());
  message = g_bytes_new_take (text, strlen (text));

  session = cachet_smtp_session_new (account, CACHET_CREDENTIALS_PROVIDER (credentials));
  cachet_smtp_session_connect_async (session, NULL, cachet_test_result_cb, &connected);
  g_assert_true (cachet_smtp_session_connect_finish (session, cachet_test_wait_result (&connected),
                                                     &error));
  g_assert_no_error (error);
  cachet_smtp_session_send_async (session, env ("BOB_EMAIL"), recipients, message, NULL, NULL,
                                  cachet_test_result_cb, &sent);
  g_assert_true (cachet_smtp_session_send_finish (session, cachet_test_wait_result (&sent), NULL,
                                                  &error));
  g_assert_no_error (error);
  cachet_smtp_session_close_async (session, NULL, cachet_test_result_cb, &closed);
  cachet_smtp_session_close_finish (session, cachet_test_wait_result (&closed), NULL);
}

typedef struct
{
  CachetTestCredentials *credentials;
  CachetAccount         *account;
  CachetInboxWatcher    *watcher;
  guint                  changed;
  gboolean               lost;
} Watch;

static void
on_changed (CachetInboxWatcher *watcher,
            Watch              *watch)
{
  watch->changed++;
}

static void
on_state (CachetInboxWatcher *watcher,
          GParamSpec         *pspec,
          Watch              *watch)
{
  if (cachet_inbox_watcher_get_state (watcher) == CACHET_INBOX_WATCHER_STATE_WAITING)
    watch->lost = TRUE;
}

static gboolean
deadline_passed (gpointer user_data)
{
  g_error ("%s did not happen within %u s", (const char *) user_data, WAIT_DEADLINE_S);
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @watch sees @n_changed emissions of ::changed
 * and is watching. */
static void
wait_for (Watch *watch,
          guint  n_changed)
{
  g_autoptr(GSource) deadline = g_timeout_source_new_seconds (WAIT_DEADLINE_S);

  g_source_set_callback (deadline, deadline_passed, (gpointer) "The change", NULL);
  g_source_attach (deadline, NULL);
  while (watch->changed < n_changed ||
         cachet_inbox_watcher_get_state (watch->watcher) != CACHET_INBOX_WATCHER_STATE_WATCHING)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (deadline);
}

static void
watch_init (Watch *watch)
{
  memset (watch, 0, sizeof *watch);
  watch->credentials = cachet_test_credentials_new ();
  watch->account = account_new ("ALICE", watch->credentials);
  watch->watcher = cachet_inbox_watcher_new (watch->account,
                                             CACHET_CREDENTIALS_PROVIDER (watch->credentials));
  g_signal_connect (watch->watcher, "changed", G_CALLBACK (on_changed), watch);
  g_signal_connect (watch->watcher, "notify::state", G_CALLBACK (on_state), watch);
  cachet_inbox_watcher_start (watch->watcher);
  wait_for (watch, 0);
}

static void
watch_finish (Watch *watch)
{
  cachet_inbox_watcher_stop (watch->watcher);
  g_signal_handlers_disconnect_by_data (watch->watcher, watch);
  g_clear_object (&watch->watcher);
  g_clear_object (&watch->account);
  g_clear_object (&watch->credentials);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_new_mail (void)
{
  Watch watch;

  if (!require_operator ())
    return;

  watch_init (&watch);
  g_assert_cmpuint (watch.changed, ==, 0);
  g_assert_false (watch.lost);

  bob_sends ("Résultats de biologie");
  wait_for (&watch, 1);

  watch_finish (&watch);
}

/* Dovecot ends Alice's sessions (as on a restart); mail that comes while the
 * watcher is away is still announced once it is back. */
static void
test_kicked (void)
{
  g_autofree char *config = NULL;
  g_autoptr(GSubprocess) kick = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch;

  if (!require_operator () || !cachet_test_require_program ("doveadm"))
    return;

  watch_init (&watch);
  config = g_build_filename (env ("CACHET_OPERATOR_DIR"), "dovecot", "dovecot.conf", NULL);
  kick = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, "doveadm", "-c", config,
                           "kick", env ("ALICE_USER"), NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (kick, NULL, &error));
  g_assert_no_error (error);
  bob_sends ("Compte rendu opératoire");

  /* Back to watching after losing the session, and told the owner. */
  wait_for (&watch, 1);
  g_assert_true (watch.lost);

  watch_finish (&watch);
}

int
main (int    argc,
      char **argv)
{
  int status;

  cachet_test_init (&argc, &argv);

  g_test_add_func ("/sync/inbox-watcher/operator/new-mail", test_new_mail);
  g_test_add_func ("/sync/inbox-watcher/operator/kicked", test_kicked);

  status = g_test_run ();
  cachet_test_operator_stop ();
  return status;
}
