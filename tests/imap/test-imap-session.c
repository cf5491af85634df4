/* test-imap-session.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-imap-error.h"
#include "cachet-imap-mailbox-map.h"
#include "cachet-imap-sequence-set.h"
#include "cachet-imap-session.h"
#include "cachet-imap-session-private.h"
#include "cachet-net-error.h"
#include "cachet-test-credentials.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

/* The IMAP session against the scripted loopback server: every conversation
 * is written out line by line, tags included, so that a change in what the
 * client sends shows here first. */

#define ADDRESS "alice@example.org"
#define PASSWORD "secret"

/* Fixture --------------------------------------------------------------------------- */

typedef struct
{
  const CachetTestPki   *pki;
  CachetTestServer      *server;
  CachetAccount         *account;
  CachetTestCredentials *credentials;
  CachetImapSession     *session;
  GPtrArray             *events;
} Test;

static void
on_exists (CachetImapSession *session,
           guint              count,
           Test              *test)
{
  g_ptr_array_add (test->events, g_strdup_printf ("exists %u", count));
}

static void
on_expunged (CachetImapSession *session,
             guint              seq,
             guint              uid,
             Test              *test)
{
  g_ptr_array_add (test->events, g_strdup_printf ("expunged %u uid %u", seq, uid));
}

static void
on_flags_changed (CachetImapSession  *session,
                  guint               uid,
                  guint               seq,
                  char              **flags,
                  guint64             modseq,
                  Test               *test)
{
  g_autofree char *joined = g_strjoinv (" ", flags);

  g_ptr_array_add (test->events,
                   g_strdup_printf ("flags uid %u seq %u (%s) modseq %" G_GUINT64_FORMAT,
                                                  uid, seq, joined, modseq));
}

static void
on_vanished (CachetImapSession *session,
             GArray            *uids,
             Test              *test)
{
  g_autoptr(GString) text = g_string_new ("vanished");

  for (guint i = 0; i < uids->len; i++)
    {
      CachetImapRange *range = &g_array_index (uids, CachetImapRange, i);

      g_string_append_printf (text, " %u:%u", range->first, range->last);
    }
  g_ptr_array_add (test->events, g_string_free (g_steal_pointer (&text), FALSE));
}

static void
on_alert (CachetImapSession *session,
          const char        *text,
          Test              *test)
{
  g_ptr_array_add (test->events, g_strdup_printf ("alert %s", text));
}

static void
on_closed (CachetImapSession *session,
           GError            *error,
           Test              *test)
{
  g_ptr_array_add (test->events, g_strdup_printf ("closed %s %d",
                                                  g_quark_to_string (error->domain), error->code));
}

/* A session for @scheme ("imaps" or "imap") to the scripted server, trusting
 * the test CA, with PASSWORD in the credentials unless @password is NULL. */
static gboolean
test_init (Test       *test,
           const char *scheme,
           const char *password)
{
  g_autofree char *uri = NULL;

  memset (test, 0, sizeof *test);
  test->pki = cachet_test_pki_get ();
  if (test->pki == NULL)
    return FALSE;

  test->server = cachet_test_server_new ();
  cachet_test_server_set_certificate (test->server, test->pki->server_cert, test->pki->server_key);
  uri = cachet_test_server_get_uri (test->server, scheme);
  test->account = cachet_account_new ("Cabinet", ADDRESS, uri, "smtps://127.0.0.1:1");
  cachet_account_set_ca_file (test->account, test->pki->ca_file);
  test->credentials = cachet_test_credentials_new ();
  cachet_test_credentials_set (test->credentials, cachet_account_get_id (test->account),
                               CACHET_SECRET_PASSWORD, password);
  test->session = cachet_imap_session_new (test->account,
                                           CACHET_CREDENTIALS_PROVIDER (test->credentials));
  cachet_imap_session_set_timeout (test->session, 10000);
  test->events = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (test->session, "exists", G_CALLBACK (on_exists), test);
  g_signal_connect (test->session, "expunged", G_CALLBACK (on_expunged), test);
  g_signal_connect (test->session, "flags-changed", G_CALLBACK (on_flags_changed), test);
  g_signal_connect (test->session, "vanished", G_CALLBACK (on_vanished), test);
  g_signal_connect (test->session, "alert", G_CALLBACK (on_alert), test);
  g_signal_connect (test->session, "closed", G_CALLBACK (on_closed), test);
  return TRUE;
}

/* Ends the session (the server sees the disconnection), checks the script. */
static void
test_finish (Test *test)
{
  cachet_imap_session_close (test->session);
  cachet_test_server_assert_done (test->server);
  g_signal_handlers_disconnect_by_data (test->session, test);
  g_clear_object (&test->session);
  g_clear_object (&test->server);
  g_clear_object (&test->account);
  g_clear_object (&test->credentials);
  g_clear_pointer (&test->events, g_ptr_array_unref);
}

static void
assert_events (Test       *test,
               const char *first,
               ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *event = first; event != NULL; event = va_arg (args, const char *), i++)
    {
      if (i >= test->events->len)
        g_error ("Missing event “%s”", event);
      g_assert_cmpstr (g_ptr_array_index (test->events, i), ==, event);
    }
  va_end (args);
  if (i < test->events->len)
    g_error ("Unexpected event “%s”", (char *) g_ptr_array_index (test->events, i));
  g_ptr_array_set_size (test->events, 0);
}

static const char *
plain_initial_response (void)
{
  static char *response;

  if (response == NULL)
    {
      static const char message[] = "\0" ADDRESS "\0" PASSWORD;

      response = g_base64_encode ((const guchar *) message, sizeof message - 1);
    }
  return response;
}

static char *
authenticate_line (const char *tag)
{
  return g_strdup_printf ("%s AUTHENTICATE PLAIN %s", tag, plain_initial_response ());
}

/* Scripts an implicit-TLS greeting and sign-in with SASL-IR; the server then
 * announces @capabilities, and ENABLE follows if they call for it. Returns
 * the number of the next tag. */
static guint
script_login (Test       *test,
              const char *capabilities)
{
  g_autofree char *auth = authenticate_line ("A0001");
  g_autofree char *ok = g_strdup_printf ("A0001 OK [CAPABILITY %s] Logged in", capabilities);
  g_autoptr(GString) enable = g_string_new ("A0002 ENABLE");
  g_auto(GStrv) words = g_strsplit (capabilities, " ", -1);
  gboolean has_enable = g_strv_contains ((const char * const *) words, "ENABLE");
  g_autofree char *enabled = NULL;
  static const char * const extensions[] = { "CONDSTORE", "QRESYNC", "UTF8=ACCEPT" };

  cachet_test_server_start_tls (test->server);
  cachet_test_server_send (test->server, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready");
  cachet_test_server_expect (test->server, auth);
  cachet_test_server_send (test->server, ok);

  /* The session asks in this order, for those the server offers. */
  for (gsize i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      if (g_strv_contains ((const char * const *) words, extensions[i]))
        g_string_append_printf (enable, " %s", extensions[i]);
    }
  if (!has_enable || g_str_equal (enable->str, "A0002 ENABLE"))
    return 2;

  enabled = g_strconcat ("* ENABLED", enable->str + strlen ("A0002 ENABLE"), NULL);
  cachet_test_server_expect (test->server, enable->str);
  cachet_test_server_send (test->server, enabled);
  cachet_test_server_send (test->server, "A0002 OK Enabled");
  return 3;
}

/* Synchronous wrappers ------------------------------------------------------------------ */

static gboolean
session_connect (Test    *test,
                 GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_imap_session_connect_async (test->session, NULL, cachet_test_result_cb, &result);
  return cachet_imap_session_connect_finish (test->session, cachet_test_wait_result (&result),
                                             error);
}

static void
session_connect_ok (Test *test)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (session_connect (test, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cachet_imap_session_get_state (test->session), ==,
                   CACHET_IMAP_SESSION_STATE_AUTHENTICATED);
}

static gboolean
session_noop (Test    *test,
              GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_imap_session_noop_async (test->session, NULL, cachet_test_result_cb, &result);
  return cachet_imap_session_noop_finish (test->session, cachet_test_wait_result (&result), error);
}

static CachetImapSelectResult *
session_select (Test                    *test,
                const char              *mailbox,
                const CachetImapQresync *qresync,
                GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_imap_session_select_async (test->session, mailbox, qresync, NULL,
                                    cachet_test_result_cb, &result);
  return cachet_imap_session_select_finish (test->session, cachet_test_wait_result (&result),
                                            error);
}

static GPtrArray *
session_fetch (Test                 *test,
               const guint32        *uids,
               gsize                 n_uids,
               CachetImapFetchItems  items,
               GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_imap_session_uid_fetch_async (test->session, uids, n_uids, items, NULL, NULL, NULL, NULL,
                                       NULL, cachet_test_result_cb, &result);
  return cachet_imap_session_uid_fetch_finish (test->session, cachet_test_wait_result (&result),
                                               error);
}

static GPtrArray *
session_list (Test    *test,
              GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_imap_session_list_async (test->session, NULL, cachet_test_result_cb, &result);
  return cachet_imap_session_list_finish (test->session, cachet_test_wait_result (&result), error);
}

static char *
uids_to_string (GArray *uids)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < uids->len; i++)
    g_string_append_printf (text, "%s%u", i > 0 ? "," : "", g_array_index (uids, guint32, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Greetings ------------------------------------------------------------------------------- */

static void
test_greeting_capability_code (void)
{
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* The greeting's capabilities are used: no CAPABILITY command. */
  script_login (&test, "IMAP4rev1 SASL-IR IDLE MOVE");
  cachet_test_server_expect (test.server, "A0002 NOOP");
  cachet_test_server_send (test.server, "A0002 OK NOOP done");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  g_assert_true (cachet_imap_session_is_secure (test.session));
  g_assert_true (cachet_imap_session_has_capability (test.session, "MOVE"));
  g_assert_false (cachet_imap_session_has_capability (test.session, "AUTH=PLAIN"));
  g_assert_false (cachet_imap_session_is_enabled (test.session, "CONDSTORE"));
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 1);
  g_assert_true (session_noop (&test, &error));
  g_assert_no_error (error);

  test_finish (&test);
}

static void
test_greeting_capability_command (void)
{
  Test test;
  g_autofree char *initial = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  initial = g_strdup (plain_initial_response ());
  /* No capabilities in the greeting; no SASL-IR: the credentials go in
   * answer to the server's empty challenge; nothing in the OK either. */
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "* OK IMAP4rev1 ready");
  cachet_test_server_expect (test.server, "A0001 CAPABILITY");
  cachet_test_server_send (test.server, "* CAPABILITY IMAP4rev1 AUTH=PLAIN");
  cachet_test_server_send (test.server, "A0001 OK done");
  cachet_test_server_expect (test.server, "A0002 AUTHENTICATE PLAIN");
  cachet_test_server_send (test.server, "+ ");
  cachet_test_server_expect (test.server, initial);
  cachet_test_server_send (test.server, "A0002 OK Logged in");
  cachet_test_server_expect (test.server, "A0003 CAPABILITY");
  cachet_test_server_send (test.server,
                           "* CAPABILITY IMAP4rev1 ENABLE CONDSTORE UTF8=ACCEPT LITERAL+");
  cachet_test_server_send (test.server, "A0003 OK done");
  cachet_test_server_expect (test.server, "A0004 ENABLE CONDSTORE UTF8=ACCEPT");
  cachet_test_server_send (test.server, "* ENABLED UTF8=ACCEPT");
  cachet_test_server_send (test.server, "A0004 OK Enabled");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  g_assert_true (cachet_imap_session_is_enabled (test.session, "UTF8=ACCEPT"));
  /* CONDSTORE is usable without ENABLE (RFC 7162 §3.1). */
  g_assert_true (cachet_imap_session_is_enabled (test.session, "CONDSTORE"));
  g_assert_false (cachet_imap_session_is_enabled (test.session, "QRESYNC"));

  test_finish (&test);
}

