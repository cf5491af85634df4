/* test-inbox-watcher.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-imap-error.h"
#include "cachet-inbox-watcher.h"
#include "cachet-test-credentials.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

/* The inbox watcher against scripted IMAP servers. A scripted server takes
 * one connection, so the account points at a loopback forwarder of the test
 * which hands each new connection to the next script in turn, or refuses it
 * when none is left: that is how reconnecting is seen. */

#define ADDRESS "alice@example.org"
#define PASSWORD "secret"
#define FIRST_RETRY_MS 20
#define MAX_RETRY_MS 200
#define WAIT_DEADLINE_S 20

typedef struct
{
  const CachetTestPki   *pki;
  GSocketService        *forwarder;
  GQueue                 scripts;
  CachetAccount         *account;
  CachetTestCredentials *credentials;
  CachetInboxWatcher    *watcher;
  GPtrArray             *states;
  GPtrArray             *errors;
  guint                  changed;
} Test;

/* The forwarder ------------------------------------------------------------------ */

typedef struct
{
  GSocketConnection *incoming;
  CachetTestServer  *server;
} Forward;

static void
forward_free (Forward *forward)
{
  g_clear_object (&forward->incoming);
  g_clear_object (&forward->server);
  g_free (forward);
}

static void
spliced_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  /* Either end closing ends the forwarding; how is not the test's concern. */
  g_io_stream_splice_finish (result, NULL);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Forward *forward = user_data;
  g_autoptr(GSocketConnection) outgoing = NULL;
  g_autoptr(GError) error = NULL;

  outgoing = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  g_assert_no_error (error);
  g_io_stream_splice_async (G_IO_STREAM (forward->incoming), G_IO_STREAM (outgoing),
                            G_IO_STREAM_SPLICE_CLOSE_STREAM1 | G_IO_STREAM_SPLICE_CLOSE_STREAM2,
                            G_PRIORITY_DEFAULT, NULL, spliced_cb, NULL);
  forward_free (forward);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             Test              *test)
{
  g_autoptr(GSocketClient) client = NULL;
  g_autofree char *address = NULL;
  Forward *forward;

  if (g_queue_is_empty (&test->scripts))
    {
      g_test_message ("Forwarder: no script left, connection refused");
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  forward = g_new0 (Forward, 1);
  forward->incoming = g_object_ref (connection);
  forward->server = g_queue_pop_head (&test->scripts);
  client = g_socket_client_new ();
  address = g_strdup_printf ("127.0.0.1:%u", cachet_test_server_get_port (forward->server));
  g_socket_client_connect_to_host_async (client, address, 0, NULL, connected_cb, forward);
  return TRUE;
}

/* Fixture ------------------------------------------------------------------------- */

static void
on_changed (CachetInboxWatcher *watcher,
            Test               *test)
{
  test->changed++;
}

static void
on_state (CachetInboxWatcher *watcher,
          GParamSpec         *pspec,
          Test               *test)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (CACHET_TYPE_INBOX_WATCHER_STATE);
  const GError *error = cachet_inbox_watcher_get_error (watcher);
  GEnumValue *state = g_enum_get_value (states, cachet_inbox_watcher_get_state (watcher));

  g_ptr_array_add (test->states, g_strdup (state->value_nick));
  g_ptr_array_add (test->errors, error != NULL ? g_error_copy (error) : NULL);
}

