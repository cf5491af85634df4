/* test-labs-workstations.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-account-sync.h"
#include "cachet-lab-filer.h"
#include "cachet-lab-mail-import.h"
#include "cachet-mime.h"
#include "cachet-smtp-session.h"
#include "cachet-test-credentials.h"
#include "cachet-test-operator.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "labs-test-data.h"

/* Two workstations of one practice (two data directories: two stores, two
 * import journals) file the lab results of Alice's mailbox on the real
 * Dovecot of the operator in a box, into the practice's one archive folder,
 * as on a network share. The first to sync files the result and tags the
 * message; the second, once the tag reached the server, skips the message
 * unread: the result is filed once in all. Needs root; skipped without it,
 * except under CI=true. */

/* Delivery goes through Postfix, then Dovecot LMTP: seconds on a loaded
 * machine. The deadline only turns a hang into a failure. */
#define DELIVERY_DEADLINE_S 60

static const char *
env (const char *key)
{
  return cachet_test_operator_get (key);
}

static CachetAccount *
account_new (const char            *user,
             CachetTestCredentials *credentials)
{
  g_autofree char *imap = g_strdup_printf ("imaps://%s:%s", env ("CACHET_OPERATOR_HOST"), env ("IMAPS_PORT"));
  g_autofree char *smtp = g_strdup_printf ("smtps://%s:%s", env ("CACHET_OPERATOR_HOST"),
                                           env ("SUBMISSIONS_PORT"));
  g_autofree char *email_key = g_strconcat (user, "_EMAIL", NULL);
  g_autofree char *user_key = g_strconcat (user, "_USER", NULL);
  g_autofree char *password_key = g_strconcat (user, "_PASSWORD", NULL);
  CachetAccount *account = cachet_account_new ("Cabinet", env (email_key), imap, smtp);

  cachet_account_set_login (account, env (user_key));
  cachet_account_set_ca_file (account, env ("CA_FILE"));
  cachet_test_credentials_set (credentials, cachet_account_get_id (account), CACHET_SECRET_PASSWORD,
                               env (password_key));
  return account;
}

/* Bob, as the lab, sends Alice a result with the HPRIM file attached. */
static void
lab_sends (const char *subject)
{
  g_autoptr(CachetTestCredentials) credentials = cachet_test_credentials_new ();
  g_autoptr(CachetAccount) account = account_new ("BOB", credentials);
  g_autoptr(CachetSmtpSession) session = cachet_smtp_session_new (account,
                                                                  CACHET_CREDENTIALS_PROVIDER (credentials));
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GAsyncResult) closed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hprim = labs_test_hprim_net (FALSE);
  g_autofree char *encoded = g_base64_encode ((const guchar *) hprim, strlen (hprim));
  const char *recipients[] = { env ("ALICE_EMAIL"), NULL };
  char *text = g_strdup_printf (
    "From: Laboratoire <%s>\r\nTo: <%s>\r\nSubject: %s\r\nMessage-ID: <%08x%08x@labo.cachet.test>\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
    "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCompte-rendu joint.\r\n"
    "--b\r\nContent-Type: application/octet-stream; name=\"cr.hpr\"\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--b--\r\n",
    env ("BOB_EMAIL"), env ("ALICE_EMAIL"), subject, g_random_int (), g_random_int (), encoded);
  g_autoptr(GBytes) message = g_bytes_new_take (text, strlen (text));

  cachet_smtp_session_connect_async (session, NULL, cachet_test_result_cb, &connected);
  g_assert_true (cachet_smtp_session_connect_finish (session, cachet_test_wait_result (&connected), &error));
  g_assert_no_error (error);
  cachet_smtp_session_send_async (session, env ("BOB_EMAIL"), recipients, message, NULL, NULL,
                                  cachet_test_result_cb, &sent);
  g_assert_true (cachet_smtp_session_send_finish (session, cachet_test_wait_result (&sent), NULL, &error));
  g_assert_no_error (error);
  cachet_smtp_session_close_async (session, NULL, cachet_test_result_cb, &closed);
  cachet_smtp_session_close_finish (session, cachet_test_wait_result (&closed), NULL);
}

/* One workstation: its own data directory and journal. */
typedef struct
{
  CachetStore *store;
  char        *journal;
} Workstation;

static void
workstation_init (Workstation   *workstation,
                  const char    *root,
                  const char    *name,
                  CachetAccount *account)
{
  g_autofree char *data_dir = g_build_filename (root, name, NULL);
  g_autoptr(GError) error = NULL;

  workstation->store = cachet_store_new (data_dir, cachet_account_get_id (account), NULL, &error);
  g_assert_no_error (error);
  workstation->journal = g_build_filename (data_dir, "labs", "journal.sqlite", NULL);
}

static void
workstation_clear (Workstation *workstation)
{
  g_clear_object (&workstation->store);
  g_clear_pointer (&workstation->journal, g_free);
}

