/* test-net-connection.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-client-identity.h"
#include "cachet-connection.h"
#include "cachet-net-error.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "connection-sync.h"

static CachetTestServer *
tls_server_new (const CachetTestPki *pki)
{
  CachetTestServer *server = cachet_test_server_new ();

  cachet_test_server_set_certificate (server, pki->server_cert, pki->server_key);
  return server;
}

static void
test_implicit_tls (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTestServer) server = NULL;
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ciphersuite = NULL;
  g_autofree char *subject = NULL;

  if (pki == NULL)
    return;

  server = tls_server_new (pki);
  cachet_test_server_start_tls (server);
  cachet_test_server_send (server, "* OK IMAP4rev1 ready");
  cachet_test_server_expect (server, "a NOOP");
  cachet_test_server_send (server, "a OK NOOP completed");
  cachet_test_server_expect_disconnect (server);

  connection = connection_new_for_server (server, "imaps", pki->ca_file);
  g_assert_false (cachet_connection_is_secure (connection));
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (cachet_connection_is_secure (connection));
  g_assert_cmpstr (cachet_server_address_get_host (cachet_connection_get_address (connection)), ==,
                   "127.0.0.1");
  g_assert_cmpint (cachet_connection_get_protocol_version (connection), >=,
                   G_TLS_PROTOCOL_VERSION_TLS_1_2);
  ciphersuite = cachet_connection_get_ciphersuite_name (connection);
  g_assert_nonnull (ciphersuite);
  subject = g_tls_certificate_get_subject_name (cachet_connection_get_peer_certificate (connection));
  g_assert_cmpstr (subject, ==, "CN=localhost");
  g_assert_cmpint (cachet_connection_get_peer_certificate_errors (connection), ==,
                   G_TLS_CERTIFICATE_NO_FLAGS);

  connection_assert_line (connection, "* OK IMAP4rev1 ready");
  connection_assert_write (connection, "a NOOP\r\n", CACHET_WRITE_NONE);
  connection_assert_line (connection, "a OK NOOP completed");
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

static void
test_starttls (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTestServer) server = NULL;
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  if (pki == NULL)
    return;

  server = tls_server_new (pki);
  cachet_test_server_send (server, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready");
  cachet_test_server_expect (server, "a STARTTLS");
  cachet_test_server_send (server, "a OK Begin TLS negotiation now");
  cachet_test_server_start_tls (server);
  cachet_test_server_expect (server, "b AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==");
  cachet_test_server_send (server, "b OK Logged in");
  cachet_test_server_expect_disconnect (server);

  connection = connection_new_for_server (server, "imap", pki->ca_file);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cachet_connection_is_secure (connection));
  g_assert_null (cachet_connection_get_ciphersuite_name (connection));
  g_assert_cmpint (cachet_connection_get_protocol_version (connection), ==,
                   G_TLS_PROTOCOL_VERSION_UNKNOWN);

  connection_assert_line (connection, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready");
  connection_assert_write (connection, "a STARTTLS\r\n", CACHET_WRITE_NONE);
  connection_assert_line (connection, "a OK Begin TLS negotiation now");
  g_assert_true (connection_start_tls_sync (connection, &error));
  g_assert_no_error (error);

  g_assert_true (cachet_connection_is_secure (connection));
  connection_assert_write (connection, "b AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==\r\n",
                CACHET_WRITE_CREDENTIALS);
  connection_assert_line (connection, "b OK Logged in");
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

#define INJECTED "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected before TLS\r\n"

/* Bytes after the go-ahead, whether they came with it in one segment (as a
 * man in the middle sends them, CVE-2011-0411) or arrived after it was read
 * and still wait in the socket: the upgrade fails before any handshake. */
