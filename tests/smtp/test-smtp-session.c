/* test-smtp-session.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-client-identity.h"
#include "cachet-net-error.h"
#include "cachet-smtp-error.h"
#include "cachet-smtp-session.h"
#include "cachet-test-credentials.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

/* The SMTP session against the scripted loopback server: every line the
 * client sends is checked, in order, and each test ends with the script's
 * last step, so that "nothing else was sent" is checked too. */

#define LOGIN "alice@example.org"
#define PASSWORD "secret"
#define FROM "alice@example.org"
#define EHLO "EHLO [127.0.0.1]"

/* The EHLO answer of most tests: no PIPELINING, so each command can be
 * answered on its own. */
#define EXTENSIONS \
  "250-mail.example.org\r\n" \
  "250-SIZE 10240000\r\n" \
  "250-8BITMIME\r\n" \
  "250-ENHANCEDSTATUSCODES\r\n" \
  "250 AUTH PLAIN LOGIN\r\n"

#define PIPELINING_EXTENSIONS \
  "250-mail.example.org\r\n" \
  "250-PIPELINING\r\n" \
  "250-SIZE 10240000\r\n" \
  "250-8BITMIME\r\n" \
  "250-ENHANCEDSTATUSCODES\r\n" \
  "250 AUTH PLAIN LOGIN\r\n"

#define MESSAGE "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: test\r\n\r\nHello\r\n"

typedef struct
{
  CachetTestServer *server;
  CachetSmtpSession *session;
  CachetTestCredentials *credentials;
  CachetAccount *account;
} Test;

static void
test_clear (Test *test)
{
  g_clear_object (&test->session);
  g_clear_object (&test->credentials);
  g_clear_object (&test->account);
  g_clear_object (&test->server);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Test, test_clear)

/* A server with the test certificate, and a session for an account on it
 * whose password is PASSWORD. Returns FALSE (the test skipped) without
 * OpenSSL. */
static gboolean
test_init (Test       *test,
           const char *scheme)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autofree char *uri = NULL;

  if (pki == NULL)
    return FALSE;

  test->server = cachet_test_server_new ();
  cachet_test_server_set_certificate (test->server, pki->server_cert, pki->server_key);
  uri = cachet_test_server_get_uri (test->server, scheme);
  test->account = cachet_account_new ("Cabinet", FROM, "imaps://127.0.0.1:993", uri);
  cachet_account_set_login (test->account, LOGIN);
  cachet_account_set_ca_file (test->account, pki->ca_file);
  test->credentials = cachet_test_credentials_new ();
  cachet_test_credentials_set (test->credentials, cachet_account_get_id (test->account),
                               CACHET_SECRET_PASSWORD, PASSWORD);
  test->session = cachet_smtp_session_new (test->account,
                                           CACHET_CREDENTIALS_PROVIDER (test->credentials));

  return TRUE;
}

static char *
base64 (const char *data,
        gsize       length)
{
  return g_base64_encode ((const guchar *) data, length);
}

static char *
plain_auth_line (void)
{
  static const char message[] = "\0" LOGIN "\0" PASSWORD;
  g_autofree char *encoded = base64 (message, sizeof message - 1);

  return g_strconcat ("AUTH PLAIN ", encoded, NULL);
}

/* Implicit TLS, greeting, EHLO with @extensions, AUTH PLAIN. */
static void
script_login (CachetTestServer *server,
              const char       *extensions)
{
  g_autofree char *auth = plain_auth_line ();

  cachet_test_server_start_tls (server);
  cachet_test_server_send (server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (server, EHLO);
  cachet_test_server_send_raw (server, extensions, -1);
  cachet_test_server_expect (server, auth);
  cachet_test_server_send (server, "235 2.7.0 Authentication successful");
}

static void
script_quit (CachetTestServer *server)
{
  cachet_test_server_expect (server, "QUIT");
  cachet_test_server_send (server, "221 2.0.0 Bye");
  cachet_test_server_expect_disconnect (server);
}

static gboolean
session_connect (CachetSmtpSession  *session,
                 GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_smtp_session_connect_async (session, NULL, cachet_test_result_cb, &result);
  return cachet_smtp_session_connect_finish (session, cachet_test_wait_result (&result), error);
}

static void
session_assert_connect (CachetSmtpSession *session)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (session_connect (session, &error));
  g_assert_no_error (error);
  g_assert_true (cachet_smtp_session_is_connected (session));
}

static gboolean
session_send (CachetSmtpSession            *session,
              const char                   *from,
              const char * const           *recipients,
              const char                   *message,
              gssize                        length,
              const CachetSmtpSendOptions  *options,
              GCancellable                 *cancellable,
              CachetSmtpSendResult        **send_result,
              GError                      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (message, length < 0 ? strlen (message) : (gsize) length);

  cachet_smtp_session_send_async (session, from, recipients, bytes, options, cancellable,
                                  cachet_test_result_cb, &result);
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
  g_assert_false (cachet_smtp_session_is_connected (session));
}

/* Expects the MAIL … DATA of MESSAGE to bob, one command at a time. */
static void
script_send_message (CachetTestServer *server,
                     const char       *mail_parameters)
{
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM ">%s", mail_parameters);

  cachet_test_server_expect (server, mail);
  cachet_test_server_send (server, "250 2.1.0 Ok");
  cachet_test_server_expect (server, "RCPT TO:<bob@example.org>");
  cachet_test_server_send (server, "250 2.1.5 Ok");
  cachet_test_server_expect (server, "DATA");
  cachet_test_server_send (server, "354 End data with <CR><LF>.<CR><LF>");
  cachet_test_server_expect (server, "From: alice@example.org");
  cachet_test_server_expect (server, "To: bob@example.org");
  cachet_test_server_expect (server, "Subject: test");
  cachet_test_server_expect (server, "");
  cachet_test_server_expect (server, "Hello");
  cachet_test_server_expect (server, ".");
}

static const char * const bob[] = { "bob@example.org", NULL };

/* Greetings, EHLO, capabilities */

static void
test_connect (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  /* A multi-line greeting; a multi-line EHLO answer with both AUTH forms,
   * lower case, parameters and a line that is no keyword. */
  cachet_test_server_send_raw (test.server,
                               "220-mail.example.org ESMTP Postfix\r\n"
                               "220-Unsolicited mail is refused.\r\n"
                               "220 Ready\r\n", -1);
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server,
                               "250-mail.example.org Hello [127.0.0.1]\r\n"
                               "250-pipelining\r\n"
                               "250-SIZE 52428800\r\n"
                               "250-ETRN\r\n"
                               "250-AUTH=LOGIN\r\n"
                               "250-AUTH PLAIN LOGIN XOAUTH2\r\n"
                               "250-ENHANCEDSTATUSCODES\r\n"
                               "250-8BITMIME\r\n"
                               "250-DSN\r\n"
                               "250-!nonsense here\r\n"
                               "250 SMTPUTF8\r\n", -1);
  {
    g_autofree char *auth = plain_auth_line ();

    cachet_test_server_expect (test.server, auth);
  }
  cachet_test_server_send (test.server, "235 2.7.0 Authentication successful");
  script_quit (test.server);

  g_assert_false (cachet_smtp_session_is_connected (test.session));
  g_assert_null (cachet_smtp_session_get_auth_mechanism (test.session));
  session_assert_connect (test.session);

  g_assert_true (cachet_smtp_session_has_extension (test.session, "PIPELINING"));
  g_assert_true (cachet_smtp_session_has_extension (test.session, "pipelining"));
  g_assert_true (cachet_smtp_session_has_extension (test.session, "8BITMIME"));
  g_assert_true (cachet_smtp_session_has_extension (test.session, "DSN"));
  g_assert_true (cachet_smtp_session_has_extension (test.session, "SMTPUTF8"));
  g_assert_true (cachet_smtp_session_has_extension (test.session, "ENHANCEDSTATUSCODES"));
  g_assert_false (cachet_smtp_session_has_extension (test.session, "STARTTLS"));
  g_assert_false (cachet_smtp_session_has_extension (test.session, "CHUNKING"));
  g_assert_false (cachet_smtp_session_has_extension (test.session, "!NONSENSE"));
  g_assert_cmpstr (cachet_smtp_session_get_extension_parameters (test.session, "ETRN"), ==, "");
  g_assert_cmpstr (cachet_smtp_session_get_extension_parameters (test.session, "AUTH"), ==,
                   "LOGIN PLAIN LOGIN XOAUTH2");
  g_assert_cmpuint (cachet_smtp_session_get_max_message_size (test.session), ==, 52428800);
  /* No token: the password's best mechanism. */
  g_assert_cmpstr (cachet_smtp_session_get_auth_mechanism (test.session), ==, "PLAIN");
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 1);
  g_assert_cmpuint (cachet_smtp_reply_get_code (cachet_smtp_session_get_last_reply (test.session)),
                    ==, 235);

  session_close (test.session);
  cachet_test_server_assert_done (test.server);

  /* A closed session sends nothing. */
  g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, NULL, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_NOT_CONNECTED);
  g_assert_true (cachet_smtp_error_is_temporary (error));
}

