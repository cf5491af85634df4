/* test-smime.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "cachet-gmime-autocleanups.h"
#include "cachet-mime.h"
#include "cachet-smime.h"
#include "cachet-smime-signed-data.h"
#include "cachet-net-error.h"
#include "cachet-test-credentials.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "smime-test-pki.h"

/* Signing and verifying, against OpenSSL on certificates it makes for each
 * run, and the published spoofing and CMS vectors. */

static const SmimeTestPki *pki;

static gboolean
make_pki (void)
{
  return (pki = smime_test_pki_get ()) != NULL;
}

static char *
write_message (const char *name,
               const char *from)
{
  g_autofree char *text = g_strdup_printf ("From: Alice <%s>\n"
                                           "To: bob@example.org\n"
                                           "Subject: Résultats\n"
                                           "MIME-Version: 1.0\n"
                                           "Content-Type: text/plain; charset=utf-8\n"
                                           "\n"
                                           "Bonjour,\n"
                                           "les résultats sont normaux.\n", from);
  char *path = smime_test_path (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static GMimeMessage *
read_message (const char *path)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GMimeMessage *message;

  file = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  bytes = g_mapped_file_get_bytes (file);
  message = cachet_mime_parse_message (bytes, &error);
  g_assert_no_error (error);
  return message;
}

static void
write_message_file (GMimeMessage *message,
                    const char   *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_mime_object_to_string (GMIME_OBJECT (message), NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static CachetSecurityReport *
verify_file (const char             *path,
             CachetCertificateStore *store)
{
  g_autoptr(GMimeMessage) message = read_message (path);
  g_autoptr(GError) error = NULL;
  CachetSecurityReport *report = cachet_smime_verify_message (message, store, &error);

  g_assert_no_error (error);
  return report;
}

static char *
sign_with_engine (const char          *name,
                  CachetSmimeSignMode  mode)
{
  g_autofree char *plain = write_message ("plain.eml", "alice@example.org");
  g_autoptr(GMimeMessage) message = read_message (plain);
  g_autoptr(CachetSmimeIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  char *path = smime_test_path (name);

  identity = cachet_smime_identity_load_pkcs12 (pki->alice_p12, SMIME_TEST_P12_PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_smime_sign_message (message, identity, mode, &error));
  g_assert_no_error (error);
  write_message_file (message, path);

  return path;
}

static void
test_roundtrip (void)
{
  g_autofree char *signed_path = NULL;
  g_autoptr(CachetCertificateStore) untrusting = NULL;
  g_autoptr(CachetCertificateStore) trusting = NULL;
  g_autoptr(CachetSecurityReport) untrusted = NULL;
  g_autoptr(CachetSecurityReport) valid = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;
  CachetCertificate *signer;

  if (!make_pki ())
    return;

  signed_path = sign_with_engine ("signed.eml", CACHET_SMIME_SIGN_DETACHED);
  untrusting = smime_test_new_store (FALSE);
  untrusted = verify_file (signed_path, untrusting);
  g_assert_cmpint (cachet_security_report_get_verdict (untrusted), ==, CACHET_SECURITY_VERDICT_UNTRUSTED);
  g_assert_true (cachet_security_report_has_reason (untrusted, CACHET_SECURITY_REASON_UNTRUSTED));
  kept = cachet_certificate_store_lookup_address (untrusting, "alice@example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->len, ==, 0);
  g_clear_pointer (&kept, g_ptr_array_unref);

  trusting = smime_test_new_store (TRUE);
  valid = verify_file (signed_path, trusting);
  g_assert_cmpint (cachet_security_report_get_verdict (valid), ==, CACHET_SECURITY_VERDICT_VALID);
  g_assert_cmpuint (cachet_security_report_get_n_reasons (valid), ==, 0);
  g_assert_cmpstr (cachet_security_report_get_sender (valid), ==, "alice@example.org");
  g_assert_nonnull (cachet_security_report_get_signing_time (valid));
  signer = cachet_security_report_get_signer (valid);
  g_assert_true (cachet_certificate_has_email_address (signer, "Alice@Example.org"));
  g_assert_true (GMIME_IS_TEXT_PART (cachet_security_report_get_content (valid)));

  /* A valid signature files the signer's certificate under its address. */
  kept = cachet_certificate_store_lookup_address (trusting, "alice@example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->len, ==, 1);
  g_assert_cmpstr (cachet_certificate_get_fingerprint (g_ptr_array_index (kept, 0)), ==,
                   cachet_certificate_get_fingerprint (signer));
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeSignatureList, g_object_unref)

/* GMime's own calls reach our context through the registry, and verify
 * against the user's store. */
static void
test_gmime_context (void)
{
  g_autofree char *detached = NULL;
  g_autofree char *opaque = NULL;
  g_autoptr(GMimeMessage) detached_message = NULL;
  g_autoptr(GMimeMessage) opaque_message = NULL;
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (NULL);
  g_autoptr(GMimeSignatureList) detached_signatures = NULL;
  g_autoptr(GMimeSignatureList) opaque_signatures = NULL;
  g_autoptr(GMimeObject) entity = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GError) error = NULL;
  GMimeSignature *signature;

  if (!make_pki ())
    return;
  anchors = cachet_certificate_store_trust_file (store, pki->ca, &error);
  g_assert_no_error (error);

  detached = sign_with_engine ("gmime-detached.eml", CACHET_SMIME_SIGN_DETACHED);
  detached_message = read_message (detached);
  detached_signatures = g_mime_multipart_signed_verify (GMIME_MULTIPART_SIGNED (g_mime_message_get_mime_part (detached_message)),
                                                        GMIME_VERIFY_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mime_signature_list_length (detached_signatures), ==, 1);
  signature = g_mime_signature_list_get_signature (detached_signatures, 0);
  g_assert_cmpint (g_mime_signature_get_status (signature) & GMIME_SIGNATURE_STATUS_GREEN, !=, 0);
  g_assert_cmpstr (g_mime_certificate_get_email (g_mime_signature_get_certificate (signature)), ==,
                   "alice@example.org");

  opaque = sign_with_engine ("gmime-opaque.eml", CACHET_SMIME_SIGN_OPAQUE);
  opaque_message = read_message (opaque);
  opaque_signatures = g_mime_application_pkcs7_mime_verify (GMIME_APPLICATION_PKCS7_MIME (g_mime_message_get_mime_part (opaque_message)),
                                                            GMIME_VERIFY_NONE, &entity, &error);
  g_assert_no_error (error);
  g_assert_true (GMIME_IS_TEXT_PART (entity));
  signature = g_mime_signature_list_get_signature (opaque_signatures, 0);
  g_assert_cmpint (g_mime_signature_get_status (signature) & GMIME_SIGNATURE_STATUS_GREEN, !=, 0);

  /* The user's store is shared with the command line test. */
  g_assert_true (cachet_certificate_store_remove_anchor (store,
                                                         cachet_certificate_get_fingerprint (g_ptr_array_index (anchors, 0)),
                                                         &error));
  g_assert_no_error (error);
}

/* OpenSSL verifies @path, and finds the signer's chain in the signature. */
/* What the window does: the identity with its passphrase from the
 * credentials provider, and the verdict computed off the main thread. */
static void
test_async (void)
{
  g_autoptr(CachetTestCredentials) credentials = cachet_test_credentials_new ();
  g_autoptr(CachetSmimeIdentity) identity = NULL;
  g_autoptr(CachetSmimeIdentity) no_passphrase = NULL;
  g_autoptr(GAsyncResult) identity_result = NULL;
  g_autoptr(GAsyncResult) no_passphrase_result = NULL;
  g_autoptr(GAsyncResult) verify_result = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) passphrase_error = NULL;
  g_autofree char *plain = NULL;
  char *text;

  if (!make_pki ())
    return;

  cachet_test_credentials_set (credentials, "account-1", CACHET_SECRET_CERTIFICATE_PASSPHRASE,
                               SMIME_TEST_P12_PASSPHRASE);
  cachet_smime_identity_load_async (pki->alice_p12, CACHET_CREDENTIALS_PROVIDER (credentials),
                                    "account-1", NULL, cachet_test_result_cb, &identity_result);
  identity = cachet_smime_identity_load_finish (cachet_test_wait_result (&identity_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cachet_test_credentials_get_lookups (credentials), ==, 1);

  cachet_smime_identity_load_async (pki->alice_p12, CACHET_CREDENTIALS_PROVIDER (credentials),
                                    "account-2", NULL, cachet_test_result_cb, &no_passphrase_result);
  no_passphrase = cachet_smime_identity_load_finish (cachet_test_wait_result (&no_passphrase_result),
                                                     &passphrase_error);
  g_assert_null (no_passphrase);
  g_assert_error (passphrase_error, CACHET_NET_ERROR, CACHET_NET_ERROR_IDENTITY_BAD_PASSPHRASE);

  plain = write_message ("async.eml", "alice@example.org");
  message = read_message (plain);
  g_assert_true (cachet_smime_sign_message (message, identity, CACHET_SMIME_SIGN_DETACHED, &error));
  g_assert_no_error (error);
  text = g_mime_object_to_string (GMIME_OBJECT (message), NULL);
  raw = g_bytes_new_take (text, strlen (text));

  store = smime_test_new_store (TRUE);
  cachet_smime_verify_async (store, raw, NULL, cachet_test_result_cb, &verify_result);
  report = cachet_smime_verify_finish (store, cachet_test_wait_result (&verify_result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cachet_security_report_get_verdict (report), ==, CACHET_SECURITY_VERDICT_VALID);
}

static void
assert_openssl_verifies (const char *path)
{
  g_autofree char *certificates_path = smime_test_path ("openssl-certsout.pem");
  const char *argv[] = { "openssl", "cms", "-verify", "-in", path, "-CAfile", pki->ca,
                         "-purpose", "smimesign", "-certsout", certificates_path,
                         "-out", "/dev/null", NULL };
  g_autofree char *output = NULL;
  g_autofree char *certificates = NULL;
  g_auto(GStrv) blocks = NULL;
  g_autoptr(GError) error = NULL;
  gboolean success;

  output = smime_test_run_output (argv, NULL, &success);
  g_assert_true (success);
  g_assert_nonnull (strstr (output, "Verification successful"));

  g_file_get_contents (certificates_path, &certificates, NULL, &error);
  g_assert_no_error (error);
  blocks = g_strsplit (certificates, "-----BEGIN CERTIFICATE-----", -1);
  g_assert_cmpuint (g_strv_length (blocks) - 1, ==, 2);
}

static void
test_openssl_verifies_ours (void)
{
  g_autofree char *detached = NULL;
  g_autofree char *opaque = NULL;

  if (!make_pki ())
    return;

  detached = sign_with_engine ("detached.eml", CACHET_SMIME_SIGN_DETACHED);
  assert_openssl_verifies (detached);
  opaque = sign_with_engine ("opaque.eml", CACHET_SMIME_SIGN_OPAQUE);
  assert_openssl_verifies (opaque);
}

/* Signs @message_path with OpenSSL as @cert, detached unless @opaque. */
static char *
sign_with_openssl (const char *name,
                   const char *message_path,
                   const char *cert,
                   const char *key,
                   gboolean    opaque)
{
  char *path = smime_test_path (name);

  if (opaque)
    smime_test_run ("openssl", "smime", "-sign", "-nodetach", "-in", message_path, "-out", path,
         "-signer", cert, "-inkey", key, "-certfile", pki->intermediate, "-md", "sha256", NULL);
  else
    smime_test_run ("openssl", "smime", "-sign", "-in", message_path, "-out", path,
         "-signer", cert, "-inkey", key, "-certfile", pki->intermediate, "-md", "sha256", NULL);
  return path;
}

/* OpenSSL signs the body only: the headers of the mail are ours to add. */
static char *
openssl_signed_mail (const char *name,
                     const char *from,
                     const char *cert,
                     const char *key,
                     gboolean    opaque)
{
  g_autofree char *body_path = smime_test_path ("body.txt");
  g_autofree char *signed_body = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *mail = NULL;
  g_autoptr(GError) error = NULL;
  char *path = smime_test_path (name);

  g_file_set_contents (body_path, "Content-Type: text/plain; charset=utf-8\n\nBonjour Bob.\n", -1, &error);
  g_assert_no_error (error);
  signed_body = sign_with_openssl ("openssl-body.eml", body_path, cert, key, opaque);
  g_file_get_contents (signed_body, &contents, NULL, &error);
  g_assert_no_error (error);
  mail = g_strdup_printf ("From: <%s>\nTo: bob@example.org\nSubject: test\n%s", from, contents);
  g_file_set_contents (path, mail, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
test_ours_verifies_openssl (void)
{
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autofree char *detached = NULL;
  g_autofree char *opaque = NULL;
  g_autofree char *tampered = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(CachetSecurityReport) detached_report = NULL;
  g_autoptr(CachetSecurityReport) opaque_report = NULL;
  g_autoptr(CachetSecurityReport) tampered_report = NULL;
  g_autoptr(GError) error = NULL;
  char *body;

  if (!make_pki ())
    return;
  store = smime_test_new_store (TRUE);

  detached = openssl_signed_mail ("openssl-detached.eml", "alice@example.org",
                                  pki->alice_cert, pki->alice_key, FALSE);
  detached_report = verify_file (detached, store);
  g_assert_cmpint (cachet_security_report_get_verdict (detached_report), ==, CACHET_SECURITY_VERDICT_VALID);

  opaque = openssl_signed_mail ("openssl-opaque.eml", "alice@example.org",
                                pki->alice_cert, pki->alice_key, TRUE);
  opaque_report = verify_file (opaque, store);
  g_assert_cmpint (cachet_security_report_get_verdict (opaque_report), ==, CACHET_SECURITY_VERDICT_VALID);
  g_assert_true (GMIME_IS_TEXT_PART (cachet_security_report_get_content (opaque_report)));

  /* One changed letter in the displayed part. */
  g_file_get_contents (detached, &contents, NULL, &error);
  g_assert_no_error (error);
  body = strstr (contents, "Bonjour Bob.");
  g_assert_nonnull (body);
  body[0] = 'b';
  tampered = smime_test_path ("openssl-tampered.eml");
  g_file_set_contents (tampered, contents, -1, &error);
  g_assert_no_error (error);
  tampered_report = verify_file (tampered, store);
  g_assert_cmpint (cachet_security_report_get_verdict (tampered_report), ==, CACHET_SECURITY_VERDICT_INVALID);
  g_assert_true (cachet_security_report_has_reason (tampered_report, CACHET_SECURITY_REASON_BAD_SIGNATURE));
}

/* The report's chain is the certificates of the files named after
 * @anchored, in order, and ends at an anchor if @anchored. */
static G_GNUC_NULL_TERMINATED void
assert_chain (CachetSecurityReport *report,
              gboolean              anchored,
              ...)
{
  GListModel *chain = cachet_security_report_get_chain (report);
  guint n_paths = 0;
  va_list args;

  va_start (args, anchored);
  for (const char *path = va_arg (args, const char *); path != NULL; path = va_arg (args, const char *))
    {
      g_autoptr(CachetCertificate) expected = smime_test_load_certificate (path);
      g_autoptr(CachetCertificate) found = g_list_model_get_item (chain, n_paths++);

      g_assert_nonnull (found);
      g_assert_cmpstr (cachet_certificate_get_fingerprint (found), ==, cachet_certificate_get_fingerprint (expected));
    }
  va_end (args);
  g_assert_cmpuint (g_list_model_get_n_items (chain), ==, n_paths);
  g_assert_true (cachet_security_report_is_anchored (report) == anchored);
}

/* The certification path verification built, signer first: through the
 * intermediate authority the signature carries to the root the user
 * trusts, or to the intermediate if that is what is trusted; with nothing
 * trusted, as far as the signature goes. */
static void
test_chain (void)
{
  g_autoptr(CachetCertificateStore) trusted = NULL;
  g_autoptr(CachetCertificateStore) untrusted = NULL;
  g_autoptr(CachetCertificateStore) intermediate = NULL;
  G_GNUC_UNUSED g_autoptr(GPtrArray) anchors = NULL;
  g_autofree char *detached = NULL;
  g_autofree char *opaque = NULL;
  g_autoptr(CachetSecurityReport) trusted_report = NULL;
  g_autoptr(CachetSecurityReport) untrusted_report = NULL;
  g_autoptr(CachetSecurityReport) intermediate_report = NULL;
  g_autoptr(CachetSecurityReport) opaque_report = NULL;
  g_autoptr(GError) error = NULL;

  if (!make_pki ())
    return;
  trusted = smime_test_new_store (TRUE);
  untrusted = smime_test_new_store (FALSE);
  intermediate = smime_test_new_store (FALSE);
  anchors = cachet_certificate_store_trust_file (intermediate, pki->intermediate, &error);
  g_assert_no_error (error);

  detached = openssl_signed_mail ("chain.eml", "alice@example.org", pki->alice_cert, pki->alice_key, FALSE);
  trusted_report = verify_file (detached, trusted);
  g_assert_cmpint (cachet_security_report_get_verdict (trusted_report), ==, CACHET_SECURITY_VERDICT_VALID);
  assert_chain (trusted_report, TRUE, pki->alice_cert, pki->intermediate, pki->ca, NULL);

  untrusted_report = verify_file (detached, untrusted);
  g_assert_cmpint (cachet_security_report_get_verdict (untrusted_report), ==, CACHET_SECURITY_VERDICT_UNTRUSTED);
  assert_chain (untrusted_report, FALSE, pki->alice_cert, pki->intermediate, NULL);

  intermediate_report = verify_file (detached, intermediate);
  assert_chain (intermediate_report, TRUE, pki->alice_cert, pki->intermediate, NULL);

  /* Ours carries the chain of the PKCS #12 file. */
  opaque = sign_with_engine ("chain-opaque.eml", CACHET_SMIME_SIGN_OPAQUE);
  opaque_report = verify_file (opaque, trusted);
  g_assert_cmpint (cachet_security_report_get_verdict (opaque_report), ==, CACHET_SECURITY_VERDICT_VALID);
  assert_chain (opaque_report, TRUE, pki->alice_cert, pki->intermediate, pki->ca, NULL);
}

/* A correspondent's certificate goes by its fingerprint or by the file it
 * came from, and nothing else does: neither an anchor, nor a file outside
 * the correspondents'. */
static void
test_store_remove (void)
{
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autoptr(CachetCertificate) alice = NULL;
  g_autoptr(CachetCertificate) ca = NULL;
  G_GNUC_UNUSED g_autoptr(GPtrArray) imported = NULL;
  G_GNUC_UNUSED g_autoptr(GPtrArray) imported_server = NULL;
  g_autoptr(GPtrArray) still_kept = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  g_autoptr(GPtrArray) removed_again = NULL;
  g_autoptr(GPtrArray) not_certificates = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *not_certificate = NULL;

  if (!make_pki ())
    return;
  store = smime_test_new_store (TRUE);
  imported = cachet_certificate_store_import_file (store, pki->alice_cert, &error);
  g_assert_no_error (error);
  imported_server = cachet_certificate_store_import_file (store, pki->server_cert, &error);
  g_assert_no_error (error);
  alice = smime_test_load_certificate (pki->alice_cert);
  ca = smime_test_load_certificate (pki->ca);

  g_assert_false (cachet_certificate_store_remove_certificate (store, cachet_certificate_get_fingerprint (ca),
                                                               &error));
  g_assert_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_NOT_FOUND);
  g_clear_error (&error);
  outside = g_strconcat ("../anchors/", cachet_certificate_get_fingerprint (ca), NULL);
  g_assert_false (cachet_certificate_store_remove_certificate (store, outside, &error));
  g_assert_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_NOT_FOUND);
  g_clear_error (&error);
  anchors = cachet_certificate_store_list_anchors (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (anchors->len, ==, 1);

  /* Fingerprints are listed in lower case and accepted in either. */
  upper = g_ascii_strup (cachet_certificate_get_fingerprint (alice), -1);
  g_assert_true (cachet_certificate_store_remove_certificate (store, upper, &error));
  g_assert_no_error (error);
  g_assert_false (cachet_certificate_store_remove_certificate (store, upper, &error));
  g_assert_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* The server's certificate, for the same address, stays. */
  still_kept = cachet_certificate_store_lookup_address (store, "alice@example.org", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (still_kept->len, ==, 1);

  not_certificate = write_message ("not-a-certificate.eml", "alice@example.org");
  not_certificates = cachet_certificate_store_remove_file (store, not_certificate, &error);
  g_assert_null (not_certificates);
  g_assert_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_CERTIFICATE_INVALID);
  g_clear_error (&error);
  removed = cachet_certificate_store_remove_file (store, pki->server_cert, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removed->len, ==, 1);
  removed_again = cachet_certificate_store_remove_file (store, pki->server_cert, &error);
  g_assert_null (removed_again);
  g_assert_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_NOT_FOUND);
  g_clear_error (&error);
  left = cachet_certificate_store_list_correspondents (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 0);
}

static void
test_policy (void)
{
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autofree char *other_address = NULL;
  g_autofree char *wrong_purpose = NULL;
  g_autofree char *expired = NULL;
  g_autoptr(CachetSecurityReport) expired_report = NULL;
  g_autoptr(CachetSecurityReport) other_report = NULL;
  g_autoptr(CachetSecurityReport) purpose_report = NULL;

  if (!make_pki ())
    return;
  store = smime_test_new_store (TRUE);

  other_address = openssl_signed_mail ("other-address.eml", "manager@example.org",
                                       pki->alice_cert, pki->alice_key, FALSE);
  other_report = verify_file (other_address, store);
  g_assert_cmpint (cachet_security_report_get_verdict (other_report), ==, CACHET_SECURITY_VERDICT_OTHER_ADDRESS);
  g_assert_true (cachet_security_report_has_reason (other_report, CACHET_SECURITY_REASON_ADDRESS_MISMATCH));
  g_assert_cmpstr (cachet_security_report_get_sender (other_report), ==, "manager@example.org");

  expired = openssl_signed_mail ("expired.eml", "alice@example.org",
                                 pki->expired_cert, pki->expired_key, FALSE);
  expired_report = verify_file (expired, store);
  g_assert_cmpint (cachet_security_report_get_verdict (expired_report), ==, CACHET_SECURITY_VERDICT_UNTRUSTED);
  g_assert_true (cachet_security_report_has_reason (expired_report, CACHET_SECURITY_REASON_EXPIRED));

  wrong_purpose = openssl_signed_mail ("wrong-purpose.eml", "alice@example.org",
                                       pki->server_cert, pki->server_key, FALSE);
  purpose_report = verify_file (wrong_purpose, store);
  g_assert_cmpint (cachet_security_report_get_verdict (purpose_report), ==, CACHET_SECURITY_VERDICT_UNTRUSTED);
  g_assert_true (cachet_security_report_has_reason (purpose_report, CACHET_SECURITY_REASON_NOT_FOR_EMAIL));
}

static void
test_malformed (void)
{
  static const char * const signatures[] = {
    "",
    "MAA=",                             /* an empty SEQUENCE */
    "MA0GCSqGSIb3DQEHAqA=",             /* signedData OID, content cut short */
    "MAsGCSqGSIb3DQEHAg==",             /* SEQUENCE { signedData } without [0] */
    "bm90IGEgc2lnbmF0dXJl",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (signatures); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "From: alice@example.org\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; "
        "micalg=sha-256; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nHello\n"
        "--b\nContent-Type: application/pkcs7-signature\nContent-Transfer-Encoding: base64\n\n"
        "%s\n--b--\n", signatures[i]);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(GMimeMessage) message = NULL;
      g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (g_get_home_dir ());
      g_autoptr(CachetSecurityReport) report = NULL;
      g_autoptr(GError) error = NULL;

      message = cachet_mime_parse_message (bytes, &error);
      g_assert_no_error (error);
      report = cachet_smime_verify_message (message, store, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cachet_security_report_get_verdict (report), ==, CACHET_SECURITY_VERDICT_UNREADABLE);
      g_assert_true (cachet_security_report_has_reason (report, CACHET_SECURITY_REASON_UNREADABLE));
      g_assert_cmpstr (cachet_security_report_get_reason_text (report, 0), !=, "");
    }
}

/* The bytes GMime verifies for a part of multipart/signed: CRLF line ends. */
static GBytes *
canonical_part (GMimeObject *object)
{
  g_autoptr(GMimeStream) memory = g_mime_stream_mem_new ();
  g_autoptr(GMimeStream) filtered = g_mime_stream_filter_new (memory);
  g_autoptr(GMimeFilter) crlf = g_mime_filter_unix2dos_new (FALSE);
  GByteArray *array;

  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), crlf);
  g_assert_cmpint (g_mime_object_write_to_stream (object, NULL, filtered), >=, 0);
  g_assert_cmpint (g_mime_stream_flush (filtered), ==, 0);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (memory));
  return g_bytes_new (array->data, array->len);
}

/* A gpgsm home trusting the test CA, holding Alice's key. */
static void
make_gnupg_home (void)
{
  smime_test_make_gnupg_home (pki->alice_key, pki->alice_cert, pki->intermediate, NULL);
}

static void
test_gpgsm (void)
{
  g_autofree char *ours = NULL;
  g_autofree char *data_path = NULL;
  g_autofree char *signature_path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *theirs_data = NULL;
  g_autofree char *theirs_signature = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *base64 = NULL;
  g_autofree char *mail = NULL;
  g_autofree char *mail_path = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GMimeStream) der_stream = g_mime_stream_mem_new ();
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *body = "Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour, sign\xc3\xa9 par gpgsm.\r\n";
  const char *verify_argv[] = { "gpgsm", "--batch", "--verify", NULL, NULL, NULL };
  GMimeMultipart *root;
  GByteArray *array;
  gsize length = 0;
  gboolean success;

  if (!make_pki () || !cachet_test_require_program ("gpgsm") ||
      !cachet_test_require_program ("gpgconf"))
    return;
  make_gnupg_home ();

  /* Ours, checked by gpgsm on the bytes a mail client would hand it. */
  ours = sign_with_engine ("gpgsm-ours.eml", CACHET_SMIME_SIGN_DETACHED);
  message = read_message (ours);
  root = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
  content = canonical_part (g_mime_multipart_get_part (root, 0));
  g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (GMIME_PART (g_mime_multipart_get_part (root, 1))),
                                       der_stream);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (der_stream));
  der = g_bytes_new (array->data, array->len);
  data_path = smime_test_path ("gpgsm-ours.data");
  signature_path = smime_test_path ("gpgsm-ours.p7s");
  smime_test_write_bytes (data_path, content);
  smime_test_write_bytes (signature_path, der);
  verify_argv[3] = signature_path;
  verify_argv[4] = data_path;
  output = smime_test_run_output (verify_argv, NULL, &success);
  g_assert_true (success);
  g_assert_nonnull (strstr (output, "Good signature"));

  /* gpgsm's, checked by us inside a mail. */
  theirs_data = smime_test_path ("gpgsm-theirs.data");
  theirs_signature = smime_test_path ("gpgsm-theirs.p7s");
  g_file_set_contents (theirs_data, body, -1, &error);
  g_assert_no_error (error);
  smime_test_run_with_input (SMIME_TEST_P12_PASSPHRASE "\n",
                             "gpgsm", "--batch", "--pinentry-mode", "loopback", "--passphrase-fd", "0",
                             "--local-user", "alice@example.org", "--detach-sign",
                             "--output", theirs_signature, theirs_data, NULL);
  g_file_get_contents (theirs_signature, &signature, &length, &error);
  g_assert_no_error (error);
  base64 = g_base64_encode ((const guchar *) signature, length);
  mail = g_strdup_printf ("From: <alice@example.org>\r\n"
                          "To: <bob@example.org>\r\n"
                          "Subject: gpgsm\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
                          " micalg=sha-256; boundary=\"sig\"\r\n"
                          "\r\n"
                          "--sig\r\n"
                          "%s"
                          "\r\n--sig\r\n"
                          "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                          "Content-Transfer-Encoding: base64\r\n"
                          "\r\n"
                          "%s\r\n"
                          "--sig--\r\n", body, base64);
  mail_path = smime_test_path ("gpgsm-theirs.eml");
  g_file_set_contents (mail_path, mail, -1, &error);
  g_assert_no_error (error);

  store = smime_test_new_store (TRUE);
  report = verify_file (mail_path, store);
  g_assert_cmpint (cachet_security_report_get_verdict (report), ==, CACHET_SECURITY_VERDICT_VALID);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static void
