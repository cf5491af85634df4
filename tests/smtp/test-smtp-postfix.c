/* test-smtp-postfix.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-net-error.h"
#include "cachet-smtp-error.h"
#include "cachet-smtp-session.h"
#include "cachet-test-credentials.h"
#include "cachet-test-operator.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

/* The SMTP session against the real Postfix of the operator in a box
 * (tests/operator), started once for the whole program: submission with
 * STARTTLS and with implicit TLS, password from a test credentials provider.
 * What Postfix delivered (through Dovecot LMTP) is read back with curl over
 * IMAPS, so that the test does not depend on Cachet's own IMAP code. */

#define DELIVERY_TIMEOUT_S 30

/* Starts the operator on first use. Returns FALSE, having skipped or failed
 * the test (see cachet_test_peer_missing()), if it cannot run here. */
static gboolean
require_operator (void)
{
  if (!cachet_test_require_program ("curl"))
    return FALSE;

  return cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE,
                                     "CACHET_OPERATOR_HOST", "CACHET_OPERATOR_DOMAIN",
                                     "SUBMISSION_PORT", "SUBMISSIONS_PORT", "IMAPS_PORT",
                                     "CA_FILE", "ALICE_USER", "ALICE_EMAIL", "ALICE_PASSWORD",
                                     "BOB_USER", "BOB_EMAIL", "BOB_PASSWORD", NULL);
}

static const char *
env (const char *key)
{
  return cachet_test_operator_get (key);
}

/* Alice's account on the operator, sending through @port_key. */
static CachetSmtpSession *
alice_session_new (const char             *scheme,
                   const char             *port_key,
                   const char             *password,
                   CachetTestCredentials **credentials_out)
{
  g_autofree char *smtp = g_strdup_printf ("%s://%s:%s", scheme, env ("CACHET_OPERATOR_HOST"),
                                           env (port_key));
  g_autofree char *imap = g_strdup_printf ("imaps://%s:%s", env ("CACHET_OPERATOR_HOST"),
                                           env ("IMAPS_PORT"));
  g_autoptr(CachetAccount) account = cachet_account_new ("Dr Alice Martin", env ("ALICE_EMAIL"),
                                                         imap, smtp);
  g_autoptr(CachetTestCredentials) credentials = cachet_test_credentials_new ();
  CachetSmtpSession *session;

  cachet_account_set_login (account, env ("ALICE_USER"));
  cachet_account_set_ca_file (account, env ("CA_FILE"));
  cachet_test_credentials_set (credentials, cachet_account_get_id (account),
                               CACHET_SECRET_PASSWORD, password);
  session = cachet_smtp_session_new (account, CACHET_CREDENTIALS_PROVIDER (credentials));
  if (credentials_out != NULL)
    *credentials_out = g_steal_pointer (&credentials);

  return session;
}

static gboolean
session_connect (CachetSmtpSession  *session,
                 GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_smtp_session_connect_async (session, NULL, cachet_test_result_cb, &result);
  return cachet_smtp_session_connect_finish (session, cachet_test_wait_result (&result), error);
}

static gboolean
session_send (CachetSmtpSession            *session,
              const char * const           *recipients,
              GBytes                       *message,
              const CachetSmtpSendOptions  *options,
              CachetSmtpSendResult        **send_result,
              GError                      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_smtp_session_send_async (session, env ("ALICE_EMAIL"), recipients, message, options,
                                  NULL, cachet_test_result_cb, &result);
  return cachet_smtp_session_send_finish (session, cachet_test_wait_result (&result), send_result,
                                          error);
}

static void
session_close (CachetSmtpSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cachet_smtp_session_close_async (session, NULL, cachet_test_result_cb, &result);
  g_assert_true (cachet_smtp_session_close_finish (session, cachet_test_wait_result (&result),
                                                   &error));
  g_assert_no_error (error);
}

/* The body of the test message: lines that dot-stuffing must protect, 8-bit
 * UTF-8, and a line of dots. */
#define BODY \
  "Bonjour Bob,\r\n" \
  ".\r\n" \
  "..\r\n" \
  ".leading dot\r\n" \
  "Résultats : hémoglobine 13,5 g/dL — « normal », l’équipe.\r\n" \
  "...\r\n" \
  ". \r\n" \
  "Fin.\r\n"

