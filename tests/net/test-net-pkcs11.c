/* test-net-pkcs11.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cachet-client-identity.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "connection-sync.h"

/* A client certificate on a PKCS #11 token, as the CPS card is: SoftHSM2
 * stands in for the card, and the PIN is asked for through the connection's
 * interaction. A program of its own, because the token must exist before
 * GnuTLS first loads the PKCS #11 modules of the process. */

#define TOKEN_PIN "4321"

#define TEST_TYPE_PIN_INTERACTION (test_pin_interaction_get_type ())
G_DECLARE_FINAL_TYPE (TestPinInteraction, test_pin_interaction, TEST, PIN_INTERACTION,
                      GTlsInteraction)

struct _TestPinInteraction
{
  GTlsInteraction parent_instance;
  guint asked;
};

G_DEFINE_FINAL_TYPE (TestPinInteraction, test_pin_interaction, G_TYPE_TLS_INTERACTION)

static GTlsInteractionResult
test_pin_interaction_ask_password (GTlsInteraction  *interaction,
                                   GTlsPassword     *password,
                                   GCancellable     *cancellable,
                                   GError          **error)
{
  TEST_PIN_INTERACTION (interaction)->asked++;
  g_tls_password_set_value (password, (const guchar *) TOKEN_PIN, -1);

  return G_TLS_INTERACTION_HANDLED;
}

static void
test_pin_interaction_class_init (TestPinInteractionClass *klass)
{
  G_TLS_INTERACTION_CLASS (klass)->ask_password = test_pin_interaction_ask_password;
}

static void
test_pin_interaction_init (TestPinInteraction *self)
{
}

static void run (const char *first_arg,
                 ...) G_GNUC_NULL_TERMINATED;

static void
run (const char *first_arg,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  va_list args;

  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "GNUTLS_PIN", TOKEN_PIN, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s failed:\n%s", first_arg, output);
}

/* A fresh SoftHSM2 token in the test's home holding the test client
 * certificate and its key. */
static void
make_token (const CachetTestPki *pki)
{
  g_autofree char *tokens = g_build_filename (g_getenv ("HOME"), "softhsm-tokens", NULL);
  g_autofree char *contents = g_strdup_printf ("directories.tokendir = %s\n"
                                               "objectstore.backend = file\n", tokens);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (tokens, 0700), ==, 0);
  g_file_set_contents (g_getenv ("SOFTHSM2_CONF"), contents, -1, &error);
  g_assert_no_error (error);

  run ("softhsm2-util", "--init-token", "--free", "--label", "cachet-test",
       "--pin", TOKEN_PIN, "--so-pin", "87654321", NULL);
  run ("p11tool", "--login", "--write", "pkcs11:token=cachet-test", "--label", "alice",
       "--id", "01", "--load-privkey", pki->client_key, NULL);
  run ("p11tool", "--login", "--write", "pkcs11:token=cachet-test", "--label", "alice",
       "--id", "01", "--load-certificate", pki->client_cert, NULL);
}

static void
test_pkcs11_identity (void)
{
  const CachetTestPki *pki = NULL;
  g_autoptr(CachetTestServer) server = NULL;
  g_autoptr(CachetConnection) connection = NULL;
  g_autoptr(GTlsCertificate) identity = NULL;
  g_autoptr(TestPinInteraction) interaction = NULL;
  g_autoptr(GError) error = NULL;

  if (!cachet_test_require_program ("softhsm2-util") ||
      !cachet_test_require_program ("p11tool") ||
      (pki = cachet_test_pki_get ()) == NULL)
    return;

  make_token (pki);
  identity = cachet_client_identity_load_pkcs11 ("pkcs11:token=cachet-test;object=alice;type=cert",
                                                 "pkcs11:token=cachet-test;object=alice;type=private",
                                                 &error);
  g_assert_no_error (error);

  server = cachet_test_server_new ();
  cachet_test_server_set_certificate (server, pki->server_cert, pki->server_key);
  cachet_test_server_require_client_certificate (server, pki->ca_file);
  cachet_test_server_start_tls (server);
  cachet_test_server_send (server, "* OK ready");
  cachet_test_server_expect_disconnect (server);

  interaction = g_object_new (TEST_TYPE_PIN_INTERACTION, NULL);
  connection = connection_new_for_server (server, "imaps", pki->ca_file);
  cachet_connection_set_client_certificate (connection, identity);
  cachet_connection_set_interaction (connection, G_TLS_INTERACTION (interaction));
  g_assert_true (connection_connect_sync (connection, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (interaction->asked, >, 0);

  connection_assert_line (connection, "* OK ready");
  connection_close_sync (connection);

  cachet_test_server_assert_done (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *softhsm_conf = NULL;

  cachet_test_init (&argc, &argv);
  /* Set before any thread exists; the test writes the file. */
  softhsm_conf = g_build_filename (g_getenv ("HOME"), "softhsm2.conf", NULL);
  g_setenv ("SOFTHSM2_CONF", softhsm_conf, TRUE);

  g_test_add_func ("/net/pkcs11/identity", test_pkcs11_identity);

  return g_test_run ();
}