static void
test_greeting_preauth (void)
{
  Test test;

  if (!test_init (&test, "imaps", NULL))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server,
                           "* PREAUTH [CAPABILITY IMAP4rev1 IDLE] signed in by certificate");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  /* No password was needed, nor asked for. */
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);
  g_assert_true (cachet_imap_session_has_capability (test.session, "IDLE"));

  test_finish (&test);
}

static void
test_greeting_bye (void)
{
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "* BYE Too many connections from your address");
  cachet_test_server_expect_disconnect (test.server);

  g_assert_false (session_connect (&test, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_BYE);
  g_assert_nonnull (strstr (error->message, "Too many connections"));
  g_assert_cmpint (cachet_imap_session_get_state (test.session), ==,
                   CACHET_IMAP_SESSION_STATE_NOT_CONNECTED);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);

  test_finish (&test);
}

static void
test_greeting_invalid (void)
{
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* A tagged "greeting" is no greeting: never authenticate after it. */
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "A0001 OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready");
  cachet_test_server_expect_disconnect (test.server);

  g_assert_false (session_connect (&test, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);

  test_finish (&test);
}

/* STARTTLS ---------------------------------------------------------------------------------- */

static void
test_starttls (void)
{
  Test test;
  g_autofree char *auth = authenticate_line ("A0003");
  const char * const *letters;

  if (!test_init (&test, "imap", PASSWORD))
    return;

  /* LOGINDISABLED before TLS; the capabilities are asked again over TLS. */
  cachet_test_server_send (test.server, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready");
  cachet_test_server_expect (test.server, "A0001 STARTTLS");
  cachet_test_server_send (test.server, "A0001 OK Begin TLS negotiation now");
  cachet_test_server_start_tls (test.server);
  cachet_test_server_expect (test.server, "A0002 CAPABILITY");
  cachet_test_server_send (test.server, "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN");
  cachet_test_server_send (test.server, "A0002 OK done");
  cachet_test_server_expect (test.server, auth);
  cachet_test_server_send (test.server, "A0003 OK [CAPABILITY IMAP4rev1 IDLE] Logged in");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  g_assert_true (cachet_imap_session_is_secure (test.session));
  g_assert_false (cachet_imap_session_has_capability (test.session, "STARTTLS"));
  g_assert_false (cachet_imap_session_has_capability (test.session, "LOGINDISABLED"));

  /* Tags seen in clear tell nothing of the tags used over TLS (S5). */
  letters = cachet_test_server_get_client_tag_letters (test.server);
  g_assert_cmpuint (g_strv_length ((char **) letters), ==, 2);
  g_assert_cmpstr (letters[0], !=, letters[1]);

  test_finish (&test);
}

static void
test_starttls_not_offered (void)
{
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imap", PASSWORD))
    return;

  cachet_test_server_send (test.server, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready");
  /* Not one byte: no STARTTLS it refused to offer, no credentials. */
  cachet_test_server_expect_disconnect (test.server);

  g_assert_false (session_connect (&test, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_REFUSED);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);
  g_assert_false (cachet_imap_session_is_secure (test.session));

  test_finish (&test);
}

static void
test_starttls_refused (gconstpointer data)
{
  const char *answer = data;
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imap", PASSWORD))
    return;

  /* No capabilities in the greeting: STARTTLS is sent at once, since it is
   * required anyway, and nothing said before TLS is believed. */
  cachet_test_server_send (test.server, "* OK ready");
  cachet_test_server_expect (test.server, "A0001 STARTTLS");
  cachet_test_server_send (test.server, answer);
  cachet_test_server_expect_disconnect (test.server);

  g_assert_false (session_connect (&test, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_REFUSED);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);

  test_finish (&test);
}

/* EAST IMAP B_1: the go-ahead is followed in the same segment by an injected
 * CAPABILITY response and a tagged OK for the command the client would send
 * next. The client disconnects before any handshake and never signs in. */
static void
test_starttls_injection (void)
{
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imap", PASSWORD))
    return;

  cachet_test_server_send (test.server, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready");
  cachet_test_server_expect (test.server, "A0001 STARTTLS");
  cachet_test_server_send_raw (test.server,
                               "A0001 OK begin STARTTLS now.\r\n"
                               "* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN\r\n"
                               "A0002 OK capability done.\r\n", -1);
  cachet_test_server_expect_disconnect (test.server);

  g_assert_false (session_connect (&test, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_INJECTION);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);
  g_assert_false (cachet_imap_session_is_secure (test.session));

  test_finish (&test);
}

/* EAST IMAP C_1: capabilities in the go-ahead are from before TLS, so they
 * are forgotten (RFC 9051 §6.2.1) and asked for again over TLS. */
static void
test_starttls_capabilities_in_go_ahead (void)
{
  Test test;
  g_autofree char *auth = authenticate_line ("A0003");

  if (!test_init (&test, "imap", PASSWORD))
    return;

  cachet_test_server_send (test.server, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready");
  cachet_test_server_expect (test.server, "A0001 STARTTLS");
  cachet_test_server_send (test.server,
                           "A0001 OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN] Begin TLS");
  cachet_test_server_start_tls (test.server);
  cachet_test_server_expect (test.server, "A0002 CAPABILITY");
  cachet_test_server_send (test.server, "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN");
  cachet_test_server_send (test.server, "A0002 OK done");
  cachet_test_server_expect (test.server, auth);
  cachet_test_server_send (test.server, "A0003 OK [CAPABILITY IMAP4rev1] Logged in");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  g_assert_false (cachet_imap_session_has_capability (test.session, "AUTH=LOGIN"));

  test_finish (&test);
}

/* The client's side of command injection: it sends nothing behind STARTTLS,
 * even with LITERAL+ and SASL-IR offered (a server would run pipelined
 * commands after the handshake, as if sent over TLS). The slow go-ahead
 * gives any pipelined command time to arrive, and the scripted server fails
 * the handshake on any plaintext byte it finds there. */
static void
test_starttls_no_pipelining (void)
{
  Test test;
  g_autofree char *auth = authenticate_line ("A0003");

  if (!test_init (&test, "imap", PASSWORD))
    return;

  cachet_test_server_send (test.server,
                           "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN STARTTLS] ready");
  cachet_test_server_expect (test.server, "A0001 STARTTLS");
  cachet_test_server_delay (test.server, 100);
  cachet_test_server_send (test.server, "A0001 OK Begin TLS negotiation now");
  cachet_test_server_start_tls (test.server);
  cachet_test_server_expect (test.server, "A0002 CAPABILITY");
  cachet_test_server_send (test.server, "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN");
  cachet_test_server_send (test.server, "A0002 OK done");
  cachet_test_server_expect (test.server, auth);
  cachet_test_server_send (test.server, "A0003 OK [CAPABILITY IMAP4rev1] Logged in");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);

  test_finish (&test);
}

static void
test_starttls_preauth (void)
{
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imap", PASSWORD))
    return;

  /* PREAUTH before TLS would leave the session in plaintext for good. */
  cachet_test_server_send (test.server, "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome");
  cachet_test_server_expect_disconnect (test.server);

  g_assert_false (session_connect (&test, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_REFUSED);

  test_finish (&test);
}

static void
test_starttls_pre_tls_data_ignored (void)
{
  Test test;
  g_autofree char *auth = authenticate_line ("A0003");

  if (!test_init (&test, "imap", PASSWORD))
    return;

  /* Untagged data and alerts before TLS (EAST tampering cases): dropped. */
  cachet_test_server_send (test.server,
                           "* OK [ALERT] Your account is locked, call +33 1 23 45 67 89");
  cachet_test_server_expect (test.server, "A0001 STARTTLS");
  cachet_test_server_send (test.server, "* 9999 EXISTS");
  cachet_test_server_send (test.server, "* LIST () \"/\" Injected");
  cachet_test_server_send (test.server, "* CAPABILITY IMAP4rev1 AUTH=LOGIN");
  cachet_test_server_send (test.server, "A0001 OK go ahead");
  cachet_test_server_start_tls (test.server);
  cachet_test_server_expect (test.server, "A0002 CAPABILITY");
  cachet_test_server_send (test.server, "* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN");
  cachet_test_server_send (test.server, "A0002 OK done");
  cachet_test_server_expect (test.server, auth);
  cachet_test_server_send (test.server, "* OK [ALERT] Maintenance tonight at 22:00");
  cachet_test_server_send (test.server, "A0003 OK [CAPABILITY IMAP4rev1] Logged in");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  assert_events (&test, "alert Maintenance tonight at 22:00", NULL);

  test_finish (&test);
}

/* Signing in ----------------------------------------------------------------------------------- */

static void
test_login_literal (gconstpointer data)
{
  gboolean literal_plus = GPOINTER_TO_INT (data);
  static const char password[] = "mot de passe \xc3\xa9t\xc3\xa9";
  Test test;
  g_autofree char *greeting = NULL;
  g_autofree char *login = NULL;

  if (!test_init (&test, "imaps", password))
    return;

  /* No AUTH= mechanism, no LOGINDISABLED: the LOGIN command, with the 8-bit
   * password as a literal. */
  greeting = g_strdup_printf ("* OK [CAPABILITY IMAP4rev1%s] ready",
                              literal_plus ? " LITERAL+" : "");
  login = g_strdup_printf ("A0001 LOGIN \"" ADDRESS "\" {%zu%s}", strlen (password),
                           literal_plus ? "+" : "");
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, greeting);
  cachet_test_server_expect (test.server, login);
  if (!literal_plus)
    cachet_test_server_send (test.server, "+ Ready for literal data");
  cachet_test_server_expect (test.server, password);
  cachet_test_server_send (test.server, "A0001 OK [CAPABILITY IMAP4rev1] Logged in");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);

  test_finish (&test);
}

static void
test_login_quoted (void)
{
  Test test;

  if (!test_init (&test, "imaps", "pa\"ss\\word"))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "* OK [CAPABILITY IMAP4rev1 AUTH=GSSAPI] ready");
  cachet_test_server_expect (test.server, "A0001 LOGIN \"" ADDRESS "\" \"pa\\\"ss\\\\word\"");
  cachet_test_server_send (test.server, "A0001 OK [CAPABILITY IMAP4rev1] Logged in");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);

  test_finish (&test);
}

static void
test_login_failed (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *auth = authenticate_line ("A0001");

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready");
  cachet_test_server_expect (test.server, auth);
  cachet_test_server_send (test.server, "A0001 NO [AUTHENTICATIONFAILED] Authentication failed.");
  cachet_test_server_expect_disconnect (test.server);

  cachet_imap_session_connect_async (test.session, NULL, cachet_test_result_cb, &result);
  cachet_test_wait_result (&result);
  g_assert_false (cachet_imap_session_connect_finish (test.session, result, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_UNAUTHENTICATED);
  g_assert_nonnull (strstr (error->message, "password"));
  g_assert_cmpint (cachet_imap_session_result_get_code (result), ==,
                   CACHET_IMAP_RESPONSE_CODE_AUTHENTICATIONFAILED);
  g_assert_cmpint (cachet_imap_session_get_state (test.session), ==,
                   CACHET_IMAP_SESSION_STATE_NOT_CONNECTED);
  {
    g_autofree char *closed = g_strdup_printf ("closed cachet-imap-error-quark %d",
                                               CACHET_IMAP_ERROR_UNAUTHENTICATED);

    assert_events (&test, closed, NULL);
  }

  test_finish (&test);
}

static void
test_login_missing_password (void)
{
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imaps", NULL))
    return;

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready");
  cachet_test_server_expect_disconnect (test.server);

  g_assert_false (session_connect (&test, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_UNAUTHENTICATED);
  g_assert_nonnull (strstr (error->message, "Enter the password"));
  g_assert_nonnull (strstr (error->message, "Cabinet"));
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 1);

  test_finish (&test);
}

static void
test_login_disabled (void)
{
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* Even over TLS, LOGINDISABLED with no usable mechanism: nothing is sent. */
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server,
                           "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=GSSAPI] ready");
  cachet_test_server_expect_disconnect (test.server);

  g_assert_false (session_connect (&test, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_SASL_NO_MECHANISM);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);

  test_finish (&test);
}

