/* test-smime-store.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "cachet-mime.h"
#include "cachet-smime.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "smime-test-pki.h"

/* The certificate store keeps its trust list and its index of
 * correspondents' certificates from one call to the next: whatever changes
 * the folders, the store itself, another store on the same folders (as
 * cachet-cli is, in another process) or a hand, the next verification or
 * lookup sees it. */

#define MESSAGE "From: Alice <alice@example.org>\r\n" \
                "To: bob@example.org\r\n"             \
                "Subject: Résultats\r\n"              \
                "MIME-Version: 1.0\r\n"               \
                "Content-Type: text/plain; charset=utf-8\r\n" \
                "Content-Transfer-Encoding: 8bit\r\n" \
                "\r\n"                                \
                "Bonjour,\r\nles résultats sont normaux.\r\n"

static const SmimeTestPki *pki;

static CachetCertificateStore *
new_store (const char *directory)
{
  CachetCertificateStore *store = cachet_certificate_store_new (directory);

  cachet_certificate_store_set_use_system_anchors (store, FALSE);
  return store;
}

static CachetSmimeIdentity *
load_alice (void)
{
  g_autoptr(GError) error = NULL;
  CachetSmimeIdentity *identity = cachet_smime_identity_load_pkcs12 (pki->alice_p12,
                                                                     SMIME_TEST_P12_PASSPHRASE, &error);

  g_assert_no_error (error);
  return identity;
}

static GBytes *
signed_by_alice (CachetCertificateStore *store)
{
  g_autoptr(CachetSmimeIdentity) alice = load_alice ();
  g_autoptr(GBytes) plain = g_bytes_new_static (MESSAGE, strlen (MESSAGE));
  g_autoptr(GError) error = NULL;
  GBytes *signed_message = cachet_smime_protect_message (plain, alice, store, NULL, TRUE, FALSE, &error);

  g_assert_no_error (error);
  return signed_message;
}

static CachetSecurityVerdict
verdict (CachetCertificateStore *store,
         GBytes                 *raw)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GError) error = NULL;

  message = cachet_mime_parse_message (raw, &error);
  g_assert_no_error (error);
  report = cachet_smime_verify_message (message, store, &error);
  g_assert_no_error (error);
  return cachet_security_report_get_verdict (report);
}