static void
test_greeting_one_byte_at_a_time (void)
{
  static const char greeting[] = "220-mail.example.org\r\n220 ESMTP\r\n";
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  for (gsize i = 0; i < sizeof greeting - 1; i++)
    cachet_test_server_send_raw (test.server, greeting + i, 1);
  cachet_test_server_expect (test.server, EHLO);
  for (gsize i = 0; i < strlen (EXTENSIONS); i++)
    cachet_test_server_send_raw (test.server, &EXTENSIONS[i], 1);
  {
    g_autofree char *auth = plain_auth_line ();

    cachet_test_server_expect (test.server, auth);
  }
  cachet_test_server_send_raw (test.server, "235 ", -1);
  cachet_test_server_send_raw (test.server, "2.7.0 ok\r", -1);
  cachet_test_server_send_raw (test.server, "\n", -1);
  script_quit (test.server);

  session_assert_connect (test.session);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
assert_connect_fails (Test        *test,
                      GQuark       domain,
                      gint         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (session_connect (test->session, &error));
  g_assert_error (error, domain, code);
  g_test_message ("error: %s", error->message);
  g_assert_false (cachet_smtp_session_is_connected (test->session));
  cachet_test_server_assert_done (test->server);
}

static void
test_greeting_refused (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  /* RFC 5321 §3.1: a 554 greeting, and the client QUITs. */
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "554 5.7.1 No SMTP service here");
  script_quit (test.server);

  assert_connect_fails (&test, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PERMANENT);

  /* A closed session does not connect again. */
  g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, NULL, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_NOT_CONNECTED);
}

static void
test_greeting_busy (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  /* 421: the server is closing; no QUIT. */
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "421 4.3.2 Too many connections, try later");
  cachet_test_server_expect_disconnect (test.server);

  assert_connect_fails (&test, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_TEMPORARY);
}

static void
test_greeting_not_smtp (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "* OK IMAP4rev1 ready");
  cachet_test_server_expect_disconnect (test.server);

  assert_connect_fails (&test, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PROTOCOL);
}

static void
test_ehlo_refused (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  /* No HELO: a server without ESMTP can neither AUTH nor STARTTLS. */
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send (test.server, "502 5.5.1 Command not implemented");
  script_quit (test.server);

  assert_connect_fails (&test, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_NOT_SUPPORTED);
}

static void
test_ehlo_refused_plaintext (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtp"))
    return;

  /* In plaintext, HELO could not even offer STARTTLS. */
  cachet_test_server_send (test.server, "220 mail.example.org");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send (test.server, "500 5.5.2 Syntax error, command unrecognized");
  script_quit (test.server);

  assert_connect_fails (&test, CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_REFUSED);
}

static void
test_ehlo_busy (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send (test.server, "451 4.3.0 Try again later");
  script_quit (test.server);

  assert_connect_fails (&test, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_TEMPORARY);
}

static void
test_reply_flood (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GString) flood = g_string_new ("250-mail.example.org\r\n");

  if (!test_init (&test, "smtps"))
    return;

  for (guint i = 0; i < 2 * CACHET_SMTP_REPLY_MAX_LINES; i++)
    g_string_append_printf (flood, "250-X-FLOOD-%u\r\n", i);
  g_string_append (flood, "250 AUTH PLAIN\r\n");

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, flood->str, (gssize) flood->len);
  cachet_test_server_expect_disconnect (test.server);

  assert_connect_fails (&test, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PROTOCOL);
}

static void
test_overlong_line (void)
{
  g_auto(Test) test = { 0 };
  g_autofree char *text = g_strnfill (600, 'x');
  g_autofree char *greeting = g_strconcat ("220 ", text, NULL);

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, greeting);
  cachet_test_server_expect_disconnect (test.server);

  assert_connect_fails (&test, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PROTOCOL);
}

static void
test_mismatched_codes (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n235 AUTH PLAIN\r\n", -1);
  cachet_test_server_expect_disconnect (test.server);

  assert_connect_fails (&test, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PROTOCOL);
}