static GBytes *
make_message (const char *to,
              const char *token)
{
  g_autofree char *date = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  char *text;

  date = g_date_time_format (now, "%a, %d %b %Y %H:%M:%S %z");
  text = g_strdup_printf ("From: Dr Alice Martin <%s>\r\n"
                                            "To: <%s>\r\n"
                                            "Subject: %s\r\n"
                                            "Date: %s\r\n"
                                            "Message-ID: <%s@cachet.test>\r\n"
                                            "MIME-Version: 1.0\r\n"
                                            "Content-Type: text/plain; charset=UTF-8\r\n"
                                            "Content-Transfer-Encoding: 8bit\r\n"
                                            "\r\n"
                                            BODY,
                                            env ("ALICE_EMAIL"), to, token, date, token);
  return g_bytes_new_take (text, strlen (text));
}

static char *
new_token (const char *what)
{
  return g_strdup_printf ("cachet-smtp-%s-%08x%08x", what, g_random_int (), g_random_int ());
}

/* Runs curl against the operator's IMAPS as @user; returns its output. */
static char *
curl (const char *user,
      const char *password,
      const char *path,
      const char *request)
{
  g_autofree char *url = g_strdup_printf ("imaps://%s:%s/%s", env ("CACHET_OPERATOR_HOST"),
                                          env ("IMAPS_PORT"), path);
  g_autofree char *credentials = g_strdup_printf ("%s:%s", user, password);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GBytes) errors = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "curl");
  g_ptr_array_add (argv, (gpointer) "-sS");
  g_ptr_array_add (argv, (gpointer) "--max-time");
  g_ptr_array_add (argv, (gpointer) "20");
  g_ptr_array_add (argv, (gpointer) "--cacert");
  g_ptr_array_add (argv, (gpointer) env ("CA_FILE"));
  g_ptr_array_add (argv, (gpointer) "-u");
  g_ptr_array_add (argv, credentials);
  if (request != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "-X");
      g_ptr_array_add (argv, (gpointer) request);
    }
  g_ptr_array_add (argv, url);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_ptr_array_unref (argv);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &output, &errors, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("curl %s failed: %.*s", path, (int) g_bytes_get_size (errors),
             (const char *) g_bytes_get_data (errors, NULL));

  return g_strndup (g_bytes_get_data (output, NULL), g_bytes_get_size (output));
}

/* Waits for a message matching the IMAP search @criteria in the INBOX of
 * @user, and returns it whole, as Dovecot stores it. */
static char *
wait_for_message (const char *user,
                  const char *password,
                  const char *criteria)
{
  g_autofree char *search = g_strdup_printf ("UID SEARCH %s", criteria);
  gint64 deadline = g_get_monotonic_time () + DELIVERY_TIMEOUT_S * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *found = curl (user, password, "INBOX", search);
      g_auto(GStrv) words = NULL;
      guint64 uid = 0;
      guint n_words;

      /* "* SEARCH 3\r\n", or "* SEARCH\r\n" while nothing arrived. */
      g_strstrip (found);
      words = g_strsplit (found, " ", -1);
      n_words = g_strv_length (words);
      if (n_words >= 3 &&
          g_ascii_string_to_unsigned (words[n_words - 1], 10, 1, G_MAXUINT32, &uid, NULL))
        {
          g_autofree char *path = g_strdup_printf ("INBOX;UID=%" G_GUINT64_FORMAT, uid);

          return curl (user, password, path, NULL);
        }
      g_usleep (300 * 1000);
    }

  g_error ("No message matching %s reached %s within %d s", criteria, user, DELIVERY_TIMEOUT_S);
}

static const char *
body_of (const char *message)
{
  const char *separator = strstr (message, "\r\n\r\n");

  g_assert_nonnull (separator);
  return separator + 4;
}