static void
copy_by_hand (const char *from,
              const char *directory,
              const char *name)
{
  g_autofree char *contents = NULL;
  g_autofree char *path = g_build_filename (directory, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_get_contents (from, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (directory, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* As `cp` does: the same file, truncated and written again. */
static void
overwrite_in_place (const char *from,
                    const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  FILE *file;

  g_file_get_contents (from, &contents, &length, &error);
  g_assert_no_error (error);
  file = g_fopen (path, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpint (ftruncate (fileno (file), 0), ==, 0);
  g_assert_cmpuint (fwrite (contents, 1, length, file), ==, length);
  g_assert_cmpint (fclose (file), ==, 0);
}

static void
test_anchors (void)
{
  g_autofree char *directory = NULL;
  g_autofree char *anchors_dir = NULL;
  g_autofree char *by_hand = NULL;
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autoptr(CachetCertificateStore) other = NULL;
  g_autoptr(CachetCertificate) ca = NULL;
  g_autoptr(GPtrArray) trusted = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;

  if ((pki = smime_test_pki_get ()) == NULL)
    return;
  directory = g_dir_make_tmp ("store-XXXXXX", &error);
  g_assert_no_error (error);
  anchors_dir = g_build_filename (directory, "anchors", NULL);
  store = new_store (directory);
  other = new_store (directory);
  ca = smime_test_load_certificate (pki->ca);
  raw = signed_by_alice (store);

  g_assert_cmpint (verdict (store, raw), ==, CACHET_SECURITY_VERDICT_UNTRUSTED);

  /* Trusted and untrusted elsewhere. */
  trusted = cachet_certificate_store_trust_file (other, pki->ca, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verdict (store, raw), ==, CACHET_SECURITY_VERDICT_VALID);
  g_assert_true (cachet_certificate_store_remove_anchor (other, cachet_certificate_get_fingerprint (ca),
                                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (verdict (store, raw), ==, CACHET_SECURITY_VERDICT_UNTRUSTED);

  /* Trusted and untrusted here. */
  g_assert_true (cachet_certificate_store_add_anchor (store, ca, &error));
  g_assert_no_error (error);
  g_assert_cmpint (verdict (store, raw), ==, CACHET_SECURITY_VERDICT_VALID);
  g_assert_true (cachet_certificate_store_remove_anchor (store, cachet_certificate_get_fingerprint (ca),
                                                         &error));
  g_assert_no_error (error);
  g_assert_cmpint (verdict (store, raw), ==, CACHET_SECURITY_VERDICT_UNTRUSTED);

  /* By hand, under a name of the user's, then replaced in place by a
   * certificate that is no authority. */
  copy_by_hand (pki->ca, anchors_dir, "igc-sante.pem");
  g_assert_cmpint (verdict (store, raw), ==, CACHET_SECURITY_VERDICT_VALID);
  by_hand = g_build_filename (anchors_dir, "igc-sante.pem", NULL);
  overwrite_in_place (pki->server_cert, by_hand);
  g_assert_cmpint (verdict (store, raw), ==, CACHET_SECURITY_VERDICT_UNTRUSTED);
  overwrite_in_place (pki->ca, by_hand);
  g_assert_cmpint (verdict (store, raw), ==, CACHET_SECURITY_VERDICT_VALID);
  g_assert_cmpint (g_unlink (by_hand), ==, 0);
  g_assert_cmpint (verdict (store, raw), ==, CACHET_SECURITY_VERDICT_UNTRUSTED);
}

static guint
count_for (CachetCertificateStore *store,
           const char             *address)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = cachet_certificate_store_lookup_address (store, address, &error);
  g_assert_no_error (error);
  for (guint i = 1; i < found->len; i++)
    g_assert_cmpint (g_date_time_compare (cachet_certificate_get_not_after (g_ptr_array_index (found, i - 1)),
                                          cachet_certificate_get_not_after (g_ptr_array_index (found, i))),
                     >=, 0);
  return found->len;
}

static void
test_index (void)
{
  g_autofree char *directory = NULL;
  g_autofree char *correspondents_dir = NULL;
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autoptr(CachetCertificateStore) other = NULL;
  g_autoptr(CachetCertificate) alice = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GPtrArray) imported_server = NULL;
  g_autoptr(GPtrArray) imported_expired = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GError) error = NULL;
  const char * const to_alice[] = { "Alice@Example.org", NULL };

  if ((pki = smime_test_pki_get ()) == NULL)
    return;
  directory = g_dir_make_tmp ("store-XXXXXX", &error);
  g_assert_no_error (error);
  correspondents_dir = g_build_filename (directory, "correspondents", NULL);
  store = new_store (directory);
  other = new_store (directory);
  alice = smime_test_load_certificate (pki->alice_cert);

  g_assert_cmpuint (count_for (store, "alice@example.org"), ==, 0);
  recipients = cachet_smime_find_recipients (store, to_alice, &error);
  g_assert_error (error, CACHET_SMIME_ERROR, CACHET_SMIME_ERROR_ENCRYPT_FAILED);
  g_clear_error (&error);

  /* Kept elsewhere, found here, in any case. */
  imported = cachet_certificate_store_import_file (other, pki->alice_cert, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_for (store, "ALICE@example.org"), ==, 1);
  imported_expired = cachet_certificate_store_import_file (other, pki->expired_cert, &error);
  g_assert_no_error (error);
  imported_server = cachet_certificate_store_import_file (store, pki->server_cert, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_for (store, "alice@example.org"), ==, 3);
  g_assert_cmpuint (count_for (other, "alice@example.org"), ==, 3);
  recipients = cachet_smime_find_recipients (store, to_alice, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipients->len, ==, 1);

  /* Forgotten elsewhere, and here. */
  g_assert_true (cachet_certificate_store_remove_certificate (other, cachet_certificate_get_fingerprint (alice),
                                                              &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_for (store, "alice@example.org"), ==, 2);
  removed = cachet_certificate_store_remove_file (store, pki->server_cert, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_for (store, "alice@example.org"), ==, 1);
  g_assert_cmpuint (count_for (other, "alice@example.org"), ==, 1);

  /* By hand. */
  copy_by_hand (pki->alice_cert, correspondents_dir, "alice.pem");
  g_assert_cmpuint (count_for (store, "alice@example.org"), ==, 2);
  g_assert_cmpuint (count_for (store, "bob@example.org"), ==, 0);
}

typedef struct
{
  CachetCertificateStore *store;
  GBytes                 *raw;
  guint                   pending;
} Concurrent;

static void
verified_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Concurrent *concurrent = user_data;
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = cachet_smime_verify_finish (CACHET_CERTIFICATE_STORE (source), result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cachet_security_report_get_verdict (report), ==, CACHET_SECURITY_VERDICT_VALID);
  concurrent->pending--;
}

static void
look_up (gpointer data,
         gpointer user_data)
{
  Concurrent *concurrent = user_data;

  g_assert_cmpuint (count_for (concurrent->store, "alice@example.org"), ==, 1);
}

/* Verifications in worker threads share the trust list, lookups the index,
 * all at once (with the sanitizers, races show). */
static void
test_concurrent (void)
{
  g_autofree char *directory = NULL;
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;
  GThreadPool *pool;
  Concurrent concurrent = { NULL, NULL, 0 };

  if ((pki = smime_test_pki_get ()) == NULL)
    return;
  directory = g_dir_make_tmp ("store-XXXXXX", &error);
  g_assert_no_error (error);
  store = new_store (directory);
  anchors = cachet_certificate_store_trust_file (store, pki->ca, &error);
  g_assert_no_error (error);
  imported = cachet_certificate_store_import_file (store, pki->alice_cert, &error);
  g_assert_no_error (error);
  raw = signed_by_alice (store);
  concurrent.store = store;
  concurrent.raw = raw;

  pool = g_thread_pool_new (look_up, &concurrent, 4, FALSE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 16; i++)
    {
      concurrent.pending++;
      cachet_smime_verify_async (store, raw, NULL, verified_cb, &concurrent);
      g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
    }
  while (concurrent.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_thread_pool_free (pool, FALSE, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/smime/store/anchors", test_anchors);
  g_test_add_func ("/smime/store/index", test_index);
  g_test_add_func ("/smime/store/concurrent", test_concurrent);

  return g_test_run ();
}