static void
test_timeout (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  cachet_smtp_session_set_timeouts (test.session, 300, 300);
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_stall (test.server);

  g_assert_false (session_connect (test.session, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_true (cachet_smtp_error_is_temporary (error));
  g_assert_false (cachet_smtp_session_is_connected (test.session));
  cachet_test_server_assert_done (test.server);
}

static void
test_unknown_ca (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  /* The account trusts another CA: nothing is said at all. */
  cachet_account_set_ca_file (test.account, pki->other_ca_file);
  cachet_test_server_expect_tls_failure (test.server);

  assert_connect_fails (&test, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);
}

static void
test_not_smtp_address (void)
{
  g_autoptr(CachetAccount) account = cachet_account_new ("Cabinet", FROM, "imaps://127.0.0.1:993",
                                                         "imaps://127.0.0.1:993");
  g_autoptr(CachetSmtpSession) session = cachet_smtp_session_new (account, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (session_connect (session, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_INVALID_ADDRESS);
}

/* STARTTLS */

static void
test_starttls (void)
{
  g_auto(Test) test = { 0 };
  g_autofree char *user = base64 (LOGIN, strlen (LOGIN));
  g_autofree char *password = base64 (PASSWORD, strlen (PASSWORD));

  if (!test_init (&test, "smtp"))
    return;

  /* Before TLS: PLAIN, SIZE 100, ENHANCEDSTATUSCODES. After TLS: only LOGIN
   * and SIZE 2000, which must be what counts. */
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server,
                               "250-mail.example.org\r\n"
                               "250-SIZE 100\r\n"
                               "250-ENHANCEDSTATUSCODES\r\n"
                               "250-AUTH PLAIN LOGIN\r\n"
                               "250 STARTTLS\r\n", -1);
  cachet_test_server_expect (test.server, "STARTTLS");
  cachet_test_server_send (test.server, "220 2.0.0 Ready to start TLS");
  cachet_test_server_start_tls (test.server);
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server,
                               "250-mail.example.org\r\n"
                               "250-SIZE 2000\r\n"
                               "250 AUTH LOGIN\r\n", -1);
  cachet_test_server_expect (test.server, "AUTH LOGIN");
  cachet_test_server_send (test.server, "334 VXNlcm5hbWU6");
  cachet_test_server_expect (test.server, user);
  cachet_test_server_send (test.server, "334 UGFzc3dvcmQ6");
  cachet_test_server_expect (test.server, password);
  cachet_test_server_send (test.server, "235 2.7.0 ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_cmpstr (cachet_smtp_session_get_auth_mechanism (test.session), ==, "LOGIN");
  g_assert_cmpuint (cachet_smtp_session_get_max_message_size (test.session), ==, 2000);
  g_assert_false (cachet_smtp_session_has_extension (test.session, "STARTTLS"));
  g_assert_false (cachet_smtp_session_has_extension (test.session, "ENHANCEDSTATUSCODES"));
  /* No enhanced code is parsed once the server no longer announces them. */
  g_assert_null (cachet_smtp_reply_get_enhanced_code (
                   cachet_smtp_session_get_last_reply (test.session)));
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_starttls_not_offered (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtp"))
    return;

  /* AUTH offered in plaintext: it must not be used. */
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n250 AUTH PLAIN LOGIN\r\n", -1);
  script_quit (test.server);

  assert_connect_fails (&test, CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_REFUSED);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);
}

static void
test_starttls_refused (void)
{
  static const char * const refusals[] = {
    "454 4.7.0 TLS not available due to temporary reason",
    "502 5.5.1 Not implemented",
    "500 5.5.2 Syntax error, command unrecognized",
    "354 go ahead",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_auto(Test) test = { 0 };

      if (!test_init (&test, "smtp"))
        return;

      cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
      cachet_test_server_expect (test.server, EHLO);
      cachet_test_server_send_raw (test.server,
                                   "250-mail.example.org\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n",
                                   -1);
      cachet_test_server_expect (test.server, "STARTTLS");
      cachet_test_server_send (test.server, refusals[i]);
      /* A refusal gets a QUIT; a nonsensical answer an immediate close. */
      if (refusals[i][0] == '3')
        cachet_test_server_expect_disconnect (test.server);
      else
        script_quit (test.server);

      assert_connect_fails (&test, CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_REFUSED);
      g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);
    }
}

/* A man in the middle appends an EHLO answer offering only PLAIN to the
 * go-ahead (CVE-2011-0411, EAST SMTP B_1): the client disconnects before any
 * handshake and never signs in. */
static void
test_starttls_injection (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtp"))
    return;

  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n250 STARTTLS\r\n", -1);
  cachet_test_server_expect (test.server, "STARTTLS");
  cachet_test_server_send_raw (test.server,
                               "220 2.0.0 Ready to start TLS\r\n"
                               "250-evil.example\r\n"
                               "250 AUTH PLAIN\r\n", -1);
  cachet_test_server_expect_disconnect (test.server);

  assert_connect_fails (&test, CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_INJECTION);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);
}

/* The client's side of command injection: even with PIPELINING offered, it
 * sends nothing behind STARTTLS (a server would run such commands after the
 * handshake, as if sent over TLS). The slow go-ahead gives any pipelined
 * command time to arrive, and the scripted server fails the handshake on any
 * plaintext byte it finds there. */
static void
test_starttls_no_pipelining (void)
{
  g_auto(Test) test = { 0 };
  g_autofree char *auth = NULL;

  if (!test_init (&test, "smtp"))
    return;

  auth = plain_auth_line ();
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server,
                               "250-mail.example.org\r\n250-PIPELINING\r\n"
                               "250-AUTH PLAIN\r\n250 STARTTLS\r\n", -1);
  cachet_test_server_expect (test.server, "STARTTLS");
  cachet_test_server_delay (test.server, 100);
  cachet_test_server_send (test.server, "220 2.0.0 Ready to start TLS");
  cachet_test_server_start_tls (test.server);
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n250 AUTH PLAIN\r\n", -1);
  cachet_test_server_expect (test.server, auth);
  cachet_test_server_send (test.server, "235 2.7.0 ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

/* Signing in */

static void
test_auth_refused (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, EXTENSIONS, -1);
  {
    g_autofree char *auth = plain_auth_line ();

    cachet_test_server_expect (test.server, auth);
  }
  cachet_test_server_send (test.server, "535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6");
  script_quit (test.server);

  g_assert_false (session_connect (test.session, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_UNAUTHENTICATED);
  g_assert_nonnull (strstr (error->message, "refused the login or password"));
  g_assert_nonnull (strstr (error->message, "535 5.7.8"));
  /* The server's words are not in the message, but kept. */
  g_assert_null (strstr (error->message, "UGFzc3dvcmQ6"));
  g_assert_cmpstr (cachet_smtp_reply_get_text (cachet_smtp_session_get_last_reply (test.session)),
                   ==, "Error: authentication failed: UGFzc3dvcmQ6");
  g_assert_true (cachet_smtp_error_is_permanent (error));
  g_assert_false (cachet_smtp_error_is_temporary (error));
  cachet_test_server_assert_done (test.server);
}

static void
test_auth_busy (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, EXTENSIONS, -1);
  {
    g_autofree char *auth = plain_auth_line ();

    cachet_test_server_expect (test.server, auth);
  }
  cachet_test_server_send (test.server, "454 4.7.0 Temporary authentication failure");
  script_quit (test.server);

  g_assert_false (session_connect (test.session, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_TEMPORARY);
  cachet_test_server_assert_done (test.server);
}

static void
test_auth_no_mechanism (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server,
                               "250-mail.example.org\r\n250 AUTH CRAM-MD5 GSSAPI\r\n", -1);
  script_quit (test.server);

  assert_connect_fails (&test, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_NO_MECHANISM);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);
}

static void
test_auth_not_offered (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n250 8BITMIME\r\n", -1);
  script_quit (test.server);

  assert_connect_fails (&test, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_NOT_SUPPORTED);
}

static void
test_auth_no_password (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_credentials_set (test.credentials, cachet_account_get_id (test.account),
                               CACHET_SECRET_PASSWORD, NULL);
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, EXTENSIONS, -1);
  script_quit (test.server);

  assert_connect_fails (&test, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_UNAUTHENTICATED);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 1);
}

