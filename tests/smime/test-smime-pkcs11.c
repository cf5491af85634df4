/* test-smime-pkcs11.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cachet-gmime-autocleanups.h"
#include "cachet-mime.h"
#include "cachet-smime.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "smime-test-pki.h"

/* Signing and decrypting with a key that never leaves its token, as with
 * the CPS card: SoftHSM2 stands in for the card. */

#define TOKEN_PIN "4321"

/* The token, made once for the tests of this program. */
static void
make_token (const SmimeTestPki *pki)
{
  static gboolean made;
  g_autofree char *tokens = g_build_filename (g_get_home_dir (), "softhsm-tokens", NULL);
  g_autofree char *contents = g_strdup_printf ("directories.tokendir = %s\n"
                                               "objectstore.backend = file\n", tokens);
  g_autoptr(GError) error = NULL;

  if (made)
    return;
  made = TRUE;
  g_assert_cmpint (g_mkdir_with_parents (tokens, 0700), ==, 0);
  g_file_set_contents (g_getenv ("SOFTHSM2_CONF"), contents, -1, &error);
  g_assert_no_error (error);

  smime_test_run ("softhsm2-util", "--init-token", "--free", "--label", "cachet-smime",
                  "--pin", TOKEN_PIN, "--so-pin", "87654321", NULL);
  smime_test_run ("p11tool", "--login", "--write", "pkcs11:token=cachet-smime", "--label", "alice",
                  "--id", "01", "--load-privkey", pki->alice_key, NULL);
  smime_test_run ("p11tool", "--login", "--write", "pkcs11:token=cachet-smime", "--label", "alice",
                  "--id", "01", "--load-certificate", pki->alice_cert, NULL);
  smime_test_run ("p11tool", "--login", "--write", "pkcs11:token=cachet-smime",
                  "--label", "intermediate", "--id", "02", "--load-certificate", pki->intermediate, NULL);
}

static void
test_pkcs11_sign (void)
{
  const SmimeTestPki *pki = NULL;
  const char *text = "From: alice@example.org\n"
                     "To: bob@example.org\n"
                     "Subject: CR\n"
                     "MIME-Version: 1.0\n"
                     "Content-Type: text/plain\n"
                     "\n"
                     "Compte rendu.\n";
  g_autoptr(GBytes) raw = g_bytes_new_static (text, strlen (text));
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;
  g_autoptr(CachetSmimeIdentity) identity = NULL;
  g_autoptr(CachetSmimeIdentity) missing = NULL;
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GBytes) signed_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) missing_error = NULL;
  g_autofree char *store_dir = NULL;
  guint chain_length = 0;
  char *signed_text;

  if (!cachet_test_require_program ("softhsm2-util") ||
      !cachet_test_require_program ("p11tool") ||
      (pki = smime_test_pki_get ()) == NULL)
    return;
  make_token (pki);

  identity = cachet_smime_identity_load_pkcs11 ("pkcs11:token=cachet-smime;object=alice;"
                                                "pin-value=" TOKEN_PIN, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_certificate_has_email_address (cachet_smime_identity_get_certificate (identity),
                                                       "alice@example.org"));
  /* The intermediate CA comes from the token too. */
  cachet_smime_identity_get_chain (identity, &chain_length);
  g_assert_cmpuint (chain_length, ==, 2);

  message = cachet_mime_parse_message (raw, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_smime_sign_message (message, identity, CACHET_SMIME_SIGN_DETACHED, &error));
  g_assert_no_error (error);

  signed_text = g_mime_object_to_string (GMIME_OBJECT (message), NULL);
  signed_bytes = g_bytes_new_take (signed_text, strlen (signed_text));
  parsed = cachet_mime_parse_message (signed_bytes, &error);
  g_assert_no_error (error);
  store_dir = g_build_filename (g_get_home_dir (), "store", NULL);
  store = cachet_certificate_store_new (store_dir);
  cachet_certificate_store_set_use_system_anchors (store, FALSE);
  anchors = cachet_certificate_store_trust_file (store, pki->ca, &error);
  g_assert_no_error (error);
  report = cachet_smime_verify_message (parsed, store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cachet_security_report_get_verdict (report), ==, CACHET_SECURITY_VERDICT_VALID);

  missing = cachet_smime_identity_load_pkcs11 ("pkcs11:token=cachet-smime;object=nobody;"
                                               "pin-value=" TOKEN_PIN, &missing_error);
  g_assert_null (missing);
  g_assert_error (missing_error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_IDENTITY_UNREADABLE);
  g_assert_null (strstr (missing_error->message, TOKEN_PIN));
}

/* OpenSSL's encryption for Alice, decrypted by the key on the token. */
static void
test_pkcs11_decrypt (void)
{
  const SmimeTestPki *pki = NULL;
  const char *text = "From: bob@example.org\n"
                     "To: alice@example.org\n"
                     "Subject: CR\n"
                     "MIME-Version: 1.0\n"
                     "Content-Type: text/plain\n"
                     "\n"
                     "Compte rendu chiffré.\n";
  g_autofree char *plain = NULL;
  g_autofree char *encrypted = NULL;
  g_autofree char *store_dir = NULL;
  g_autoptr(CachetSmimeIdentity) identity = NULL;
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeObject) entity = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *decrypted = NULL;

  if (!cachet_test_require_program ("softhsm2-util") ||
      !cachet_test_require_program ("p11tool") ||
      (pki = smime_test_pki_get ()) == NULL)
    return;
  make_token (pki);

  plain = g_build_filename (pki->dir, "pkcs11-plain.eml", NULL);
  encrypted = g_build_filename (pki->dir, "pkcs11-encrypted.eml", NULL);
  g_file_set_contents (plain, text, -1, &error);
  g_assert_no_error (error);
  smime_test_run ("openssl", "smime", "-encrypt", "-aes256", "-in", plain, "-out", encrypted,
                  pki->alice_cert, NULL);

  identity = cachet_smime_identity_load_pkcs11 ("pkcs11:token=cachet-smime;object=alice;"
                                                "pin-value=" TOKEN_PIN, &error);
  g_assert_no_error (error);
  file = g_mapped_file_new (encrypted, FALSE, &error);
  g_assert_no_error (error);
  raw = g_mapped_file_get_bytes (file);
  message = cachet_mime_parse_message (raw, &error);
  g_assert_no_error (error);
  store_dir = g_build_filename (g_get_home_dir (), "store", NULL);
  store = cachet_certificate_store_new (store_dir);
  entity = cachet_smime_decrypt_message (message, identity, store, NULL, &error);
  g_assert_no_error (error);
  decrypted = g_mime_object_to_string (entity, NULL);
  g_assert_nonnull (strstr (decrypted, "Compte rendu chiffr"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *softhsm_conf = NULL;

  cachet_test_init (&argc, &argv);
  /* Set before any thread exists; the test writes the file. */
  softhsm_conf = g_build_filename (g_get_home_dir (), "softhsm2.conf", NULL);
  g_setenv ("SOFTHSM2_CONF", softhsm_conf, TRUE);
  g_setenv ("GNUTLS_PIN", TOKEN_PIN, TRUE);

  g_test_add_func ("/smime/pkcs11/sign", test_pkcs11_sign);
  g_test_add_func ("/smime/pkcs11/decrypt", test_pkcs11_decrypt);

  return g_test_run ();
}
