/* test-net-identity.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-client-identity.h"
#include "cachet-net-error.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

static void
test_pkcs12 (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GByteArray) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;

  if (pki == NULL)
    return;

  certificate = cachet_client_identity_load_pkcs12 (pki->client_p12, pki->client_p12_passphrase,
                                                    &error);
  g_assert_no_error (error);
  g_object_get (certificate, "private-key", &key, NULL);
  g_assert_nonnull (key);
  subject = g_tls_certificate_get_subject_name (certificate);
  g_assert_cmpstr (subject, ==, "CN=alice@example.org");
}

static void
test_pkcs12_wrong_passphrase (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  if (pki == NULL)
    return;

  certificate = cachet_client_identity_load_pkcs12 (pki->client_p12, "not the passphrase", &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_BAD_PASSPHRASE);
  g_assert_null (strstr (error->message, "not the passphrase"));
  g_assert_null (certificate);
  g_clear_error (&error);

  certificate = cachet_client_identity_load_pkcs12 (pki->client_p12, NULL, &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_BAD_PASSPHRASE);
}

static void
test_pkcs12_without_key (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  if (pki == NULL)
    return;

  certificate = cachet_client_identity_load_pkcs12 (pki->client_p12_without_key,
                                                    pki->client_p12_passphrase, &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_NO_PRIVATE_KEY);
  g_assert_null (certificate);
}

static void
test_pkcs12_unreadable (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (g_getenv ("HOME"), "no-such.p12", NULL);
  g_autofree char *empty = g_build_filename (g_getenv ("HOME"), "empty.p12", NULL);

  if (pki == NULL)
    return;

  certificate = cachet_client_identity_load_pkcs12 (missing, "x", &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_UNREADABLE);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  /* PEM, not PKCS #12. */
  certificate = cachet_client_identity_load_pkcs12 (pki->server_cert, "x", &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_UNREADABLE);
  g_clear_error (&error);

  g_file_set_contents (empty, "", 0, &error);
  g_assert_no_error (error);
  certificate = cachet_client_identity_load_pkcs12 (empty, "x", &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_UNREADABLE);
  g_assert_null (certificate);
}

static void
test_pkcs11_not_found (void)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  certificate = cachet_client_identity_load_pkcs11 ("pkcs11:token=No%20Such%20Token;"
                                                    "object=nothing?pin-value=1234",
                                                    NULL, &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_UNREADABLE);
  /* The URI may carry a PIN: never in a message. */
  g_assert_null (strstr (error->message, "1234"));
  g_assert_null (certificate);
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/net/identity/pkcs12", test_pkcs12);
  g_test_add_func ("/net/identity/pkcs12/wrong-passphrase", test_pkcs12_wrong_passphrase);
  g_test_add_func ("/net/identity/pkcs12/without-key", test_pkcs12_without_key);
  g_test_add_func ("/net/identity/pkcs12/unreadable", test_pkcs12_unreadable);
  g_test_add_func ("/net/identity/pkcs11/not-found", test_pkcs11_not_found);

  return g_test_run ();
}