static void
test_auth_external (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_auto(Test) test = { 0 };
  g_autoptr(GTlsCertificate) identity = NULL;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  identity = cachet_client_identity_load_pkcs12 (pki->client_p12, pki->client_p12_passphrase,
                                                 &error);
  g_assert_no_error (error);
  cachet_smtp_session_set_client_certificate (test.session, identity);

  cachet_test_server_require_client_certificate (test.server, pki->ca_file);
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n250 AUTH PLAIN EXTERNAL\r\n",
                               -1);
  /* An empty initial response: the certificate says who we are. */
  cachet_test_server_expect (test.server, "AUTH EXTERNAL =");
  cachet_test_server_send (test.server, "235 2.7.0 ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_cmpstr (cachet_smtp_session_get_auth_mechanism (test.session), ==, "EXTERNAL");
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_auth_external_refused (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_auto(Test) test = { 0 };
  g_autoptr(GTlsCertificate) identity = NULL;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  identity = cachet_client_identity_load_pkcs12 (pki->client_p12, pki->client_p12_passphrase,
                                                 &error);
  g_assert_no_error (error);
  cachet_smtp_session_set_client_certificate (test.session, identity);

  cachet_test_server_require_client_certificate (test.server, pki->ca_file);
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n250 AUTH EXTERNAL\r\n", -1);
  cachet_test_server_expect (test.server, "AUTH EXTERNAL =");
  cachet_test_server_send (test.server, "535 5.7.8 Certificate not allowed");
  script_quit (test.server);

  g_assert_false (session_connect (test.session, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_UNAUTHENTICATED);
  g_assert_nonnull (strstr (error->message, "certificate"));
  cachet_test_server_assert_done (test.server);
}

static void
test_auth_certificate_only (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_auto(Test) test = { 0 };
  g_autoptr(GTlsCertificate) identity = NULL;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  identity = cachet_client_identity_load_pkcs12 (pki->client_p12, pki->client_p12_passphrase,
                                                 &error);
  g_assert_no_error (error);
  cachet_smtp_session_set_client_certificate (test.session, identity);

  /* The handshake authenticated us: no AUTH offered, none needed. */
  cachet_test_server_require_client_certificate (test.server, pki->ca_file);
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n250 8BITMIME\r\n", -1);
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_null (cachet_smtp_session_get_auth_mechanism (test.session));
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_auth_xoauth2_long_token (void)
{
  g_auto(Test) test = { 0 };
  g_autofree char *token = g_strnfill (700, 'T');
  g_autofree char *message = g_strconcat ("user=" LOGIN "\001auth=Bearer ", token, "\001\001",
                                          NULL);
  g_autofree char *response = base64 (message, strlen (message));

  if (!test_init (&test, "smtps"))
    return;

  cachet_smtp_session_set_oauth_token (test.session, token);
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n250 AUTH PLAIN XOAUTH2\r\n",
                               -1);
  /* The response does not fit in 512 bytes: it follows an empty 334. */
  cachet_test_server_expect (test.server, "AUTH XOAUTH2");
  cachet_test_server_send (test.server, "334 ");
  cachet_test_server_expect (test.server, response);
  cachet_test_server_send (test.server, "235 2.7.0 ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_cmpstr (cachet_smtp_session_get_auth_mechanism (test.session), ==, "XOAUTH2");
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_auth_oauth_refused (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  cachet_smtp_session_set_oauth_token (test.session, "token");
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n250 AUTH OAUTHBEARER\r\n",
                               -1);
  cachet_test_server_expect_glob (test.server, "AUTH OAUTHBEARER *");
  /* RFC 7628 §3.2.2: the error comes as a challenge, answered with ^A. */
  cachet_test_server_send (test.server, "334 eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=");
  cachet_test_server_expect (test.server, "AQ==");
  cachet_test_server_send (test.server, "535 5.7.8 Authentication failed");
  script_quit (test.server);

  g_assert_false (session_connect (test.session, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_UNAUTHENTICATED);
  g_assert_nonnull (strstr (error->message, "token"));
  cachet_test_server_assert_done (test.server);
}

static void
test_auth_challenge_loop (void)
{
  g_auto(Test) test = { 0 };
  g_autofree char *user = base64 (LOGIN, strlen (LOGIN));
  g_autofree char *password = base64 (PASSWORD, strlen (PASSWORD));

  if (!test_init (&test, "smtps"))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "220 mail.example.org ESMTP");
  cachet_test_server_expect (test.server, EHLO);
  cachet_test_server_send_raw (test.server, "250-mail.example.org\r\n250 AUTH LOGIN\r\n", -1);
  cachet_test_server_expect (test.server, "AUTH LOGIN");
  cachet_test_server_send (test.server, "334 VXNlcm5hbWU6");
  cachet_test_server_expect (test.server, user);
  cachet_test_server_send (test.server, "334 UGFzc3dvcmQ6");
  cachet_test_server_expect (test.server, password);
  /* A third challenge: LOGIN has no third step. */
  cachet_test_server_send (test.server, "334 VXNlcm5hbWU6");
  cachet_test_server_expect_disconnect (test.server);

  assert_connect_fails (&test, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_PROTOCOL);
}

/* Sending */

static void
test_send (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = g_strdup_printf (" SIZE=%zu", strlen (MESSAGE));

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, EXTENSIONS);
  script_send_message (test.server, size);
  cachet_test_server_send (test.server, "250 2.0.0 Ok: queued as 4Lr9sJ3mDlz9rxL");
  /* A second message on the same session: no RSET needed after success. */
  script_send_message (test.server, size);
  cachet_test_server_send (test.server, "250 2.0.0 Ok: queued as 4Lr9sJ3mDlz9rxM");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_true (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpstrv (cachet_smtp_send_result_get_accepted (result), bob);
  g_assert_null (cachet_smtp_send_result_get_rejected (result)[0]);
  g_assert_cmpstr (cachet_smtp_send_result_get_queue_id (result), ==, "4Lr9sJ3mDlz9rxL");
  g_assert_cmpuint (cachet_smtp_reply_get_code (cachet_smtp_send_result_get_final_reply (result)),
                    ==, 250);
  g_assert_cmpstr (cachet_smtp_reply_get_enhanced_code (
                     cachet_smtp_send_result_get_recipient_reply (result, "bob@example.org")),
                   ==, "2.1.5");
  g_assert_false (cachet_smtp_send_result_get_dsn_requested (result));
  g_clear_pointer (&result, cachet_smtp_send_result_unref);

  g_assert_true (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cachet_smtp_send_result_get_queue_id (result), ==, "4Lr9sJ3mDlz9rxM");

  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_dot_stuffing (void)
{
  /* Lines ".", "..", ".x" at the start of lines, a bare LF, and a last line
   * without a line break. */
  static const char message[] = "Subject: dots\r\n\r\n.\r\n..\r\n.x\r\nmiddle.\nlast line";
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, EXTENSIONS);
  cachet_test_server_expect (test.server, "MAIL FROM:<" FROM "> SIZE=48");
  cachet_test_server_send (test.server, "250 2.1.0 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org>");
  cachet_test_server_send (test.server, "250 2.1.5 Ok");
  cachet_test_server_expect (test.server, "DATA");
  cachet_test_server_send (test.server, "354 go ahead");
  cachet_test_server_expect (test.server, "Subject: dots");
  cachet_test_server_expect (test.server, "");
  cachet_test_server_expect (test.server, "..");
  cachet_test_server_expect (test.server, "...");
  cachet_test_server_expect (test.server, "..x");
  cachet_test_server_expect (test.server, "middle.");
  cachet_test_server_expect (test.server, "last line");
  cachet_test_server_expect (test.server, ".");
  cachet_test_server_send (test.server, "250 2.0.0 Ok: queued as ABC");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_true (session_send (test.session, FROM, bob, message, -1, NULL, NULL, &result, &error));
  g_assert_no_error (error);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_pipelining (void)
{
  static const char * const recipients[] = {
    "bob@example.org", "nobody@example.org", "carol@example.org", NULL
  };
  static const char * const accepted[] = { "bob@example.org", "carol@example.org", NULL };
  static const char * const rejected[] = { "nobody@example.org", NULL };
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu", strlen (MESSAGE));
  CachetSmtpReply *reply;

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, PIPELINING_EXTENSIONS);
  cachet_test_server_expect (test.server, mail);
  cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org>");
  cachet_test_server_expect (test.server, "RCPT TO:<nobody@example.org>");
  cachet_test_server_expect (test.server, "RCPT TO:<carol@example.org>");
  cachet_test_server_expect (test.server, "DATA");
  /* All the answers at once, the refusal on several lines. */
  cachet_test_server_send_raw (test.server,
                               "250 2.1.0 Ok\r\n"
                               "250 2.1.5 Ok\r\n"
                               "550-5.1.1 <nobody@example.org>: Recipient address rejected:\r\n"
                               "550 5.1.1 User unknown in virtual mailbox table\r\n"
                               "250 2.1.5 Ok\r\n"
                               "354 End data with <CR><LF>.<CR><LF>\r\n", -1);
  cachet_test_server_expect (test.server, "From: alice@example.org");
  cachet_test_server_expect (test.server, "To: bob@example.org");
  cachet_test_server_expect (test.server, "Subject: test");
  cachet_test_server_expect (test.server, "");
  cachet_test_server_expect (test.server, "Hello");
  cachet_test_server_expect (test.server, ".");
  cachet_test_server_send (test.server, "250 2.0.0 Ok: queued as 1A2B3C");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_true (session_send (test.session, FROM, recipients, MESSAGE, -1, NULL, NULL, &result,
                               &error));
  g_assert_no_error (error);

  /* Partial: precisely who, and why. */
  g_assert_cmpstrv (cachet_smtp_send_result_get_accepted (result), accepted);
  g_assert_cmpstrv (cachet_smtp_send_result_get_rejected (result), rejected);
  reply = cachet_smtp_send_result_get_recipient_reply (result, "nobody@example.org");
  g_assert_cmpuint (cachet_smtp_reply_get_code (reply), ==, 550);
  g_assert_cmpstr (cachet_smtp_reply_get_enhanced_code (reply), ==, "5.1.1");
  g_assert_cmpstr (cachet_smtp_reply_get_text (reply), ==,
                   "<nobody@example.org>: Recipient address rejected:\n"
                   "User unknown in virtual mailbox table");
  g_assert_null (cachet_smtp_send_result_get_recipient_reply (result, "eve@example.org"));
  g_assert_cmpstr (cachet_smtp_send_result_get_queue_id (result), ==, "1A2B3C");

  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_all_rejected (void)
{
  static const char * const recipients[] = { "nobody@example.org", "busy@example.org", NULL };
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu", strlen (MESSAGE));
  g_autofree char *size = g_strdup_printf (" SIZE=%zu", strlen (MESSAGE));

  if (!test_init (&test, "smtps"))
    return;

  /* No DATA: RSET ends the transaction, and the session goes on. */
  script_login (test.server, EXTENSIONS);
  cachet_test_server_expect (test.server, mail);
  cachet_test_server_send (test.server, "250 2.1.0 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<nobody@example.org>");
  cachet_test_server_send (test.server, "550 5.1.1 User unknown");
  cachet_test_server_expect (test.server, "RCPT TO:<busy@example.org>");
  cachet_test_server_send (test.server, "452 4.2.2 Mailbox full");
  cachet_test_server_expect (test.server, "RSET");
  cachet_test_server_send (test.server, "250 2.0.0 Ok");
  script_send_message (test.server, size);
  cachet_test_server_send (test.server, "250 2.0.0 Ok: queued as 42");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_false (session_send (test.session, FROM, recipients, MESSAGE, -1, NULL, NULL, &result,
                                &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_REJECTED_RECIPIENT);
  g_assert_true (cachet_smtp_error_is_permanent (error));
  /* No address in the message; the reasons in the result. */
  g_assert_null (strstr (error->message, "@"));
  g_assert_nonnull (result);
  g_assert_null (cachet_smtp_send_result_get_accepted (result)[0]);
  g_assert_cmpstrv (cachet_smtp_send_result_get_rejected (result), recipients);
  g_assert_cmpuint (cachet_smtp_reply_get_code (
                      cachet_smtp_send_result_get_recipient_reply (result, "busy@example.org")),
                    ==, 452);
  g_assert_null (cachet_smtp_send_result_get_final_reply (result));
  g_assert_true (cachet_smtp_session_is_connected (test.session));
  g_clear_pointer (&result, cachet_smtp_send_result_unref);
  g_clear_error (&error);

  g_assert_true (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, &result, &error));
  g_assert_no_error (error);

  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_all_rejected_temporarily (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu", strlen (MESSAGE));

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, EXTENSIONS);
  cachet_test_server_expect (test.server, mail);
  cachet_test_server_send (test.server, "250 2.1.0 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org>");
  cachet_test_server_send (test.server, "451 4.3.0 Temporary lookup failure");
  cachet_test_server_expect (test.server, "RSET");
  cachet_test_server_send (test.server, "250 2.0.0 Ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, &result,
                                &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_TEMPORARY);
  g_assert_true (cachet_smtp_error_is_temporary (error));
  g_assert_nonnull (result);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_pipelining_all_rejected (void)
{
  /* DATA refused (Postfix: "no valid recipients"), or taken anyway, which
   * gets an empty message (RFC 2920 §3.1); RSET either way. */
  static const char * const data_answers[] = {
    "554 5.5.1 Error: no valid recipients",
    "354 go ahead anyway",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (data_answers); i++)
    {
      g_auto(Test) test = { 0 };
      g_autoptr(CachetSmtpSendResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *mail = NULL;
      g_autofree char *answers = NULL;

      if (!test_init (&test, "smtps"))
        return;

      mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu", strlen (MESSAGE));
      answers = g_strdup_printf ("250 2.1.0 Ok\r\n550 5.1.1 User unknown\r\n%s\r\n",
                                 data_answers[i]);
      script_login (test.server, PIPELINING_EXTENSIONS);
      cachet_test_server_expect (test.server, mail);
      cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org>");
      cachet_test_server_expect (test.server, "DATA");
      cachet_test_server_send_raw (test.server, answers, -1);
      if (data_answers[i][0] == '3')
        {
          cachet_test_server_expect (test.server, ".");
          cachet_test_server_send (test.server, "554 5.5.1 no valid recipients");
        }
      cachet_test_server_expect (test.server, "RSET");
      cachet_test_server_send (test.server, "250 2.0.0 Ok");
      script_quit (test.server);

      session_assert_connect (test.session);
      g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, &result,
                                    &error));
      g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_REJECTED_RECIPIENT);
      g_assert_cmpstrv (cachet_smtp_send_result_get_rejected (result), bob);
      session_close (test.session);
      cachet_test_server_assert_done (test.server);
    }
}

static void
test_send_sender_rejected (void)
{
  static const struct { const char *answer; gint code; } cases[] = {
    { "553 5.7.1 <alice@example.org>: Sender address rejected: not owned by user",
      CACHET_SMTP_ERROR_REJECTED_SENDER },
    { "451 4.3.0 Temporary failure", CACHET_SMTP_ERROR_TEMPORARY },
    { "552 5.3.4 Message size exceeds fixed limit", CACHET_SMTP_ERROR_MESSAGE_TOO_LARGE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Test) test = { 0 };
      g_autoptr(CachetSmtpSendResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *mail = NULL;

      if (!test_init (&test, "smtps"))
        return;

      /* No transaction opened: neither RCPT nor RSET. */
      mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu", strlen (MESSAGE));
      script_login (test.server, EXTENSIONS);
      cachet_test_server_expect (test.server, mail);
      cachet_test_server_send (test.server, cases[i].answer);
      script_quit (test.server);

      session_assert_connect (test.session);
      g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, &result,
                                    &error));
      g_assert_error (error, CACHET_SMTP_ERROR, cases[i].code);
      g_assert_null (result);
      session_close (test.session);
      cachet_test_server_assert_done (test.server);
    }
}

static void
test_send_sender_rejected_pipelining (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu", strlen (MESSAGE));

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, PIPELINING_EXTENSIONS);
  cachet_test_server_expect (test.server, mail);
  cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org>");
  cachet_test_server_expect (test.server, "DATA");
  cachet_test_server_send_raw (test.server,
                               "553 5.7.1 Sender address rejected\r\n"
                               "503 5.5.1 Error: need MAIL command\r\n"
                               "503 5.5.1 Error: need RCPT command\r\n", -1);
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, &result,
                                &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_REJECTED_SENDER);
  g_assert_null (result);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_message_rejected (void)
{
  static const struct { const char *answer; gint code; } cases[] = {
    { "554 5.7.1 Message rejected as spam", CACHET_SMTP_ERROR_REJECTED_MESSAGE },
    { "552 5.2.2 Mailbox full", CACHET_SMTP_ERROR_REJECTED_MESSAGE },
    { "552 5.3.4 Message size exceeds fixed limit", CACHET_SMTP_ERROR_MESSAGE_TOO_LARGE },
    { "451 4.3.0 Queue file write error", CACHET_SMTP_ERROR_TEMPORARY },
    { "452 4.3.1 Insufficient system storage", CACHET_SMTP_ERROR_TEMPORARY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Test) test = { 0 };
      g_autoptr(CachetSmtpSendResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *size = NULL;

      if (!test_init (&test, "smtps"))
        return;

      /* After the final dot, whatever the answer, the transaction is over:
       * no RSET. */
      size = g_strdup_printf (" SIZE=%zu", strlen (MESSAGE));
      script_login (test.server, EXTENSIONS);
      script_send_message (test.server, size);
      cachet_test_server_send (test.server, cases[i].answer);
      script_quit (test.server);

      session_assert_connect (test.session);
      g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, &result,
                                    &error));
      g_assert_error (error, CACHET_SMTP_ERROR, cases[i].code);
      g_assert_nonnull (result);
      g_assert_cmpstrv (cachet_smtp_send_result_get_accepted (result), bob);
      g_assert_cmpuint (cachet_smtp_reply_get_code (
                          cachet_smtp_send_result_get_final_reply (result)),
                        ==, g_ascii_strtoull (cases[i].answer, NULL, 10));
      g_assert_true (cachet_smtp_session_is_connected (test.session));
      session_close (test.session);
      cachet_test_server_assert_done (test.server);
    }
}