static void
test_login_oauth (void)
{
  Test test;
  g_autofree char *expected = NULL;
  g_autofree char *encoded = NULL;
  static const char message[] = "user=" ADDRESS "\001auth=Bearer psc-token\001\001";

  if (!test_init (&test, "imaps", NULL))
    return;

  encoded = g_base64_encode ((const guchar *) message, sizeof message - 1);
  expected = g_strdup_printf ("A0001 AUTHENTICATE XOAUTH2 %s", encoded);
  cachet_imap_session_set_oauth_token (test.session, "psc-token");

  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server,
                           "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=XOAUTH2] ready");
  cachet_test_server_expect (test.server, expected);
  cachet_test_server_send (test.server, "A0001 OK [CAPABILITY IMAP4rev1] Logged in");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (test.credentials), ==, 0);

  test_finish (&test);
}

/* LIST ----------------------------------------------------------------------------------------- */

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

static void
test_list_special_use (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  CachetImapMailboxInfo *info;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1 LIST-EXTENDED SPECIAL-USE");
  cachet_test_server_expect (test.server, "A0002 LIST \"\" \"*\" RETURN (SUBSCRIBED SPECIAL-USE)");
  cachet_test_server_send (test.server, "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX");
  cachet_test_server_send (test.server,
                           "* LIST (\\HasNoChildren \\Subscribed \\Sent) \"/\" \"Envoy&AOk-s\"");
  cachet_test_server_send (test.server,
                           "* LIST (\\HasChildren \\Drafts \\Subscribed) \"/\" Drafts");
  cachet_test_server_send (test.server, "* LIST (\\HasNoChildren \\Trash) \"/\" {5}\r\nTrash");
  cachet_test_server_send (test.server, "* LIST (\\Noselect \\HasChildren) \"/\" Patients");
  cachet_test_server_send (test.server,
                           "* LIST (\\HasNoChildren) \"/\" \"Patients/Dupont &AMk-lise\"");
  /* Not canonical modified UTF-7 ("&AGE-" is plain "a"): left out. */
  cachet_test_server_send (test.server, "* LIST (\\HasNoChildren) \"/\" \"&AGE-\"");
  cachet_test_server_send (test.server, "A0002 OK List completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  mailboxes = session_list (&test, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mailboxes->len, ==, 6);

  info = find_mailbox (mailboxes, "INBOX");
  g_assert_nonnull (info);
  g_assert_true (cachet_imap_mailbox_info_is_subscribed (info));
  g_assert_cmpint (cachet_imap_mailbox_info_get_delimiter (info), ==, '/');

  info = find_mailbox (mailboxes, "Envoyés");
  g_assert_nonnull (info);
  g_assert_cmpstr (cachet_imap_mailbox_info_get_wire_name (info), ==, "Envoy&AOk-s");
  g_assert_cmpint (cachet_imap_mailbox_info_get_special_use (info), ==,
                   CACHET_IMAP_SPECIAL_USE_SENT);

  info = find_mailbox (mailboxes, "Drafts");
  g_assert_cmpint (cachet_imap_mailbox_info_get_special_use (info), ==,
                   CACHET_IMAP_SPECIAL_USE_DRAFTS);
  info = find_mailbox (mailboxes, "Trash");
  g_assert_cmpint (cachet_imap_mailbox_info_get_special_use (info), ==,
                   CACHET_IMAP_SPECIAL_USE_TRASH);
  g_assert_false (cachet_imap_mailbox_info_is_subscribed (info));
  info = find_mailbox (mailboxes, "Patients");
  g_assert_false (cachet_imap_mailbox_info_is_selectable (info));
  g_assert_true (cachet_imap_mailbox_info_has_attribute (info, "\\NOSELECT"));
  g_assert_nonnull (find_mailbox (mailboxes, "Patients/Dupont Élise"));

  test_finish (&test);
}

static void
test_list_lsub (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* Without LIST-EXTENDED: LIST and LSUB in flight together. */
  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, "A0002 LIST \"\" \"*\"");
  cachet_test_server_expect (test.server, "A0003 LSUB \"\" \"*\"");
  cachet_test_server_send (test.server, "* LSUB () \".\" inbox");
  cachet_test_server_send (test.server, "* LIST (\\HasNoChildren) \".\" INBOX");
  cachet_test_server_send (test.server, "* LIST (\\HasNoChildren \\Junk) \".\" Spam");
  cachet_test_server_send (test.server, "A0003 OK Lsub completed");
  cachet_test_server_send (test.server, "* LIST (\\HasNoChildren) \".\" Archives");
  cachet_test_server_send (test.server, "A0002 OK List completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  mailboxes = session_list (&test, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mailboxes->len, ==, 3);
  g_assert_true (cachet_imap_mailbox_info_is_subscribed (find_mailbox (mailboxes, "INBOX")));
  g_assert_false (cachet_imap_mailbox_info_is_subscribed (find_mailbox (mailboxes, "Spam")));
  g_assert_cmpint (cachet_imap_mailbox_info_get_special_use (find_mailbox (mailboxes, "Spam")), ==,
                   CACHET_IMAP_SPECIAL_USE_JUNK);

  test_finish (&test);
}

/* SELECT -------------------------------------------------------------------------------------- */

static void
script_select_inbox (Test       *test,
                     const char *tag,
                     const char *modifier)
{
  g_autofree char *select = g_strdup_printf ("%s SELECT \"INBOX\"%s", tag, modifier);
  g_autofree char *ok = g_strdup_printf ("%s OK [READ-WRITE] Select completed", tag);

  cachet_test_server_expect (test->server, select);
  cachet_test_server_send (test->server, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
  cachet_test_server_send (test->server,
                           "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft "
                           "\\*)] Flags permitted.");
  cachet_test_server_send (test->server, "* 3 EXISTS");
  cachet_test_server_send (test->server, "* 0 RECENT");
  cachet_test_server_send (test->server, "* OK [UIDVALIDITY 1700000000] UIDs valid");
  cachet_test_server_send (test->server, "* OK [UIDNEXT 13] Predicted next UID");
  cachet_test_server_send (test->server, "* OK [HIGHESTMODSEQ 120] Highest");
  cachet_test_server_send (test->server, ok);
}

static void
test_select_condstore (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) result = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1 CONDSTORE");
  script_select_inbox (&test, "A0002", " (CONDSTORE)");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  result = session_select (&test, "inbox", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cachet_imap_select_result_get_mailbox (result), ==, "INBOX");
  g_assert_false (cachet_imap_select_result_is_read_only (result));
  g_assert_cmpuint (cachet_imap_select_result_get_uidvalidity (result), ==, 1700000000);
  g_assert_cmpuint (cachet_imap_select_result_get_uidnext (result), ==, 13);
  g_assert_cmpuint (cachet_imap_select_result_get_exists (result), ==, 3);
  g_assert_cmpuint (cachet_imap_select_result_get_highest_modseq (result), ==, 120);
  g_assert_true (g_strv_contains (cachet_imap_select_result_get_permanent_flags (result), "\\*"));
  g_assert_cmpuint (g_strv_length ((char **) cachet_imap_select_result_get_flags (result)), ==, 5);
  g_assert_cmpuint (cachet_imap_select_result_get_vanished (result)->len, ==, 0);

  g_assert_cmpint (cachet_imap_session_get_state (test.session), ==,
                   CACHET_IMAP_SESSION_STATE_SELECTED);
  g_assert_cmpstr (cachet_imap_session_get_selected_mailbox (test.session), ==, "INBOX");
  g_assert_cmpuint (cachet_imap_session_get_exists (test.session), ==, 3);
  g_assert_cmpuint (cachet_imap_session_get_uidvalidity (test.session), ==, 1700000000);
  g_assert_false (cachet_imap_session_is_read_only (test.session));
  /* Selecting reports state, not changes. */
  assert_events (&test, NULL);

  test_finish (&test);
}

static void
test_select_failed (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) result = NULL;
  g_autoptr(CachetImapSelectResult) other = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  script_select_inbox (&test, "A0002", "");
  cachet_test_server_expect (test.server, "A0003 SELECT \"Nowhere\"");
  cachet_test_server_send (test.server, "A0003 NO [NONEXISTENT] Mailbox doesn't exist: Nowhere");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  result = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  other = session_select (&test, "Nowhere", NULL, &error);
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_NO);
  g_assert_nonnull (strstr (error->message, "Mailbox doesn't exist"));
  /* A failed SELECT leaves no mailbox selected (RFC 9051 §6.3.2). */
  g_assert_null (cachet_imap_session_get_selected_mailbox (test.session));
  g_assert_cmpint (cachet_imap_session_get_state (test.session), ==,
                   CACHET_IMAP_SESSION_STATE_AUTHENTICATED);

  test_finish (&test);
}

static void
test_select_qresync (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) first = NULL;
  g_autoptr(CachetImapSelectResult) result = NULL;
  g_autoptr(GArray) known = g_array_new (FALSE, FALSE, sizeof (guint32));
  CachetImapQresync qresync = { 67890007, 90060115194045000, known };
  CachetImapFetchResult *changed;
  GArray *vanished;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  for (guint32 uid = 41; uid <= 60; uid++)
    g_array_append_val (known, uid);

  /* RFC 7162 §3.2.5.1, with a mailbox selected before: what comes before
   * [CLOSED] is the old mailbox's. */
  script_login (&test, "IMAP4rev1 ENABLE QRESYNC CONDSTORE");
  cachet_test_server_expect (test.server, "A0003 SELECT \"Drafts\"");
  cachet_test_server_send (test.server, "* 1 EXISTS");
  cachet_test_server_send (test.server, "* OK [UIDVALIDITY 5] UIDs valid");
  cachet_test_server_send (test.server, "A0003 OK [READ-WRITE] done");
  cachet_test_server_expect (test.server,
                             "A0004 SELECT \"INBOX\" (QRESYNC (67890007 90060115194045000 41:60))");
  cachet_test_server_send (test.server, "* 1 EXPUNGE");
  cachet_test_server_send (test.server, "* OK [CLOSED] Previous mailbox closed");
  cachet_test_server_send (test.server, "* 100 EXISTS");
  cachet_test_server_send (test.server, "* 11 RECENT");
  cachet_test_server_send (test.server, "* OK [UIDVALIDITY 67890007] UIDVALIDITY");
  cachet_test_server_send (test.server, "* OK [UIDNEXT 600] Predicted next UID");
  cachet_test_server_send (test.server, "* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)");
  cachet_test_server_send (test.server,
                           "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen "
                           "\\*)] Permanent flags");
  cachet_test_server_send (test.server,
                           "* OK [HIGHESTMODSEQ 90060128194045007] Highest mailbox mod-sequence");
  cachet_test_server_send (test.server, "* VANISHED (EARLIER) 41,43:46,55");
  cachet_test_server_send (test.server,
                           "* 49 FETCH (UID 59 FLAGS (\\Seen \\Answered) MODSEQ "
                           "(90060115194045001))");
  cachet_test_server_send (test.server, "A0004 OK [READ-WRITE] mailbox selected");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  g_assert_true (cachet_imap_session_is_enabled (test.session, "QRESYNC"));
  first = session_select (&test, "Drafts", NULL, &error);
  g_assert_no_error (error);
  result = session_select (&test, "INBOX", &qresync, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (cachet_imap_select_result_get_uidvalidity (result), ==, 67890007);
  g_assert_cmpuint (cachet_imap_select_result_get_exists (result), ==, 100);
  g_assert_cmpuint (cachet_imap_select_result_get_highest_modseq (result), ==, 90060128194045007);
  vanished = cachet_imap_select_result_get_vanished (result);
  g_assert_cmpuint (vanished->len, ==, 3);
  g_assert_cmpuint (g_array_index (vanished, CachetImapRange, 1).first, ==, 43);
  g_assert_cmpuint (g_array_index (vanished, CachetImapRange, 1).last, ==, 46);
  g_assert_cmpuint (cachet_imap_select_result_get_changed (result)->len, ==, 1);
  changed = g_ptr_array_index (cachet_imap_select_result_get_changed (result), 0);
  g_assert_cmpuint (cachet_imap_fetch_result_get_uid (changed), ==, 59);
  g_assert_cmpuint (cachet_imap_fetch_result_get_modseq (changed), ==, 90060115194045001);
  g_assert_true (cachet_imap_fetch_result_has_flag (changed, "\\answered"));
  /* The FETCH taught the session a UID. */
  g_assert_cmpuint (cachet_imap_session_lookup_uid (test.session, 49), ==, 59);
  /* The expunge before [CLOSED] was Drafts': no signal for INBOX. */
  assert_events (&test, NULL);

  test_finish (&test);
}