assert_cli_verdict (const char *path,
                    int         exit_status,
                    const char *verdict)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("smime", "verify", "--in", path,
                                                           "--json", NULL);
  g_autoptr(JsonNode) root = parse_json (result->out);

  g_assert_cmpint (result->exit_status, ==, exit_status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "verdict"), ==,
                   verdict);
}

/* `smime verify --json` lists the certification path of @path: the
 * certificates of the files named after @anchored, by subject and
 * fingerprint, the last one the anchor if @anchored. */
static G_GNUC_NULL_TERMINATED void
assert_cli_chain (const char *path,
                  gboolean    anchored,
                  ...)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("smime", "verify", "--in", path, "--json", NULL);
  g_autoptr(JsonNode) root = parse_json (result->out);
  JsonArray *chain = json_object_get_array_member (json_node_get_object (root), "chain");
  guint n_paths = 0;
  va_list args;

  va_start (args, anchored);
  for (const char *file = va_arg (args, const char *); file != NULL; file = va_arg (args, const char *))
    {
      g_autoptr(CachetCertificate) expected = smime_test_load_certificate (file);
      JsonObject *link;

      g_assert_cmpuint (n_paths, <, json_array_get_length (chain));
      link = json_array_get_object_element (chain, n_paths++);
      g_assert_cmpstr (json_object_get_string_member (link, "subject"), ==,
                       cachet_certificate_get_subject (expected));
      g_assert_cmpstr (json_object_get_string_member (link, "fingerprint"), ==,
                       cachet_certificate_get_fingerprint (expected));
      g_assert_true (json_object_get_boolean_member (link, "anchor") ==
                     (anchored && n_paths == json_array_get_length (chain)));
    }
  va_end (args);
  g_assert_cmpuint (json_array_get_length (chain), ==, n_paths);
}