static void
test_send_data_refused (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu", strlen (MESSAGE));

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, EXTENSIONS);
  cachet_test_server_expect (test.server, mail);
  cachet_test_server_send (test.server, "250 2.1.0 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org>");
  cachet_test_server_send (test.server, "250 2.1.5 Ok");
  cachet_test_server_expect (test.server, "DATA");
  cachet_test_server_send (test.server, "554 5.5.1 Error: no valid recipients");
  cachet_test_server_expect (test.server, "RSET");
  cachet_test_server_send (test.server, "250 2.0.0 Ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, &result,
                                &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_REJECTED_MESSAGE);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_size_limit (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_strnfill (2000, 'a');
  g_autofree char *exact = g_strnfill (998, 'a');
  g_autofree char *exact_message = g_strconcat (exact, "\r\n", NULL);

  if (!test_init (&test, "smtps"))
    return;

  /* The limit is announced: a larger message is refused before a byte goes
   * out; one exactly at the limit is sent. */
  script_login (test.server, "250-mail.example.org\r\n250-SIZE 1000\r\n250 AUTH PLAIN\r\n");
  cachet_test_server_expect (test.server, "MAIL FROM:<" FROM "> SIZE=1000");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org>");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "DATA");
  cachet_test_server_send (test.server, "354 go");
  cachet_test_server_expect (test.server, exact);
  cachet_test_server_expect (test.server, ".");
  cachet_test_server_send (test.server, "250 Ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_false (session_send (test.session, FROM, bob, big, -1, NULL, NULL, &result, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_MESSAGE_TOO_LARGE);
  g_assert_true (cachet_smtp_error_is_permanent (error));
  g_assert_null (result);
  g_clear_error (&error);

  g_assert_true (session_send (test.session, FROM, bob, exact_message, -1, NULL, NULL, NULL,
                               &error));
  g_assert_no_error (error);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_8bit (void)
{
  static const char message[] = "Subject: =?UTF-8?Q?caf=C3=A9?=\r\n"
                                "Content-Type: text/plain; charset=UTF-8\r\n"
                                "Content-Transfer-Encoding: 8bit\r\n\r\n"
                                "Résultats d’analyse\r\n";
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu BODY=8BITMIME",
                                           strlen (message));

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, EXTENSIONS);
  cachet_test_server_expect (test.server, mail);
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org>");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "DATA");
  cachet_test_server_send (test.server, "354 go");
  cachet_test_server_expect (test.server, "Subject: =?UTF-8?Q?caf=C3=A9?=");
  cachet_test_server_expect (test.server, "Content-Type: text/plain; charset=UTF-8");
  cachet_test_server_expect (test.server, "Content-Transfer-Encoding: 8bit");
  cachet_test_server_expect (test.server, "");
  cachet_test_server_expect (test.server, "Résultats d’analyse");
  cachet_test_server_expect (test.server, ".");
  cachet_test_server_send (test.server, "250 Ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_true (session_send (test.session, FROM, bob, message, -1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_8bit_unsupported (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, "250-mail.example.org\r\n250 AUTH PLAIN\r\n");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_false (session_send (test.session, FROM, bob, "Subject: x\r\n\r\nR\xc3\xa9sultat\r\n",
                                -1, NULL, NULL, NULL, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_NEEDS_7BIT);
  g_clear_error (&error);

  /* NUL bytes never go, 8BITMIME or not; nor does an empty message. */
  g_assert_false (session_send (test.session, FROM, bob, "a\0b\r\n", 5, NULL, NULL, NULL,
                                &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);
  g_assert_false (session_send (test.session, FROM, bob, "", 0, NULL, NULL, NULL, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_MESSAGE);

  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_smtputf8 (void)
{
  static const char * const recipients[] = { "élodie@exemple.fr", NULL };
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;
  const char *mail = "MAIL FROM:<" FROM "> SMTPUTF8";
  g_autoptr(CachetSmtpSendOptions) options = cachet_smtp_send_options_new ();

  if (!test_init (&test, "smtps"))
    return;

  /* SMTPUTF8 only when an address needs it; no ORCPT for such an address
   * (it would need RFC 6533's encoding). */
  cachet_smtp_send_options_set_dsn_notify (options, CACHET_SMTP_DSN_NOTIFY_FAILURE);
  script_login (test.server, "250-mail.example.org\r\n250-SMTPUTF8\r\n250-DSN\r\n"
                             "250 AUTH PLAIN\r\n");
  cachet_test_server_expect (test.server, "MAIL FROM:<" FROM ">");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org>");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "DATA");
  cachet_test_server_send (test.server, "354 go");
  cachet_test_server_expect (test.server, "Subject: x");
  cachet_test_server_expect (test.server, ".");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, mail);
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<élodie@exemple.fr> NOTIFY=FAILURE");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "DATA");
  cachet_test_server_send (test.server, "354 go");
  cachet_test_server_expect (test.server, "Subject: x");
  cachet_test_server_expect (test.server, ".");
  cachet_test_server_send (test.server, "250 Ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_true (session_send (test.session, FROM, bob, "Subject: x\r\n", -1, NULL, NULL, NULL,
                               &error));
  g_assert_no_error (error);
  g_assert_true (session_send (test.session, FROM, recipients, "Subject: x\r\n", -1, options,
                               NULL, NULL, &error));
  g_assert_no_error (error);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_smtputf8_unsupported (void)
{
  static const char * const recipients[] = { "bob@example.org", "élodie@exemple.fr", NULL };
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, EXTENSIONS);
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_false (session_send (test.session, FROM, recipients, MESSAGE, -1, NULL, NULL, NULL,
                                &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_ADDRESS);
  g_clear_error (&error);
  g_assert_false (session_send (test.session, "élodie@exemple.fr", bob, MESSAGE, -1, NULL, NULL,
                                NULL, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_ADDRESS);
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_dsn (void)
{
  static const char * const recipients[] = { "bob+tag@example.org", "carol@example.org", NULL };
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendOptions) options = cachet_smtp_send_options_new ();
  g_autoptr(CachetSmtpSendOptions) copy = NULL;
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu RET=HDRS "
                                           "ENVID=QQ+2B+3Dx+20y", strlen (MESSAGE));

  if (!test_init (&test, "smtps"))
    return;

  cachet_smtp_send_options_set_dsn_notify (options, CACHET_SMTP_DSN_NOTIFY_SUCCESS |
                                                    CACHET_SMTP_DSN_NOTIFY_FAILURE |
                                                    CACHET_SMTP_DSN_NOTIFY_DELAY);
  cachet_smtp_send_options_set_dsn_return (options, CACHET_SMTP_DSN_RETURN_HEADERS);
  cachet_smtp_send_options_set_envid (options, "QQ+=x y");
  copy = cachet_smtp_send_options_copy (options);
  g_assert_cmpstr (cachet_smtp_send_options_get_envid (copy), ==, "QQ+=x y");
  g_assert_true (cachet_smtp_send_options_wants_dsn (copy));

  /* RFC 3461: RET and ENVID (xtext) on MAIL, NOTIFY and ORCPT (xtext) on
   * each RCPT. */
  script_login (test.server, "250-mail.example.org\r\n250-SIZE\r\n250-DSN\r\n250 AUTH PLAIN\r\n");
  cachet_test_server_expect (test.server, mail);
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<bob+tag@example.org> "
                                          "NOTIFY=SUCCESS,FAILURE,DELAY "
                                          "ORCPT=rfc822;bob+2Btag@example.org");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<carol@example.org> "
                                          "NOTIFY=SUCCESS,FAILURE,DELAY "
                                          "ORCPT=rfc822;carol@example.org");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "DATA");
  cachet_test_server_send (test.server, "354 go");
  cachet_test_server_expect (test.server, "From: alice@example.org");
  cachet_test_server_expect (test.server, "To: bob@example.org");
  cachet_test_server_expect (test.server, "Subject: test");
  cachet_test_server_expect (test.server, "");
  cachet_test_server_expect (test.server, "Hello");
  cachet_test_server_expect (test.server, ".");
  cachet_test_server_send (test.server, "250 Ok");
  /* NEVER alone, and RET=FULL without ENVID. */
  cachet_test_server_expect (test.server, "MAIL FROM:<" FROM "> SIZE=5 RET=FULL");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org> NOTIFY=NEVER "
                                          "ORCPT=rfc822;bob@example.org");
  cachet_test_server_send (test.server, "250 Ok");
  cachet_test_server_expect (test.server, "DATA");
  cachet_test_server_send (test.server, "354 go");
  cachet_test_server_expect (test.server, "abc");
  cachet_test_server_expect (test.server, ".");
  cachet_test_server_send (test.server, "250 Ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_true (session_send (test.session, FROM, recipients, MESSAGE, -1, copy, NULL, &result,
                               &error));
  g_assert_no_error (error);
  g_assert_true (cachet_smtp_send_result_get_dsn_requested (result));
  g_clear_pointer (&result, cachet_smtp_send_result_unref);

  cachet_smtp_send_options_set_dsn_notify (options, CACHET_SMTP_DSN_NOTIFY_NEVER);
  cachet_smtp_send_options_set_dsn_return (options, CACHET_SMTP_DSN_RETURN_FULL);
  cachet_smtp_send_options_set_envid (options, NULL);
  g_assert_true (session_send (test.session, FROM, bob, "abc\r\n", -1, options, NULL, &result,
                               &error));
  g_assert_no_error (error);
  g_assert_true (cachet_smtp_send_result_get_dsn_requested (result));

  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_dsn_unsupported (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendOptions) options = cachet_smtp_send_options_new ();
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = g_strdup_printf (" SIZE=%zu", strlen (MESSAGE));

  if (!test_init (&test, "smtps"))
    return;

  /* Without DSN offered, the parameters are left out, and the result says
   * that no receipt will come. */
  cachet_smtp_send_options_set_dsn_notify (options, CACHET_SMTP_DSN_NOTIFY_SUCCESS);
  cachet_smtp_send_options_set_envid (options, "id");
  script_login (test.server, EXTENSIONS);
  script_send_message (test.server, size);
  cachet_test_server_send (test.server, "250 Ok");
  script_quit (test.server);

  session_assert_connect (test.session);
  g_assert_true (session_send (test.session, FROM, bob, MESSAGE, -1, options, NULL, &result,
                               &error));
  g_assert_no_error (error);
  g_assert_false (cachet_smtp_send_result_get_dsn_requested (result));
  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