static void
test_select_qresync_without_closed (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) first = NULL;
  g_autoptr(CachetImapSelectResult) result = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* A server that never marks the boundary: what it sent was the new
   * mailbox's after all, and must not read as UIDVALIDITY 0. */
  script_login (&test, "IMAP4rev1 ENABLE QRESYNC");
  cachet_test_server_expect (test.server, "A0003 SELECT \"Drafts\"");
  cachet_test_server_send (test.server, "* OK [UIDVALIDITY 5] UIDs valid");
  cachet_test_server_send (test.server, "A0003 OK [READ-WRITE] done");
  cachet_test_server_expect (test.server, "A0004 SELECT \"INBOX\"");
  cachet_test_server_send (test.server, "* 7 EXISTS");
  cachet_test_server_send (test.server, "* OK [UIDVALIDITY 42] UIDs valid");
  cachet_test_server_send (test.server, "* OK [HIGHESTMODSEQ 900] Highest");
  cachet_test_server_send (test.server, "A0004 OK [READ-WRITE] done");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  first = session_select (&test, "Drafts", NULL, &error);
  g_assert_no_error (error);
  result = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cachet_imap_select_result_get_uidvalidity (result), ==, 42);
  g_assert_cmpuint (cachet_imap_select_result_get_exists (result), ==, 7);
  g_assert_cmpuint (cachet_imap_select_result_get_highest_modseq (result), ==, 900);
  assert_events (&test, NULL);

  test_finish (&test);
}

/* FETCH --------------------------------------------------------------------------------------- */

#define BODY_1 "From: lab@example.org\r\nSubject: Results\r\n\r\nHemoglobin 13.5 g/dL\r\n"
#define BODY_2 "From: dr@example.org\r\n\r\n{5}\r\n* BYE not really\r\n"

static void
test_fetch_bodies (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *fetch_1 = NULL;
  g_autofree char *fetch_2 = NULL;
  static const guint32 uids[] = { 12, 10, 11 };
  CachetImapFetchResult *result;
  GDateTime *date;
  gsize size;
  const char *data;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* Bodies as literals, one of them holding what looks like IMAP. */
  fetch_1 = g_strdup_printf ("* 1 FETCH (UID 10 RFC822.SIZE %zu FLAGS (\\Seen) "
                             "INTERNALDATE \"17-Jul-2026 02:44:25 +0200\" BODY[] {%zu}\r\n%s)",
                             strlen (BODY_1), strlen (BODY_1), BODY_1);
  fetch_2 = g_strdup_printf ("* 2 FETCH (UID 11 RFC822.SIZE %zu FLAGS () "
                             "INTERNALDATE \" 1-Jan-2026 00:00:00 +0000\" BODY[] {%zu}\r\n%s)",
                             strlen (BODY_2), strlen (BODY_2), BODY_2);
  script_login (&test, "IMAP4rev1");
  script_select_inbox (&test, "A0002", "");
  cachet_test_server_expect (test.server,
                             "A0003 UID FETCH 10:12 (UID FLAGS INTERNALDATE RFC822.SIZE "
                             "BODY.PEEK[])");
  cachet_test_server_send (test.server, fetch_1);
  cachet_test_server_send (test.server, fetch_2);
  /* Another client changed a flag meanwhile: not this command's. */
  cachet_test_server_send (test.server, "* 3 FETCH (FLAGS (\\Flagged))");
  cachet_test_server_send (test.server,
                           "* 3 FETCH (UID 12 RFC822.SIZE 0 FLAGS () INTERNALDATE \"01-Jan-2026 "
                           "00:00:00 +0000\" BODY[] NIL)");
  cachet_test_server_send (test.server, "A0003 OK Fetch completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  results = session_fetch (&test, uids, G_N_ELEMENTS (uids),
                           CACHET_IMAP_FETCH_FLAGS | CACHET_IMAP_FETCH_INTERNALDATE |
                           CACHET_IMAP_FETCH_SIZE | CACHET_IMAP_FETCH_BODY |
                           CACHET_IMAP_FETCH_MODSEQ, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);

  result = g_ptr_array_index (results, 0);
  date = cachet_imap_fetch_result_get_internaldate (result);
  g_assert_cmpuint (cachet_imap_fetch_result_get_uid (result), ==, 10);
  g_assert_cmpuint (cachet_imap_fetch_result_get_sequence (result), ==, 1);
  data = g_bytes_get_data (cachet_imap_fetch_result_get_body (result), &size);
  g_assert_cmpmem (data, size, BODY_1, strlen (BODY_1));
  g_assert_cmpuint (cachet_imap_fetch_result_get_size (result), ==, size);
  g_assert_true (cachet_imap_fetch_result_has_flag (result, "\\Seen"));
  g_assert_cmpint (g_date_time_get_hour (date), ==, 2);
  g_assert_cmpint (g_date_time_get_utc_offset (date), ==, 2 * G_TIME_SPAN_HOUR);

  result = g_ptr_array_index (results, 1);
  date = cachet_imap_fetch_result_get_internaldate (result);
  data = g_bytes_get_data (cachet_imap_fetch_result_get_body (result), &size);
  g_assert_cmpmem (data, size, BODY_2, strlen (BODY_2));
  g_assert_cmpint (g_date_time_get_day_of_month (date), ==, 1);

  result = g_ptr_array_index (results, 2);
  g_assert_cmpuint (cachet_imap_fetch_result_get_uid (result), ==, 12);
  g_assert_null (cachet_imap_fetch_result_get_body (result));
  g_assert_true (cachet_imap_fetch_result_get_items (result) & CACHET_IMAP_FETCH_BODY);

  /* The session learnt the UIDs, and saw the other client's change. */
  g_assert_cmpuint (cachet_imap_session_lookup_uid (test.session, 3), ==, 12);
  assert_events (&test, "flags uid 0 seq 3 (\\Flagged) modseq 0", NULL);

  test_finish (&test);
}

typedef struct
{
  GPtrArray    *seen;
  GCancellable *cancel_after_first;
} FetchSink;

static void
collect_message (CachetImapFetchResult *result,
                 gpointer               user_data)
{
  FetchSink *sink = user_data;

  GBytes *body = cachet_imap_fetch_result_get_body (result);

  g_ptr_array_add (sink->seen, g_strdup_printf ("%u:%" G_GSIZE_FORMAT,
                                                cachet_imap_fetch_result_get_uid (result),
                                                body != NULL ? g_bytes_get_size (body) : 0));
  if (sink->cancel_after_first != NULL)
    g_cancellable_cancel (sink->cancel_after_first);
}

/* A literal that arrives in pieces, each in its own segment, with pauses
 * between them and the parts around it: the body is given once, whole. */
static void
test_fetch_literal_split (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *head = g_strdup_printf ("* 1 FETCH (UID 10 BODY[] {%zu}\r\n", strlen (BODY_1));
  static const guint32 uids[] = { 10 };
  const gsize cut = strlen (BODY_1) / 2;
  gsize size;
  const char *data;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  script_select_inbox (&test, "A0002", "");
  cachet_test_server_expect (test.server, "A0003 UID FETCH 10 (UID BODY.PEEK[])");
  cachet_test_server_send_raw (test.server, head, (gssize) strlen (head) - 3);
  cachet_test_server_delay (test.server, 20);
  cachet_test_server_send_raw (test.server, head + strlen (head) - 3, -1);
  cachet_test_server_delay (test.server, 20);
  cachet_test_server_send_raw (test.server, BODY_1, (gssize) cut);
  cachet_test_server_delay (test.server, 20);
  cachet_test_server_send_raw (test.server, &BODY_1[cut], -1);
  cachet_test_server_delay (test.server, 20);
  cachet_test_server_send_raw (test.server, ")\r\nA0003 OK Fe", -1);
  cachet_test_server_delay (test.server, 20);
  cachet_test_server_send_raw (test.server, "tch completed\r\n", -1);
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  results = session_fetch (&test, uids, G_N_ELEMENTS (uids), CACHET_IMAP_FETCH_BODY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  data = g_bytes_get_data (cachet_imap_fetch_result_get_body (g_ptr_array_index (results, 0)),
                           &size);
  g_assert_cmpmem (data, size, BODY_1, strlen (BODY_1));

  test_finish (&test);
}

/* Untagged responses may come at any time (RFC 9051 §7): between the
 * responses of a command, before its tagged answer. They are reported as
 * changes and do not disturb the command. */
static void
test_fetch_untagged_interleaved (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GPtrArray) results = NULL;
  static const guint32 uids[] = { 10, 12 };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  script_select_inbox (&test, "A0002", "");
  cachet_test_server_expect (test.server, "A0003 UID FETCH 10,12 (UID FLAGS)");
  cachet_test_server_send (test.server, "* 4 EXISTS");
  cachet_test_server_send (test.server, "* 1 FETCH (UID 10 FLAGS (\\Seen))");
  cachet_test_server_send (test.server, "* OK Still here");
  cachet_test_server_send (test.server, "* 2 EXPUNGE");
  cachet_test_server_send (test.server, "* 2 FETCH (UID 12 FLAGS ())");
  cachet_test_server_send (test.server, "* 0 RECENT");
  cachet_test_server_send (test.server, "A0003 OK Fetch completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  results = session_fetch (&test, uids, G_N_ELEMENTS (uids), CACHET_IMAP_FETCH_FLAGS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpuint (cachet_imap_fetch_result_get_uid (g_ptr_array_index (results, 0)), ==, 10);
  g_assert_cmpuint (cachet_imap_fetch_result_get_uid (g_ptr_array_index (results, 1)), ==, 12);
  /* Message 2, whose UID the session had not learnt, went; UID 12 is now
   * message 2. */
  g_assert_cmpuint (cachet_imap_session_lookup_uid (test.session, 2), ==, 12);
  assert_events (&test, "exists 4", "expunged 2 uid 0", NULL);

  test_finish (&test);
}

/* BAD answers one command: it fails with the server's text, and the session
 * goes on. */
static void
test_command_bad (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GPtrArray) results = NULL;
  static const guint32 uids[] = { 10 };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  script_select_inbox (&test, "A0002", "");
  cachet_test_server_expect (test.server, "A0003 UID FETCH 10 (UID FLAGS)");
  cachet_test_server_send (test.server, "A0003 BAD Error in IMAP command UID FETCH: Invalid arguments");
  cachet_test_server_expect (test.server, "A0004 NOOP");
  cachet_test_server_send (test.server, "A0004 OK NOOP completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  results = session_fetch (&test, uids, G_N_ELEMENTS (uids), CACHET_IMAP_FETCH_FLAGS, &error);
  g_assert_null (results);
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_BAD);
  g_assert_nonnull (strstr (error->message, "Invalid arguments"));
  g_clear_error (&error);
  g_assert_true (session_noop (&test, &error));
  g_assert_no_error (error);

  test_finish (&test);
}