static CachetSyncReport
sync_workstation (Workstation           *workstation,
                  CachetAccount         *account,
                  CachetTestCredentials *credentials)
{
  g_autoptr(CachetAccountSync) sync = cachet_account_sync_new (account, CACHET_CREDENTIALS_PROVIDER (credentials),
                                                               workstation->store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CachetSyncReport report = { 0 };

  cachet_account_sync_run_async (sync, NULL, cachet_test_result_cb, &result);
  g_assert_true (cachet_account_sync_run_finish (sync, cachet_test_wait_result (&result), &report, &error));
  g_assert_no_error (error);
  return report;
}

static GPtrArray *
import_workstation (Workstation         *workstation,
                    const char          *archive,
                    CachetLabMailReport *report)
{
  g_autoptr(CachetLabMailImport) import = cachet_lab_mail_import_new (workstation->store, workstation->journal,
                                                                      archive, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries;

  cachet_lab_mail_import_run_async (import, "INBOX", NULL, cachet_test_result_cb, &result);
  entries = cachet_lab_mail_import_run_finish (import, cachet_test_wait_result (&result), report, &error);
  g_assert_no_error (error);
  return entries;
}

/* The UID of the message of INBOX with @subject, 0 if none. */
static guint32
find_subject (CachetStore *store,
              const char  *subject)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = cachet_store_list_messages (store, "INBOX", 0, 1000, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < messages->len; i++)
    {
      CachetMessageInfo *info = g_ptr_array_index (messages, i);

      if (g_strcmp0 (cachet_message_info_get_subject (info), subject) == 0)
        return cachet_message_info_get_uid (info);
    }
  return 0;
}

/* Syncs until the message with @subject is in INBOX. */
static guint32
wait_for_delivery (Workstation           *workstation,
                   CachetAccount         *account,
                   CachetTestCredentials *credentials,
                   const char            *subject)
{
  gint64 deadline = g_get_monotonic_time () + DELIVERY_DEADLINE_S * G_USEC_PER_SEC;
  guint32 uid;

  sync_workstation (workstation, account, credentials);
  while ((uid = find_subject (workstation->store, subject)) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The lab result did not arrive within %u s", DELIVERY_DEADLINE_S);
      g_usleep (G_USEC_PER_SEC / 5);
      sync_workstation (workstation, account, credentials);
    }
  return uid;
}

/* Counts the readable renderings under @path, one per filed report. */
static guint
count_reports (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        count += count_reports (child);
      else if (g_str_has_suffix (name, ".html"))
        count++;
    }
  return count;
}

static guint
count_journal (const char *journal,
               const char *archive)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetLabFiler) filer = cachet_lab_filer_new (journal, archive, NULL, &error);
  g_autoptr(GListModel) entries = NULL;

  g_assert_no_error (error);
  entries = cachet_lab_filer_list_entries (filer, &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (entries);
}

static void
test_filed_once (void)
{
  g_autoptr(CachetTestCredentials) credentials = NULL;
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(CachetMessageInfo) seen_by_second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autofree char *archive = NULL;
  g_autofree char *subject = g_strdup_printf ("Résultats %08x", g_random_int ());
  Workstation reception = { 0 };
  Workstation consultation = { 0 };
  CachetLabMailReport report;
  CachetSyncReport synced;
  guint32 uid;
  guint reports;

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE,
                                   "CACHET_OPERATOR_HOST", "IMAPS_PORT", "SUBMISSIONS_PORT", "CA_FILE",
                                   "ALICE_USER", "ALICE_EMAIL", "ALICE_PASSWORD",
                                   "BOB_USER", "BOB_EMAIL", "BOB_PASSWORD", NULL))
    return;

  /* Under the test's own home, removed at exit. */
  root = g_build_filename (g_get_user_data_dir (), "practice", NULL);
  archive = g_build_filename (root, "share", "archive", NULL);
  credentials = cachet_test_credentials_new ();
  account = account_new ("ALICE", credentials);
  workstation_init (&reception, root, "reception", account);
  workstation_init (&consultation, root, "consultation", account);

  lab_sends (subject);

  /* The reception files the result (two patients in the file) and tags the
   * message; its next sync tells the server. */
  uid = wait_for_delivery (&reception, account, credentials, subject);
  first = import_workstation (&reception, archive, &report);
  g_assert_cmpuint (first->len, ==, 2);
  g_assert_cmpuint (report.tagged, ==, 1);
  reports = count_reports (archive);
  g_assert_cmpuint (reports, ==, 2);
  synced = sync_workstation (&reception, account, credentials);
  g_assert_cmpuint (synced.replayed, ==, 1);
  g_assert_cmpuint (synced.failed_actions, ==, 0);

  /* The consultation room gets the message with the tag, and skips it
   * unread: nothing in its journal, nothing more in the archive. */
  g_assert_cmpuint (wait_for_delivery (&consultation, account, credentials, subject), ==, uid);
  seen_by_second = cachet_store_get_message (consultation.store, "INBOX", uid, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_message_info_has_keyword (seen_by_second, CACHET_LAB_FILED_KEYWORD));
  second = import_workstation (&consultation, archive, &report);
  g_assert_cmpuint (second->len, ==, 0);
  g_assert_cmpuint (report.skipped, >=, 1);
  g_assert_cmpuint (report.tagged, ==, 0);
  g_assert_cmpuint (count_journal (consultation.journal, archive), ==, 0);
  g_assert_cmpuint (count_reports (archive), ==, reports);

  /* Nothing was deleted on the server: the reception still finds it. */
  sync_workstation (&reception, account, credentials);
  g_assert_cmpuint (find_subject (reception.store, subject), ==, uid);

  workstation_clear (&reception);
  workstation_clear (&consultation);
}

int
main (int    argc,
      char **argv)
{
  int result;

  cachet_test_init (&argc, &argv);
  cachet_mime_init ();

  g_test_add_func ("/labs/workstations/filed-once", test_filed_once);

  result = g_test_run ();
  cachet_test_operator_stop ();
  return result;
}
