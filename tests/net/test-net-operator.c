/* test-net-operator.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-client-identity.h"
#include "cachet-connection.h"
#include "cachet-net-error.h"
#include "cachet-sasl.h"
#include "cachet-test-operator.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "connection-sync.h"

/* The connection against real servers: the Dovecot and Postfix of the
 * operator in a box (tests/operator), started once for the whole program with
 * a CA of its own. There is no IMAP or SMTP session layer yet, so the tests
 * speak the few commands they need themselves. */

static const char *
env (const char *key)
{
  return cachet_test_operator_get (key);
}

static CachetConnection *
operator_connection_new (const char *scheme,
                         const char *port_key,
                         gboolean    system_trust)
{
  g_autofree char *uri = g_strdup_printf ("%s://%s:%s", scheme, env ("CACHET_OPERATOR_HOST"),
                                          env (port_key));
  g_autoptr(CachetServerAddress) address = NULL;
  g_autoptr(CachetTrust) trust = NULL;
  g_autoptr(GError) error = NULL;

  address = cachet_server_address_parse (uri, &error);
  g_assert_no_error (error);
  trust = system_trust ? cachet_trust_new_system (&error)
                       : cachet_trust_new_for_ca_file (env ("CA_FILE"), &error);
  g_assert_no_error (error);

  return cachet_connection_new (address, trust);
}

/* Reads IMAP responses up to the one tagged @tag, which it returns; the
 * mechanisms of a CAPABILITY response on the way go into @mechanisms. */
static char *
imap_read_tagged (CachetConnection *connection,
                  const char       *tag,
                  GPtrArray        *mechanisms)
{
  g_autofree char *prefix = g_strconcat (tag, " ", NULL);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = connection_read_line_sync (connection, &error);

      g_assert_no_error (error);
      if (g_str_has_prefix (line, prefix))
        return g_steal_pointer (&line);
      if (mechanisms != NULL && g_str_has_prefix (line, "* CAPABILITY "))
        {
          g_auto(GStrv) words = g_strsplit (line, " ", -1);

          for (gsize i = 0; words[i] != NULL; i++)
            {
              if (g_ascii_strncasecmp (words[i], "AUTH=", 5) == 0)
                g_ptr_array_add (mechanisms, g_strdup (words[i] + 5));
            }
        }
    }
}

/* AUTHENTICATE with an initial response (Dovecot offers SASL-IR); returns the
 * tagged answer. */
static char *
imap_authenticate (CachetConnection *connection,
                   CachetSasl       *sasl)
{
  g_auto(CachetSecret) initial = cachet_sasl_get_initial_response (sasl);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) line = NULL;
  g_autoptr(GError) error = NULL;

  line = cachet_secret_to_bytes (g_strdup_printf ("s AUTHENTICATE %s %s\r\n",
                                                  cachet_sasl_mechanism_to_string (
                                                    cachet_sasl_get_mechanism (sasl)),
                                                  initial));
  cachet_connection_write_async (connection, line, CACHET_WRITE_CREDENTIALS, NULL,
                                 cachet_test_result_cb, &result);
  g_assert_true (cachet_connection_write_finish (connection, cachet_test_wait_result (&result),
                                                 &error));
  g_assert_no_error (error);

  return imap_read_tagged (connection, "s", NULL);
}

static void
imap_logout (CachetConnection *connection)
{
  g_autofree char *answer = NULL;

  connection_assert_write (connection, "z LOGOUT\r\n", CACHET_WRITE_NONE);
  answer = imap_read_tagged (connection, "z", NULL);
  g_assert_true (g_str_has_prefix (answer, "z OK"));
  connection_close_sync (connection);
}

static char *
choose (GPtrArray             *offered,
        CachetSaslCredentials  available)
{
  g_autoptr(GError) error = NULL;
  CachetSaslMechanism mechanism;

  g_ptr_array_add (offered, NULL);
  g_assert_true (cachet_sasl_choose_mechanism ((const char * const *) offered->pdata, available,
                                               &mechanism, &error));
  g_assert_no_error (error);

  return g_strdup (cachet_sasl_mechanism_to_string (mechanism));
}

static void
assert_password_login (CachetConnection *connection)
{
  g_autoptr(GPtrArray) mechanisms = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CachetSasl) sasl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *mechanism = NULL;

  /* Capabilities are asked for again over TLS, never taken from before. */
  connection_assert_write (connection, "c CAPABILITY\r\n", CACHET_WRITE_NONE);
  answer = imap_read_tagged (connection, "c", mechanisms);
  g_assert_true (g_str_has_prefix (answer, "c OK"));
  mechanism = choose (mechanisms, CACHET_SASL_CREDENTIALS_PASSWORD);
  g_assert_cmpstr (mechanism, ==, "PLAIN");

  sasl = cachet_sasl_new_plain (NULL, env ("ALICE_USER"), env ("ALICE_PASSWORD"), &error);
  g_assert_no_error (error);
  g_clear_pointer (&answer, g_free);
  answer = imap_authenticate (connection, sasl);
  g_assert_true (g_str_has_prefix (answer, "s OK"));
}