static void
test_fetch_batches_streamed (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GPtrArray) results = NULL;
  FetchSink sink = { g_ptr_array_new_with_free_func (g_free), NULL };
  static const guint32 uids[] = { 1, 2, 3, 7, 8 };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  cachet_imap_session_set_fetch_batch_size (test.session, 2);
  script_login (&test, "IMAP4rev1");
  script_select_inbox (&test, "A0002", "");
  cachet_test_server_expect (test.server, "A0003 UID FETCH 1:2 (UID BODY.PEEK[HEADER])");
  cachet_test_server_send (test.server, "* 1 FETCH (UID 1 BODY[HEADER] {4}\r\nA: b)");
  /* A message split over two responses is given once, complete. */
  cachet_test_server_send (test.server, "* 2 FETCH (UID 2)");
  cachet_test_server_send (test.server, "* 2 FETCH (UID 2 BODY[HEADER] \"C: d\")");
  cachet_test_server_send (test.server, "A0003 OK done");
  cachet_test_server_expect (test.server, "A0004 UID FETCH 3,7 (UID BODY.PEEK[HEADER])");
  /* 7 was expunged by someone else: no answer for it. */
  cachet_test_server_send (test.server, "* 3 FETCH (UID 3 BODY[HEADER] {0}\r\n)");
  cachet_test_server_send (test.server, "A0004 OK done");
  cachet_test_server_expect (test.server, "A0005 UID FETCH 8 (UID BODY.PEEK[HEADER])");
  cachet_test_server_send (test.server, "A0005 OK done");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  cachet_imap_session_uid_fetch_async (test.session, uids, G_N_ELEMENTS (uids),
                                       CACHET_IMAP_FETCH_BODY, "header", collect_message, &sink,
                                       NULL, NULL, cachet_test_result_cb, &result);
  results = cachet_imap_session_uid_fetch_finish (test.session, cachet_test_wait_result (&result),
                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 0);
  g_assert_cmpuint (sink.seen->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (sink.seen, 0), ==, "1:4");
  g_assert_cmpstr (g_ptr_array_index (sink.seen, 1), ==, "2:4");
  g_assert_cmpstr (g_ptr_array_index (sink.seen, 2), ==, "3:0");

  g_ptr_array_unref (sink.seen);
  test_finish (&test);
}

static void
test_fetch_changes (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GArray) vanished = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1 ENABLE QRESYNC");
  script_select_inbox (&test, "A0003", "");
  cachet_test_server_expect (test.server,
                             "A0004 UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE 100 VANISHED)");
  cachet_test_server_send (test.server, "* VANISHED (EARLIER) 4:5");
  cachet_test_server_send (test.server, "* 2 FETCH (UID 11 FLAGS ($Imported) MODSEQ (121))");
  cachet_test_server_send (test.server, "A0004 OK done");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  cachet_imap_session_uid_fetch_changes_async (test.session, 100, NULL, cachet_test_result_cb,
                                               &result);
  changes = cachet_imap_session_uid_fetch_changes_finish (test.session,
                                                         cachet_test_wait_result (&result),
                                                         &vanished, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (cachet_imap_fetch_result_get_modseq (g_ptr_array_index (changes, 0)), ==, 121);
  g_assert_cmpuint (vanished->len, ==, 1);
  g_assert_cmpuint (g_array_index (vanished, CachetImapRange, 0).last, ==, 5);
  assert_events (&test, NULL);

  test_finish (&test);
}

static void
test_fetch_changes_without_condstore (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) changes = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  cachet_imap_session_uid_fetch_changes_async (test.session, 100, NULL, cachet_test_result_cb,
                                               &result);
  changes = cachet_imap_session_uid_fetch_changes_finish (test.session,
                                                         cachet_test_wait_result (&result),
                                                         NULL, &error);
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_SUPPORTED);
  g_assert_null (changes);

  test_finish (&test);
}

/* STORE and SEARCH ----------------------------------------------------------------------------- */

static void
test_store_unchangedsince (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GArray) modified = NULL;
  g_autofree char *text = NULL;
  static const guint32 uids[] = { 3, 1, 2 };
  static const char * const flags[] = { "$Imported", NULL };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1 CONDSTORE");
  script_select_inbox (&test, "A0002", " (CONDSTORE)");
  cachet_test_server_expect (test.server,
                             "A0003 UID STORE 1:3 (UNCHANGEDSINCE 120) +FLAGS.SILENT ($Imported)");
  /* The new mod-sequences of our own change: no signal. */
  cachet_test_server_send (test.server, "* 1 FETCH (UID 1 MODSEQ (121))");
  cachet_test_server_send (test.server, "* 3 FETCH (UID 3 MODSEQ (122))");
  cachet_test_server_send (test.server, "A0003 OK [MODIFIED 2] Conditional STORE failed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  cachet_imap_session_uid_store_async (test.session, uids, G_N_ELEMENTS (uids),
                                       CACHET_IMAP_STORE_ADD,
                                       flags, 120, NULL, cachet_test_result_cb, &result);
  g_assert_true (cachet_imap_session_uid_store_finish (test.session,
                                                       cachet_test_wait_result (&result),
                                                       &modified, &error));
  g_assert_no_error (error);
  text = uids_to_string (modified);
  g_assert_cmpstr (text, ==, "2");
  assert_events (&test, NULL);

  test_finish (&test);
}

static void
test_search (gconstpointer data)
{
  gboolean esearch = GPOINTER_TO_INT (data);
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autofree char *text = NULL;
  static const char * const criteria[] = {
    "UNKEYWORD", "$Imported", "SUBJECT", "Résultats labo", NULL
  };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, esearch ? "IMAP4rev1 ESEARCH" : "IMAP4rev1");
  if (esearch)
    {
      cachet_test_server_expect (test.server,
                                 "A0002 UID SEARCH RETURN (ALL) CHARSET UTF-8 UNKEYWORD $Imported "
                                 "SUBJECT {15}");
      cachet_test_server_send (test.server, "+ go on");
      cachet_test_server_expect (test.server, "Résultats labo");
      /* Another command's results, then ours. */
      cachet_test_server_send (test.server, "* ESEARCH (TAG \"A0099\") UID ALL 1");
      cachet_test_server_send (test.server, "* ESEARCH (TAG \"A0002\") UID ALL 9,2:4");
    }
  else
    {
      cachet_test_server_expect (test.server,
                                 "A0002 UID SEARCH CHARSET UTF-8 UNKEYWORD $Imported SUBJECT {15}");
      cachet_test_server_send (test.server, "+ go on");
      cachet_test_server_expect (test.server, "Résultats labo");
      cachet_test_server_send (test.server, "* SEARCH 9 2 3 4 3");
    }
  cachet_test_server_send (test.server, "A0002 OK Search done");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  cachet_imap_session_uid_search_async (test.session, criteria, NULL, cachet_test_result_cb,
                                        &result);
  uids = cachet_imap_session_uid_search_finish (test.session, cachet_test_wait_result (&result),
                                                &error);
  g_assert_no_error (error);
  text = uids_to_string (uids);
  g_assert_cmpstr (text, ==, "2,3,4,9");

  test_finish (&test);
}

/* Pipelining ----------------------------------------------------------------------------------- */

static void
test_pipeline (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) list_result = NULL;
  g_autoptr(GAsyncResult) status_result = NULL;
  g_autoptr(GAsyncResult) status2_result = NULL;
  g_autoptr(GAsyncResult) search_result = NULL;
  g_autoptr(GAsyncResult) noop_result = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(CachetImapMailboxStatus) status = NULL;
  g_autoptr(CachetImapMailboxStatus) status2 = NULL;
  g_autoptr(GArray) uids = NULL;
  static const char * const all[] = { "ALL", NULL };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1 LIST-EXTENDED ESEARCH CONDSTORE");
  script_select_inbox (&test, "A0002", " (CONDSTORE)");
  /* Five commands written without waiting; the answers interleave, with
   * another client's changes in between, and complete out of order. */
  cachet_test_server_expect (test.server, "A0003 LIST \"\" \"*\" RETURN (SUBSCRIBED)");
  cachet_test_server_expect (test.server,
                             "A0004 STATUS \"Drafts\" (MESSAGES UIDNEXT UIDVALIDITY UNSEEN "
                             "HIGHESTMODSEQ)");
  cachet_test_server_expect (test.server,
                             "A0005 STATUS \"Envoy&AOk-s\" (MESSAGES UIDNEXT UIDVALIDITY UNSEEN "
                             "HIGHESTMODSEQ)");
  cachet_test_server_expect (test.server, "A0006 UID SEARCH RETURN (ALL) ALL");
  cachet_test_server_expect (test.server, "A0007 NOOP");
  cachet_test_server_send (test.server,
                           "* STATUS \"Envoy&AOk-s\" (MESSAGES 7 UIDNEXT 8 UIDVALIDITY 3 UNSEEN 0 "
                           "HIGHESTMODSEQ 9)");
  cachet_test_server_send (test.server, "* LIST (\\Subscribed) \"/\" INBOX");
  cachet_test_server_send (test.server, "* 4 EXISTS");
  cachet_test_server_send (test.server,
                           "* STATUS Drafts (MESSAGES 2 UIDNEXT 5 UIDVALIDITY 4 UNSEEN 1 "
                           "HIGHESTMODSEQ 17)");
  cachet_test_server_send (test.server, "* ESEARCH (TAG \"A0006\") UID ALL 10:13");
  cachet_test_server_send (test.server, "A0007 OK NOOP completed");
  cachet_test_server_send (test.server, "A0005 OK Status completed");
  cachet_test_server_send (test.server, "* 1 FETCH (UID 10 FLAGS (\\Seen) MODSEQ (130))");
  cachet_test_server_send (test.server, "* LIST () \"/\" Drafts");
  cachet_test_server_send (test.server, "A0006 OK Search completed");
  cachet_test_server_send (test.server, "A0004 OK Status completed");
  cachet_test_server_send (test.server, "A0003 OK List completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);

  cachet_imap_session_list_async (test.session, NULL, cachet_test_result_cb, &list_result);
  cachet_imap_session_status_async (test.session, "Drafts", NULL, cachet_test_result_cb,
                                    &status_result);
  cachet_imap_session_status_async (test.session, "Envoyés", NULL, cachet_test_result_cb,
                                    &status2_result);
  cachet_imap_session_uid_search_async (test.session, all, NULL, cachet_test_result_cb,
                                        &search_result);
  cachet_imap_session_noop_async (test.session, NULL, cachet_test_result_cb, &noop_result);

  g_assert_true (cachet_imap_session_noop_finish (test.session,
                                                  cachet_test_wait_result (&noop_result),
                                                  &error));
  g_assert_no_error (error);
  status2 = cachet_imap_session_status_finish (test.session,
                                               cachet_test_wait_result (&status2_result),
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status2->messages, ==, 7);
  g_assert_cmpuint (status2->highest_modseq, ==, 9);
  uids = cachet_imap_session_uid_search_finish (test.session,
                                                cachet_test_wait_result (&search_result),
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 4);
  status = cachet_imap_session_status_finish (test.session,
                                              cachet_test_wait_result (&status_result),
                                              &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status->items, ==,
                    CACHET_IMAP_STATUS_ITEM_MESSAGES | CACHET_IMAP_STATUS_ITEM_UIDNEXT |
                    CACHET_IMAP_STATUS_ITEM_UIDVALIDITY | CACHET_IMAP_STATUS_ITEM_UNSEEN |
                    CACHET_IMAP_STATUS_ITEM_HIGHESTMODSEQ);
  g_assert_cmpuint (status->unseen, ==, 1);
  g_assert_cmpuint (status->uidnext, ==, 5);
  mailboxes = cachet_imap_session_list_finish (test.session, cachet_test_wait_result (&list_result),
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mailboxes->len, ==, 2);

  g_assert_cmpuint (cachet_imap_session_get_exists (test.session), ==, 4);
  assert_events (&test, "exists 4", "flags uid 10 seq 1 (\\Seen) modseq 130", NULL);

  test_finish (&test);
}