static void
test_send_invalid (void)
{
  static const char * const bad[] = {
    "bob@example.org>\r\nRCPT TO:<eve@evil.example",
    "bob@example.org\r\nDATA",
    "bob@example.org\nRSET",
    "bob@example.org\rQUIT",
    "bob@example.org> NOTIFY=NEVER",
    "<bob@example.org>",
    "bob smith@example.org",
    "bob\t@example.org",
    "bob\177@example.org",
    "bob\001@example.org",
    "b\xffob@example.org",
    "bob",
    "",
  };
  static const char * const none[] = { NULL };
  g_auto(Test) test = { 0 };
  g_autoptr(CachetSmtpSendOptions) options = cachet_smtp_send_options_new ();
  g_autoptr(CachetSmtpSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_envid = g_strnfill (101, 'e');

  if (!test_init (&test, "smtps"))
    return;

  /* Nothing at all is sent for any of these: the script goes straight from
   * signing in to QUIT. */
  script_login (test.server, PIPELINING_EXTENSIONS);
  script_quit (test.server);

  session_assert_connect (test.session);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char * const recipients[] = { "carol@example.org", bad[i], NULL };

      g_assert_false (session_send (test.session, FROM, recipients, MESSAGE, -1, NULL, NULL,
                                    &result, &error));
      g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_ADDRESS);
      g_assert_null (result);
      g_assert_null (strstr (error->message, "evil"));
      g_clear_error (&error);

      g_assert_false (session_send (test.session, bad[i], bob, MESSAGE, -1, NULL, NULL, NULL,
                                    &error));
      g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_ADDRESS);
      g_clear_error (&error);
    }

  g_assert_false (session_send (test.session, NULL, bob, MESSAGE, -1, NULL, NULL, NULL, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_ADDRESS);
  g_clear_error (&error);
  g_assert_false (session_send (test.session, FROM, none, MESSAGE, -1, NULL, NULL, NULL, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_ADDRESS);
  g_clear_error (&error);

  /* An ENVID that is not printable ASCII, or too long. */
  cachet_smtp_send_options_set_envid (options, "id\r\nRSET");
  g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, options, NULL, NULL,
                                &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);
  cachet_smtp_send_options_set_envid (options, long_envid);
  g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, options, NULL, NULL,
                                &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_INVALID_MESSAGE);

  session_close (test.session);
  cachet_test_server_assert_done (test.server);
}