static void
test_imaps (void)
{
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *greeting = NULL;

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE, "CACHET_OPERATOR_HOST", "IMAPS_PORT",
                                   "CA_FILE", "ALICE_USER", "ALICE_PASSWORD", NULL))
    return;

  connection = operator_connection_new ("imaps", "IMAPS_PORT", FALSE);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cachet_connection_is_secure (connection));
  g_assert_cmpint (cachet_connection_get_protocol_version (connection), >=,
                   G_TLS_PROTOCOL_VERSION_TLS_1_2);

  greeting = connection_read_line_sync (connection, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (greeting, "* OK"));
  assert_password_login (connection);
  imap_logout (connection);
}

static void
test_imap_starttls (void)
{
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *answer = NULL;

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE, "CACHET_OPERATOR_HOST",
                                   "IMAP_STARTTLS_PORT", "CA_FILE", "ALICE_USER", "ALICE_PASSWORD",
                                   NULL))
    return;

  connection = operator_connection_new ("imap", "IMAP_STARTTLS_PORT", FALSE);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cachet_connection_is_secure (connection));

  greeting = connection_read_line_sync (connection, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (greeting, "* OK"));
  g_assert_nonnull (strstr (greeting, "STARTTLS"));

  /* Credentials cannot leave before TLS, whatever the caller does. */
  g_assert_false (connection_write_sync (connection, "x LOGIN alice secret\r\n",
                                         CACHET_WRITE_CREDENTIALS, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_NOT_SECURE);
  g_clear_error (&error);

  connection_assert_write (connection, "a STARTTLS\r\n", CACHET_WRITE_NONE);
  answer = imap_read_tagged (connection, "a", NULL);
  g_assert_true (g_str_has_prefix (answer, "a OK"));
  g_assert_true (connection_start_tls_sync (connection, &error));
  g_assert_no_error (error);
  g_assert_true (cachet_connection_is_secure (connection));

  assert_password_login (connection);
  imap_logout (connection);
}

static void
test_imaps_client_certificate (void)
{
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GTlsCertificate) identity = NULL;
  g_autoptr(GPtrArray) mechanisms = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CachetSasl) sasl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *mechanism = NULL;

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE, "CACHET_OPERATOR_HOST",
                                   "IMAPS_CLIENTCERT_PORT", "CA_FILE", "CLIENT_P12",
                                   "CLIENT_P12_PASSWORD", NULL))
    return;

  identity = cachet_client_identity_load_pkcs12 (env ("CLIENT_P12"), env ("CLIENT_P12_PASSWORD"),
                                                 &error);
  g_assert_no_error (error);
  connection = operator_connection_new ("imaps", "IMAPS_CLIENTCERT_PORT", FALSE);
  cachet_connection_set_client_certificate (connection, identity);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  connection_assert_write (connection, "c CAPABILITY\r\n", CACHET_WRITE_NONE);
  answer = imap_read_tagged (connection, "c", mechanisms);
  g_assert_true (g_str_has_prefix (answer, "c OK"));
  mechanism = choose (mechanisms, CACHET_SASL_CREDENTIALS_CLIENT_CERTIFICATE |
                                  CACHET_SASL_CREDENTIALS_PASSWORD);
  g_assert_cmpstr (mechanism, ==, "EXTERNAL");

  /* The certificate is the credential; Dovecot takes the user from it. */
  sasl = cachet_sasl_new_external (NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&answer, g_free);
  answer = imap_authenticate (connection, sasl);
  g_assert_true (g_str_has_prefix (answer, "s OK"));
  imap_logout (connection);
}

static void
test_imaps_client_certificate_missing (void)
{
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(CachetSasl) sasl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE, "CACHET_OPERATOR_HOST",
                                   "IMAPS_CLIENTCERT_PORT", "CA_FILE", NULL))
    return;

  /* Dovecot lets the handshake through without a certificate and refuses
   * the sign-in instead. */
  connection = operator_connection_new ("imaps", "IMAPS_CLIENTCERT_PORT", FALSE);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  sasl = cachet_sasl_new_external (NULL, &error);
  g_assert_no_error (error);
  answer = imap_authenticate (connection, sasl);
  g_assert_false (g_str_has_prefix (answer, "s OK"));
  imap_logout (connection);
}

static void
test_imaps_system_trust (void)
{
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE, "CACHET_OPERATOR_HOST", "IMAPS_PORT",
                                   "CA_FILE", NULL))
    return;

  /* The operator's CA is in no system store. */
  connection = operator_connection_new ("imaps", "IMAPS_PORT", TRUE);
  g_assert_false (connection_connect_sync (connection, NULL, &error));
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA);
}