static void
assert_round_trip (const char *scheme,
                   const char *port_key)
{
  g_autoptr(CachetSmtpSession) session = NULL;
  g_autoptr(CachetTestCredentials) credentials = NULL;
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autofree char *token = new_token (scheme);
  g_autofree char *criteria = g_strdup_printf ("SUBJECT \"%s\"", token);
  g_autofree char *received = NULL;
  const char * const recipients[] = { env ("BOB_EMAIL"), NULL };

  session = alice_session_new (scheme, port_key, env ("ALICE_PASSWORD"), &credentials);
  g_assert_true (session_connect (session, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cachet_smtp_session_get_auth_mechanism (session), ==, "PLAIN");
  g_assert_true (cachet_smtp_session_has_extension (session, "PIPELINING"));
  g_assert_true (cachet_smtp_session_has_extension (session, "8BITMIME"));
  g_assert_true (cachet_smtp_session_has_extension (session, "DSN"));
  g_assert_cmpuint (cachet_smtp_session_get_max_message_size (session), >, 0);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (credentials), ==, 1);

  message = make_message (env ("BOB_EMAIL"), token);
  g_assert_true (session_send (session, recipients, message, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (cachet_smtp_send_result_get_accepted (result), recipients);
  g_assert_null (cachet_smtp_send_result_get_rejected (result)[0]);
  /* Postfix: "250 2.0.0 Ok: queued as …". */
  g_assert_nonnull (cachet_smtp_send_result_get_queue_id (result));
  g_assert_cmpstr (cachet_smtp_reply_get_enhanced_code (
                     cachet_smtp_send_result_get_final_reply (result)), ==, "2.0.0");
  session_close (session);

  received = wait_for_message (env ("BOB_USER"), env ("BOB_PASSWORD"), criteria);
  g_assert_cmpstr (body_of (received), ==, BODY);
}

static void
test_submission_starttls (void)
{
  if (!require_operator ())
    return;

  assert_round_trip ("smtp", "SUBMISSION_PORT");
}

static void
test_submissions (void)
{
  if (!require_operator ())
    return;

  assert_round_trip ("smtps", "SUBMISSIONS_PORT");
}

static void
test_wrong_password (void)
{
  g_autoptr(CachetSmtpSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (!require_operator ())
    return;

  session = alice_session_new ("smtps", "SUBMISSIONS_PORT", "not-the-password", NULL);
  g_assert_false (session_connect (session, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_UNAUTHENTICATED);
  g_assert_cmpuint (cachet_smtp_reply_get_code (cachet_smtp_session_get_last_reply (session)), ==,
                    535);
  g_assert_false (cachet_smtp_session_is_connected (session));
}

static void
test_unknown_recipient (void)
{
  g_autoptr(CachetSmtpSession) session = NULL;
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autofree char *token = new_token ("unknown");
  g_autofree char *criteria = g_strdup_printf ("SUBJECT \"%s\"", token);
  g_autofree char *nobody = NULL;
  g_autofree char *received = NULL;
  CachetSmtpReply *reply;

  if (!require_operator ())
    return;

  /* The operator hosts its domain only for its users: Postfix refuses the
   * others at RCPT time (smtpd_reject_unlisted_recipient). */
  nobody = g_strdup_printf ("nobody@%s", env ("CACHET_OPERATOR_DOMAIN"));
  session = alice_session_new ("smtp", "SUBMISSION_PORT", env ("ALICE_PASSWORD"), NULL);
  g_assert_true (session_connect (session, &error));
  g_assert_no_error (error);

  {
    const char * const recipients[] = { nobody, NULL };

    message = make_message (nobody, token);
    g_assert_false (session_send (session, recipients, message, NULL, &result, &error));
    g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_REJECTED_RECIPIENT);
    g_assert_cmpstrv (cachet_smtp_send_result_get_rejected (result), recipients);
    reply = cachet_smtp_send_result_get_recipient_reply (result, nobody);
    g_assert_cmpuint (cachet_smtp_reply_get_code (reply), ==, 550);
    g_assert_cmpstr (cachet_smtp_reply_get_enhanced_code (reply), ==, "5.1.1");
    g_clear_pointer (&result, cachet_smtp_send_result_unref);
    g_clear_pointer (&message, g_bytes_unref);
    g_clear_error (&error);
  }

  /* The session goes on after RSET: Bob and the unknown one, partially. */
  {
    const char * const recipients[] = { env ("BOB_EMAIL"), nobody, NULL };
    const char * const accepted[] = { env ("BOB_EMAIL"), NULL };
    const char * const rejected[] = { nobody, NULL };

    message = make_message (env ("BOB_EMAIL"), token);
    g_assert_true (session_send (session, recipients, message, NULL, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpstrv (cachet_smtp_send_result_get_accepted (result), accepted);
    g_assert_cmpstrv (cachet_smtp_send_result_get_rejected (result), rejected);
  }
  session_close (session);

  received = wait_for_message (env ("BOB_USER"), env ("BOB_PASSWORD"), criteria);
  g_assert_cmpstr (body_of (received), ==, BODY);
}

static void
test_outside_domain (void)
{
  g_autoptr(CachetSmtpSession) session = NULL;
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autofree char *token = new_token ("outside");
  const char * const recipients[] = { "someone@example.org", NULL };
  CachetSmtpReply *reply;

  if (!require_operator ())
    return;

  /* The operator sends nothing outside its domain: Postfix refuses such a
   * recipient at RCPT time, even from a signed-in user, and no DATA goes. */
  session = alice_session_new ("smtps", "SUBMISSIONS_PORT", env ("ALICE_PASSWORD"), NULL);
  g_assert_true (session_connect (session, &error));
  g_assert_no_error (error);
  message = make_message (recipients[0], token);
  g_assert_false (session_send (session, recipients, message, NULL, &result, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_REJECTED_RECIPIENT);
  g_assert_true (cachet_smtp_error_is_permanent (error));
  g_assert_null (cachet_smtp_send_result_get_accepted (result)[0]);
  g_assert_cmpstrv (cachet_smtp_send_result_get_rejected (result), recipients);
  reply = cachet_smtp_send_result_get_recipient_reply (result, recipients[0]);
  g_test_message ("Postfix: %u %s %s", cachet_smtp_reply_get_code (reply),
                  cachet_smtp_reply_get_enhanced_code (reply), cachet_smtp_reply_get_text (reply));
  g_assert_cmpuint (cachet_smtp_reply_get_class (reply), ==, 5);
  g_assert_null (cachet_smtp_send_result_get_final_reply (result));
  /* RSET ended the transaction: the session is still usable. */
  g_assert_true (cachet_smtp_session_is_connected (session));
  session_close (session);
}

static void
test_dsn (void)
{
  g_autoptr(CachetSmtpSession) session = NULL;
  g_autoptr(CachetSmtpSendOptions) options = cachet_smtp_send_options_new ();
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autofree char *token = new_token ("dsn");
  g_autofree char *envid = g_strdup_printf ("outbox-%s", token);
  g_autofree char *criteria = g_strdup_printf ("SUBJECT \"Successful Mail Delivery Report\" "
                                               "TEXT \"%s\"", envid);
  g_autofree char *report = NULL;
  g_autofree char *envid_line = NULL;
  g_autofree char *orcpt_line = NULL;
  const char *recipients[] = { NULL, NULL };

  if (!require_operator ())
    return;
  recipients[0] = env ("BOB_EMAIL");

  /* The MSSanté delivery receipt: Postfix reports the delivery to Alice,
   * quoting the ENVID, and returns only the header. */
  cachet_smtp_send_options_set_dsn_notify (options, CACHET_SMTP_DSN_NOTIFY_SUCCESS |
                                                    CACHET_SMTP_DSN_NOTIFY_FAILURE |
                                                    CACHET_SMTP_DSN_NOTIFY_DELAY);
  cachet_smtp_send_options_set_dsn_return (options, CACHET_SMTP_DSN_RETURN_HEADERS);
  cachet_smtp_send_options_set_envid (options, envid);

  session = alice_session_new ("smtp", "SUBMISSION_PORT", env ("ALICE_PASSWORD"), NULL);
  g_assert_true (session_connect (session, &error));
  g_assert_no_error (error);
  message = make_message (env ("BOB_EMAIL"), token);
  g_assert_true (session_send (session, recipients, message, options, &result, &error));
  g_assert_no_error (error);
  g_assert_true (cachet_smtp_send_result_get_dsn_requested (result));
  session_close (session);

  report = wait_for_message (env ("ALICE_USER"), env ("ALICE_PASSWORD"), criteria);
  envid_line = g_strdup_printf ("Original-Envelope-Id: %s", envid);
  orcpt_line = g_strdup_printf ("Original-Recipient: rfc822;%s", env ("BOB_EMAIL"));
  g_assert_nonnull (strstr (report, envid_line));
  g_assert_nonnull (strstr (report, orcpt_line));
  /* Dovecot's LMTP does not speak DSN, so Postfix says "relayed" rather
   * than "delivered"; the status is success either way. */
  g_assert_true (strstr (report, "Action: delivered") != NULL ||
                 strstr (report, "Action: relayed") != NULL);
  g_assert_nonnull (strstr (report, "Status: 2.0.0"));
  /* RET=HDRS: the header came back, not the body. */
  g_assert_nonnull (strstr (report, token));
  g_assert_null (strstr (report, "hémoglobine"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  cachet_test_init (&argc, &argv);

  g_test_add_func ("/smtp/postfix/submission-starttls", test_submission_starttls);
  g_test_add_func ("/smtp/postfix/submissions", test_submissions);
  g_test_add_func ("/smtp/postfix/wrong-password", test_wrong_password);
  g_test_add_func ("/smtp/postfix/unknown-recipient", test_unknown_recipient);
  g_test_add_func ("/smtp/postfix/outside-domain", test_outside_domain);
  g_test_add_func ("/smtp/postfix/dsn", test_dsn);

  status = g_test_run ();
  cachet_test_operator_stop ();

  return status;
}