/* IDLE ----------------------------------------------------------------------------------------- */

static gboolean
session_idle (Test    *test,
              GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cachet_imap_session_idle_async (test->session, NULL, cachet_test_result_cb, &result);
  return cachet_imap_session_idle_finish (test->session, cachet_test_wait_result (&result), error);
}

static void
test_idle_unsolicited (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autoptr(GPtrArray) results = NULL;
  static const guint32 uids[] = { 10, 11, 12 };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1 IDLE");
  script_select_inbox (&test, "A0002", "");
  cachet_test_server_expect (test.server, "A0003 UID FETCH 10:12 (UID FLAGS)");
  cachet_test_server_send (test.server, "* 1 FETCH (UID 10 FLAGS ())");
  cachet_test_server_send (test.server, "* 2 FETCH (UID 11 FLAGS ())");
  cachet_test_server_send (test.server, "* 3 FETCH (UID 12 FLAGS ())");
  cachet_test_server_send (test.server, "A0003 OK done");
  cachet_test_server_expect (test.server, "A0004 IDLE");
  cachet_test_server_send (test.server, "+ idling");
  cachet_test_server_send (test.server, "* OK Still here");
  cachet_test_server_delay (test.server, 50);
  /* Another client expunged the second message. */
  cachet_test_server_send (test.server, "* 2 EXPUNGE");
  cachet_test_server_expect (test.server, "DONE");
  cachet_test_server_send (test.server, "* 3 EXISTS");
  cachet_test_server_send (test.server, "A0004 OK Idle completed");
  cachet_test_server_expect (test.server, "A0005 IDLE");
  cachet_test_server_send (test.server, "+ idling");
  cachet_test_server_send (test.server, "* 1 FETCH (FLAGS (\\Deleted))");
  cachet_test_server_expect (test.server, "DONE");
  cachet_test_server_send (test.server, "A0005 OK Idle completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  results = session_fetch (&test, uids, G_N_ELEMENTS (uids), CACHET_IMAP_FETCH_FLAGS, &error);
  g_assert_no_error (error);

  g_assert_true (session_idle (&test, &error));
  g_assert_no_error (error);
  assert_events (&test, "expunged 2 uid 11", "exists 3", NULL);
  g_assert_cmpuint (cachet_imap_session_get_exists (test.session), ==, 3);
  g_assert_cmpuint (cachet_imap_session_lookup_uid (test.session, 2), ==, 12);
  g_assert_cmpuint (cachet_imap_session_lookup_uid (test.session, 3), ==, 0);

  g_assert_true (session_idle (&test, &error));
  g_assert_no_error (error);
  assert_events (&test, "flags uid 10 seq 1 (\\Deleted) modseq 0", NULL);

  test_finish (&test);
}

static void
test_idle_refresh (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  cachet_imap_session_set_idle_refresh (test.session, 1);
  script_login (&test, "IMAP4rev1 IDLE");
  script_select_inbox (&test, "A0002", "");
  cachet_test_server_expect (test.server, "A0003 IDLE");
  cachet_test_server_send (test.server, "+ idling");
  /* After a second, IDLE is renewed without completing… */
  cachet_test_server_expect (test.server, "DONE");
  cachet_test_server_send (test.server, "A0003 OK Idle completed");
  cachet_test_server_expect (test.server, "A0004 IDLE");
  cachet_test_server_send (test.server, "+ idling");
  /* …until the server has news. */
  cachet_test_server_send (test.server, "* 4 EXISTS");
  cachet_test_server_expect (test.server, "DONE");
  cachet_test_server_send (test.server, "A0004 OK Idle completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (session_idle (&test, &error));
  g_assert_no_error (error);
  assert_events (&test, "exists 4", NULL);

  test_finish (&test);
}

static void
test_idle_done (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1 IDLE");
  cachet_test_server_expect (test.server, "A0002 IDLE");
  cachet_test_server_delay (test.server, 50);
  cachet_test_server_send (test.server, "+ idling");
  /* DONE only once "+" came, even if asked for before. */
  cachet_test_server_expect (test.server, "DONE");
  cachet_test_server_send (test.server, "A0002 OK Idle completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  cachet_imap_session_idle_async (test.session, NULL, cachet_test_result_cb, &result);
  cachet_imap_session_idle_done (test.session);
  g_assert_true (cachet_imap_session_idle_finish (test.session, cachet_test_wait_result (&result),
                                                  &error));
  g_assert_no_error (error);

  test_finish (&test);
}

static void
test_idle_ended_by_command (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) idle_result = NULL;
  g_autoptr(GAsyncResult) noop_result = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1 IDLE");
  cachet_test_server_expect (test.server, "A0002 IDLE");
  cachet_test_server_send (test.server, "+ idling");
  cachet_test_server_expect (test.server, "DONE");
  cachet_test_server_send (test.server, "A0002 OK Idle completed");
  cachet_test_server_expect (test.server, "A0003 NOOP");
  cachet_test_server_send (test.server, "A0003 OK done");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  /* The NOOP ends IDLE: DONE goes as soon as the server's "+" is in. */
  cachet_imap_session_idle_async (test.session, NULL, cachet_test_result_cb, &idle_result);
  cachet_imap_session_noop_async (test.session, NULL, cachet_test_result_cb, &noop_result);
  g_assert_true (cachet_imap_session_idle_finish (test.session,
                                                  cachet_test_wait_result (&idle_result),
                                                  &error));
  g_assert_no_error (error);
  g_assert_true (cachet_imap_session_noop_finish (test.session,
                                                  cachet_test_wait_result (&noop_result),
                                                  &error));
  g_assert_no_error (error);

  test_finish (&test);
}

static void
test_idle_not_supported (void)
{
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  g_assert_false (session_idle (&test, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_SUPPORTED);

  test_finish (&test);
}

/* MOVE ----------------------------------------------------------------------------------------- */

static CachetImapCopyUid *
session_move (Test    *test,
              GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  static const guint32 uids[] = { 5, 4 };

  cachet_imap_session_uid_move_async (test->session, uids, G_N_ELEMENTS (uids), "Trash", NULL,
                                      cachet_test_result_cb, &result);
  return cachet_imap_session_uid_move_finish (test->session, cachet_test_wait_result (&result),
                                              error);
}

static void
test_move (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapCopyUid) copyuid = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;
  g_autofree char *source = NULL;
  g_autofree char *destination = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1 MOVE UIDPLUS");
  script_select_inbox (&test, "A0002", "");
  cachet_test_server_expect (test.server, "A0003 UID MOVE 4:5 \"Trash\"");
  cachet_test_server_send (test.server, "* OK [COPYUID 432432 4:5 101:102] Moved UIDs.");
  cachet_test_server_send (test.server, "* 3 EXPUNGE");
  cachet_test_server_send (test.server, "* 2 EXPUNGE");
  cachet_test_server_send (test.server, "A0003 OK Move completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  copyuid = session_move (&test, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copyuid);
  g_assert_cmpuint (cachet_imap_copy_uid_get_uidvalidity (copyuid), ==, 432432);
  source = uids_to_string (cachet_imap_copy_uid_get_source_uids (copyuid));
  destination = uids_to_string (cachet_imap_copy_uid_get_destination_uids (copyuid));
  g_assert_cmpstr (source, ==, "4,5");
  g_assert_cmpstr (destination, ==, "101,102");
  assert_events (&test, "expunged 3 uid 0", "expunged 2 uid 0", NULL);
  g_assert_cmpuint (cachet_imap_session_get_exists (test.session), ==, 1);

  test_finish (&test);
}

static void
test_move_fallback (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapCopyUid) copyuid = NULL;
  g_autoptr(CachetImapSelectResult) selected = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* No MOVE: COPY, then \Deleted on exactly these, then UID EXPUNGE of
   * exactly these. Never EXPUNGE. */
  script_login (&test, "IMAP4rev1 UIDPLUS");
  script_select_inbox (&test, "A0002", "");
  cachet_test_server_expect (test.server, "A0003 UID COPY 4:5 \"Trash\"");
  cachet_test_server_send (test.server, "A0003 OK [COPYUID 432432 4:5 101:102] Copy completed");
  cachet_test_server_expect (test.server, "A0004 UID STORE 4:5 +FLAGS.SILENT (\\Deleted)");
  cachet_test_server_send (test.server, "A0004 OK Store completed");
  cachet_test_server_expect (test.server, "A0005 UID EXPUNGE 4:5");
  cachet_test_server_send (test.server, "* 3 EXPUNGE");
  cachet_test_server_send (test.server, "* 2 EXPUNGE");
  cachet_test_server_send (test.server, "A0005 OK Expunge completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  selected = session_select (&test, "INBOX", NULL, &error);
  g_assert_no_error (error);
  copyuid = session_move (&test, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copyuid);
  g_assert_cmpuint (cachet_imap_copy_uid_get_destination_uids (copyuid)->len, ==, 2);
  assert_events (&test, "expunged 3 uid 0", "expunged 2 uid 0", NULL);

  test_finish (&test);
}

static void
test_move_copy_failed (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetImapCopyUid) copyuid = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  static const guint32 uids[] = { 4 };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* The copy failed: the original is left alone, and TRYCREATE is told. */
  script_login (&test, "IMAP4rev1 UIDPLUS");
  cachet_test_server_expect (test.server, "A0002 UID COPY 4 \"Archives/2026\"");
  cachet_test_server_send (test.server, "A0002 NO [TRYCREATE] Mailbox doesn't exist");
  cachet_test_server_expect (test.server, "A0003 NOOP");
  cachet_test_server_send (test.server, "A0003 OK done");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  cachet_imap_session_uid_move_async (test.session, uids, 1, "Archives/2026", NULL,
                                      cachet_test_result_cb, &result);
  copyuid = cachet_imap_session_uid_move_finish (test.session, cachet_test_wait_result (&result),
                                                 &error);
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_NO);
  g_assert_cmpint (cachet_imap_session_result_get_code (result), ==,
                   CACHET_IMAP_RESPONSE_CODE_TRYCREATE);
  g_clear_error (&error);
  g_assert_true (session_noop (&test, &error));

  test_finish (&test);
}

static void
test_move_refused (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CachetImapCopyUid) copyuid = NULL;
  static const guint32 uids[] = { 4 };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* Neither MOVE nor UIDPLUS: nothing is sent (the next line is the NOOP). */
  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, "A0002 NOOP");
  cachet_test_server_send (test.server, "A0002 OK done");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  copyuid = session_move (&test, &error);
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_SUPPORTED);
  g_assert_null (copyuid);
  g_clear_error (&error);
  cachet_imap_session_uid_expunge_async (test.session, uids, 1, NULL, cachet_test_result_cb,
                                         &result);
  g_assert_false (cachet_imap_session_uid_expunge_finish (test.session,
                                                          cachet_test_wait_result (&result),
                                                          &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_true (session_noop (&test, &error));
  g_assert_no_error (error);

  test_finish (&test);
}

/* APPEND --------------------------------------------------------------------------------------- */

#define DRAFT "Subject: Ordonnance\r\n\r\nTexte.\r\n"

static void
test_append (gconstpointer data)
{
  gboolean literal_plus = GPOINTER_TO_INT (data);
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) message = g_bytes_new_static (DRAFT, strlen (DRAFT));
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("+02:00");
  g_autoptr(GDateTime) date = g_date_time_new (zone, 2026, 7, 7, 2, 4, 5);
  g_autofree char *append = NULL;
  static const char * const flags[] = { "\\Draft", "\\Seen", NULL };
  guint32 uidvalidity;
  guint32 uid;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  append = g_strdup_printf ("A0002 APPEND \"Brouillons\" (\\Draft \\Seen) \"07-Jul-2026 02:04:05 "
                            "+0200\" {%zu%s}",
                            strlen (DRAFT), literal_plus ? "+" : "");
  script_login (&test, literal_plus ? "IMAP4rev1 LITERAL+ UIDPLUS" : "IMAP4rev1 UIDPLUS");
  cachet_test_server_expect (test.server, append);
  if (!literal_plus)
    cachet_test_server_send (test.server, "+ Ready for literal data");
  cachet_test_server_expect (test.server, "Subject: Ordonnance");
  cachet_test_server_expect (test.server, "");
  cachet_test_server_expect (test.server, "Texte.");
  cachet_test_server_expect (test.server, "");
  cachet_test_server_send (test.server, "A0002 OK [APPENDUID 38505 3955] APPEND completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  cachet_imap_session_append_async (test.session, "Brouillons", message, flags, date, NULL,
                                    cachet_test_result_cb, &result);
  g_assert_true (cachet_imap_session_append_finish (test.session, cachet_test_wait_result (&result),
                                                    &uidvalidity, &uid, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (uidvalidity, ==, 38505);
  g_assert_cmpuint (uid, ==, 3955);

  test_finish (&test);
}

static void
test_append_refused (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) message = g_bytes_new_static (DRAFT, strlen (DRAFT));
  g_autofree char *append = g_strdup_printf ("A0002 APPEND \"Sent\" {%zu}", strlen (DRAFT));

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* The server refuses the literal instead of "+": nothing more is sent
   * for it, and the session goes on. */
  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, append);
  cachet_test_server_send (test.server, "A0002 NO [OVERQUOTA] Quota exceeded");
  cachet_test_server_expect (test.server, "A0003 NOOP");
  cachet_test_server_send (test.server, "A0003 OK done");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  cachet_imap_session_append_async (test.session, "Sent", message, NULL, NULL, NULL,
                                    cachet_test_result_cb, &result);
  g_assert_false (cachet_imap_session_append_finish (test.session,
                                                     cachet_test_wait_result (&result),
                                                     NULL, NULL, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_SERVER_NO);
  g_assert_nonnull (strstr (error->message, "full"));
  g_clear_error (&error);
  g_assert_true (session_noop (&test, &error));
  g_assert_no_error (error);

  test_finish (&test);
}

/* Failures ------------------------------------------------------------------------------------- */

static void
test_bye_mid_command (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) fetch_result = NULL;
  g_autoptr(GAsyncResult) status_result = NULL;
  g_autoptr(GAsyncResult) later_result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(CachetImapMailboxStatus) status = NULL;
  static const guint32 uids[] = { 1 };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, "A0002 UID FETCH 1 (UID BODY.PEEK[])");
  cachet_test_server_expect (test.server,
                             "A0003 STATUS \"INBOX\" (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)");
  cachet_test_server_send_raw (test.server, "* 1 FETCH (UID 1 BODY[] {100}\r\nFrom: a\r\n", -1);
  cachet_test_server_send (test.server, "* BYE Server shutting down");
  cachet_test_server_close (test.server);

  session_connect_ok (&test);
  cachet_imap_session_uid_fetch_async (test.session, uids, 1, CACHET_IMAP_FETCH_BODY, NULL, NULL,
                                       NULL, NULL, NULL, cachet_test_result_cb, &fetch_result);
  cachet_imap_session_status_async (test.session, "INBOX", NULL, cachet_test_result_cb,
                                    &status_result);

  /* The BYE is inside the literal: it is message data, and the message is
   * cut short by the close. */
  results = cachet_imap_session_uid_fetch_finish (test.session,
                                                  cachet_test_wait_result (&fetch_result),
                                                  &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);
  status = cachet_imap_session_status_finish (test.session,
                                              cachet_test_wait_result (&status_result),
                                              &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);

  /* Later operations fail at once. */
  cachet_imap_session_noop_async (test.session, NULL, cachet_test_result_cb, &later_result);
  g_assert_false (cachet_imap_session_noop_finish (test.session,
                                                   cachet_test_wait_result (&later_result),
                                                   &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_CONNECTED);
  {
    g_autofree char *closed = g_strdup_printf ("closed g-io-error-quark %d",
                                               G_IO_ERROR_CONNECTION_CLOSED);

    assert_events (&test, closed, NULL);
  }

  test_finish (&test);
}