/* Answers that are valid SMTP but make no sense at their point: the client
 * cannot know what the server thinks, and closes. */
static void
test_unexpected_replies (void)
{
  static const struct
  {
    const char *stage;
    const char *answer;
    gint code;
    gboolean quit;
  } cases[] = {
    { "greeting", "250 hello", CACHET_SMTP_ERROR_PROTOCOL, FALSE },
    { "ehlo", "220 mail.example.org", CACHET_SMTP_ERROR_PROTOCOL, FALSE },
    { "auth", "504 5.5.4 Unrecognized authentication type", CACHET_SMTP_ERROR_PERMANENT, TRUE },
    { "auth", "250 2.0.0 ok", CACHET_SMTP_ERROR_PROTOCOL, FALSE },
    { "mail", "354 go ahead", CACHET_SMTP_ERROR_PROTOCOL, FALSE },
    { "rcpt", "354 go ahead", CACHET_SMTP_ERROR_PROTOCOL, FALSE },
    { "data", "250 2.0.0 ok", CACHET_SMTP_ERROR_PROTOCOL, FALSE },
    { "data", "334 what", CACHET_SMTP_ERROR_PROTOCOL, FALSE },
    { "end", "354 more", CACHET_SMTP_ERROR_PROTOCOL, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Test) test = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *auth = plain_auth_line ();
      g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu", strlen (MESSAGE));
      const char *stage = cases[i].stage;
      gboolean sending = g_str_equal (stage, "mail") || g_str_equal (stage, "rcpt") ||
                         g_str_equal (stage, "data") || g_str_equal (stage, "end");

      if (!test_init (&test, "smtps"))
        return;

      g_test_message ("%s: %s", stage, cases[i].answer);
      cachet_test_server_start_tls (test.server);
      cachet_test_server_send (test.server, g_str_equal (stage, "greeting") ? cases[i].answer
                                                                            : "220 mail");
      if (!g_str_equal (stage, "greeting"))
        {
          cachet_test_server_expect (test.server, EHLO);
          cachet_test_server_send_raw (test.server,
                                       g_str_equal (stage, "ehlo") ? "220 mail.example.org\r\n"
                                                                   : EXTENSIONS, -1);
        }
      if (!g_str_equal (stage, "greeting") && !g_str_equal (stage, "ehlo"))
        {
          cachet_test_server_expect (test.server, auth);
          cachet_test_server_send (test.server, g_str_equal (stage, "auth") ? cases[i].answer
                                                                            : "235 2.7.0 ok");
        }
      if (sending)
        {
          cachet_test_server_expect (test.server, mail);
          cachet_test_server_send (test.server, g_str_equal (stage, "mail") ? cases[i].answer
                                                                            : "250 2.1.0 ok");
        }
      if (sending && !g_str_equal (stage, "mail"))
        {
          cachet_test_server_expect (test.server, "RCPT TO:<bob@example.org>");
          cachet_test_server_send (test.server, g_str_equal (stage, "rcpt") ? cases[i].answer
                                                                            : "250 2.1.5 ok");
        }
      if (g_str_equal (stage, "data") || g_str_equal (stage, "end"))
        {
          cachet_test_server_expect (test.server, "DATA");
          cachet_test_server_send (test.server, g_str_equal (stage, "data") ? cases[i].answer
                                                                            : "354 go");
        }
      if (g_str_equal (stage, "end"))
        {
          for (guint line = 0; line < 5; line++)
            cachet_test_server_expect_glob (test.server, "*");
          cachet_test_server_expect (test.server, ".");
          cachet_test_server_send (test.server, cases[i].answer);
        }
      if (cases[i].quit)
        script_quit (test.server);
      else
        cachet_test_server_expect_disconnect (test.server);

      if (!sending)
        {
          assert_connect_fails (&test, CACHET_SMTP_ERROR, cases[i].code);
          continue;
        }
      session_assert_connect (test.session);
      g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, NULL,
                                    &error));
      g_assert_error (error, CACHET_SMTP_ERROR, cases[i].code);
      g_assert_false (cachet_smtp_session_is_connected (test.session));
      cachet_test_server_assert_done (test.server);
    }
}

static void
test_close_unconnected (void)
{
  g_auto(Test) test = { 0 };

  if (!test_init (&test, "smtps"))
    return;

  g_assert_true (cachet_smtp_session_get_account (test.session) == test.account);
  g_assert_null (cachet_smtp_session_get_last_reply (test.session));
  g_assert_false (cachet_smtp_session_has_extension (test.session, "SIZE"));
  g_assert_cmpuint (cachet_smtp_session_get_max_message_size (test.session), ==, 0);
  /* Nothing to say QUIT to. */
  session_close (test.session);
}