static guint
cli_count (const char *member)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("cert", "list", "--json", NULL);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpint (result->exit_status, ==, 0);
  root = parse_json (result->out);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (root), member));
}

static void
test_cli (void)
{
  g_autofree char *plain = NULL;
  g_autofree char *unprotected = NULL;
  g_autofree char *detached = NULL;
  g_autofree char *opaque = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(CachetCliResult) sign = NULL;
  g_autoptr(CachetCliResult) sign_opaque = NULL;
  g_autoptr(CachetCliResult) bad_passphrase = NULL;
  g_autoptr(CachetCliResult) trust = NULL;
  g_autoptr(CachetCliResult) import = NULL;
  g_autoptr(CachetCliResult) untrust = NULL;
  g_autoptr(CachetCliResult) untrust_unknown = NULL;
  g_autoptr(CachetCliResult) remove_file = NULL;
  g_autoptr(CachetCliResult) remove_again = NULL;
  g_autoptr(CachetCliResult) remove_fingerprint = NULL;
  g_autoptr(CachetCliResult) remove_outside = NULL;
  g_autoptr(CachetCertificate) server = NULL;
  g_autoptr(CachetCertificate) alice = NULL;
  g_autofree char *outside = NULL;

  if (!make_pki ())
    return;

  plain = write_message ("cli-plain.eml", "alice@example.org");
  unprotected = smime_test_path ("alice-unprotected.p12");
  detached = smime_test_path ("cli-detached.eml");
  opaque = smime_test_path ("cli-opaque.eml");
  smime_test_run ("openssl", "pkcs12", "-export", "-inkey", pki->alice_key, "-in", pki->alice_cert,
                  "-certfile", pki->intermediate, "-out", unprotected, "-passout", "pass:", NULL);
  g_assert_cmpuint (cli_count ("anchors"), ==, 0);

  sign = cachet_test_run_cli ("smime", "sign", "--in", plain, "--out", detached,
                              "--identity", unprotected, NULL);
  g_assert_cmpint (sign->exit_status, ==, 0);
  assert_cli_verdict (detached, 1, "untrusted");
  g_assert_cmpuint (cli_count ("correspondents"), ==, 0);

  trust = cachet_test_run_cli ("cert", "trust", pki->ca, NULL);
  g_assert_cmpint (trust->exit_status, ==, 0);
  fingerprint = g_strndup (trust->out, 64);
  assert_cli_verdict (detached, 0, "valid");
  assert_cli_chain (detached, TRUE, pki->alice_cert, pki->intermediate, pki->ca, NULL);
  g_assert_cmpuint (cli_count ("anchors"), ==, 1);
  g_assert_cmpuint (cli_count ("correspondents"), ==, 1);

  sign_opaque = cachet_test_run_cli ("smime", "sign", "--in", plain, "--out", opaque,
                                     "--identity", unprotected, "--opaque", NULL);
  g_assert_cmpint (sign_opaque->exit_status, ==, 0);
  assert_cli_verdict (opaque, 0, "valid");

  /* Without --account, no passphrase is known. */
  bad_passphrase = cachet_test_run_cli ("smime", "sign", "--in", plain, "--out", detached,
                                        "--identity", pki->alice_p12, NULL);
  g_assert_cmpint (bad_passphrase->exit_status, ==, 1);
  g_assert_nonnull (strstr (bad_passphrase->err, "passphrase"));

  import = cachet_test_run_cli ("cert", "import", pki->server_cert, NULL);
  g_assert_cmpint (import->exit_status, ==, 0);
  g_assert_cmpuint (cli_count ("correspondents"), ==, 2);

  /* A correspondent's certificate goes by the file it came from or by its
   * fingerprint, and never reaches outside the correspondents. */
  server = smime_test_load_certificate (pki->server_cert);
  remove_file = cachet_test_run_cli ("cert", "remove", pki->server_cert, NULL);
  g_assert_cmpint (remove_file->exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (remove_file->out, cachet_certificate_get_fingerprint (server)));
  g_assert_cmpuint (cli_count ("correspondents"), ==, 1);
  remove_again = cachet_test_run_cli ("cert", "remove", pki->server_cert, NULL);
  g_assert_cmpint (remove_again->exit_status, ==, 1);
  g_assert_nonnull (strstr (remove_again->err, "cachet-cli cert list"));
  outside = g_strconcat ("../anchors/", fingerprint, NULL);
  remove_outside = cachet_test_run_cli ("cert", "remove", outside, NULL);
  g_assert_cmpint (remove_outside->exit_status, ==, 1);
  g_assert_cmpuint (cli_count ("anchors"), ==, 1);
  alice = smime_test_load_certificate (pki->alice_cert);
  remove_fingerprint = cachet_test_run_cli ("cert", "remove", cachet_certificate_get_fingerprint (alice), NULL);
  g_assert_cmpint (remove_fingerprint->exit_status, ==, 0);
  g_assert_cmpuint (cli_count ("correspondents"), ==, 0);
  /* Her signed mail still verifies, as it carries her certificate, and
   * her certificate is kept again from it. */
  assert_cli_verdict (detached, 0, "valid");
  g_assert_cmpuint (cli_count ("correspondents"), ==, 1);

  untrust = cachet_test_run_cli ("cert", "untrust", fingerprint, NULL);
  g_assert_cmpint (untrust->exit_status, ==, 0);
  g_assert_cmpuint (cli_count ("anchors"), ==, 0);
  assert_cli_verdict (detached, 1, "untrusted");
  assert_cli_chain (detached, FALSE, pki->alice_cert, pki->intermediate, NULL);
  untrust_unknown = cachet_test_run_cli ("cert", "untrust", "../../etc/passwd", NULL);
  g_assert_cmpint (untrust_unknown->exit_status, ==, 1);
}