/* Reads an SMTP reply, all its lines, and returns the last one. */
static char *
smtp_read_reply (CachetConnection *connection,
                 GPtrArray        *mechanisms)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = connection_read_line_sync (connection, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (line), >=, 4);
      if (mechanisms != NULL && g_ascii_strncasecmp (line + 4, "AUTH ", 5) == 0)
        {
          g_auto(GStrv) words = g_strsplit (line + 9, " ", -1);

          for (gsize i = 0; words[i] != NULL; i++)
            g_ptr_array_add (mechanisms, g_strdup (words[i]));
        }
      if (line[3] == ' ')
        return g_steal_pointer (&line);
    }
}

static void
smtp_authenticate (CachetConnection *connection)
{
  g_autoptr(GPtrArray) mechanisms = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CachetSasl) sasl = NULL;
  g_autoptr(GBytes) line = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CachetSecret) initial = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *mechanism = NULL;

  connection_assert_write (connection, "EHLO cachet.test\r\n", CACHET_WRITE_NONE);
  reply = smtp_read_reply (connection, mechanisms);
  g_assert_true (g_str_has_prefix (reply, "250 "));
  mechanism = choose (mechanisms, CACHET_SASL_CREDENTIALS_PASSWORD);
  g_assert_cmpstr (mechanism, ==, "PLAIN");

  sasl = cachet_sasl_new_plain (NULL, env ("ALICE_USER"), env ("ALICE_PASSWORD"), &error);
  g_assert_no_error (error);
  initial = cachet_sasl_get_initial_response (sasl);
  line = cachet_secret_to_bytes (g_strdup_printf ("AUTH PLAIN %s\r\n", initial));
  cachet_connection_write_async (connection, line, CACHET_WRITE_CREDENTIALS, NULL,
                                 cachet_test_result_cb, &result);
  g_assert_true (cachet_connection_write_finish (connection, cachet_test_wait_result (&result),
                                                 &error));
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_free);
  reply = smtp_read_reply (connection, NULL);
  g_assert_true (g_str_has_prefix (reply, "235 "));

  connection_assert_write (connection, "QUIT\r\n", CACHET_WRITE_NONE);
  g_clear_pointer (&reply, g_free);
  reply = smtp_read_reply (connection, NULL);
  g_assert_true (g_str_has_prefix (reply, "221 "));
  connection_close_sync (connection);
}

static void
test_submission_starttls (void)
{
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE, "CACHET_OPERATOR_HOST",
                                   "SUBMISSION_PORT", "CA_FILE", "ALICE_USER", "ALICE_PASSWORD",
                                   NULL))
    return;

  connection = operator_connection_new ("smtp", "SUBMISSION_PORT", FALSE);
  cachet_connection_set_max_line_length (connection, 510);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);

  reply = smtp_read_reply (connection, NULL);
  g_assert_true (g_str_has_prefix (reply, "220 "));
  connection_assert_write (connection, "EHLO cachet.test\r\n", CACHET_WRITE_NONE);
  g_clear_pointer (&reply, g_free);
  reply = smtp_read_reply (connection, NULL);
  g_assert_true (g_str_has_prefix (reply, "250 "));
  connection_assert_write (connection, "STARTTLS\r\n", CACHET_WRITE_NONE);
  g_clear_pointer (&reply, g_free);
  reply = smtp_read_reply (connection, NULL);
  g_assert_true (g_str_has_prefix (reply, "220 "));
  g_assert_true (connection_start_tls_sync (connection, &error));
  g_assert_no_error (error);

  smtp_authenticate (connection);
}

static void
test_submissions (void)
{
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE, "CACHET_OPERATOR_HOST",
                                   "SUBMISSIONS_PORT", "CA_FILE", "ALICE_USER", "ALICE_PASSWORD",
                                   NULL))
    return;

  connection = operator_connection_new ("smtps", "SUBMISSIONS_PORT", FALSE);
  cachet_connection_set_max_line_length (connection, 510);
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cachet_connection_is_secure (connection));

  reply = smtp_read_reply (connection, NULL);
  g_assert_true (g_str_has_prefix (reply, "220 "));
  smtp_authenticate (connection);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  cachet_test_init (&argc, &argv);

  g_test_add_func ("/net/operator/imaps", test_imaps);
  g_test_add_func ("/net/operator/imap-starttls", test_imap_starttls);
  g_test_add_func ("/net/operator/imaps-client-certificate", test_imaps_client_certificate);
  g_test_add_func ("/net/operator/imaps-client-certificate-missing",
                   test_imaps_client_certificate_missing);
  g_test_add_func ("/net/operator/imaps-system-trust", test_imaps_system_trust);
  g_test_add_func ("/net/operator/submission-starttls", test_submission_starttls);
  g_test_add_func ("/net/operator/submissions", test_submissions);

  status = g_test_run ();
  cachet_test_operator_stop ();

  return status;
}