static void
test_error_classification (void)
{
  static const struct
  {
    GQuark (*domain) (void);
    gint code;
    gboolean temporary;
    gboolean permanent;
  } cases[] = {
    { cachet_smtp_error_quark, CACHET_SMTP_ERROR_TEMPORARY, TRUE, FALSE },
    { cachet_smtp_error_quark, CACHET_SMTP_ERROR_NOT_CONNECTED, TRUE, FALSE },
    { cachet_smtp_error_quark, CACHET_SMTP_ERROR_PERMANENT, FALSE, TRUE },
    { cachet_smtp_error_quark, CACHET_SMTP_ERROR_PROTOCOL, FALSE, TRUE },
    { cachet_smtp_error_quark, CACHET_SMTP_ERROR_REJECTED_RECIPIENT, FALSE, TRUE },
    { cachet_smtp_error_quark, CACHET_SMTP_ERROR_NEEDS_7BIT, FALSE, TRUE },
    { g_io_error_quark, G_IO_ERROR_TIMED_OUT, TRUE, FALSE },
    { g_io_error_quark, G_IO_ERROR_CONNECTION_REFUSED, TRUE, FALSE },
    { g_io_error_quark, G_IO_ERROR_CONNECTION_CLOSED, TRUE, FALSE },
    { g_io_error_quark, G_IO_ERROR_NETWORK_UNREACHABLE, TRUE, FALSE },
    { g_io_error_quark, G_IO_ERROR_CANCELLED, FALSE, FALSE },
    { g_io_error_quark, G_IO_ERROR_FAILED, FALSE, FALSE },
    { g_resolver_error_quark, G_RESOLVER_ERROR_TEMPORARY_FAILURE, TRUE, FALSE },
    { g_resolver_error_quark, G_RESOLVER_ERROR_NOT_FOUND, TRUE, FALSE },
    { g_tls_error_quark, G_TLS_ERROR_EOF, TRUE, FALSE },
    { g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE, FALSE, TRUE },
    { g_tls_error_quark, G_TLS_ERROR_CERTIFICATE_REQUIRED, FALSE, TRUE },
    { g_tls_error_quark, G_TLS_ERROR_MISC, FALSE, FALSE },
    { cachet_net_error_quark, CACHET_NET_ERROR_STARTTLS_REFUSED, FALSE, TRUE },
    { cachet_net_error_quark, CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA, FALSE, TRUE },
    { g_key_file_error_quark, G_KEY_FILE_ERROR_PARSE, FALSE, FALSE },
  };

  g_assert_false (cachet_smtp_error_is_temporary (NULL));
  g_assert_false (cachet_smtp_error_is_permanent (NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain (), cases[i].code, "x");

      g_test_message ("%s %d", g_quark_to_string (error->domain), error->code);
      g_assert_cmpint (cachet_smtp_error_is_temporary (error), ==, cases[i].temporary);
      g_assert_cmpint (cachet_smtp_error_is_permanent (error), ==, cases[i].permanent);
    }
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
test_send_cancelled (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu", strlen (MESSAGE));

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, EXTENSIONS);
  cachet_test_server_expect (test.server, mail);
  cachet_test_server_stall (test.server);

  session_assert_connect (test.session);
  g_timeout_add (100, cancel_later, cancellable);
  g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, cancellable, NULL,
                                &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (cachet_smtp_error_is_temporary (error));
  g_assert_false (cachet_smtp_error_is_permanent (error));
  /* The protocol state is unknown: the session is closed. */
  g_assert_false (cachet_smtp_session_is_connected (test.session));
  cachet_test_server_assert_done (test.server);
}

static void
test_send_final_reply_timeout (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *size = g_strdup_printf (" SIZE=%zu", strlen (MESSAGE));

  if (!test_init (&test, "smtps"))
    return;

  /* The reply after the message has a deadline of its own. */
  cachet_smtp_session_set_timeouts (test.session, 5000, 300);
  script_login (test.server, EXTENSIONS);
  script_send_message (test.server, size);
  cachet_test_server_stall (test.server);

  session_assert_connect (test.session);
  g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_false (cachet_smtp_session_is_connected (test.session));
  cachet_test_server_assert_done (test.server);
}

static void
test_send_connection_lost (void)
{
  g_auto(Test) test = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *mail = g_strdup_printf ("MAIL FROM:<" FROM "> SIZE=%zu", strlen (MESSAGE));

  if (!test_init (&test, "smtps"))
    return;

  script_login (test.server, EXTENSIONS);
  cachet_test_server_expect (test.server, mail);
  cachet_test_server_close (test.server);

  session_assert_connect (test.session);
  g_assert_false (session_send (test.session, FROM, bob, MESSAGE, -1, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_true (cachet_smtp_error_is_temporary (error));
  g_assert_false (cachet_smtp_session_is_connected (test.session));
  cachet_test_server_assert_done (test.server);
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/smtp/session/connect", test_connect);
  g_test_add_func ("/smtp/session/greeting/one-byte-at-a-time", test_greeting_one_byte_at_a_time);
  g_test_add_func ("/smtp/session/greeting/refused", test_greeting_refused);
  g_test_add_func ("/smtp/session/greeting/busy", test_greeting_busy);
  g_test_add_func ("/smtp/session/greeting/not-smtp", test_greeting_not_smtp);
  g_test_add_func ("/smtp/session/ehlo/refused", test_ehlo_refused);
  g_test_add_func ("/smtp/session/ehlo/refused-plaintext", test_ehlo_refused_plaintext);
  g_test_add_func ("/smtp/session/ehlo/busy", test_ehlo_busy);
  g_test_add_func ("/smtp/session/reply/flood", test_reply_flood);
  g_test_add_func ("/smtp/session/reply/overlong-line", test_overlong_line);
  g_test_add_func ("/smtp/session/reply/mismatched-codes", test_mismatched_codes);
  g_test_add_func ("/smtp/session/timeout", test_timeout);
  g_test_add_func ("/smtp/session/unknown-ca", test_unknown_ca);
  g_test_add_func ("/smtp/session/not-smtp-address", test_not_smtp_address);
  g_test_add_func ("/smtp/session/starttls", test_starttls);
  g_test_add_func ("/smtp/session/starttls/not-offered", test_starttls_not_offered);
  g_test_add_func ("/smtp/session/starttls/refused", test_starttls_refused);
  g_test_add_func ("/smtp/session/starttls/injection", test_starttls_injection);
  g_test_add_func ("/smtp/session/starttls/no-pipelining", test_starttls_no_pipelining);
  g_test_add_func ("/smtp/session/auth/refused", test_auth_refused);
  g_test_add_func ("/smtp/session/auth/busy", test_auth_busy);
  g_test_add_func ("/smtp/session/auth/no-mechanism", test_auth_no_mechanism);
  g_test_add_func ("/smtp/session/auth/not-offered", test_auth_not_offered);
  g_test_add_func ("/smtp/session/auth/no-password", test_auth_no_password);
  g_test_add_func ("/smtp/session/auth/external", test_auth_external);
  g_test_add_func ("/smtp/session/auth/external-refused", test_auth_external_refused);
  g_test_add_func ("/smtp/session/auth/certificate-only", test_auth_certificate_only);
  g_test_add_func ("/smtp/session/auth/xoauth2-long-token", test_auth_xoauth2_long_token);
  g_test_add_func ("/smtp/session/auth/oauthbearer-refused", test_auth_oauth_refused);
  g_test_add_func ("/smtp/session/auth/challenge-loop", test_auth_challenge_loop);
  g_test_add_func ("/smtp/session/send", test_send);
  g_test_add_func ("/smtp/session/send/dot-stuffing", test_send_dot_stuffing);
  g_test_add_func ("/smtp/session/send/pipelining", test_send_pipelining);
  g_test_add_func ("/smtp/session/send/all-rejected", test_send_all_rejected);
  g_test_add_func ("/smtp/session/send/all-rejected-temporarily",
                   test_send_all_rejected_temporarily);
  g_test_add_func ("/smtp/session/send/pipelining-all-rejected",
                   test_send_pipelining_all_rejected);
  g_test_add_func ("/smtp/session/send/sender-rejected", test_send_sender_rejected);
  g_test_add_func ("/smtp/session/send/sender-rejected-pipelining",
                   test_send_sender_rejected_pipelining);
  g_test_add_func ("/smtp/session/send/message-rejected", test_send_message_rejected);
  g_test_add_func ("/smtp/session/send/data-refused", test_send_data_refused);
  g_test_add_func ("/smtp/session/send/size-limit", test_send_size_limit);
  g_test_add_func ("/smtp/session/send/8bit", test_send_8bit);
  g_test_add_func ("/smtp/session/send/8bit-unsupported", test_send_8bit_unsupported);
  g_test_add_func ("/smtp/session/send/smtputf8", test_send_smtputf8);
  g_test_add_func ("/smtp/session/send/smtputf8-unsupported", test_send_smtputf8_unsupported);
  g_test_add_func ("/smtp/session/send/dsn", test_send_dsn);
  g_test_add_func ("/smtp/session/send/dsn-unsupported", test_send_dsn_unsupported);
  g_test_add_func ("/smtp/session/send/invalid", test_send_invalid);
  g_test_add_func ("/smtp/session/unexpected-replies", test_unexpected_replies);
  g_test_add_func ("/smtp/session/error-classification", test_error_classification);
  g_test_add_func ("/smtp/session/close-unconnected", test_close_unconnected);
  g_test_add_func ("/smtp/session/send/cancelled", test_send_cancelled);
  g_test_add_func ("/smtp/session/send/final-reply-timeout", test_send_final_reply_timeout);
  g_test_add_func ("/smtp/session/send/connection-lost", test_send_connection_lost);

  return g_test_run ();
}