typedef struct
{
  const char            *path;
  CachetSecurityVerdict  verdict;
  CachetSecurityReason   reason;
} Expectation;

#define NO_REASON ((CachetSecurityReason) -1)

static void
check_expectations (const char             *base,
                    const Expectation      *expectations,
                    gsize                   n_expectations,
                    CachetCertificateStore *store)
{
  g_autofree char *samples = smime_test_samples_dir ();
  g_autofree char *root = g_build_filename (samples, base, NULL);

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip_printf ("The shared samples are not here (%s); set CACHET_SAMPLES", root);
      return;
    }

  for (gsize i = 0; i < n_expectations; i++)
    {
      g_autofree char *path = g_build_filename (root, expectations[i].path, NULL);
      g_autoptr(CachetSecurityReport) report = verify_file (path, store);

      g_test_message ("%s", expectations[i].path);
      g_assert_cmpint (cachet_security_report_get_verdict (report), ==, expectations[i].verdict);
      if (expectations[i].reason != NO_REASON)
        g_assert_true (cachet_security_report_has_reason (report, expectations[i].reason));
    }
}

/* Johnny, You Are Fired: no file may come out valid, and each for its own
 * reason. Their 2019 certificates have expired, so even the honest ones are
 * untrusted; the identity tricks must still be named. */