static void
test_bye_untagged (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) noop_result = NULL;
  g_autoptr(GAsyncResult) status_result = NULL;
  g_autoptr(CachetImapMailboxStatus) status = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, "A0002 NOOP");
  cachet_test_server_expect (test.server,
                             "A0003 STATUS \"INBOX\" (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)");
  cachet_test_server_send (test.server, "* BYE Autologout; idle for too long");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  cachet_imap_session_noop_async (test.session, NULL, cachet_test_result_cb, &noop_result);
  cachet_imap_session_status_async (test.session, "INBOX", NULL, cachet_test_result_cb,
                                    &status_result);
  g_assert_false (cachet_imap_session_noop_finish (test.session,
                                                   cachet_test_wait_result (&noop_result),
                                                   &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_BYE);
  g_assert_nonnull (strstr (error->message, "Autologout"));
  g_clear_error (&error);
  status = cachet_imap_session_status_finish (test.session,
                                              cachet_test_wait_result (&status_result),
                                              &error);
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_BYE);
  g_assert_cmpint (cachet_imap_session_get_state (test.session), ==,
                   CACHET_IMAP_SESSION_STATE_NOT_CONNECTED);

  test_finish (&test);
}

static void
test_flood_line (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autofree char *flood = NULL;
  CachetImapParserLimits limits;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  cachet_imap_parser_limits_init (&limits);
  limits.max_line_length = 16384;
  cachet_imap_session_set_limits (test.session, &limits);
  flood = g_strnfill (40000, 'x');
  memcpy (flood, "* OK ", 5);

  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, "A0002 NOOP");
  cachet_test_server_send (test.server, flood);
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  g_assert_false (session_noop (&test, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_LIMIT_EXCEEDED);
  g_assert_cmpint (cachet_imap_session_get_state (test.session), ==,
                   CACHET_IMAP_SESSION_STATE_NOT_CONNECTED);

  test_finish (&test);
}

static void
test_flood_literal (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  CachetImapParserLimits limits;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  cachet_imap_parser_limits_init (&limits);
  limits.max_literal_size = 1 << 20;
  cachet_imap_session_set_limits (test.session, &limits);

  /* isync CVE-2021-3657: refused before a byte is allocated. */
  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, "A0002 NOOP");
  cachet_test_server_send (test.server, "* 1 FETCH (UID 1 BODY[] {4294967296}");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  g_assert_false (session_noop (&test, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_LIMIT_EXCEEDED);

  test_finish (&test);
}

static void
test_protocol_violations (gconstpointer data)
{
  const char *answer = data;
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, "A0002 NOOP");
  cachet_test_server_send (test.server, answer);
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  g_assert_false (session_noop (&test, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE);

  test_finish (&test);
}

