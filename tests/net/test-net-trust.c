/* test-net-trust.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-net-error.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "cachet-trust.h"

/* The verification itself is GIO's; what is ours is the policy (which anchors)
 * and the error each failure becomes. Handshakes against bad certificates are
 * in test-net-connection.c. */

static void
test_system (void)
{
  g_autoptr(CachetTrust) trust = NULL;
  g_autoptr(GError) error = NULL;

  trust = cachet_trust_new_system (&error);
  g_assert_no_error (error);
  g_assert_true (G_IS_TLS_DATABASE (cachet_trust_get_database (trust)));
}

static void
test_ca_file (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTrust) trust = NULL;
  g_autoptr(GError) error = NULL;

  if (pki == NULL)
    return;

  trust = cachet_trust_new_for_ca_file (pki->ca_file, &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_TLS_FILE_DATABASE (cachet_trust_get_database (trust)));
}

static void
test_ca_file_missing (void)
{
  g_autoptr(CachetTrust) trust = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("HOME"), "no-such-ca.pem", NULL);

  trust = cachet_trust_new_for_ca_file (path, &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CA_FILE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (trust);
}

static void
test_ca_file_without_certificate (void)
{
  g_autoptr(CachetTrust) trust = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("HOME"), "empty-ca.pem", NULL);

  g_file_set_contents (path, "This is not a certificate.\n", -1, &error);
  g_assert_no_error (error);

  trust = cachet_trust_new_for_ca_file (path, &error);
  g_assert_error (error, CACHET_NET_ERROR, CACHET_NET_ERROR_CA_FILE);
  g_assert_null (trust);
}

static void
test_check (void)
{
  static const struct
  {
    GTlsCertificateFlags errors;
    CachetNetError expected;
  } cases[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, CACHET_NET_ERROR_CERTIFICATE_BAD_IDENTITY },
    { G_TLS_CERTIFICATE_EXPIRED, CACHET_NET_ERROR_CERTIFICATE_EXPIRED },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, CACHET_NET_ERROR_CERTIFICATE_NOT_ACTIVATED },
    { G_TLS_CERTIFICATE_REVOKED, CACHET_NET_ERROR_CERTIFICATE_REVOKED },
    { G_TLS_CERTIFICATE_INSECURE, CACHET_NET_ERROR_CERTIFICATE_INSECURE },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, CACHET_NET_ERROR_CERTIFICATE_INVALID },
    /* The flag that makes the others moot wins. */
    { G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY | G_TLS_CERTIFICATE_EXPIRED,
      CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA },
    { G_TLS_CERTIFICATE_REVOKED | G_TLS_CERTIFICATE_EXPIRED,
      CACHET_NET_ERROR_CERTIFICATE_REVOKED },
    { G_TLS_CERTIFICATE_BAD_IDENTITY | G_TLS_CERTIFICATE_EXPIRED,
      CACHET_NET_ERROR_CERTIFICATE_BAD_IDENTITY },
    { G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_INSECURE,
      CACHET_NET_ERROR_CERTIFICATE_EXPIRED },
    { G_TLS_CERTIFICATE_INSECURE | G_TLS_CERTIFICATE_GENERIC_ERROR,
      CACHET_NET_ERROR_CERTIFICATE_INSECURE },
  };
  g_autoptr(CachetTrust) trust = NULL;
  g_autoptr(GError) error = NULL;

  trust = cachet_trust_new_system (&error);
  g_assert_no_error (error);
  g_assert_true (cachet_trust_check (trust, G_TLS_CERTIFICATE_NO_FLAGS, "mail.example.org",
                                     &error));
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_false (cachet_trust_check (trust, cases[i].errors, "mail.example.org", &error));
      g_assert_error (error, CACHET_NET_ERROR, (gint) cases[i].expected);
      g_assert_nonnull (strstr (error->message, "mail.example.org"));
      g_clear_error (&error);
    }
}

static void
test_check_messages (void)
{
  const CachetTestPki *pki = cachet_test_pki_get ();
  g_autoptr(CachetTrust) system = NULL;
  g_autoptr(CachetTrust) file = NULL;
  g_autoptr(GError) system_error = NULL;
  g_autoptr(GError) file_error = NULL;

  if (pki == NULL)
    return;

  /* An unknown authority means different things to do: add the operator's
   * CA file, or check that it is the right one. */
  system = cachet_trust_new_system (&system_error);
  g_assert_no_error (system_error);
  file = cachet_trust_new_for_ca_file (pki->ca_file, &file_error);
  g_assert_no_error (file_error);

  cachet_trust_check (system, G_TLS_CERTIFICATE_UNKNOWN_CA, "mail.example.org", &system_error);
  cachet_trust_check (file, G_TLS_CERTIFICATE_UNKNOWN_CA, "mail.example.org", &file_error);
  g_assert_nonnull (strstr (system_error->message, "add it to the account"));
  g_assert_nonnull (strstr (file_error->message, "CA file"));
  g_assert_cmpstr (system_error->message, !=, file_error->message);
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/net/trust/system", test_system);
  g_test_add_func ("/net/trust/ca-file", test_ca_file);
  g_test_add_func ("/net/trust/ca-file/missing", test_ca_file_missing);
  g_test_add_func ("/net/trust/ca-file/without-certificate", test_ca_file_without_certificate);
  g_test_add_func ("/net/trust/check", test_check);
  g_test_add_func ("/net/trust/check/messages", test_check_messages);

  return g_test_run ();
}