static void
test_starttls_injection (gconstpointer data)
{
  gboolean same_segment = GPOINTER_TO_INT (data);
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTestServer) server = NULL;
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  if (pki == NULL)
    return;

  server = tls_server_new (pki);
  cachet_test_server_send (server, "* OK ready");
  cachet_test_server_expect (server, "a STARTTLS");
  if (same_segment)
    cachet_test_server_send_raw (server, "a OK Begin TLS\r\n" INJECTED, -1);
  else
    {
      cachet_test_server_send (server, "a OK Begin TLS");
      cachet_test_server_delay (server, 50);
      cachet_test_server_send_raw (server, INJECTED, -1);
    }
  cachet_test_server_expect_disconnect (server);

  connection = connection_new_for_server (server, "imap", pki->ca_file);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  connection_assert_line (connection, "* OK ready");
  connection_assert_write (connection, "a STARTTLS\r\n", CACHET_WRITE_NONE);
  connection_assert_line (connection, "a OK Begin TLS");
  if (!same_segment)
    cachet_test_server_run_until_waiting (server);

  g_assert_false (connection_start_tls_sync (connection, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_STARTTLS_INJECTION);
  g_assert_false (cachet_connection_is_secure (connection));
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

static void
test_starttls_refused (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTestServer) server = NULL;
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  if (pki == NULL)
    return;

  server = tls_server_new (pki);
  cachet_test_server_send (server, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready");
  cachet_test_server_expect (server, "a STARTTLS");
  cachet_test_server_send (server, "a NO STARTTLS is not available");
  /* Not one byte more: no LOGIN, no AUTHENTICATE in plaintext. */
  cachet_test_server_expect_disconnect (server);

  connection = connection_new_for_server (server, "imap", pki->ca_file);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  connection_assert_line (connection, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready");
  connection_assert_write (connection, "a STARTTLS\r\n", CACHET_WRITE_NONE);
  answer = connection_read_line_sync (connection, &error);
  g_assert_no_error (error);
  g_assert_false (g_str_has_prefix (answer, "a OK"));

  /* Even a protocol layer that tried to carry on could not send credentials. */
  g_assert_false (connection_write_sync (connection, "b AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==\r\n",
                              CACHET_WRITE_CREDENTIALS, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_NOT_SECURE);
  g_assert_false (cachet_connection_is_secure (connection));
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

static void
test_line_too_long (void)
{
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *long_line = g_strnfill (1025, 'x');
  g_autofree char *exact_line = g_strnfill (1024, 'y');

  cachet_test_server_send (server, exact_line);
  cachet_test_server_send_raw (server, exact_line, -1);
  cachet_test_server_send_raw (server, "\n", -1);
  cachet_test_server_send (server, long_line);
  cachet_test_server_stall (server);

  connection = connection_new_for_server (server, "imap", NULL);
  cachet_connection_set_max_line_length (connection, 1024);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  /* At the bound, with CRLF or a bare LF: fine. */
  connection_assert_line (connection, exact_line);
  connection_assert_line (connection, exact_line);
  line = connection_read_line_sync (connection, &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_LINE_TOO_LONG);
  g_assert_null (line);
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

static void
test_line_without_end (void)
{
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *flood = g_strnfill (256 * 1024, 'x');

  /* A server that never ends its line: the client gives up at the bound,
   * without waiting for (or buffering) the rest. */
  cachet_test_server_send_raw (server, flood, -1);
  cachet_test_server_stall (server);

  connection = connection_new_for_server (server, "imap", NULL);
  cachet_connection_set_max_line_length (connection, 1000);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  line = connection_read_line_sync (connection, &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_LINE_TOO_LONG);
  g_assert_null (line);
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

static void
test_one_byte_at_a_time (void)
{
  static const char conversation[] = "* OK hello\r\n* 3 EXISTS\n* 1 FETCH (BODY[] {5}\r\n"
                                     "ab\r\nc)\r\n";
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GBytes) literal = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; conversation[i] != '\0'; i++)
    {
      cachet_test_server_send_raw (server, conversation + i, 1);
      cachet_test_server_delay (server, 1);
    }
  cachet_test_server_expect_disconnect (server);

  connection = connection_new_for_server (server, "imap", NULL);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  connection_assert_line (connection, "* OK hello");
  connection_assert_line (connection, "* 3 EXISTS");
  connection_assert_line (connection, "* 1 FETCH (BODY[] {5}");
  literal = connection_read_bytes_sync (connection, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (literal, NULL), g_bytes_get_size (literal), "ab\r\nc", 5);
  connection_assert_line (connection, ")");
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

static void
test_read_bytes (void)
{
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GBytes) buffered = NULL;
  g_autoptr(GBytes) split = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(GError) error = NULL;

  /* A literal that arrives with its line, and one that arrives later. */
  cachet_test_server_send_raw (server, "* 1 FETCH (BODY[] {11}\r\nhello world)\r\n", -1);
  cachet_test_server_send_raw (server, "* 2 FETCH (BODY[] {10}\r\n01234", -1);
  cachet_test_server_delay (server, 20);
  cachet_test_server_send_raw (server, "56789)\r\n", -1);
  cachet_test_server_expect_disconnect (server);

  connection = connection_new_for_server (server, "imap", NULL);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  connection_assert_line (connection, "* 1 FETCH (BODY[] {11}");
  buffered = connection_read_bytes_sync (connection, 11, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (buffered, NULL), g_bytes_get_size (buffered),
                   "hello world", 11);
  connection_assert_line (connection, ")");

  connection_assert_line (connection, "* 2 FETCH (BODY[] {10}");
  split = connection_read_bytes_sync (connection, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (split, NULL), g_bytes_get_size (split), "0123456789", 10);
  empty = connection_read_bytes_sync (connection, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
  connection_assert_line (connection, ")");
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

static void
test_closed_by_server (void)
{
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  cachet_test_server_send_raw (server, "* 1 FETCH (BODY[] {100}\r\nonly this", -1);
  cachet_test_server_close (server);

  connection = connection_new_for_server (server, "imap", NULL);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  connection_assert_line (connection, "* 1 FETCH (BODY[] {100}");
  bytes = connection_read_bytes_sync (connection, 100, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_null (bytes);
  g_clear_error (&error);
  line = connection_read_line_sync (connection, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_null (line);

  cachet_test_server_assert_done (server);
}

static void
test_handshake_timeout (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTestServer) server = NULL;
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (pki == NULL)
    return;

  /* The server accepts the connection, then never answers the ClientHello. */
  server = cachet_test_server_new ();
  cachet_test_server_stall (server);

  connection = connection_new_for_server (server, "imaps", pki->ca_file);
  cachet_connection_set_timeout (connection, 200);
  start = g_get_monotonic_time ();
  g_assert_false (connection_connect_sync (connection, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_false (cachet_connection_is_secure (connection));
  g_clear_object (&connection);

  cachet_test_server_assert_done (server);
}

static void
test_read_timeout (void)
{
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  cachet_test_server_send (server, "* OK ready");
  cachet_test_server_send_raw (server, "* partial line, then silence", -1);
  cachet_test_server_stall (server);

  connection = connection_new_for_server (server, "imap", NULL);
  cachet_connection_set_timeout (connection, 200);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  connection_assert_line (connection, "* OK ready");

  line = connection_read_line_sync (connection, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_null (line);
  g_clear_object (&connection);

  cachet_test_server_assert_done (server);
}

static void
test_read_bytes_slow (void)
{
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GBytes) literal = NULL;
  g_autoptr(GError) error = NULL;

  /* Longer in all than the deadline, but never silent for that long. */
  cachet_test_server_send_raw (server, "* 1 FETCH (BODY[] {12}\r\n", -1);
  for (guint i = 0; i < 4; i++)
    {
      cachet_test_server_delay (server, 150);
      cachet_test_server_send_raw (server, "abc", -1);
    }
  cachet_test_server_send (server, ")");
  cachet_test_server_expect_disconnect (server);

  connection = connection_new_for_server (server, "imap", NULL);
  cachet_connection_set_timeout (connection, 400);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  connection_assert_line (connection, "* 1 FETCH (BODY[] {12}");
  literal = connection_read_bytes_sync (connection, 12, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (literal, NULL), g_bytes_get_size (literal),
                   "abcabcabcabc", 12);
  connection_assert_line (connection, ")");
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

static void
test_write_timeout (void)
{
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* A server that stops reading: the socket buffers fill, the write stalls. */
  cachet_test_server_delay (server, 500);
  cachet_test_server_stall (server);

  connection = connection_new_for_server (server, "imap", NULL);
  cachet_connection_set_timeout (connection, 100);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  bytes = g_bytes_new_take (g_malloc0 (32 * 1024 * 1024), 32 * 1024 * 1024);
  cachet_connection_write_async (connection, bytes, CACHET_WRITE_NONE, NULL,
                                 cachet_test_result_cb, &result);
  g_assert_false (cachet_connection_write_finish (connection, cachet_test_wait_result (&result),
                                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  /* The result holds the connection; both must go for the socket to close. */
  g_clear_object (&result);
  g_clear_object (&connection);

  cachet_test_server_assert_done (server);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
test_cancel_during_handshake (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTestServer) server = NULL;
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  if (pki == NULL)
    return;

  server = cachet_test_server_new ();
  cachet_test_server_stall (server);

  connection = connection_new_for_server (server, "imaps", pki->ca_file);
  g_timeout_add (50, cancel_cb, cancellable);
  g_assert_false (connection_connect_sync (connection, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&connection);

  cachet_test_server_assert_done (server);
}

static void
test_cancel_before_connect (void)
{
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  connection = connection_new_for_server (server, "imaps", NULL);
  g_assert_false (connection_connect_sync (connection, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_connection_refused (void)
{
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = connection_new_for_server (server, "imaps", NULL);
  /* Nothing listens on the port any more. */
  g_clear_object (&server);
  g_assert_false (connection_connect_sync (connection, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

typedef enum
{
  TRUST_TEST_CA,
  TRUST_OTHER_CA,
  TRUST_SYSTEM,
} TrustKind;

static void
assert_certificate_refused (const char           *cert_file,
                            const char           *key_file,
                            TrustKind             trust_kind,
                            GTlsCertificateFlags  flag,
                            CachetNetError        expected)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTestServer) server = cachet_test_server_new ();
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  const char *ca_file = NULL;

  cachet_test_server_set_certificate (server, cert_file, key_file);
  cachet_test_server_expect_tls_failure (server);

  if (trust_kind == TRUST_TEST_CA)
    ca_file = pki->ca_file;
  else if (trust_kind == TRUST_OTHER_CA)
    ca_file = pki->other_ca_file;
  connection = connection_new_for_server (server, "imaps", ca_file);

  g_assert_false (connection_connect_sync (connection, NULL, &error));
  g_assert_error (error, CACHET_NET_ERROR, (gint) expected);
  g_test_message ("%s", error->message);
  g_assert_false (cachet_connection_is_secure (connection));
  /* What was refused stays visible, for a certificate details dialog. */
  g_assert_nonnull (cachet_connection_get_peer_certificate (connection));
  g_assert_true (cachet_connection_get_peer_certificate_errors (connection) & flag);

  cachet_test_server_assert_done (server);
}

static void
test_verify_unknown_ca_system (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();

  if (pki != NULL)
    assert_certificate_refused (pki->server_cert, pki->server_key, TRUST_SYSTEM,
                                G_TLS_CERTIFICATE_UNKNOWN_CA,
                                CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA);
}

static void
test_verify_unknown_ca_file (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();

  /* An account CA file replaces the system store: a certificate from any
   * other authority fails, as it must for MSSanté and the IGC-Santé. */
  if (pki != NULL)
    assert_certificate_refused (pki->server_cert, pki->server_key, TRUST_OTHER_CA,
                                G_TLS_CERTIFICATE_UNKNOWN_CA,
                                CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA);
}

static void
test_verify_wrong_host (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();

  if (pki != NULL)
    assert_certificate_refused (pki->wrong_host_cert, pki->wrong_host_key, TRUST_TEST_CA,
                                G_TLS_CERTIFICATE_BAD_IDENTITY,
                                CACHET_NET_ERROR_CERTIFICATE_BAD_IDENTITY);
}

static void
test_verify_expired (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();

  if (pki != NULL)
    assert_certificate_refused (pki->expired_cert, pki->expired_key, TRUST_TEST_CA,
                                G_TLS_CERTIFICATE_EXPIRED,
                                CACHET_NET_ERROR_CERTIFICATE_EXPIRED);
}

static void
test_verify_not_yet_valid (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();

  if (pki != NULL)
    assert_certificate_refused (pki->not_yet_valid_cert, pki->not_yet_valid_key, TRUST_TEST_CA,
                                G_TLS_CERTIFICATE_NOT_ACTIVATED,
                                CACHET_NET_ERROR_CERTIFICATE_NOT_ACTIVATED);
}

static void
test_verify_starttls (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTestServer) server = NULL;
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  if (pki == NULL)
    return;

  /* The same checks after STARTTLS; and no credentials can follow. */
  server = cachet_test_server_new ();
  cachet_test_server_set_certificate (server, pki->wrong_host_cert, pki->wrong_host_key);
  cachet_test_server_send (server, "220 smtp.example.org ESMTP");
  cachet_test_server_expect (server, "STARTTLS");
  cachet_test_server_send (server, "220 Go ahead");
  cachet_test_server_expect_tls_failure (server);

  connection = connection_new_for_server (server, "smtp", pki->ca_file);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  connection_assert_line (connection, "220 smtp.example.org ESMTP");
  connection_assert_write (connection, "STARTTLS\r\n", CACHET_WRITE_NONE);
  connection_assert_line (connection, "220 Go ahead");
  g_assert_false (connection_start_tls_sync (connection, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_BAD_IDENTITY);
  g_clear_error (&error);
  g_assert_false (cachet_connection_is_secure (connection));
  g_assert_false (connection_write_sync (connection, "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n",
                              CACHET_WRITE_CREDENTIALS, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_NOT_SECURE);

  cachet_test_server_assert_done (server);
}

static void
test_client_certificate (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTestServer) server = NULL;
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GTlsCertificate) identity = NULL;
  g_autoptr(GError) error = NULL;

  if (pki == NULL)
    return;

  server = tls_server_new (pki);
  cachet_test_server_require_client_certificate (server, pki->ca_file);
  cachet_test_server_start_tls (server);
  cachet_test_server_send (server, "* OK [CAPABILITY IMAP4rev1 AUTH=EXTERNAL] ready");
  cachet_test_server_expect (server, "a AUTHENTICATE EXTERNAL =");
  cachet_test_server_send (server, "a OK Logged in");
  cachet_test_server_expect_disconnect (server);

  identity = cachet_client_identity_load_pkcs12 (pki->client_p12, pki->client_p12_passphrase,
                                                 &error);
  g_assert_no_error (error);
  connection = connection_new_for_server (server, "imaps", pki->ca_file);
  cachet_connection_set_client_certificate (connection, identity);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  connection_assert_line (connection, "* OK [CAPABILITY IMAP4rev1 AUTH=EXTERNAL] ready");
  connection_assert_write (connection, "a AUTHENTICATE EXTERNAL =\r\n", CACHET_WRITE_CREDENTIALS);
  connection_assert_line (connection, "a OK Logged in");
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

static void
test_client_certificate_missing (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTestServer) server = NULL;
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  if (pki == NULL)
    return;

  server = tls_server_new (pki);
  cachet_test_server_require_client_certificate (server, pki->ca_file);
  cachet_test_server_expect_tls_failure (server);

  connection = connection_new_for_server (server, "imaps", pki->ca_file);
  /* With TLS 1.3 the client's side of the handshake completes before the
   * server judges its (absent) certificate: the refusal comes with the
   * first read. With TLS 1.2 it ends the handshake. */
  if (connection_connect_sync (connection, NULL, &error))
    line = connection_read_line_sync (connection, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED);
  g_assert_nonnull (strstr (error->message, "client certificate"));
  g_assert_null (line);

  cachet_test_server_assert_done (server);
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/net/connection/implicit-tls", test_implicit_tls);
  g_test_add_func ("/net/connection/starttls", test_starttls);
  g_test_add_data_func ("/net/connection/starttls/injection", GINT_TO_POINTER (TRUE),
                        test_starttls_injection);
  g_test_add_data_func ("/net/connection/starttls/injection-after-read", GINT_TO_POINTER (FALSE),
                        test_starttls_injection);
  g_test_add_func ("/net/connection/starttls/refused", test_starttls_refused);
  g_test_add_func ("/net/connection/line/too-long", test_line_too_long);
  g_test_add_func ("/net/connection/line/without-end", test_line_without_end);
  g_test_add_func ("/net/connection/one-byte-at-a-time", test_one_byte_at_a_time);
  g_test_add_func ("/net/connection/read-bytes", test_read_bytes);
  g_test_add_func ("/net/connection/closed-by-server", test_closed_by_server);
  g_test_add_func ("/net/connection/timeout/handshake", test_handshake_timeout);
  g_test_add_func ("/net/connection/timeout/read", test_read_timeout);
  g_test_add_func ("/net/connection/timeout/read-bytes-slow", test_read_bytes_slow);
  g_test_add_func ("/net/connection/timeout/write", test_write_timeout);
  g_test_add_func ("/net/connection/cancel/during-handshake", test_cancel_during_handshake);
  g_test_add_func ("/net/connection/cancel/before-connect", test_cancel_before_connect);
  g_test_add_func ("/net/connection/refused", test_connection_refused);
  g_test_add_func ("/net/connection/verify/unknown-ca-system", test_verify_unknown_ca_system);
  g_test_add_func ("/net/connection/verify/unknown-ca-file", test_verify_unknown_ca_file);
  g_test_add_func ("/net/connection/verify/wrong-host", test_verify_wrong_host);
  g_test_add_func ("/net/connection/verify/expired", test_verify_expired);
  g_test_add_func ("/net/connection/verify/not-yet-valid", test_verify_not_yet_valid);
  g_test_add_func ("/net/connection/verify/starttls", test_verify_starttls);
  g_test_add_func ("/net/connection/client-certificate", test_client_certificate);
  g_test_add_func ("/net/connection/client-certificate/missing", test_client_certificate_missing);

  return g_test_run ();
}