static void
test_spoofing_samples (void)
{
  static const Expectation expectations[] = {
    { "01-cms/c1_eContent-confusion/eContent_confusion.eml", CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_EMBEDDED_CONTENT },
    { "01-cms/c1_eContent-confusion/eContent_confusion_refinement.eml", CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_EMBEDDED_CONTENT },
    { "01-cms/c2_multiple-signerInfos/multiple_signerInfos_append_johnny.eml", CACHET_SECURITY_VERDICT_UNSUPPORTED, CACHET_SECURITY_REASON_MULTIPLE_SIGNERS },
    { "01-cms/c2_multiple-signerInfos/multiple_signerInfos_prepend_johnny.eml", CACHET_SECURITY_VERDICT_UNSUPPORTED, CACHET_SECURITY_REASON_MULTIPLE_SIGNERS },
    { "01-cms/c3_no-signerInfos/no_signerInfos_detached.eml", CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_NO_SIGNER },
    { "01-cms/c3_no-signerInfos/no certificates/no_signerInfos_no_certificates_detached.eml", CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_NO_SIGNER },
    { "01-cms/crashes/crash_01.eml", CACHET_SECURITY_VERDICT_UNREADABLE, CACHET_SECURITY_REASON_UNREADABLE },
    { "01-cms/valid_email_from_manager.eml", CACHET_SECURITY_VERDICT_UNTRUSTED, CACHET_SECURITY_REASON_EXPIRED },
    { "03-mime/m1-prepending-text/m1-smime.eml", CACHET_SECURITY_VERDICT_PARTLY_SIGNED, CACHET_SECURITY_REASON_PARTLY_SIGNED },
    { "03-mime/m2-hiding-with-html/m2-smime-mix.eml", CACHET_SECURITY_VERDICT_PARTLY_SIGNED, CACHET_SECURITY_REASON_PARTLY_SIGNED },
    { "03-mime/m3-hiding-in-reference/m3-smime.eml", CACHET_SECURITY_VERDICT_PARTLY_SIGNED, CACHET_SECURITY_REASON_PARTLY_SIGNED },
    { "03-mime/m4-hiding-as-attachment/m4-smime.eml", CACHET_SECURITY_VERDICT_PARTLY_SIGNED, CACHET_SECURITY_REASON_PARTLY_SIGNED },
    { "04-id/i1-sender-signer-checks/i1-from-unequals-signer-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_ADDRESS_MISMATCH },
    { "04-id/i2-display-name-confusion/i2-from-contains-signer-smime.eml", CACHET_SECURITY_VERDICT_UNTRUSTED, CACHET_SECURITY_REASON_EXPIRED },
    { "04-id/i2-display-name-confusion/i2-from-is-empty-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS },
    { "04-id/i2-display-name-confusion/i2-from-is-nonexistent-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS },
    { "04-id/i2-display-name-confusion/i2-from-is-only-a-name-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS },
    { "04-id/i2-display-name-confusion/i2-from-is-sender-signer-a-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS },
    { "04-id/i2-display-name-confusion/i2-from-is-sender-signer-b-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS },
    { "04-id/i2-display-name-confusion/i2-from-is-signer-sender-a-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_ADDRESS_MISMATCH },
    { "04-id/i2-display-name-confusion/i2-from-is-signer-sender-b-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS },
    { "04-id/i3-from-sender-confusion/i3-from-is-sender-sender-signer-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS },
    { "04-id/i3-from-sender-confusion/i3-from-is-sender-signer-sender-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS },
    { "04-id/i3-from-sender-confusion/i3-from-sender-others-signer-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_ADDRESS_MISMATCH },
    { "04-id/i3-from-sender-confusion/i3-from-signer-others-sender-smime.eml", CACHET_SECURITY_VERDICT_UNTRUSTED, CACHET_SECURITY_REASON_EXPIRED },
    { "04-id/i3-from-sender-confusion/i3-from1-sender-from2-signer-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS },
    { "04-id/i3-from-sender-confusion/i3-from1-signer-from2-sender-smime.eml", CACHET_SECURITY_VERDICT_OTHER_ADDRESS, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS },
    { "05-ui/u1-ui-redressing/u1-generic.eml", CACHET_SECURITY_VERDICT_NOT_SIGNED, NO_REASON },
  };
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (g_get_home_dir ());

  cachet_certificate_store_set_use_system_anchors (store, FALSE);
  check_expectations ("security/01-smime-signature-spoofing/johnny-you-are-fired",
                      expectations, G_N_ELEMENTS (expectations), store);
}

/* The NSS-made Thunderbird corpus (certificates valid until 2031), with its
 * test CA trusted: the good signatures by Alice are valid; the bad one and
 * the one whose signature embeds other content are not. */
static void
test_thunderbird_vectors (void)
{
  static const Expectation expectations[] = {
    { "alice.dsig.SHA256.multipart.bad.eml", CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_BAD_SIGNATURE },
    { "alice.dsig.SHA256.multipart.mismatch-econtent.eml", CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_EMBEDDED_CONTENT },
    { "alice.env.eml", CACHET_SECURITY_VERDICT_UNSUPPORTED, CACHET_SECURITY_REASON_ENCRYPTED },
  };
  static const char * const valid[] = {
    "alice.dsig.SHA256.multipart.eml",
    "alice.sig.SHA256.opaque.eml",
    "alice.html.sig.SHA256.opaque.eml",
    "alice.future.dsig.SHA256.multipart.eml",
  };
  g_autofree char *samples = smime_test_samples_dir ();
  g_autofree char *root = g_build_filename (samples, "security/05-cms-vectors/thunderbird-smime", NULL);
  g_autofree char *ca = g_build_filename (root, "TestCA.pem", NULL);
  g_autofree char *directory = g_dir_make_tmp ("store-XXXXXX", NULL);
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (directory);
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (ca, G_FILE_TEST_EXISTS))
    {
      g_test_skip_printf ("The shared samples are not here (%s); set CACHET_SAMPLES", root);
      return;
    }
  cachet_certificate_store_set_use_system_anchors (store, FALSE);
  anchors = cachet_certificate_store_trust_file (store, ca, &error);
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autofree char *path = g_build_filename (root, valid[i], NULL);
      g_autoptr(CachetSecurityReport) report = verify_file (path, store);

      g_test_message ("%s", valid[i]);
      g_assert_cmpint (cachet_security_report_get_verdict (report), ==, CACHET_SECURITY_VERDICT_VALID);
    }
  check_expectations ("security/05-cms-vectors/thunderbird-smime", expectations,
                      G_N_ELEMENTS (expectations), store);
}

/* A CMS file of the shared vectors, DER or PEM. */
static GBytes *
read_cms (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  if (g_str_has_prefix (contents, "-----BEGIN"))
    {
      g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
      g_autoptr(GString) base64 = g_string_new (NULL);
      guchar *der;

      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (!g_str_has_prefix (lines[i], "-----"))
            g_string_append (base64, g_strstrip (lines[i]));
        }
      der = g_base64_decode (base64->str, &length);
      return g_bytes_new_take (der, length);
    }
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* Checks one SignedData file the way a .p7m part is checked: opaque, or
 * detached over @content_path. */
static CachetSecurityReport *
check_cms (CachetCertificateStore *store,
           const char             *path,
           const char             *content_path)
{
  g_autoptr(GBytes) der = read_cms (path);
  g_autoptr(GBytes) content = NULL;
  g_autoptr(CachetSignedData) signed_data = NULL;
  g_autoptr(GError) error = NULL;
  CachetSecurityReport *report = cachet_security_report_new ();
  gnutls_x509_trust_list_t anchors;

  if (content_path != NULL)
    content = read_cms (content_path);
  signed_data = cachet_signed_data_new (der, &error);
  if (signed_data == NULL)
    {
      g_assert_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_UNREADABLE);
      cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_UNREADABLE, error->message);
      return report;
    }
  anchors = cachet_certificate_store_new_trust_list (store, &error);
  g_assert_no_error (error);
  cachet_security_report_set_signed (report, TRUE);
  cachet_signed_data_check (signed_data, content, anchors, report);
  gnutls_x509_trust_list_deinit (anchors, 1);

  return report;
}

/* RFC 4134 with Carl's authorities trusted: its SHA-1 signatures are
 * refused as insecure, its two-signer example as unsupported; OpenSSL's
 * broken signed attributes are named as such; an unknown digest (MD4)
 * cannot be read. */
static void
test_cms_vectors (void)
{
  static const struct
  {
    const char            *path;
    const char            *content;
    CachetSecurityVerdict  verdict;
    CachetSecurityReason   reason;
  } vectors[] = {
    { "rfc4134/4.1.bin", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_INSECURE_ALGORITHM },
    { "rfc4134/4.2.bin", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_INSECURE_ALGORITHM },
    { "rfc4134/4.3.bin", "rfc4134/ExContent.bin", CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_INSECURE_ALGORITHM },
    { "rfc4134/4.4.bin", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_INSECURE_ALGORITHM },
    { "rfc4134/4.5.bin", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_INSECURE_ALGORITHM },
    { "rfc4134/4.6.bin", NULL, CACHET_SECURITY_VERDICT_UNSUPPORTED, CACHET_SECURITY_REASON_MULTIPLE_SIGNERS },
    { "rfc4134/4.7.bin", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_INSECURE_ALGORITHM },
    { "rfc4134/4.10.bin", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_INSECURE_ALGORITHM },
    { "rfc4134/4.11.bin", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_NO_SIGNER },
    { "openssl/80-test_cms_data/no_ct_attr.cms", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_BAD_SIGNED_ATTRIBUTES },
    { "openssl/80-test_cms_data/bad_signtime_attr.cms", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_BAD_SIGNED_ATTRIBUTES },
    { "openssl/80-test_cms_data/no_md_attr.cms", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_BAD_SIGNED_ATTRIBUTES },
    { "openssl/80-test_cms_data/ct_multiple_attr.cms", NULL, CACHET_SECURITY_VERDICT_INVALID, CACHET_SECURITY_REASON_BAD_SIGNED_ATTRIBUTES },
    { "openssl/80-test_cms_data/pkcs7-md4.pem", NULL, CACHET_SECURITY_VERDICT_UNREADABLE, CACHET_SECURITY_REASON_UNREADABLE },
    { "openssl/80-test_cms_data/pkcs7-md4-encrypted.pem", NULL, CACHET_SECURITY_VERDICT_UNREADABLE, CACHET_SECURITY_REASON_UNREADABLE },
  };
  static const char * const anchors[] = { "rfc4134/CarlRSASelf.cer", "rfc4134/CarlDSSSelf.cer" };
  g_autofree char *samples = smime_test_samples_dir ();
  g_autofree char *root = g_build_filename (samples, "security", "05-cms-vectors", NULL);
  g_autofree char *directory = g_dir_make_tmp ("store-XXXXXX", NULL);
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (directory);

  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip_printf ("The shared samples are not here (%s); set CACHET_SAMPLES", root);
      return;
    }
  cachet_certificate_store_set_use_system_anchors (store, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (anchors); i++)
    {
      g_autofree char *path = g_build_filename (root, anchors[i], NULL);
      g_autoptr(GPtrArray) added = NULL;
      g_autoptr(GError) error = NULL;

      added = cachet_certificate_store_trust_file (store, path, &error);
      g_assert_no_error (error);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *path = g_build_filename (root, vectors[i].path, NULL);
      g_autofree char *content = vectors[i].content != NULL
                                   ? g_build_filename (root, vectors[i].content, NULL) : NULL;
      g_autoptr(CachetSecurityReport) report = check_cms (store, path, content);

      g_test_message ("%s", vectors[i].path);
      g_assert_cmpint (cachet_security_report_get_verdict (report), ==, vectors[i].verdict);
      g_assert_true (cachet_security_report_has_reason (report, vectors[i].reason));
    }
}

/* OpenSSL's mails: the PKITS policy-mapping case must fail its chain even
 * with the PKITS anchor trusted; an empty digestAlgorithms set is refused. */
static void
test_openssl_mails (void)
{
  g_autofree char *samples = smime_test_samples_dir ();
  g_autofree char *root = g_build_filename (samples, "security", "05-cms-vectors", "openssl", NULL);
  g_autofree char *anchor = g_build_filename (root, "certs", "pkitsta.pem", NULL);
  g_autofree char *pkits = g_build_filename (root, "smime-eml", "SignedInvalidMappingFromanyPolicyTest7.eml", NULL);
  g_autofree char *empty_digests = g_build_filename (root, "smime-eml-upstream", "pkcs7-empty-digest-set.eml", NULL);
  g_autofree char *directory = g_dir_make_tmp ("store-XXXXXX", NULL);
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (directory);
  g_autoptr(CachetSecurityReport) pkits_report = NULL;
  g_autoptr(CachetSecurityReport) empty_report = NULL;
  g_autoptr(GPtrArray) added = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (anchor, G_FILE_TEST_EXISTS))
    {
      g_test_skip_printf ("The shared samples are not here (%s); set CACHET_SAMPLES", root);
      return;
    }
  cachet_certificate_store_set_use_system_anchors (store, FALSE);
  added = cachet_certificate_store_trust_file (store, anchor, &error);
  g_assert_no_error (error);

  pkits_report = verify_file (pkits, store);
  g_assert_true (cachet_security_report_has_reason (pkits_report, CACHET_SECURITY_REASON_CERTIFICATE_INVALID));
  g_assert_cmpint (cachet_security_report_get_verdict (pkits_report), ==, CACHET_SECURITY_VERDICT_OTHER_ADDRESS);

  empty_report = verify_file (empty_digests, store);
  g_assert_cmpint (cachet_security_report_get_verdict (empty_report), ==, CACHET_SECURITY_VERDICT_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *gnupg_home = NULL;
  int status;

  cachet_test_init (&argc, &argv);
  /* Set before any thread exists. */
  gnupg_home = smime_test_use_gnupg_home ("gnupg");

  g_test_add_func ("/smime/roundtrip", test_roundtrip);
  g_test_add_func ("/smime/openssl-verifies-ours", test_openssl_verifies_ours);
  g_test_add_func ("/smime/ours-verifies-openssl", test_ours_verifies_openssl);
  g_test_add_func ("/smime/gmime-context", test_gmime_context);
  g_test_add_func ("/smime/async", test_async);
  g_test_add_func ("/smime/chain", test_chain);
  g_test_add_func ("/smime/store-remove", test_store_remove);
  g_test_add_func ("/smime/policy", test_policy);
  g_test_add_func ("/smime/malformed", test_malformed);
  g_test_add_func ("/smime/cli", test_cli);
  g_test_add_func ("/smime/gpgsm", test_gpgsm);
  g_test_add_func ("/smime/spoofing-samples", test_spoofing_samples);
  g_test_add_func ("/smime/thunderbird-vectors", test_thunderbird_vectors);
  g_test_add_func ("/smime/cms-vectors", test_cms_vectors);
  g_test_add_func ("/smime/openssl-mails", test_openssl_mails);

  status = g_test_run ();

  smime_test_stop_gnupg_agent (gnupg_home);

  return status;
}