static void
error_free_nullable (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

static const GError *
error_at (Test  *test,
          guint  index)
{
  g_assert_cmpuint (index, <, test->errors->len);
  return g_ptr_array_index (test->errors, index);
}

static gboolean
test_init (Test *test)
{
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  memset (test, 0, sizeof *test);
  test->pki = cachet_test_pki_get ();
  if (test->pki == NULL)
    return FALSE;

  g_queue_init (&test->scripts);
  test->forwarder = g_socket_service_new ();
  any = g_inet_socket_address_new (loopback, 0);
  g_socket_listener_add_address (G_SOCKET_LISTENER (test->forwarder), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (test->forwarder, "incoming", G_CALLBACK (on_incoming), test);

  uri = g_strdup_printf ("imaps://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  test->account = cachet_account_new ("Cabinet", ADDRESS, uri, "smtps://127.0.0.1:1");
  cachet_account_set_ca_file (test->account, test->pki->ca_file);
  test->credentials = cachet_test_credentials_new ();
  cachet_test_credentials_set (test->credentials, cachet_account_get_id (test->account),
                               CACHET_SECRET_PASSWORD, PASSWORD);

  test->watcher = cachet_inbox_watcher_new (test->account,
                                            CACHET_CREDENTIALS_PROVIDER (test->credentials));
  cachet_inbox_watcher_set_retry_delays (test->watcher, FIRST_RETRY_MS, MAX_RETRY_MS);
  test->states = g_ptr_array_new_with_free_func (g_free);
  test->errors = g_ptr_array_new_with_free_func (error_free_nullable);
  g_signal_connect (test->watcher, "changed", G_CALLBACK (on_changed), test);
  g_signal_connect (test->watcher, "notify::state", G_CALLBACK (on_state), test);
  return TRUE;
}

static void
test_finish (Test *test)
{
  if (test->watcher != NULL)
    g_signal_handlers_disconnect_by_data (test->watcher, test);
  g_clear_object (&test->watcher);
  g_socket_service_stop (test->forwarder);
  g_socket_listener_close (G_SOCKET_LISTENER (test->forwarder));
  g_clear_object (&test->forwarder);
  g_queue_clear_full (&test->scripts, g_object_unref);
  g_clear_object (&test->account);
  g_clear_object (&test->credentials);
  g_clear_pointer (&test->states, g_ptr_array_unref);
  g_clear_pointer (&test->errors, g_ptr_array_unref);
  /* What the closed connections still had to say. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Returns: (transfer full): the server the next connection goes to */
static CachetTestServer *
add_script (Test *test)
{
  CachetTestServer *server = cachet_test_server_new ();

  cachet_test_server_set_certificate (server, test->pki->server_cert, test->pki->server_key);
  g_queue_push_tail (&test->scripts, g_object_ref (server));
  return server;
}

static gboolean
deadline_passed (gpointer user_data)
{
  g_error ("The watcher did not get there within %u s", WAIT_DEADLINE_S);
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @test has seen @n_states state changes and
 * @n_changed emissions of ::changed; a deadline turns a hang into a failure. */
static void
wait_for (Test  *test,
          guint  n_states,
          guint  n_changed)
{
  g_autoptr(GSource) deadline = g_timeout_source_new_seconds (WAIT_DEADLINE_S);

  g_source_set_callback (deadline, deadline_passed, NULL, NULL);
  g_source_attach (deadline, NULL);
  while (test->states->len < n_states || test->changed < n_changed)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (deadline);
}

static void
assert_states (Test       *test,
               const char *first,
               ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *state = first; state != NULL; state = va_arg (args, const char *), i++)
    {
      if (i >= test->states->len)
        g_error ("Missing state “%s”", state);
      g_assert_cmpstr (g_ptr_array_index (test->states, i), ==, state);
    }
  va_end (args);
  if (i < test->states->len)
    g_error ("Unexpected state “%s”", (char *) g_ptr_array_index (test->states, i));
}

/* Scripts ------------------------------------------------------------------------- */

/* Implicit TLS, sign-in with SASL-IR, then @capabilities (no ENABLE). */
static void
script_login (CachetTestServer *server,
              const char       *capabilities)
{
  static const char credentials[] = "\0" ADDRESS "\0" PASSWORD;
  g_autofree char *initial = g_base64_encode ((const guchar *) credentials, sizeof credentials - 1);
  g_autofree char *auth = g_strdup_printf ("A0001 AUTHENTICATE PLAIN %s", initial);
  g_autofree char *ok = g_strdup_printf ("A0001 OK [CAPABILITY %s] Logged in", capabilities);

  cachet_test_server_start_tls (server);
  cachet_test_server_send (server, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready");
  cachet_test_server_expect (server, auth);
  cachet_test_server_send (server, ok);
}

/* INBOX examined as A0002, then IDLE accepted as A0003. */
static void
script_examine_and_idle (CachetTestServer *server)
{
  cachet_test_server_expect (server, "A0002 EXAMINE \"INBOX\"");
  cachet_test_server_send (server, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
  cachet_test_server_send (server, "* 3 EXISTS");
  cachet_test_server_send (server, "* OK [UIDVALIDITY 1700000000] UIDs valid");
  cachet_test_server_send (server, "* OK [UIDNEXT 13] Predicted next UID");
  cachet_test_server_send (server, "A0002 OK [READ-ONLY] Examine completed");
  cachet_test_server_expect (server, "A0003 IDLE");
  cachet_test_server_send (server, "+ idling");
}

/* Tests ----------------------------------------------------------------------------- */

static void
test_changed (void)
{
  Test test;
  g_autoptr(CachetTestServer) server = NULL;

  if (!test_init (&test))
    return;

  server = add_script (&test);
  script_login (server, "IMAP4rev1 IDLE");
  script_examine_and_idle (server);
  /* New mail, announced during IDLE: the watcher ends IDLE and waits
   * again. */
  cachet_test_server_send (server, "* 4 EXISTS");
  cachet_test_server_expect (server, "DONE");
  cachet_test_server_send (server, "A0003 OK Idle completed");
  cachet_test_server_expect (server, "A0004 IDLE");
  cachet_test_server_send (server, "+ idling");
  /* Another client read the first message. */
  cachet_test_server_send (server, "* 1 FETCH (FLAGS (\\Seen))");
  cachet_test_server_expect (server, "DONE");
  cachet_test_server_send (server, "A0004 OK Idle completed");
  cachet_test_server_expect (server, "A0005 IDLE");
  cachet_test_server_send (server, "+ idling");
  /* …and deleted the second one. */
  cachet_test_server_send (server, "* 2 EXPUNGE");
  cachet_test_server_expect (server, "DONE");
  cachet_test_server_send (server, "A0005 OK Idle completed");
  cachet_test_server_expect (server, "A0006 IDLE");
  cachet_test_server_send (server, "+ idling");
  cachet_test_server_expect_disconnect (server);

  cachet_inbox_watcher_start (test.watcher);
  wait_for (&test, 2, 3);
  assert_states (&test, "connecting", "watching", NULL);
  g_assert_cmpuint (test.changed, ==, 3);

  cachet_test_server_run_until_waiting (server);
  cachet_inbox_watcher_stop (test.watcher);
  assert_states (&test, "connecting", "watching", "stopped", NULL);
  cachet_test_server_assert_done (server);

  test_finish (&test);
}

static void
test_reconnect (void)
{
  Test test;
  g_autoptr(CachetTestServer) first = NULL;
  g_autoptr(CachetTestServer) second = NULL;

  if (!test_init (&test))
    return;

  first = add_script (&test);
  script_login (first, "IMAP4rev1 IDLE");
  script_examine_and_idle (first);
  cachet_test_server_send (first, "* BYE Server shutting down");
  cachet_test_server_close (first);

  cachet_inbox_watcher_start (test.watcher);
  /* The BYE; then the first new attempt is refused (no script queued). */
  wait_for (&test, 5, 0);
  assert_states (&test, "connecting", "watching", "waiting", "connecting", "waiting", NULL);
  g_assert_error ((GError *) error_at (&test, 2), CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_BYE);
  g_assert_nonnull (error_at (&test, 4));
  g_assert_cmpuint (test.changed, ==, 0);
  /* Two failures in a row: the delay doubled twice. */
  g_assert_cmpuint (cachet_inbox_watcher_get_retry_delay (test.watcher), ==, 4 * FIRST_RETRY_MS);

  /* Queued before the main context runs again, which the next attempt
   * needs. */
  second = add_script (&test);
  script_login (second, "IMAP4rev1 IDLE");
  script_examine_and_idle (second);
  cachet_test_server_expect_disconnect (second);
  cachet_test_server_assert_done (first);

  /* Back: mail may have come meanwhile, so ::changed; the delay is reset. */
  wait_for (&test, 7, 1);
  assert_states (&test, "connecting", "watching", "waiting", "connecting", "waiting",
                 "connecting", "watching", NULL);
  g_assert_null (error_at (&test, 6));
  g_assert_cmpuint (test.changed, ==, 1);
  g_assert_cmpuint (cachet_inbox_watcher_get_retry_delay (test.watcher), ==, FIRST_RETRY_MS);

  /* Dropping the watcher stops it too. */
  cachet_test_server_run_until_waiting (second);
  g_clear_object (&test.watcher);
  cachet_test_server_assert_done (second);

  test_finish (&test);
}

static void
network_changed (void)
{
  g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);
}

static void
test_network_changed_while_watching (void)
{
  Test test;
  g_autoptr(CachetTestServer) server = NULL;

  if (!test_init (&test))
    return;

  server = add_script (&test);
  script_login (server, "IMAP4rev1 IDLE");
  script_examine_and_idle (server);
  /* The connection is checked, and survived: IDLE again, nothing to tell. */
  cachet_test_server_expect (server, "DONE");
  cachet_test_server_send (server, "A0003 OK Idle completed");
  cachet_test_server_expect (server, "A0004 NOOP");
  cachet_test_server_send (server, "A0004 OK NOOP completed");
  cachet_test_server_expect (server, "A0005 IDLE");
  cachet_test_server_send (server, "+ idling");
  /* Only so that the test sees the script through: the watcher then waits. */
  cachet_test_server_send (server, "* BYE Server shutting down");
  cachet_test_server_close (server);

  cachet_inbox_watcher_start (test.watcher);
  wait_for (&test, 2, 0);
  network_changed ();
  wait_for (&test, 3, 0);
  cachet_inbox_watcher_stop (test.watcher);
  cachet_test_server_assert_done (server);

  assert_states (&test, "connecting", "watching", "waiting", "stopped", NULL);
  g_assert_error ((GError *) error_at (&test, 2), CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_BYE);
  g_assert_cmpuint (test.changed, ==, 0);

  test_finish (&test);
}

static void
test_network_back_while_waiting (void)
{
  Test test;
  g_autoptr(CachetTestServer) first = NULL;
  g_autoptr(CachetTestServer) second = NULL;

  if (!test_init (&test))
    return;

  /* A delay no test waits for: only the network change can end it. */
  cachet_inbox_watcher_set_retry_delays (test.watcher, 3600 * 1000, 3600 * 1000);
  first = add_script (&test);
  script_login (first, "IMAP4rev1 IDLE");
  script_examine_and_idle (first);
  cachet_test_server_close (first);

  cachet_inbox_watcher_start (test.watcher);
  wait_for (&test, 3, 0);
  assert_states (&test, "connecting", "watching", "waiting", NULL);
  cachet_test_server_assert_done (first);

  second = add_script (&test);
  script_login (second, "IMAP4rev1 IDLE");
  script_examine_and_idle (second);
  cachet_test_server_expect_disconnect (second);
  network_changed ();
  wait_for (&test, 5, 1);
  assert_states (&test, "connecting", "watching", "waiting", "connecting", "watching", NULL);

  cachet_test_server_run_until_waiting (second);
  cachet_inbox_watcher_stop (test.watcher);
  cachet_test_server_assert_done (second);

  test_finish (&test);
}

static void
test_without_idle (void)
{
  Test test;
  g_autoptr(CachetTestServer) server = NULL;

  if (!test_init (&test))
    return;

  server = add_script (&test);
  script_login (server, "IMAP4rev1");
  cachet_test_server_expect_disconnect (server);

  cachet_inbox_watcher_start (test.watcher);
  cachet_test_server_assert_done (server);

  /* Nothing to watch with: it says so and stays put, no retrying. */
  assert_states (&test, "connecting", "unsupported", NULL);
  g_assert_error ((GError *) cachet_inbox_watcher_get_error (test.watcher), CACHET_IMAP_ERROR,
                  CACHET_IMAP_ERROR_NOT_SUPPORTED);
  g_assert_cmpuint (test.changed, ==, 0);

  test_finish (&test);
}

static void
test_credentials_refused (void)
{
  Test test;
  g_autoptr(CachetTestServer) server = NULL;

  if (!test_init (&test))
    return;

  server = add_script (&test);
  cachet_test_server_start_tls (server);
  cachet_test_server_send (server, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready");
  cachet_test_server_expect_glob (server, "A0001 AUTHENTICATE PLAIN *");
  cachet_test_server_send (server, "A0001 NO [AUTHENTICATIONFAILED] Authentication failed.");
  cachet_test_server_expect_disconnect (server);

  cachet_inbox_watcher_start (test.watcher);
  cachet_test_server_assert_done (server);

  /* Trying the same password again would only get the account locked. */
  assert_states (&test, "connecting", "failed", NULL);
  g_assert_error ((GError *) cachet_inbox_watcher_get_error (test.watcher), CACHET_IMAP_ERROR,
                  CACHET_IMAP_ERROR_UNAUTHENTICATED);

  test_finish (&test);
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/sync/inbox-watcher/changed", test_changed);
  g_test_add_func ("/sync/inbox-watcher/reconnect", test_reconnect);
  g_test_add_func ("/sync/inbox-watcher/network-changed-while-watching",
                   test_network_changed_while_watching);
  g_test_add_func ("/sync/inbox-watcher/network-back-while-waiting",
                   test_network_back_while_waiting);
  g_test_add_func ("/sync/inbox-watcher/without-idle", test_without_idle);
  g_test_add_func ("/sync/inbox-watcher/credentials-refused", test_credentials_refused);

  return g_test_run ();
}