static void
test_timeout (void)
{
  Test test;
  g_autoptr(GError) error = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, "A0002 NOOP");
  cachet_test_server_stall (test.server);

  session_connect_ok (&test);
  cachet_imap_session_set_timeout (test.session, 300);
  g_assert_false (session_noop (&test, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (cachet_imap_session_get_state (test.session), ==,
                   CACHET_IMAP_SESSION_STATE_NOT_CONNECTED);

  test_finish (&test);
}

static void
test_cancel_mid_command (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) results = NULL;
  FetchSink sink = { g_ptr_array_new_with_free_func (g_free), cancellable };
  static const guint32 uids[] = { 1, 2 };

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, "A0002 UID FETCH 1:2 (UID FLAGS)");
  cachet_test_server_send (test.server, "* 1 FETCH (UID 1 FLAGS (\\Seen))");
  cachet_test_server_delay (test.server, 100);
  /* The rest of the cancelled command's answer is read and dropped. */
  cachet_test_server_send (test.server, "* 2 FETCH (UID 2 FLAGS ())");
  cachet_test_server_send (test.server, "A0002 OK done");
  cachet_test_server_expect (test.server, "A0003 NOOP");
  cachet_test_server_send (test.server, "A0003 OK done");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  cachet_imap_session_uid_fetch_async (test.session, uids, G_N_ELEMENTS (uids),
                                       CACHET_IMAP_FETCH_FLAGS,
                                       NULL, collect_message, &sink, NULL, cancellable,
                                       cachet_test_result_cb, &result);
  results = cachet_imap_session_uid_fetch_finish (test.session, cachet_test_wait_result (&result),
                                                  &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The session is still usable. */
  g_assert_true (session_noop (&test, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sink.seen->len, ==, 1);
  assert_events (&test, NULL);

  g_ptr_array_unref (sink.seen);
  test_finish (&test);
}

static void
test_cancel_connect (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  /* Cancelled while the keyring is still looking for the password: the
   * session ends, and the password found later is never sent. */
  cachet_test_server_start_tls (test.server);
  cachet_test_server_send (test.server, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready");
  cachet_test_server_expect_disconnect (test.server);

  cachet_test_credentials_set_hold (test.credentials, TRUE);
  cachet_imap_session_connect_async (test.session, cancellable, cachet_test_result_cb, &result);
  while (!cachet_test_credentials_is_holding (test.credentials))
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  g_assert_false (cachet_imap_session_connect_finish (test.session,
                                                      cachet_test_wait_result (&result),
                                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cachet_imap_session_get_state (test.session), ==,
                   CACHET_IMAP_SESSION_STATE_NOT_CONNECTED);
  cachet_test_credentials_release (test.credentials);

  test_finish (&test);
}

static void
test_logout (void)
{
  Test test;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) noop_result = NULL;

  if (!test_init (&test, "imaps", PASSWORD))
    return;

  script_login (&test, "IMAP4rev1");
  cachet_test_server_expect (test.server, "A0002 LOGOUT");
  cachet_test_server_send (test.server, "* BYE Logging out");
  cachet_test_server_send (test.server, "A0002 OK Logout completed");
  cachet_test_server_expect_disconnect (test.server);

  session_connect_ok (&test);
  cachet_imap_session_logout_async (test.session, NULL, cachet_test_result_cb, &result);
  g_assert_true (cachet_imap_session_logout_finish (test.session, cachet_test_wait_result (&result),
                                                    &error));
  g_assert_no_error (error);
  g_assert_cmpint (cachet_imap_session_get_state (test.session), ==,
                   CACHET_IMAP_SESSION_STATE_NOT_CONNECTED);
  cachet_imap_session_noop_async (test.session, NULL, cachet_test_result_cb, &noop_result);
  g_assert_false (cachet_imap_session_noop_finish (test.session,
                                                   cachet_test_wait_result (&noop_result),
                                                   &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_NOT_CONNECTED);

  test_finish (&test);
}

/* Pieces --------------------------------------------------------------------------------------- */

static void
test_sanitize (void)
{
  g_autofree char *bidi = _cachet_imap_sanitize_text ("Mailbox \xe2\x80\xae" "gpj.exe\x1b[31m");
  g_autofree char *long_text = g_strnfill (1000, 'a');
  g_autofree char *bounded = _cachet_imap_sanitize_text (long_text);

  g_assert_cmpstr (bidi, ==, "Mailbox  gpj.exe [31m");
  g_assert_cmpuint (g_utf8_strlen (bounded, -1), ==, 201);
}

static void
test_dates (void)
{
  static const char * const invalid[] = {
    "", "17-Jul-1996 02:44:25", "17-Jux-1996 02:44:25 -0700", "32-Jul-1996 02:44:25 -0700",
    "17-Jul-1996 25:44:25 -0700", "17-Jul-1996 02:44:25 -0799", "17-Jul-1996T02:44:25 -0700",
    "117-Jul-1996 02:44:25 -0700",
  };
  g_autoptr(GDateTime) date = _cachet_imap_parse_date_time ("17-Jul-1996 02:44:25 -0700");
  g_autoptr(GDateTime) padded = _cachet_imap_parse_date_time (" 7-Jul-1996 02:44:25 +0000");
  g_autofree char *formatted = NULL;

  g_assert_nonnull (date);
  g_assert_cmpint (g_date_time_get_utc_offset (date), ==, -7 * G_TIME_SPAN_HOUR);
  formatted = _cachet_imap_format_date_time (date);
  g_assert_cmpstr (formatted, ==, "17-Jul-1996 02:44:25 -0700");
  g_assert_nonnull (padded);
  g_assert_cmpint (g_date_time_get_day_of_month (padded), ==, 7);
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_null (_cachet_imap_parse_date_time (invalid[i]));
}

/* The sequence map against the obvious model: an array of UIDs, shifted on
 * every expunge. */
static void
test_mailbox_map_model (void)
{
  g_autoptr(CachetImapMailboxMap) map = cachet_imap_mailbox_map_new ();
  g_autoptr(GArray) model = g_array_new (FALSE, TRUE, sizeof (guint32));
  GRand *rand = g_rand_new_with_seed (20260707);
  guint32 next_uid = 1;

  cachet_imap_mailbox_map_reset (map, 0);
  for (guint step = 0; step < 20000; step++)
    {
      guint op = g_rand_int_range (rand, 0, 10);
      guint32 count = model->len;

      if (op < 3 || count == 0)
        {
          guint32 added = g_rand_int_range (rand, 1, 20);

          g_array_set_size (model, count + added);
          cachet_imap_mailbox_map_set_count (map, count + added);
        }
      else if (op < 6)
        {
          guint32 seq = g_rand_int_range (rand, 1, count + 1);
          guint32 uid = 0;
          guint32 expected = g_array_index (model, guint32, seq - 1);

          g_assert_true (cachet_imap_mailbox_map_expunge (map, seq, &uid));
          g_assert_cmpuint (uid, ==, expected);
          g_array_remove_index (model, seq - 1);
        }
      else if (op < 9)
        {
          /* Learn UIDs in order, as a FETCH 1:* would. */
          for (guint32 seq = 1; seq <= count; seq++)
            {
              if (g_array_index (model, guint32, seq - 1) == 0)
                {
                  guint32 uid = next_uid++;

                  g_assert_true (cachet_imap_mailbox_map_set_uid (map, seq, uid));
                  g_array_index (model, guint32, seq - 1) = uid;
                }
            }
        }
      else
        {
          g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (CachetImapRange));
          CachetImapRange range;
          guint32 removed = 0;

          range.first = g_rand_int_range (rand, 1, next_uid + 1);
          range.last = range.first + g_rand_int_range (rand, 0, 5);
          g_array_append_val (ranges, range);
          for (guint i = model->len; i > 0; i--)
            {
              guint32 uid = g_array_index (model, guint32, i - 1);

              if (uid != 0 && uid >= range.first && uid <= range.last)
                {
                  g_array_remove_index (model, i - 1);
                  removed++;
                }
            }
          g_assert_cmpuint (cachet_imap_mailbox_map_remove_uids (map, ranges), ==, removed);
        }

      g_assert_cmpuint (cachet_imap_mailbox_map_get_count (map), ==, model->len);
      if (step % 97 == 0)
        {
          for (guint32 seq = 1; seq <= model->len; seq++)
            {
              guint32 uid = g_array_index (model, guint32, seq - 1);

              g_assert_cmpuint (cachet_imap_mailbox_map_get_uid (map, seq), ==, uid);
              if (uid != 0)
                g_assert_cmpuint (cachet_imap_mailbox_map_get_seq (map, uid), ==, seq);
            }
        }
    }
  g_rand_free (rand);
}

static void
test_mailbox_map_large (void)
{
  g_autoptr(CachetImapMailboxMap) map = cachet_imap_mailbox_map_new ();
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (CachetImapRange));
  CachetImapRange everything = { 1, G_MAXUINT32 };
  gint64 start = g_get_monotonic_time ();

  /* 100,000 messages, then every other one expunged from the top: quadratic
   * with an array, a fraction of a second here. */
  cachet_imap_mailbox_map_reset (map, 100000);
  for (guint32 seq = 1; seq <= 100000; seq++)
    g_assert_true (cachet_imap_mailbox_map_set_uid (map, seq, seq * 2));
  g_assert_true (cachet_imap_mailbox_map_is_complete (map));
  for (guint32 seq = 1; seq <= 50000; seq++)
    {
      guint32 uid;

      g_assert_true (cachet_imap_mailbox_map_expunge (map, seq, &uid));
      g_assert_cmpuint (uid, ==, (2 * seq - 1) * 2);
    }
  g_assert_cmpuint (cachet_imap_mailbox_map_get_count (map), ==, 50000);
  g_assert_cmpuint (cachet_imap_mailbox_map_get_uid (map, 1), ==, 4);
  g_assert_cmpuint (cachet_imap_mailbox_map_get_seq (map, 200000), ==, 50000);

  /* Invalid input changes nothing. */
  g_assert_false (cachet_imap_mailbox_map_expunge (map, 50001, NULL));
  g_assert_false (cachet_imap_mailbox_map_set_uid (map, 2, 4));
  g_assert_false (cachet_imap_mailbox_map_set_uid (map, 2, 3));

  /* VANISHED 1:4294967295 without walking four billion UIDs. */
  g_array_append_val (all, everything);
  g_assert_cmpuint (cachet_imap_mailbox_map_remove_uids (map, all), ==, 50000);
  g_assert_cmpuint (cachet_imap_mailbox_map_get_count (map), ==, 0);

  /* A hostile EXISTS: only the count is kept. */
  cachet_imap_mailbox_map_set_count (map, G_MAXUINT32);
  g_assert_false (cachet_imap_mailbox_map_is_tracking (map));
  g_assert_cmpuint (cachet_imap_mailbox_map_get_uid (map, 5), ==, 0);
  g_assert_true (cachet_imap_mailbox_map_expunge (map, 5, NULL));
  g_assert_cmpuint (cachet_imap_mailbox_map_get_count (map), ==, G_MAXUINT32 - 1);

  g_test_message ("100,000-message map exercised in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/imap/session/greeting/capability-code", test_greeting_capability_code);
  g_test_add_func ("/imap/session/greeting/capability-command", test_greeting_capability_command);
  g_test_add_func ("/imap/session/greeting/preauth", test_greeting_preauth);
  g_test_add_func ("/imap/session/greeting/bye", test_greeting_bye);
  g_test_add_func ("/imap/session/greeting/invalid", test_greeting_invalid);
  g_test_add_func ("/imap/session/starttls/upgrade", test_starttls);
  g_test_add_func ("/imap/session/starttls/not-offered", test_starttls_not_offered);
  g_test_add_data_func ("/imap/session/starttls/refused-no", "A0001 NO STARTTLS unavailable",
                        test_starttls_refused);
  g_test_add_data_func ("/imap/session/starttls/refused-bad", "A0001 BAD Unknown command",
                        test_starttls_refused);
  g_test_add_data_func ("/imap/session/starttls/refused-continuation", "+ go ahead",
                        test_starttls_refused);
  g_test_add_func ("/imap/session/starttls/injection", test_starttls_injection);
  g_test_add_func ("/imap/session/starttls/capabilities-in-go-ahead",
                   test_starttls_capabilities_in_go_ahead);
  g_test_add_func ("/imap/session/starttls/no-pipelining", test_starttls_no_pipelining);
  g_test_add_func ("/imap/session/starttls/preauth", test_starttls_preauth);
  g_test_add_func ("/imap/session/starttls/pre-tls-data", test_starttls_pre_tls_data_ignored);
  g_test_add_data_func ("/imap/session/login/literal", GINT_TO_POINTER (FALSE), test_login_literal);
  g_test_add_data_func ("/imap/session/login/literal-plus", GINT_TO_POINTER (TRUE),
                        test_login_literal);
  g_test_add_func ("/imap/session/login/quoted", test_login_quoted);
  g_test_add_func ("/imap/session/login/failed", test_login_failed);
  g_test_add_func ("/imap/session/login/missing-password", test_login_missing_password);
  g_test_add_func ("/imap/session/login/disabled", test_login_disabled);
  g_test_add_func ("/imap/session/login/xoauth2", test_login_oauth);
  g_test_add_func ("/imap/session/list/special-use", test_list_special_use);
  g_test_add_func ("/imap/session/list/lsub", test_list_lsub);
  g_test_add_func ("/imap/session/select/condstore", test_select_condstore);
  g_test_add_func ("/imap/session/select/failed", test_select_failed);
  g_test_add_func ("/imap/session/select/qresync", test_select_qresync);
  g_test_add_func ("/imap/session/select/qresync-without-closed",
                   test_select_qresync_without_closed);
  g_test_add_func ("/imap/session/fetch/bodies", test_fetch_bodies);
  g_test_add_func ("/imap/session/fetch/batches-streamed", test_fetch_batches_streamed);
  g_test_add_func ("/imap/session/fetch/literal-split", test_fetch_literal_split);
  g_test_add_func ("/imap/session/fetch/untagged-interleaved", test_fetch_untagged_interleaved);
  g_test_add_func ("/imap/session/failure/command-bad", test_command_bad);
  g_test_add_func ("/imap/session/fetch/changes", test_fetch_changes);
  g_test_add_func ("/imap/session/fetch/changes-without-condstore",
                   test_fetch_changes_without_condstore);
  g_test_add_func ("/imap/session/store/unchangedsince", test_store_unchangedsince);
  g_test_add_data_func ("/imap/session/search/plain", GINT_TO_POINTER (FALSE), test_search);
  g_test_add_data_func ("/imap/session/search/esearch", GINT_TO_POINTER (TRUE), test_search);
  g_test_add_func ("/imap/session/pipeline", test_pipeline);
  g_test_add_func ("/imap/session/idle/unsolicited", test_idle_unsolicited);
  g_test_add_func ("/imap/session/idle/refresh", test_idle_refresh);
  g_test_add_func ("/imap/session/idle/done", test_idle_done);
  g_test_add_func ("/imap/session/idle/ended-by-command", test_idle_ended_by_command);
  g_test_add_func ("/imap/session/idle/not-supported", test_idle_not_supported);
  g_test_add_func ("/imap/session/move/move", test_move);
  g_test_add_func ("/imap/session/move/fallback", test_move_fallback);
  g_test_add_func ("/imap/session/move/copy-failed", test_move_copy_failed);
  g_test_add_func ("/imap/session/move/refused", test_move_refused);
  g_test_add_data_func ("/imap/session/append/synchronising", GINT_TO_POINTER (FALSE), test_append);
  g_test_add_data_func ("/imap/session/append/literal-plus", GINT_TO_POINTER (TRUE), test_append);
  g_test_add_func ("/imap/session/append/refused", test_append_refused);
  g_test_add_func ("/imap/session/failure/bye-mid-literal", test_bye_mid_command);
  g_test_add_func ("/imap/session/failure/bye", test_bye_untagged);
  g_test_add_func ("/imap/session/failure/flood-line", test_flood_line);
  g_test_add_func ("/imap/session/failure/flood-literal", test_flood_literal);
  g_test_add_data_func ("/imap/session/failure/unknown-tag", "A0999 OK never sent",
                        test_protocol_violations);
  g_test_add_data_func ("/imap/session/failure/stray-continuation", "+ nobody asked",
                        test_protocol_violations);
  g_test_add_data_func ("/imap/session/failure/malformed", "* 1 FETCH (UID 0)",
                        test_protocol_violations);
  g_test_add_func ("/imap/session/failure/timeout", test_timeout);
  g_test_add_func ("/imap/session/cancel/mid-command", test_cancel_mid_command);
  g_test_add_func ("/imap/session/cancel/connect", test_cancel_connect);
  g_test_add_func ("/imap/session/logout", test_logout);
  g_test_add_func ("/imap/session/sanitize", test_sanitize);
  g_test_add_func ("/imap/session/dates", test_dates);
  g_test_add_func ("/imap/mailbox-map/model", test_mailbox_map_model);
  g_test_add_func ("/imap/mailbox-map/large", test_mailbox_map_large);

  return g_test_run ();
}
